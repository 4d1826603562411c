"""Drive the MLflow client through each scenario while logging_proxy.py records the HTTP traffic.

MLFLOW_TRACKING_URI must point at the proxy; PROXY_CONTROL (default = tracking URI) receives
POST /__proxy/switch?out=<file> before each scenario so each lands in its own JSONL file.
Usage: python capture_conversation.py <out_dir> [scenario ...]
"""
import json
import os
import sys
import traceback
import urllib.request
import uuid

import mlflow
import numpy as np
import pandas as pd
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from sklearn.linear_model import LogisticRegression

URI = os.environ["MLFLOW_TRACKING_URI"]
OUT = sys.argv[1]
SUFFIX = uuid.uuid4().hex[:6]
NOTES = {}


def switch(name):
    urllib.request.urlopen(urllib.request.Request(
        URI.rstrip("/") + "/__proxy/switch?out=" + os.path.join(OUT, name + ".jsonl"), data=b"", method="POST"))


def train():
    X = np.array([[0.0, 1.0], [1.0, 0.0], [0.2, 0.9], [0.9, 0.1], [0.1, 0.8], [0.8, 0.3]])
    y = np.array([0, 1, 0, 1, 0, 1])
    return LogisticRegression().fit(X, y), X


def snippet(use_name_kwarg=False):
    with mlflow.start_run() as run:
        mlflow.log_param("learning_rate", 0.01)
        mlflow.log_param("epochs", 100)
        model, X = train()
        mlflow.log_metric("accuracy", 0.95)
        mlflow.log_metric("f1_score", 0.93)
        if use_name_kwarg:
            info = mlflow.sklearn.log_model(model, name="model")
        else:
            info = mlflow.sklearn.log_model(model, "model")
    return run, info, model, X


def sc_snippet_demo():
    mlflow.set_experiment("demo")
    run, info, _, _ = snippet()
    NOTES["snippet_demo"] = {"run_id": run.info.run_id, "model_uri": info.model_uri, "model_id": info.model_id,
                             "artifact_path": info.artifact_path}


def sc_snippet_name_kwarg():
    mlflow.set_experiment("demo")
    run, info, _, _ = snippet(use_name_kwarg=True)
    NOTES["snippet_name_kwarg"] = {"run_id": run.info.run_id, "model_uri": info.model_uri, "model_id": info.model_id}


def sc_snippet_default_experiment():
    # fresh process state: no set_experiment -> default experiment "0"
    mlflow.tracking.fluent._active_experiment_id = None
    os.environ.pop("MLFLOW_EXPERIMENT_NAME", None)
    run, info, _, _ = snippet()
    NOTES["snippet_default_experiment"] = {"experiment_id": run.info.experiment_id, "run_id": run.info.run_id}


def sc_registry():
    mlflow.set_experiment("demo-registry")
    c = MlflowClient()
    name = "fraud-" + SUFFIX
    run1, info1, model, X = snippet()
    switch("registry")
    mv1 = mlflow.register_model(f"runs:/{run1.info.run_id}/model", name)
    run2, info2, _, _ = snippet()
    switch("registry")
    mv2 = mlflow.register_model(f"models:/{info2.model_id}", name)
    c.transition_model_version_stage(name, mv1.version, "Staging")
    c.transition_model_version_stage(name, mv1.version, "Production")
    c.transition_model_version_stage(name, mv2.version, "Production", archive_existing_versions=True)
    c.set_registered_model_alias(name, "champion", mv2.version)
    loaded = mlflow.pyfunc.load_model(f"models:/{name}@champion")
    pred = loaded.predict(pd.DataFrame(X))
    mva = c.get_model_version_by_alias(name, "champion")
    latest = c.get_latest_versions(name)
    mvs = c.search_model_versions(f"name='{name}'")
    rms = c.search_registered_models()
    c.set_registered_model_tag(name, "team", "risk")
    c.delete_registered_model_tag(name, "team")
    c.set_model_version_tag(name, mv1.version, "validated", "true")
    c.delete_model_version_tag(name, mv1.version, "validated")
    c.update_model_version(name, mv1.version, description="first")
    c.update_registered_model(name, description="fraud model")
    c.get_registered_model(name)
    c.get_model_version(name, mv1.version)
    c.get_model_version_download_uri(name, mv1.version)
    c.delete_registered_model_alias(name, "champion")
    c.delete_model_version(name, mv1.version)
    c.rename_registered_model(name, name + "-r")
    c.delete_registered_model(name + "-r")
    NOTES["registry"] = {"name": name, "mv1_source": mv1.source, "mv2_source": mv2.source,
                         "mv1_status": mv1.status, "pred": list(map(int, pred)),
                         "latest": [(m.version, m.current_stage) for m in latest],
                         "mvs": [(m.version, m.current_stage) for m in mvs]}


