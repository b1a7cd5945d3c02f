"""Scale-out on Dask: apply a rule set to every partition of a Dask DataFrame.

    import dask.dataframe as dd
    from regelwerk.dask import apply
    invoices = dd.read_csv("invoices-*.csv", dtype=str)
    outputs, rejects = apply("examples/dunning/dunning.rules", invoices, params={"as_of": "2026-11-21"})
    outputs.to_csv("decisions-*.csv")

Each worker process loads and compiles the rule set once (a cache keyed by the rule file's path and its
text) and evaluates its partitions with it; the rule text travels with the task graph, so workers need the
`regelwerk` package but not the rule file. Rows in = rows out + rows rejected over the whole job, as in
every partition. Grouped rule sets (several keyed inputs) are not applied here yet.
"""

import threading

import pandas as pd

import regelwerk

_cache = {}
_cache_lock = threading.Lock()


def _rule_set(name, text, engine):
    """This process's compiled rule set for (name, text, engine), compiled on first use."""
    key = (name, text, engine)
    with _cache_lock:
        if key not in _cache:
            _cache[key] = regelwerk.from_text(text, name=name, engine=engine)
        return _cache[key]


_REASON = "__regelwerk_reject_reason"


def _evaluate(partition, name, text, engine, params, values):
    """One partition's outputs and rejects in one frame: the rejected rows have their reason in _REASON
    and no outputs, the others no reason (split again by apply(); one evaluation per partition)."""
    evaluation = _rule_set(name, text, engine).evaluate(partition, params=params, values=values)
    outputs = evaluation.outputs.assign(**{_REASON: None})
    rejects = evaluation.rejects.rename(columns={"reason": _REASON})
    return pd.concat([outputs, rejects]) if len(rejects) else outputs


def apply(rules_path, frame, params=None, engine="jit", values="text"):
    """Applies the rule file at `rules_path` to every partition of the Dask DataFrame `frame`.

    Returns (outputs, rejects): two Dask DataFrames, lazily computed, indexed like `frame` (compute them
    together, `dask.compute(outputs, rejects)`, to evaluate each partition once); `values` as in
    regelwerk.RuleSet.evaluate (default "text": every output as the CSV cell the command writes, which
    keeps the partitions' dtypes simple and exact). The rule file is read and checked here, once, so an
    error surfaces before any task runs."""
    with open(rules_path, encoding="utf-8") as handle:
        text = handle.read()
    name = str(rules_path)
    local = regelwerk.from_text(text, name=name, engine=engine)
    if local._rules.grouped:
        raise regelwerk.Error(f"{name} is a grouped rule set; regelwerk.dask.apply takes one-input rule sets")
    arguments = (name, text, engine, params or {}, values)
    meta = _evaluate(frame._meta, *arguments)
    meta[_REASON] = meta[_REASON].astype(object)
    both = frame.map_partitions(_evaluate, *arguments, meta=meta)
    rejected = both[_REASON].notnull()
    outputs = both[~rejected].drop(columns=[_REASON])
    rejects = both[rejected][[_REASON]].rename(columns={_REASON: "reason"})
    return outputs, rejects
