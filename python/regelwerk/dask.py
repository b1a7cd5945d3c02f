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

import dask
import dask.dataframe as dd

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


def _evaluate(partition, name, text, engine, params, values):
    """One partition's (outputs, rejects), one evaluation: apply() takes the two apart as two collections
    built from the same delayed tasks, so computing both evaluates every partition once."""
    evaluation = _rule_set(name, text, engine).evaluate(partition, params=params, values=values)
    return evaluation.outputs, evaluation.rejects


def apply(rules_path, frame, params=None, engine="jit", values="units"):
    """Applies the rule file at `rules_path` to every partition of the Dask DataFrame `frame`.

    Returns (outputs, rejects): two Dask DataFrames, lazily computed, indexed like `frame` (compute them
    together, `dask.compute(outputs, rejects)`, to evaluate each partition once); `values` as in
    regelwerk.RuleSet.evaluate (default "units": exact integers for numbers and money, categories for
    enums — no Python object per value; "text" gives the command's CSV cells). The rule file is read and
    checked here, once, so an error surfaces before any task runs."""
    with open(rules_path, encoding="utf-8") as handle:
        text = handle.read()
    name = str(rules_path)
    local = regelwerk.from_text(text, name=name, engine=engine)
    if local._rules.grouped:
        raise regelwerk.Error(f"{name} is a grouped rule set; regelwerk.dask.apply takes one-input rule sets")
    arguments = (name, text, engine, params or {}, values)
    output_meta, reject_meta = _evaluate(frame._meta, *arguments)
    pairs = [dask.delayed(_evaluate)(part, *arguments) for part in frame.to_delayed()]
    outputs = dd.from_delayed([pair[0] for pair in pairs], meta=output_meta, divisions=frame.divisions)
    rejects = dd.from_delayed([pair[1] for pair in pairs], meta=reject_meta, divisions=frame.divisions)
    return outputs, rejects
