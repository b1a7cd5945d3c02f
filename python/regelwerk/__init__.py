"""regelwerk for Python: load a rule file, evaluate a pandas DataFrame (or a dict of NumPy arrays), get the
outputs as a DataFrame and the rejected rows with their reasons.

    import regelwerk
    rules = regelwerk.load("examples/dunning/dunning.rules")
    result = rules.evaluate(invoices, params={"as_of": "2026-11-21"})
    result.outputs      # one row per evaluated input row, indexed like the input
    result.rejects      # the rejected input rows' index and reason
    assert len(result.outputs) + len(result.rejects) == len(invoices)

A column means what the same column means in the CSV file the command reads (docs/python.md): it is found
by the field's CSV column name (`from "amount_cents"`) or by the field's name, and its values are read with
the field's declared format — integer columns without copying where that is the engine's form. Floating
point columns are refused for decimal, money and percent fields: exact values never pass through binary
floating point (read such columns as strings, or as integers of minor units with format "cents").
"""

from decimal import Decimal

import numpy as np
import pandas as pd

from ._regelwerk import Engine as _Engine
from ._regelwerk import Error, RuleError
from ._regelwerk import Rules as _Rules
from ._regelwerk import run_tests as _run_tests
from ._regelwerk import version

__all__ = ["Error", "RuleError", "RuleSet", "Evaluation", "load", "from_text", "run_tests", "version"]

_EPOCH_DAY = np.datetime64("1970-01-01", "D")
_INTEGER_TYPES = {"int", "days", "duration", "decimal", "money", "percent"}


class Evaluation:
    """What one evaluation produced: `outputs` (a DataFrame, one row per evaluated input row, with the
    input's index) and `rejects` (a DataFrame with the rejected rows' index and a `reason` column)."""

    def __init__(self, outputs, rejects):
        self.outputs = outputs
        self.rejects = rejects

    def __repr__(self):
        return f"Evaluation({len(self.outputs)} rows out, {len(self.rejects)} rejected)"


class RuleSet:
    """A checked rule file and an engine for it (the JIT by default; engine="interp" for the reference
    interpreter). Compiled once; evaluate() may be called from several threads at once."""

    def __init__(self, rules, engine="jit"):
        self._rules = rules
        self._engine = _Engine(rules, engine)
        self.name = rules.name
        self.inputs = rules.inputs
        self.outputs = rules.outputs
        self.params = rules.params
        self.files = rules.files

    def evaluate(self, data, params=None, values="typed"):
        """Evaluates every row of `data`: a pandas DataFrame, a mapping of column name to array-like (NumPy
        arrays), or an Arrow record batch from any library with the PyCapsule interface (`__arrow_c_array__`;
        docs/embedding.md has the Arrow type mapping).

        params: {name: value}, each value as `--param` takes it (str, or int/Decimal/date written as text).
        values: "typed" (int64, bool, Categorical for enums, Decimal for decimal/money/percent, datetime64
                for dates and timestamps, str), "units" (like typed, but decimal/money/percent as int64 in
                units of 10^-scale, without a copy), or "text" (every output as the CSV cell the command
                writes)."""
        if values not in ("typed", "units", "text"):
            raise Error(f'values must be "typed", "units" or "text", not {values!r}')
        bound = {name: _param_text(value) for name, value in (params or {}).items()}
        if hasattr(data, "__arrow_c_array__") and not isinstance(data, pd.DataFrame):
            # An Arrow record batch (the PyCapsule interface): columns handed over without pandas.
            schema, array = data.__arrow_c_array__()
            raw = self._engine.evaluate_arrow(schema, array, bound, values == "text")
            frame = pd.DataFrame(index=pd.RangeIndex(raw["rows"]))
        else:
            frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(dict(data))
            columns = {field["name"]: _column(field, _find_column(frame, field)) for field in self.inputs}
            raw = self._engine.evaluate(len(frame), columns, bound, values == "text")
        rejected = np.asarray(raw["rejected"], dtype=np.int64)
        keep = np.ones(len(frame), dtype=bool)
        keep[rejected] = False
        outputs = pd.DataFrame({field["name"]: _output(field, raw, keep, values) for field in self.outputs})
        outputs.index = frame.index[keep]
        rejects = pd.DataFrame({"reason": pd.Series(raw["reasons"], dtype=object)})
        rejects.index = frame.index[rejected]
        return Evaluation(outputs, rejects)


def load(path, engine="jit"):
    """Reads and checks a rule file; RuleError (with the rendered diagnostics) when it has errors."""
    return RuleSet(_Rules.load(str(path)), engine)


def from_text(text, name="rules.rules", engine="jit"):
    """The same for rule text in memory; `name` stands for the file in messages."""
    return RuleSet(_Rules.from_text(name, text), engine)


def run_tests(path):
    """Runs the `test` blocks of a rule file (and of the X.test.rules beside it) on both engines, like
    `regelwerk test FILE`: a list of {name, location, passed, problems}."""
    return _run_tests(str(path))


def _find_column(frame, field):
    for name in (field["column"], field["name"]):
        if name and name in frame.columns:
            return frame[name]
    wanted = field["column"] if field["column"] and field["column"] != field["name"] else field["name"]
    raise Error(f"no column `{wanted}` for the input field {field['name']} ({field['type_name']}); "
                f"the data has {', '.join(map(str, frame.columns))}")