def sc_runs_api():
    c = MlflowClient()
    exp_id = mlflow.set_experiment("demo-runs-" + SUFFIX).experiment_id
    ids = []
    for i in range(5):
        with mlflow.start_run() as r:
            mlflow.log_param("epochs", 100 if i % 2 == 0 else 50)
            mlflow.log_metric("accuracy", 0.85 + i * 0.03)
            ids.append(r.info.run_id)
    switch("runs_api")
    df = mlflow.search_runs(experiment_ids=[exp_id], filter_string="metrics.accuracy > 0.9 and params.epochs = '100'",
                            order_by=["metrics.accuracy DESC"], max_results=10)
    runs = c.search_runs([exp_id], filter_string="metrics.accuracy > 0.8", order_by=["metrics.accuracy DESC"],
                         max_results=2)
    tok = runs.token
    runs2 = c.search_runs([exp_id], filter_string="metrics.accuracy > 0.8", order_by=["metrics.accuracy DESC"],
                          max_results=2, page_token=tok)
    rid = ids[0]
    for s in range(3):
        c.log_metric(rid, "loss", 1.0 / (s + 1), step=s)
    c.get_metric_history(rid, "loss")
    c.get_run(rid)
    from mlflow.entities import Metric, Param, RunTag
    import time
    now = int(time.time() * 1000)
    c.log_batch(rid, metrics=[Metric("m1", 1.5, now, 0), Metric("m1", 2.5, now, 1)],
                params=[Param("p1", "v1")], tags=[RunTag("t1", "x")])
    c.set_tag(rid, "t2", "y")
    c.delete_tag(rid, "t2")
    c.delete_run(ids[1])
    c.restore_run(ids[1])
    c.update_run(ids[2], status="KILLED", name="renamed")
    r = c.create_run(exp_id)
    c.set_terminated(r.info.run_id)
    with mlflow.start_run(run_id=ids[3]):
        ds = mlflow.data.from_pandas(pd.DataFrame({"a": [1, 2], "b": [3, 4]}), name="train-ds", targets="b")
        mlflow.log_input(ds, context="training")
    # search with many form variants to see what the server accepts
    forms = {}
    for f in ["params.nope IS NULL", "params.epochs IS NOT NULL", "tags.t1 IS NULL", "tags.t1 IS NOT NULL",
              "attributes.user_id = 'x'", "attributes.status = 'FINISHED'", "attributes.run_name LIKE 'r%'",
              "datasets.name = 'train-ds'", "datasets.context = 'training'", "metrics.accuracy IS NULL",
              "params.epochs IN ('100')", "attributes.run_id IN ('%s')" % rid, "params.epochs ILIKE '1%'",
              "tags.`mlflow.runName` != 'x'", "attributes.start_time > 0", "attributes.created > 0",
              "run_name = 'renamed'", "status = 'KILLED'", "attribute.end_time IS NULL"]:
        try:
            res = c.search_runs([exp_id], filter_string=f)
            forms[f] = "OK %d" % len(res)
        except MlflowException as e:
            forms[f] = "ERR %s: %s" % (e.error_code, str(e)[:160])
    NOTES["filter_forms"] = forms
    NOTES["runs_api"] = {"pandas_rows": len(df), "page1": len(runs), "token": tok, "page2": len(runs2),
                         "page2_token": runs2.token}
    switch("experiments")
    en = "exp-" + SUFFIX
    eid = c.create_experiment(en, tags={"k": "v"})
    c.get_experiment(eid)
    c.get_experiment_by_name(en)
    c.get_experiment_by_name("does-not-exist-" + SUFFIX)
    c.search_experiments(filter_string=f"name LIKE 'exp-{SUFFIX}%'", max_results=5)
    c.rename_experiment(eid, en + "-r")
    c.set_experiment_tag(eid, "k2", "v2")
    c.delete_experiment(eid)
    c.restore_experiment(eid)
    mlflow.set_experiment(experiment_id=eid)


