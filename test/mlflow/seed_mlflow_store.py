"""Grows an experiment of a local MLflow server's sqlite store to N runs, fast, through MLflow's own store API.

    python test/mlflow/seed_mlflow_store.py --db /tmp/x/db.sqlite --artifacts /tmp/x/artifacts --experiment NAME --runs 10000

Used by `npm run bench -- mlflow` to measure search at 10 000 runs without spending half an hour creating them over
HTTP; the runs look like the bench's light runs (2 params, 2 metrics, a tag, FINISHED). Prints one JSON line.
"""
import argparse
import json
import time

from mlflow.entities import Metric, Param, RunStatus, RunTag
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--artifacts", required=True)
    ap.add_argument("--experiment", required=True)
    ap.add_argument("--runs", type=int, required=True)
    args = ap.parse_args()
    store = SqlAlchemyStore("sqlite:///" + args.db, args.artifacts)
    exp = store.get_experiment_by_name(args.experiment)
    exp_id = exp.experiment_id if exp else store.create_experiment(args.experiment)
    t0 = time.perf_counter()
    for i in range(args.runs):
        now = int(time.time() * 1000)
        run = store.create_run(exp_id, "seed", now, [RunTag("bench", "seed")], "seed-%d" % i)
        rid = run.info.run_id
        store.log_batch(rid, metrics=[Metric("m0", (i % 100) / 100.0, now, 0), Metric("m1", (i % 37) / 37.0, now, 0)],
                        params=[Param("p0", str(i % 13)), Param("p1", str(i % 7))], tags=[])
        store.update_run_info(rid, RunStatus.FINISHED, now + 1, None)
    print(json.dumps({"experiment_id": exp_id, "runs": args.runs, "seconds": round(time.perf_counter() - t0, 1)}))


if __name__ == "__main__":
    main()
