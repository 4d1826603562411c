"""Evidently's stattests on the windows written by bench/drift-evidently.ts.

Usage: python3 bench/evidently_compare.py <windows.json> <out.json>
Needs: pip install evidently 'pandas<2.2' (Evidently 0.7.23 does not import with pandas 3).
"""
import json
import sys
import time

import pandas as pd
from evidently.legacy.calculations.stattests import chi_stat_test, ks_stat_test
from evidently.legacy.core import ColumnType

windows = json.load(open(sys.argv[1]))
out = {"windows": [], "seconds": 0.0}
start = time.perf_counter()
for w in windows:
    ref, cur = w["reference"], w["current"]
    results = {}
    for name, values in ref["numeric"].items():
        r = ks_stat_test(pd.Series(values), pd.Series(cur["numeric"][name]), ColumnType.Numerical, 0.05)
        results[name] = {"score": float(r.drift_score), "drifted": bool(r.drifted)}
    for name, counts in ref["categorical"].items():
        expand = lambda c: pd.Series([k for k, n in c.items() for _ in range(n)])
        r = chi_stat_test(expand(counts), expand(cur["categorical"][name]), ColumnType.Categorical, 0.05)
        results[name] = {"score": float(r.drift_score), "drifted": bool(r.drifted)}
    out["windows"].append(results)
out["seconds"] = time.perf_counter() - start
json.dump(out, open(sys.argv[2], "w"))