def sc_errors():
    c = MlflowClient()
    res = {}
    try:
        c.get_run("0" * 32)
    except MlflowException as e:
        res["unknown_run"] = {"class": type(e).__name__, "error_code": e.error_code, "msg": str(e)[:300]}
    exp_id = mlflow.set_experiment("demo-err-" + SUFFIX).experiment_id
    r = c.create_run(exp_id)
    c.log_param(r.info.run_id, "p", "a")
    c.log_param(r.info.run_id, "p", "a")  # same value: OK
    try:
        c.log_param(r.info.run_id, "p", "b")
    except MlflowException as e:
        res["param_change"] = {"class": type(e).__name__, "error_code": e.error_code, "msg": str(e)[:400]}
    try:
        c.get_experiment("999999999")
    except MlflowException as e:
        res["unknown_experiment"] = {"class": type(e).__name__, "error_code": e.error_code}
    try:
        c.create_experiment("demo-err-" + SUFFIX)
    except MlflowException as e:
        res["dup_experiment"] = {"class": type(e).__name__, "error_code": e.error_code}
    try:
        c.get_registered_model("nope-" + SUFFIX)
    except MlflowException as e:
        res["unknown_model"] = {"class": type(e).__name__, "error_code": e.error_code}
    try:
        c.search_runs([exp_id], filter_string="metrics.x >>> 1")
    except MlflowException as e:
        res["bad_filter"] = {"class": type(e).__name__, "error_code": e.error_code, "msg": str(e)[:200]}
    try:
        c.get_model_version_by_alias("nope-" + SUFFIX, "champion")
    except MlflowException as e:
        res["unknown_alias"] = {"class": type(e).__name__, "error_code": e.error_code}
    try:
        c.log_metric("0" * 32, "m", 1.0)
    except MlflowException as e:
        res["metric_unknown_run"] = {"class": type(e).__name__, "error_code": e.error_code}
    NOTES["errors"] = res


def sc_artifacts():
    import tempfile
    c = MlflowClient()
    mlflow.set_experiment("demo-art-" + SUFFIX)
    with mlflow.start_run() as r:
        rid = r.info.run_id
        d = tempfile.mkdtemp()
        open(os.path.join(d, "a.txt"), "w").write("hello")
        os.makedirs(os.path.join(d, "sub"))
        open(os.path.join(d, "sub", "b.bin"), "wb").write(b"\x00" * 1000)
        mlflow.log_artifact(os.path.join(d, "a.txt"))
        mlflow.log_artifacts(d, artifact_path="dir")
        mlflow.log_text("txt", "notes/n.txt")
        mlflow.log_metric("nan_metric", float("nan"))
        mlflow.log_metric("inf_metric", float("inf"))
    top = c.list_artifacts(rid)
    sub = c.list_artifacts(rid, "dir")
    out = mlflow.artifacts.download_artifacts(run_id=rid, artifact_path="dir")
    got = c.get_run(rid).data.metrics
    NOTES["artifacts"] = {"top": [(f.path, f.is_dir, f.file_size) for f in top],
                          "sub": [(f.path, f.is_dir, f.file_size) for f in sub], "metrics": repr(got)}


SCENARIOS = {
    "artifacts": sc_artifacts,
    "snippet_demo": sc_snippet_demo,
    "snippet_name_kwarg": sc_snippet_name_kwarg,
    "snippet_default_experiment": sc_snippet_default_experiment,
    "registry": sc_registry,
    "runs_api": sc_runs_api,
    "errors": sc_errors,
}

if __name__ == "__main__":
    names = sys.argv[2:] or list(SCENARIOS)
    for n in names:
        # registry/runs_api switch files themselves after their setup phase; setup goes to <n>_setup
        switch(n + "_setup" if n in ("registry", "runs_api") else n)
        try:
            SCENARIOS[n]()
        except Exception:
            traceback.print_exc()
            NOTES.setdefault("failures", {})[n] = traceback.format_exc()[-500:]
    switch("_tail")
    print(json.dumps(NOTES, indent=1, default=str))
