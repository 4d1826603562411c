"""Evidently's data-quality figures on the windows written by bench/quality-evidently.ts.

Usage: <venv python> bench/evidently_quality.py <windows.json> <out.json>
Per window and feature: missing values (ColumnSummaryMetric), values outside the
reference [min, max] (ColumnValueRangeMetric) and values not in the reference's
category list (ColumnValueListMetric), with their counts, and the time per window.
"""
import json
import sys
import time
import warnings

import pandas as pd
from evidently.legacy.metrics import ColumnSummaryMetric, ColumnValueListMetric, ColumnValueRangeMetric
from evidently.legacy.report import Report

warnings.filterwarnings("ignore")
data = json.load(open(sys.argv[1]))
numeric, categorical = data["numeric"], data["categorical"]


def frame(rows):
    return pd.DataFrame(
        {
            **{f: pd.Series([r["n"].get(f) for r in rows], dtype="float64") for f in numeric},
            **{f: pd.Series([r["c"].get(f) for r in rows], dtype="object") for f in categorical},
        }
    )


reference = frame(data["reference"])
out = {"windows": [], "seconds": 0.0}
for rows in data["windows"]:
    current = frame(rows)
    start = time.perf_counter()
    metrics = [ColumnSummaryMetric(column_name=f) for f in numeric + categorical]
    metrics += [ColumnValueRangeMetric(column_name=f) for f in numeric]
    metrics += [ColumnValueListMetric(column_name=f) for f in categorical]
    report = Report(metrics=metrics)
    report.run(reference_data=reference, current_data=current)
    result = report.as_dict()["metrics"]
    out["seconds"] += time.perf_counter() - start
    window = {}
    for m in result:
        r = m["result"]
        f = r["column_name"]
        w = window.setdefault(f, {})
        if m["metric"] == "ColumnSummaryMetric":
            c = r["current_characteristics"]
            w.update(rows=c["number_of_rows"], missing=c["missing"])
        elif m["metric"] == "ColumnValueRangeMetric":
            w.update(notInRange=r["current"]["number_not_in_range"], values=r["current"]["number_of_values"], shareNotInRange=r["current"]["share_not_in_range"])
        else:
            w.update(notInList=r["current"]["number_not_in_list"], listRows=r["current"]["rows_count"], shareNotInList=r["current"]["share_not_in_list"])
    out["windows"].append(window)
json.dump(out, open(sys.argv[2], "w"))