def _missing_mask(series):
    mask = pd.isna(series)
    return np.asarray(mask, dtype=bool)


def _column(field, series):
    """One input column for the engine: ("integers"|"int64"|"bool", values, valid) or ("text", cells)."""
    kind = field["type"]
    missing = _missing_mask(series)
    valid = None if not missing.any() else (~missing).astype(np.uint8)
    dtype = series.dtype
    if kind == "bool" and (dtype == np.bool_ or str(dtype) == "boolean"):
        values = series.to_numpy(dtype=np.bool_, na_value=False) if valid is not None else series.to_numpy()
        return ("bool", values.view(np.uint8), valid)
    if kind in _INTEGER_TYPES and field["format"] in ("", "cents") and pd.api.types.is_integer_dtype(dtype):
        values = series.to_numpy(dtype=np.int64, na_value=0) if valid is not None else series.to_numpy(dtype=np.int64)
        return ("integers", values, valid)
    if kind in ("decimal", "money", "percent") and pd.api.types.is_float_dtype(dtype):
        raise Error(f"column for {field['name']} ({field['type_name']}) holds binary floating point numbers, which "
                    "are not exact; read it as strings (e.g. read_csv(..., dtype=str)), as Decimal objects, or as "
                    "integers of minor units with format \"cents\"")
    if kind == "enum" and isinstance(dtype, pd.CategoricalDtype):
        # Category codes to member indices, vectorized; a category that is no member is an error.
        members = {name: index for index, name in enumerate(field["members"])}
        unknown = [str(name) for name in dtype.categories if str(name) not in members]
        used = set(series.cat.codes[series.cat.codes >= 0].unique())
        if any(dtype.categories.get_loc(name) in used for name in unknown):
            raise Error(f"column for {field['name']} has values that are no member of {field['type_name']}: "
                        f"{', '.join(unknown)}")
        lookup = np.array([members.get(str(name), 0) for name in dtype.categories] + [0], dtype=np.int64)
        return ("int64", lookup[series.cat.codes.to_numpy()], valid)
    if kind == "date" and pd.api.types.is_datetime64_any_dtype(dtype) and field["format"] == "":
        days = series.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
        if (series.dropna().dt.normalize() != series.dropna()).any():
            raise Error(f"column for {field['name']} (date) has a time of day; a date has none")
        values = (days - _EPOCH_DAY).astype(np.int64)
        values[missing] = 0
        return ("int64", values, valid)
    if kind == "timestamp" and pd.api.types.is_datetime64_any_dtype(dtype) and getattr(dtype, "tz", None) is not None:
        nanos = series.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[ns]").astype(np.int64)
        nanos[missing] = 0
        if (nanos % 1_000_000_000 != 0).any():
            raise Error(f"column for {field['name']} (timestamp) has fractions of a second; timestamps are whole seconds")
        return ("int64", nanos // 1_000_000_000, valid)
    if pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty"):
        return ("text", series.where(~missing, "").tolist())  # str cells as they are: no per-cell Python code
    return ("text", [_cell(value, is_missing) for value, is_missing in zip(series.tolist(), missing)])


def _cell(value, is_missing):
    if is_missing:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, float):
        raise Error(f"the value {value!r} is a binary floating point number; give exact values as strings or Decimal")
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value.tzinfo is None else value.isoformat().replace("+00:00", "Z")
    return str(value)


def _param_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        raise Error(f"the param value {value!r} is a binary floating point number; give it as a string or Decimal")
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _output(field, raw, keep, values):
    column = raw["outputs"][field["name"]]
    valid = raw["valid"].get(field["name"])
    kind = field["type"]
    everything = keep.all()  # then the engine's arrays are used as they are, without a copy
    if values == "text" or kind == "string":
        cells = np.asarray(column, dtype=object)
        return pd.Series(cells if everything else cells[keep], dtype=object)
    array = np.asarray(column) if everything else np.asarray(column)[keep]
    present = None if valid is None else (np.asarray(valid) if everything else np.asarray(valid)[keep]).astype(bool)
    if kind == "bool":
        series = pd.Series(array.astype(bool))
        return series if present is None else series.astype("boolean").where(present, pd.NA)
    if kind == "enum":
        codes = np.where(present, array, -1) if present is not None else array
        return pd.Categorical.from_codes(codes, categories=field["members"])
    if kind == "date":
        series = pd.Series((_EPOCH_DAY + array.astype("timedelta64[D]")).astype("datetime64[ns]"))
        return series if present is None else series.where(present)
    if kind == "timestamp":
        series = pd.Series(pd.to_datetime(array, unit="s", utc=True))
        return series if present is None else series.where(present)
    if kind in ("decimal", "money", "percent") and values == "typed":
        scale = field["scale"]
        decimals = [Decimal(int(units)).scaleb(-scale) for units in array]
        series = pd.Series(decimals, dtype=object)
        return series if present is None else series.where(present, None)
    series = pd.Series(array, copy=False)
    return series if present is None else series.astype("Int64").where(present, pd.NA)
