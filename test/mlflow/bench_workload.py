"""MLflow tracking workload benchmark: the same numbers for real MLflow and for mlstream's gateway.

    python test/mlflow/bench_workload.py --uri http://127.0.0.1:5055 --clients 4 --runs 200 [--params 10 --metrics 10 --steps 5]

Each client (a thread, own MlflowClient/session) repeatedly: create_run -> log_batch (params + metrics x steps + tags)
-> update_run FINISHED. Measured per call type (p50/p99 ms), runs/s overall, then with the workload finished:
search_runs latency (p50/p99 over --searches queries, filter + order_by, at the current run count of the experiment) and
write-to-visible latency (after log_metric returns, poll get_run and search_runs until the new value shows up).
Prints one JSON object. Threads, not processes: the client spends its time waiting on HTTP, and 2 cores are shared.
"""
import argparse
import json
import os
import statistics
import threading
import time
import uuid

from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag


def pct(xs, p):
    if not xs:
        return None
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, int(round(p / 100.0 * (len(xs) - 1)))))
    return round(xs[k], 2)


def summary(xs):
    return {"n": len(xs), "p50_ms": pct(xs, 50), "p99_ms": pct(xs, 99), "max_ms": pct(xs, 100),
            "mean_ms": round(statistics.fmean(xs), 2) if xs else None}


def timed(bucket, fn, *a, **kw):
    t0 = time.perf_counter()
    out = fn(*a, **kw)
    bucket.append((time.perf_counter() - t0) * 1000)
    return out


def worker(uri, exp_id, n_runs, args, out, errors, idx):
    c = MlflowClient(tracking_uri=uri)
    lat = {"create_run": [], "log_batch": [], "update_run": [], "run_total": []}
    for i in range(n_runs):
        try:
            t0 = time.perf_counter()
            run = timed(lat["create_run"], c.create_run, exp_id, run_name="b%d-%d" % (idx, i))
            rid = run.info.run_id
            now = int(time.time() * 1000)
            metrics = [Metric("m%d" % m, float((i * 7 + m * 3 + s) % 101) / 100.0, now + s, s)
                       for m in range(args.metrics) for s in range(args.steps)]
            params = [Param("p%d" % p, str((i + p) % 13)) for p in range(args.params)]
            tags = [RunTag("client", str(idx)), RunTag("bench", "1")]
            # one log_batch carries at most 1000 metrics / 100 params / 100 tags
            for k in range(0, max(1, len(metrics)), 1000):
                timed(lat["log_batch"], c.log_batch, rid, metrics=metrics[k:k + 1000],
                      params=params if k == 0 else [], tags=tags if k == 0 else [])
            timed(lat["update_run"], c.set_terminated, rid)
            lat["run_total"].append((time.perf_counter() - t0) * 1000)
        except Exception as e:  # noqa: BLE001 - counted and reported
            errors.append("%s: %s" % (type(e).__name__, str(e)[:200]))
    out[idx] = lat


def write_to_visible(c, exp_id, samples):
    """After log_metric returns, how long until get_run / search_runs show the new value."""
    run_id = c.create_run(exp_id, run_name="visibility").info.run_id
    get_ms, search_ms = [], []
    for i in range(samples):
        value = 1000.0 + i
        t0 = time.perf_counter()
        c.log_metric(run_id, "visible", value, step=i)
        t_ack = time.perf_counter()
        while True:  # get_run path
            if c.get_run(run_id).data.metrics.get("visible") == value:
                get_ms.append((time.perf_counter() - t_ack) * 1000)
                break
            if time.perf_counter() - t_ack > 30:
                get_ms.append(float("inf"))
                break
        while True:  # search path
            found = c.search_runs([exp_id], "metrics.visible = %s" % value, max_results=1)
            if found:
                search_ms.append((time.perf_counter() - t_ack) * 1000)
                break
            if time.perf_counter() - t_ack > 30:
                search_ms.append(float("inf"))
                break
        del t0
    c.set_terminated(run_id)
    return {"get_run_after_ack": summary(get_ms), "search_after_ack": summary(search_ms)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--uri", default=os.environ.get("MLFLOW_TRACKING_URI"))
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--runs", type=int, default=200, help="total runs across all clients")
    ap.add_argument("--params", type=int, default=10)
    ap.add_argument("--metrics", type=int, default=10)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--searches", type=int, default=50)
    ap.add_argument("--visibility-samples", type=int, default=20)
    ap.add_argument("--experiment", default=None, help="reuse an experiment name (to grow the run count)")
    args = ap.parse_args()
    if not args.uri:
        ap.error("--uri or MLFLOW_TRACKING_URI required")

    c = MlflowClient(tracking_uri=args.uri)
    exp_name = args.experiment or "bench-" + uuid.uuid4().hex[:8]
    exp = c.get_experiment_by_name(exp_name)
    exp_id = exp.experiment_id if exp else c.create_experiment(exp_name)

    per = [args.runs // args.clients + (1 if i < args.runs % args.clients else 0) for i in range(args.clients)]
    out, errors = {}, []
    threads = [threading.Thread(target=worker, args=(args.uri, exp_id, per[i], args, out, errors, i))
               for i in range(args.clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    merged = {}
    for lat in out.values():
        for k, v in lat.items():
            merged.setdefault(k, []).extend(v)
    done = len(merged.get("run_total", []))

    # search latency at the current run count
    total_runs = 0
    token = None
    while True:
        page = c.search_runs([exp_id], max_results=1000, page_token=token)
        total_runs += len(page)
        token = page.token
        if not token:
            break
    s_lat = []
    for i in range(args.searches):
        timed(s_lat, c.search_runs, [exp_id], "metrics.m0 > 0.5 and params.p1 = '%d'" % (i % 13),
              order_by=["metrics.m1 DESC"], max_results=100)
    s_all = []
    for _ in range(max(1, args.searches // 5)):
        timed(s_all, c.search_runs, [exp_id], order_by=["attributes.start_time DESC"], max_results=1000)

    result = {
        "tracking_uri": args.uri, "experiment_id": exp_id, "clients": args.clients,
        "runs_requested": args.runs, "runs_completed": done, "errors": len(errors), "first_errors": errors[:3],
        "shape": {"params": args.params, "metrics": args.metrics, "steps": args.steps,
                  "metric_points_per_run": args.metrics * args.steps},
        "wall_s": round(wall, 2), "runs_per_s": round(done / wall, 2) if wall else None,
        "latency": {k: summary(v) for k, v in merged.items()},
        "search": {"runs_in_experiment": total_runs,
                   "filtered_order_by_max100": summary(s_lat), "all_order_by_start_time_max1000": summary(s_all)},
        "write_to_visible": write_to_visible(c, exp_id, args.visibility_samples),
    }
    print(json.dumps(result))
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
