"""The Python module: a DataFrame evaluated in memory equals the command's output file on the same data
(both engines), typed outputs, rejects with reasons and counts that add up, and errors as exceptions.
Run by ctest with PYTHONPATH=BUILD/python; scratch files under BUILD/tests/python-scratch."""

import ctypes
import io
import os
import subprocess
import sys
import unittest
from decimal import Decimal

import numpy as np
import pandas as pd

import regelwerk

sys.path.insert(0, os.path.dirname(__file__))
from invoices import invoice_csv  # noqa: E402

SOURCE = os.environ["RW_SOURCE_DIR"]
BINARY = os.environ["RW_BINARY_DIR"]
DUNNING = os.path.join(SOURCE, "examples", "dunning", "dunning.rules")


def scratch(name):
    folder = os.path.join(BINARY, "tests", "python-scratch", name)
    os.makedirs(folder, exist_ok=True)
    return folder


class ModuleTest(unittest.TestCase):
    def test_dataframe_equals_the_command_output(self):
        folder = scratch("dunning")
        with open(os.path.join(folder, "invoices.csv"), "w") as handle:
            handle.write(invoice_csv(5000))
        subprocess.run([os.path.join(BINARY, "cli", "regelwerk"), "run", DUNNING, "--input", "invoices.csv",
                        "--output", "decisions.csv", "--quiet", "--param", "as_of=2026-11-21"],
                       cwd=folder, check=True)
        with open(os.path.join(folder, "decisions.csv")) as handle:
            expected = handle.read()
        invoices = pd.read_csv(os.path.join(folder, "invoices.csv"), keep_default_na=False, dtype={
            "due_date": str, "last_notice_date": str})
        for engine in ("jit", "interp"):
            rules = regelwerk.load(DUNNING, engine=engine)
            result = rules.evaluate(invoices, params={"as_of": "2026-11-21"}, values="text")
            self.assertEqual(len(result.outputs) + len(result.rejects), len(invoices))
            self.assertEqual(result.outputs.to_csv(index=False, lineterminator="\n"), expected)

    def test_typed_outputs_and_one_record(self):
        rules = regelwerk.load(DUNNING)
        invoices = pd.read_csv(io.StringIO(invoice_csv(200)), keep_default_na=False, dtype=str)
        typed = rules.evaluate(invoices)
        self.assertEqual(str(typed.outputs["id"].dtype), "int64")
        self.assertEqual(list(typed.outputs["action"].cat.categories),
                         ["none", "reminder", "notice", "collection", "write_off"])
        self.assertIsInstance(typed.outputs["fee"].iloc[0], Decimal)
        units = rules.evaluate(invoices, values="units")
        self.assertEqual(units.outputs["fee"].sum(), int(sum(typed.outputs["fee"]) * 100))
        one = rules.evaluate({"id": [7], "customer_type": ["business"], "amount_cents": [3000000], "paid_cents": [0],
                              "due_date": ["2026-09-01"], "last_notice_date": ["2026-10-01"],
                              "dunning_level": [1], "disputed": [False]})
        self.assertEqual(one.outputs["action"].iloc[0], "notice")
        self.assertEqual(one.outputs["fee"].iloc[0], Decimal("40.00"))

    def test_numeric_columns_are_not_copied(self):
        rules = regelwerk.from_text("ruleset twice\ninput R\n  n: int\noutput m: int = n * 2\n")
        result = rules.evaluate({"n": np.arange(1000, dtype=np.int64)}, values="units")
        column = result.outputs["m"].to_numpy()
        self.assertEqual(int(column[999]), 1998)
        self.assertFalse(column.flags.owndata)  # a view over the engine's result

    def test_rejects_have_their_reason_and_the_counts_add_up(self):
        rules = regelwerk.from_text("ruleset ratio\ninput R\n  a: int\n  b: int\n"
                                    "output q: int = int(a / b, down)\n", name="ratio.rules")
        frame = pd.DataFrame({"a": [10, 20, 30, 40], "b": [2, 0, 3, 0]}, index=[100, 101, 102, 103])
        result = rules.evaluate(frame)
        self.assertEqual(list(result.outputs.index), [100, 102])
        self.assertEqual(list(result.outputs["q"]), [5, 10])
        self.assertEqual(list(result.rejects.index), [101, 103])
        self.assertIn("ratio.rules:5", result.rejects["reason"].iloc[0])
        self.assertIn("division by zero", result.rejects["reason"].iloc[0])

    def test_missing_values_dates_and_floating_point(self):
        rules = regelwerk.from_text("ruleset d\ninput R\n  on: date?\n  price: money\n"
                                    "output later: date? = on\noutput doubled: money = price * 2\n")
        frame = pd.DataFrame({"on": pd.to_datetime(["2025-03-01", None]), "price": ["1.25", "0.10"]})
        result = rules.evaluate(frame)
        self.assertEqual(result.outputs["later"].iloc[0], pd.Timestamp("2025-03-01"))
        self.assertTrue(pd.isna(result.outputs["later"].iloc[1]))
        self.assertEqual(list(result.outputs["doubled"]), [Decimal("2.50"), Decimal("0.20")])
        with self.assertRaises(regelwerk.Error) as caught:
            rules.evaluate(pd.DataFrame({"on": [None], "price": [1.25]}))
        self.assertIn("binary floating point", str(caught.exception))

    def test_categorical_enums_and_datetime_dates_give_the_same_outputs(self):
        rules = regelwerk.load(DUNNING)
        text = pd.read_csv(io.StringIO(invoice_csv(500)), dtype=str, keep_default_na=False)
        typed = pd.read_csv(io.StringIO(invoice_csv(500)), parse_dates=["due_date", "last_notice_date"])
        typed["customer_type"] = typed["customer_type"].astype("category")
        expected = rules.evaluate(text, values="text").outputs
        pd.testing.assert_frame_equal(rules.evaluate(typed, values="text").outputs, expected)
        typed["customer_type"] = typed["customer_type"].cat.add_categories(["partner"])
        typed.loc[0, "customer_type"] = "partner"
        with self.assertRaises(regelwerk.Error) as caught:
            rules.evaluate(typed)
        self.assertIn("partner", str(caught.exception))

    def test_an_arrow_record_batch_through_the_pycapsule_interface(self):
        from arrow_capsules import RecordBatch, bitmap, int64s, utf8
        rules = regelwerk.from_text("ruleset a\ninput R\n  n: int\n  kind: enum(low, high)\n  note: string?\n"
                                    "  on: date\n  fee: money from \"fee_cents\" format \"cents\"\n"
                                    "output tag: string = text(kind) ++ \"/\" ++ (note ?? \"-\")\n"
                                    "output total: money = fee * n\noutput later: date = on + 1 day\n")
        kind_offsets, kind_data = utf8(["low", "high", "high"])
        note_offsets, note_data = utf8(["x", "", "zz"])
        batch = RecordBatch(3, [
            ("n", "l", [None, int64s([1, 2, 3])], 0),
            ("kind", "u", [None, kind_offsets, kind_data], 0),
            ("note", "u", [bitmap([1, 0, 1]), note_offsets, note_data], 1),
            ("on", "tdD", [None, (ctypes.c_int32 * 3)(0, 20000, 20513)], 0),
            ("fee_cents", "l", [None, int64s([250, 100, 5])], 0)])
        result = rules.evaluate(batch)
        self.assertEqual(list(result.outputs["tag"]), ["low/x", "high/-", "high/zz"])
        self.assertEqual(list(result.outputs["total"]), [Decimal("2.50"), Decimal("2.00"), Decimal("0.15")])
        self.assertEqual(list(result.outputs["later"].dt.strftime("%Y-%m-%d")), ["1970-01-02", "2024-10-05", "2026-03-02"])
        self.assertEqual(len(result.rejects), 0)
        floats = RecordBatch(3, [("n", "g", [None, (ctypes.c_double * 3)(1, 2, 3)], 0)])
        with self.assertRaises(regelwerk.Error) as caught:
            rules.evaluate(floats)
        self.assertIn("`g`", str(caught.exception))

    def test_errors_are_exceptions_with_their_text(self):
        with self.assertRaises(regelwerk.RuleError) as caught:
            regelwerk.from_text("ruleset x\ninput R\n  n: int\noutput y: int = m\n", name="x.rules")
        self.assertIn("x.rules:4:17: error[E0201]: unknown name `m`", str(caught.exception))
        self.assertEqual(caught.exception.code, "rule_errors")
        rules = regelwerk.load(DUNNING)
        with self.assertRaises(regelwerk.Error) as caught:
            rules.evaluate({"id": [1]})
        self.assertIn("no column `customer_type`", str(caught.exception))
        with self.assertRaises(regelwerk.Error):
            rules.evaluate(pd.read_csv(io.StringIO(invoice_csv(3)), dtype=str), params={"as_of": "tomorrow"})

    def test_run_tests(self):
        outcomes = regelwerk.run_tests(os.path.join(SOURCE, "stdlib-rules", "std", "network_advice.rules"))
        self.assertGreaterEqual(len(outcomes), 8)
        self.assertTrue(all(outcome["passed"] for outcome in outcomes))


if __name__ == "__main__":
    unittest.main()
