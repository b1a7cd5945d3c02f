"""regelwerk.dask.apply on a distributed LocalCluster with two worker processes: every partition is
evaluated, the outputs equal a local evaluation, and rows in = rows out + rows rejected over the job."""

import io
import os
import sys
import unittest

import dask
import dask.dataframe as dd
import pandas as pd
from distributed import Client, LocalCluster

import regelwerk
from regelwerk.dask import apply

sys.path.insert(0, os.path.dirname(__file__))
from invoices import invoice_csv  # noqa: E402

SOURCE = os.environ["RW_SOURCE_DIR"]
BINARY = os.environ["RW_BINARY_DIR"]
DUNNING = os.path.join(SOURCE, "examples", "dunning", "dunning.rules")


class DaskTest(unittest.TestCase):
    def test_two_workers_agree_with_a_local_run_and_the_counts_add_up(self):
        invoices = pd.read_csv(io.StringIO(invoice_csv(20000)), dtype=str, keep_default_na=False)
        # Ten rows the rules reject: an amount of 2^62 cents overflows the interest product.
        invoices.loc[invoices.index[::2000], "amount_cents"] = str(2**62)
        invoices.loc[invoices.index[::2000], "disputed"] = "false"
        invoices.loc[invoices.index[::2000], "paid_cents"] = "0"
        expected = regelwerk.load(DUNNING).evaluate(invoices, values="units")
        self.assertGreater(len(expected.rejects), 0)
        workspace = os.path.join(BINARY, "tests", "python-scratch", "dask")
        os.makedirs(workspace, exist_ok=True)
        with dask.config.set({"temporary-directory": workspace}):
            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                              local_directory=workspace) as cluster, Client(cluster) as client:
                frame = dd.from_pandas(invoices, npartitions=8)
                outputs, rejects = apply(DUNNING, frame)
                outputs, rejects = dask.compute(outputs, rejects)
                workers = client.run(lambda: os.getpid())
        self.assertEqual(len(workers), 2)
        self.assertEqual(len(outputs) + len(rejects), len(invoices))
        self.assertEqual(len(rejects), len(expected.rejects))
        pd.testing.assert_frame_equal(outputs.sort_index(), expected.outputs.sort_index())
        pd.testing.assert_frame_equal(rejects.sort_index(), expected.rejects.sort_index())


if __name__ == "__main__":
    unittest.main()
