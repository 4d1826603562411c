"""MLflow REST compatibility suite: real MLflow client code against any tracking server.

    MLFLOW_TRACKING_URI=http://127.0.0.1:5055 python test/mlflow/compat_suite.py [scenario ...] [--timings]

Runs each scenario with the official client (mlflow-skinny 3.17.2, see requirements-client.txt),
prints one line per scenario (PASS/FAIL + reason), then one JSON summary line. Exit code 1 on any failure.
Every name it creates carries a random suffix, so reruns against the same server pass.
No test framework needed; plain asserts.
"""
import json
import os
import sys
import time
import traceback
import uuid
from collections import defaultdict

import mlflow
import numpy as np
import pandas as pd
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag, ViewType
from mlflow.exceptions import MlflowException
from sklearn.linear_model import LogisticRegression

SUFFIX = uuid.uuid4().hex[:8]
TIMINGS = defaultdict(list)  # "METHOD /path" -> [ms]


def _install_timing_hook():
    """Wrap mlflow's http_request so every REST/artifact call is timed per endpoint."""
    import mlflow.store.artifact.http_artifact_repo as har
    import mlflow.utils.rest_utils as ru

    original = ru.http_request

    def timed(host_creds, endpoint, method, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            return original(host_creds, endpoint, method, *args, **kwargs)
        finally:
            key = endpoint
            if not endpoint.startswith("/api/"):
                # artifact repo calls are relative to its base URL (.../api/2.0/mlflow-artifacts/artifacts/<root>)
                key = "mlflow-artifacts " + ("<list>" if endpoint.startswith("/mlflow-artifacts") else "<file>")
            elif "/logged-models/m-" in endpoint:
                key = endpoint.split("/logged-models/m-")[0] + "/logged-models/<id>" + (
                    "/tags" if endpoint.endswith("/tags") else "")
            TIMINGS["%s %s" % (method, key)].append((time.perf_counter() - t0) * 1000)

    ru.http_request = timed
    if getattr(har, "http_request", None) is original:
        har.http_request = timed


# ---------------------------------------------------------------- helpers

def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def expect_error(fn, error_code, cls=MlflowException):
    try:
        fn()
    except cls as e:
        check(e.error_code == error_code, "expected error_code %s, got %s (%s)" % (error_code, e.error_code, e))
        return e
    raise AssertionError("expected %s(%s), call succeeded" % (cls.__name__, error_code))


def tiny_data():
    X = np.array([[0.0, 1.0], [1.0, 0.0], [0.2, 0.9], [0.9, 0.1], [0.1, 0.8], [0.8, 0.3], [0.4, 0.6], [0.6, 0.4]])
    y = np.array([0, 1, 0, 1, 0, 1, 0, 1])
    return X, y


def the_snippet():
    """The user snippet, unchanged (positional artifact path, as in MLflow 2 docs)."""
    with mlflow.start_run() as run:
        mlflow.log_param("learning_rate", 0.01)
        mlflow.log_param("epochs", 100)
        X, y = tiny_data()
        model = LogisticRegression().fit(X, y)
        mlflow.log_metric("accuracy", 0.95)
        mlflow.log_metric("f1_score", 0.93)
        info = mlflow.sklearn.log_model(model, "model")
    return run, info, model


def assert_snippet_run(client, run_id, info):
    r = client.get_run(run_id)
    check(r.info.status == "FINISHED", "run status %s" % r.info.status)
    check(r.info.run_id == run_id, "run_id mismatch")
    check(r.data.params == {"learning_rate": "0.01", "epochs": "100"}, "params %r" % r.data.params)
    check(r.data.metrics == {"accuracy": 0.95, "f1_score": 0.93}, "metrics %r" % r.data.metrics)
    check(r.info.end_time and r.info.end_time >= r.info.start_time, "end_time %r" % r.info.end_time)
    check(r.info.artifact_uri, "empty artifact_uri")
    outs = [o.model_id for o in (r.outputs.model_outputs if r.outputs else [])]
    check(info.model_id in outs, "run.outputs.model_outputs %r lacks %s" % (outs, info.model_id))
    lm = client.get_logged_model(info.model_id)
    check(str(lm.status) in ("READY", "LoggedModelStatus.READY"), "logged model status %s" % lm.status)
    check(lm.source_run_id == run_id, "logged model source_run_id %s" % lm.source_run_id)
    check(lm.name == "model", "logged model name %s" % lm.name)
    check({p: v for p, v in lm.params.items()} == {"learning_rate": "0.01", "epochs": "100"},
          "logged model params %r" % lm.params)
    check(info.model_uri == "models:/%s" % info.model_id, "model_uri %s" % info.model_uri)
    return r


# ---------------------------------------------------------------- scenarios

def sc_snippet_default_experiment():
    """The snippet with no set_experiment: lands in the default experiment "0"."""
    run, info, _ = the_snippet()
    check(run.info.experiment_id == "0", "experiment_id %s" % run.info.experiment_id)
    assert_snippet_run(MlflowClient(), run.info.run_id, info)


def sc_snippet():
    """(1) set_experiment + the snippet, then check params/metrics/logged model via the client."""
    exp = mlflow.set_experiment("compat-demo-" + SUFFIX)
    run, info, model = the_snippet()
    check(run.info.experiment_id == exp.experiment_id, "run in experiment %s" % run.info.experiment_id)
    assert_snippet_run(MlflowClient(), run.info.run_id, info)
    # MLflow 3 style keyword also works and the model loads back straight from models:/<model_id>
    with mlflow.start_run():
        info2 = mlflow.sklearn.log_model(model, name="model")
    loaded = mlflow.pyfunc.load_model(info2.model_uri)
    X, _ = tiny_data()
    check(list(loaded.predict(pd.DataFrame(X))) == list(model.predict(X)), "models:/<id> predictions differ")


def sc_registry():
    """(2) register twice, Staging -> Production with archiving, @champion alias, load + predict."""
    c = MlflowClient()
    mlflow.set_experiment("compat-registry-" + SUFFIX)
    name = "fraud-" + SUFFIX
    run1, info1, model1 = the_snippet()
    mv1 = mlflow.register_model("runs:/%s/model" % run1.info.run_id, name)
    run2, info2, model2 = the_snippet()
    mv2 = mlflow.register_model("models:/%s" % info2.model_id, name)
    check((mv1.version, mv2.version) == ("1", "2"), "versions %s %s" % (mv1.version, mv2.version))
    check(mv1.status == "READY" and mv2.status == "READY", "status %s %s" % (mv1.status, mv2.status))
    check(mv1.run_id == run1.info.run_id and mv2.run_id == run2.info.run_id, "model version run_id")
    check(mv1.source == "models:/%s" % info1.model_id, "mv1.source %s" % mv1.source)

    c.transition_model_version_stage(name, mv1.version, "Staging")
    check(c.get_model_version(name, mv1.version).current_stage == "Staging", "v1 not Staging")
    c.transition_model_version_stage(name, mv1.version, "Production")
    c.transition_model_version_stage(name, mv2.version, "Production", archive_existing_versions=True)
    v1, v2 = c.get_model_version(name, "1"), c.get_model_version(name, "2")
    check(v1.current_stage == "Archived", "v1 stage %s (expected Archived)" % v1.current_stage)
    check(v2.current_stage == "Production", "v2 stage %s" % v2.current_stage)
    latest = {m.current_stage: m.version for m in c.get_latest_versions(name)}
    check(latest == {"Archived": "1", "Production": "2"}, "get_latest_versions %r" % latest)
    check([m.version for m in c.get_latest_versions(name, stages=["Production"])] == ["2"], "latest Production")

    c.set_registered_model_alias(name, "champion", mv2.version)
    by_alias = c.get_model_version_by_alias(name, "champion")
    check(by_alias.version == "2" and "champion" in by_alias.aliases, "alias -> %s %r" % (by_alias.version,
                                                                                          by_alias.aliases))
    check(c.get_registered_model(name).aliases == {"champion": "2"}, "registered model aliases")
    loaded = mlflow.pyfunc.load_model("models:/%s@champion" % name)
    X, _ = tiny_data()
    check(list(loaded.predict(pd.DataFrame(X))) == list(model2.predict(X)), "@champion predictions differ")
    loaded_v1 = mlflow.pyfunc.load_model("models:/%s/1" % name)
    check(list(loaded_v1.predict(pd.DataFrame(X))) == list(model1.predict(X)), "models:/name/1 predictions differ")

    vs = c.search_model_versions("name='%s'" % name)
    check(sorted(m.version for m in vs) == ["1", "2"], "search_model_versions %r" % [m.version for m in vs])
    rms = c.search_registered_models(filter_string="name = '%s'" % name)
    check([m.name for m in rms] == [name], "search_registered_models %r" % [m.name for m in rms])

    c.set_registered_model_tag(name, "team", "risk")
    check(c.get_registered_model(name).tags == {"team": "risk"}, "registered model tag")
    c.delete_registered_model_tag(name, "team")
    check(c.get_registered_model(name).tags == {}, "registered model tag not deleted")
    c.set_model_version_tag(name, "1", "validated", "true")
    check(c.get_model_version(name, "1").tags == {"validated": "true"}, "model version tag")
    c.delete_model_version_tag(name, "1", "validated")
    check(c.get_model_version(name, "1").tags == {}, "model version tag not deleted")
    c.update_model_version(name, "1", description="first")
    check(c.get_model_version(name, "1").description == "first", "model version description")
    c.update_registered_model(name, description="fraud model")
    check(c.get_registered_model(name).description == "fraud model", "registered model description")

    c.delete_registered_model_alias(name, "champion")
    # real MLflow 3.17 answers a missing alias on an existing model with 400 INVALID_PARAMETER_VALUE
    # ("Registered model alias champion not found."), not RESOURCE_DOES_NOT_EXIST
    expect_error(lambda: c.get_model_version_by_alias(name, "champion"), "INVALID_PARAMETER_VALUE")
    c.delete_model_version(name, "1")
    expect_error(lambda: c.get_model_version(name, "1"), "RESOURCE_DOES_NOT_EXIST")
    c.delete_registered_model(name)
    expect_error(lambda: c.get_registered_model(name), "RESOURCE_DOES_NOT_EXIST")


def sc_search_runs():
    """(3) search_runs filters (incl. IS NULL, attributes, datasets), ordering and paging."""
    c = MlflowClient()
    exp_id = mlflow.set_experiment("compat-search-" + SUFFIX).experiment_id
    spec = []  # (run_id, epochs, accuracy, has_tag)
    for i in range(7):
        with mlflow.start_run(run_name="r%d" % i) as r:
            epochs = "100" if i % 2 == 0 else "50"
            acc = round(0.80 + i * 0.025, 3)
            mlflow.log_param("epochs", epochs)
            if i < 5:
                mlflow.log_param("optional", "yes")
            mlflow.log_metric("accuracy", acc)
            if i % 3 == 0:
                mlflow.set_tag("team", "risk")
            if i == 6:
                ds = mlflow.data.from_pandas(pd.DataFrame({"a": [1, 2], "b": [3, 4]}), name="ds-" + SUFFIX,
                                             targets="b")
                mlflow.log_input(ds, context="training")
            spec.append((r.info.run_id, epochs, acc, i % 3 == 0))

    def ids(runs):
        return [r.info.run_id for r in runs]

    # the snippet's filter, both forms
    want = [rid for rid, ep, acc, _ in sorted(spec, key=lambda s: -s[2]) if acc > 0.9 and ep == "100"]
    got = c.search_runs([exp_id], "metrics.accuracy > 0.9 and params.epochs = '100'",
                        order_by=["metrics.accuracy DESC"])
    check(ids(got) == want, "client filter+order: %r != %r" % (ids(got), want))
    df = mlflow.search_runs(experiment_ids=[exp_id], filter_string="metrics.accuracy > 0.9 and params.epochs = '100'",
                            order_by=["metrics.accuracy DESC"], max_results=10)
    check(list(df["run_id"]) == want, "pandas search_runs %r" % list(df["run_id"]))
    check(set(["metrics.accuracy", "params.epochs", "status", "start_time"]) <= set(df.columns),
          "pandas columns %r" % list(df.columns))

    # ordering, ascending and by attribute
    asc = ids(c.search_runs([exp_id], order_by=["metrics.accuracy ASC"]))
    check(asc == [s[0] for s in sorted(spec, key=lambda s: s[2])], "order ASC")
    by_name = [r.info.run_name for r in c.search_runs([exp_id], order_by=["attributes.run_name DESC"])]
    check(by_name == ["r%d" % i for i in range(6, -1, -1)], "order by run_name %r" % by_name)

    # paging: max_results=3 over 7 runs -> 3 + 3 + 1, then no token
    pages, token, seen = 0, None, []
    while True:
        page = c.search_runs([exp_id], order_by=["metrics.accuracy DESC"], max_results=3, page_token=token)
        seen += ids(page)
        pages += 1
        token = page.token
        if not token:
            break
        check(pages < 10, "paging does not terminate")
    check(seen == [s[0] for s in sorted(spec, key=lambda s: -s[2])], "paged order %r" % seen)
    check(pages == 3, "expected 3 pages, got %d" % pages)
    check(len(mlflow.search_runs(experiment_ids=[exp_id], max_results=5)) == 5, "pandas max_results=5")

    # IS NULL / IS NOT NULL on params and tags (accepted by MLflow 3.17)
    check(set(ids(c.search_runs([exp_id], "params.optional IS NULL"))) == {s[0] for s in spec[5:]}, "params IS NULL")
    check(set(ids(c.search_runs([exp_id], "params.optional IS NOT NULL"))) == {s[0] for s in spec[:5]},
          "params IS NOT NULL")
    check(set(ids(c.search_runs([exp_id], "tags.team IS NOT NULL"))) == {s[0] for s in spec if s[3]},
          "tags IS NOT NULL")
    check(set(ids(c.search_runs([exp_id], "tags.team IS NULL"))) == {s[0] for s in spec if not s[3]}, "tags IS NULL")
    # ... but not on metrics / attributes
    # MLflow refuses IS NULL on metrics; mlstream answers it. Either is fine, a wrong answer is not.
    try:
        no_accuracy = set(ids(c.search_runs([exp_id], "metrics.accuracy IS NULL")))
        with_accuracy = set(ids(c.search_runs([exp_id], "metrics.accuracy IS NOT NULL")))
        check(no_accuracy.isdisjoint(with_accuracy) and no_accuracy | with_accuracy == {s[0] for s in spec},
              "metrics IS NULL / IS NOT NULL do not split the runs: %r %r" % (no_accuracy, with_accuracy))
    except MlflowException as e:
        check(e.error_code == "INVALID_PARAMETER_VALUE", "metrics IS NULL refused with %s" % e.error_code)

    # attributes, tags, LIKE, IN, datasets
    user = c.get_run(spec[0][0]).info.user_id
    check(len(c.search_runs([exp_id], "attributes.user_id = '%s'" % user)) == 7, "attributes.user_id")
    check(len(c.search_runs([exp_id], "attributes.user_id = 'nobody-%s'" % SUFFIX)) == 0, "attributes.user_id none")
    check(len(c.search_runs([exp_id], "attributes.status = 'FINISHED'")) == 7, "attributes.status")
    check(ids(c.search_runs([exp_id], "attributes.run_name = 'r3'")) == [spec[3][0]], "attributes.run_name =")
    check(len(c.search_runs([exp_id], "attributes.run_name LIKE 'r%'")) == 7, "run_name LIKE")
    check(len(c.search_runs([exp_id], "params.epochs ILIKE '1%'")) == 4, "params ILIKE")
    check(ids(c.search_runs([exp_id], "attributes.run_id IN ('%s')" % spec[2][0])) == [spec[2][0]], "run_id IN")
    check(len(c.search_runs([exp_id], "tags.team = 'risk'")) == 3, "tags =")
    check(len(c.search_runs([exp_id], "tags.`mlflow.runName` != 'r0'")) == 6, "backquoted tag !=")
    check(ids(c.search_runs([exp_id], "datasets.name = 'ds-%s'" % SUFFIX)) == [spec[6][0]], "datasets.name")
    check(ids(c.search_runs([exp_id], "datasets.context = 'training'")) == [spec[6][0]], "datasets.context")
    expect_error(lambda: c.search_runs([exp_id], "metrics.accuracy >>> 1"), "INVALID_PARAMETER_VALUE")

    # dataset inputs come back on get_run
    r6 = c.get_run(spec[6][0])
    names = [d.dataset.name for d in r6.inputs.dataset_inputs]
    check(names == ["ds-" + SUFFIX], "dataset_inputs %r" % names)

    # deleted runs and view types
    c.delete_run(spec[1][0])
    check(spec[1][0] not in ids(c.search_runs([exp_id])), "deleted run still ACTIVE_ONLY")
    check(ids(c.search_runs([exp_id], run_view_type=ViewType.DELETED_ONLY)) == [spec[1][0]], "DELETED_ONLY")
    check(len(c.search_runs([exp_id], run_view_type=ViewType.ALL)) == 7, "ViewType.ALL")
    check(c.get_run(spec[1][0]).info.lifecycle_stage == "deleted", "lifecycle_stage deleted")
    c.restore_run(spec[1][0])
    check(len(c.search_runs([exp_id])) == 7, "restore_run")


def sc_metric_history():
    """(4) get_metric_history with many steps (1 500 steps via log_batch + 3 via log_metric)."""
    c = MlflowClient()
    exp_id = mlflow.set_experiment("compat-history-" + SUFFIX).experiment_id
    run = c.create_run(exp_id)
    rid = run.info.run_id
    now = int(time.time() * 1000)
    n = 1500
    metrics = [Metric("loss", 1.0 / (s + 1), now + s, s) for s in range(n)]
    for i in range(0, n, 1000):  # 1000 metrics per log_batch is the documented limit
        c.log_batch(rid, metrics=metrics[i:i + 1000])
    for s in range(n, n + 3):
        c.log_metric(rid, "loss", 1.0 / (s + 1), timestamp=now + s, step=s)
    hist = c.get_metric_history(rid, "loss")
    check(len(hist) == n + 3, "history length %d" % len(hist))
    check(sorted(m.step for m in hist) == list(range(n + 3)), "history steps")
    by_step = {m.step: m for m in hist}
    check(all(abs(by_step[s].value - 1.0 / (s + 1)) < 1e-12 and by_step[s].timestamp == now + s
              for s in range(n + 3)), "history values/timestamps")
    latest = c.get_run(rid).data.metrics["loss"]
    check(abs(latest - 1.0 / (n + 3)) < 1e-12, "latest metric %r (expected value at max step)" % latest)
    # same step logged twice: both values kept in history; latest = newest timestamp at max step
    c.log_metric(rid, "dup", 1.0, timestamp=now, step=5)
    c.log_metric(rid, "dup", 2.0, timestamp=now + 1, step=5)
    check(sorted(m.value for m in c.get_metric_history(rid, "dup")) == [1.0, 2.0], "duplicate step history")
    check(c.get_run(rid).data.metrics["dup"] == 2.0, "latest of duplicate step")
    check(c.get_metric_history(rid, "never-logged") == [], "unknown metric history not empty")
    c.set_terminated(rid)
    check(c.get_run(rid).info.status == "FINISHED", "set_terminated")


def sc_log_batch():
    """(5) log_batch with metrics, params and tags; fluent log_params/log_metrics/set_tags."""
    c = MlflowClient()
    exp_id = mlflow.set_experiment("compat-batch-" + SUFFIX).experiment_id
    rid = c.create_run(exp_id, run_name="batch").info.run_id
    now = int(time.time() * 1000)
    c.log_batch(rid, metrics=[Metric("m1", 1.5, now, 0), Metric("m1", 2.5, now + 1, 1), Metric("m2", -3.0, now, 0)],
                params=[Param("p1", "v1"), Param("p2", "v2")], tags=[RunTag("t1", "x"), RunTag("t2", "y")])
    r = c.get_run(rid)
    check(r.data.metrics == {"m1": 2.5, "m2": -3.0}, "metrics %r" % r.data.metrics)
    check(r.data.params == {"p1": "v1", "p2": "v2"}, "params %r" % r.data.params)
    check(r.data.tags.get("t1") == "x" and r.data.tags.get("t2") == "y", "tags %r" % r.data.tags)
    check(r.data.tags.get("mlflow.runName") == "batch" and r.info.run_name == "batch", "run name")
    # idempotent re-log of an identical param is allowed; tags may be overwritten
    c.log_batch(rid, params=[Param("p1", "v1")], tags=[RunTag("t1", "z")])
    check(c.get_run(rid).data.tags["t1"] == "z", "tag overwrite")
    c.set_tag(rid, "t3", "w")
    c.delete_tag(rid, "t3")
    check("t3" not in c.get_run(rid).data.tags, "delete_tag")
    expect_error(lambda: c.delete_tag(rid, "never-set"), "RESOURCE_DOES_NOT_EXIST")
    with mlflow.start_run(run_id=rid):
        mlflow.log_params({"p3": 3, "p4": "four"})
        mlflow.log_metrics({"m3": 0.5, "m4": 4}, step=2)
        mlflow.set_tags({"t4": "v"})
    r = c.get_run(rid)
    check(r.info.status == "FINISHED", "status after fluent block %s" % r.info.status)
    check(r.data.params["p3"] == "3" and r.data.params["p4"] == "four", "fluent params")
    check(r.data.metrics["m3"] == 0.5 and r.data.metrics["m4"] == 4.0, "fluent metrics")
    check(r.data.tags["t4"] == "v", "fluent tags")
    # A finished run can be renamed (the name is a tag) everywhere.
    c.update_run(rid, name="renamed")
    r = c.get_run(rid)
    check(r.info.status == "FINISHED" and r.info.run_name == "renamed", "update_run %s %s" % (r.info.status,
                                                                                             r.info.run_name))
    check(r.data.tags.get("mlflow.runName") == "renamed", "update_run name tag")
    # Moving a finished run to another terminal status: MLflow allows it; mlstream keeps terminal statuses
    # final (docs/mlflow.md) and says so with INVALID_STATE. Either way the answer must be consistent.
    try:
        c.update_run(rid, status="KILLED")
        check(c.get_run(rid).info.status == "KILLED", "status change accepted but not applied")
    except MlflowException as e:
        check(e.error_code == "INVALID_STATE" and "RUN_TERMINAL" in str(e), "refusal %s %s" % (e.error_code, e))
        check(c.get_run(rid).info.status == "FINISHED", "status changed although refused")


def sc_experiments():
    """Experiments: create/get/get_by_name/search/rename/tag/delete/restore."""
    c = MlflowClient()
    name = "compat-exp-" + SUFFIX
    eid = c.create_experiment(name, tags={"k": "v"})
    check(isinstance(eid, str) and eid, "experiment id %r" % eid)
    e = c.get_experiment(eid)
    check(e.name == name and e.tags == {"k": "v"} and e.lifecycle_stage == "active", "get_experiment %r" % e)
    check(e.artifact_location, "artifact_location empty")
    check(c.get_experiment_by_name(name).experiment_id == eid, "get_experiment_by_name")
    check(c.get_experiment_by_name("absent-" + SUFFIX) is None, "unknown name should give None")
    found = c.search_experiments(filter_string="name LIKE 'compat-exp-%s%%'" % SUFFIX)
    check([x.experiment_id for x in found] == [eid], "search_experiments %r" % found)
    c.rename_experiment(eid, name + "-r")
    c.set_experiment_tag(eid, "k2", "v2")
    e = c.get_experiment(eid)
    check(e.name == name + "-r" and e.tags == {"k": "v", "k2": "v2"}, "rename/tag %r" % e)
    c.delete_experiment(eid)
    check(c.get_experiment(eid).lifecycle_stage == "deleted", "delete_experiment")
    check(eid not in [x.experiment_id for x in c.search_experiments()], "deleted experiment listed")
    check(eid in [x.experiment_id for x in c.search_experiments(view_type=ViewType.DELETED_ONLY)], "DELETED_ONLY")
    c.restore_experiment(eid)
    check(c.get_experiment(eid).lifecycle_stage == "active", "restore_experiment")
    expect_error(lambda: c.create_experiment(name + "-r"), "RESOURCE_ALREADY_EXISTS")


def sc_errors():
    """(6) error paths: unknown run, changing a param value, unknown experiment/model."""
    c = MlflowClient()
    e = expect_error(lambda: c.get_run("0" * 32), "RESOURCE_DOES_NOT_EXIST")
    check("not found" in str(e).lower() or "does not exist" in str(e).lower(), "message %s" % e)
    expect_error(lambda: c.log_metric("0" * 32, "m", 1.0), "RESOURCE_DOES_NOT_EXIST")
    exp_id = mlflow.set_experiment("compat-err-" + SUFFIX).experiment_id
    rid = c.create_run(exp_id).info.run_id
    c.log_param(rid, "p", "a")
    c.log_param(rid, "p", "a")  # same value again is fine
    # real MLflow: HTTP 400 {"error_code": "INVALID_PARAMETER_VALUE", ...}; client raises MlflowException
    expect_error(lambda: c.log_param(rid, "p", "b"), "INVALID_PARAMETER_VALUE")
    expect_error(lambda: c.log_batch(rid, params=[Param("p", "c")]), "INVALID_PARAMETER_VALUE")
    check(c.get_run(rid).data.params == {"p": "a"}, "param changed despite error")
    expect_error(lambda: c.get_experiment("999999999"), "RESOURCE_DOES_NOT_EXIST")
    expect_error(lambda: c.get_registered_model("absent-" + SUFFIX), "RESOURCE_DOES_NOT_EXIST")
    expect_error(lambda: c.get_model_version_by_alias("absent-" + SUFFIX, "champion"), "RESOURCE_DOES_NOT_EXIST")
    c.create_registered_model("dup-" + SUFFIX)
    expect_error(lambda: c.create_registered_model("dup-" + SUFFIX), "RESOURCE_ALREADY_EXISTS")
    c.delete_registered_model("dup-" + SUFFIX)


SCENARIOS = [
    ("snippet_default_experiment", sc_snippet_default_experiment),  # must run before any set_experiment
    ("snippet", sc_snippet),
    ("registry", sc_registry),
    ("search_runs", sc_search_runs),
    ("metric_history", sc_metric_history),
    ("log_batch", sc_log_batch),
    ("experiments", sc_experiments),
    ("errors", sc_errors),
]


def main(argv):
    show_timings = "--timings" in argv
    wanted = [a for a in argv if not a.startswith("--")]
    uri = os.environ.get("MLFLOW_TRACKING_URI")
    if not uri:
        print("MLFLOW_TRACKING_URI is not set", file=sys.stderr)
        return 2
    os.environ.pop("MLFLOW_EXPERIMENT_NAME", None)
    os.environ.pop("MLFLOW_EXPERIMENT_ID", None)
    _install_timing_hook()
    results = []
    t_all = time.perf_counter()
    for name, fn in SCENARIOS:
        if wanted and name not in wanted:
            continue
        t0 = time.perf_counter()
        try:
            fn()
            status, reason = "PASS", ""
        except Exception as e:  # noqa: BLE001 - the runner reports every failure
            status = "FAIL"
            reason = "%s: %s" % (type(e).__name__, str(e).splitlines()[0][:300] if str(e) else "")
            if os.environ.get("COMPAT_VERBOSE"):
                traceback.print_exc()
        finally:
            if mlflow.active_run():
                mlflow.end_run()
        dt = time.perf_counter() - t0
        results.append({"scenario": name, "status": status, "seconds": round(dt, 2), "reason": reason})
        print("%s %s (%.1fs)%s" % (status, name, dt, (" - " + reason) if reason else ""), flush=True)
    if show_timings:
        for k, v in sorted(TIMINGS.items(), key=lambda kv: -sum(kv[1])):
            v = sorted(v)
            print("  %-75s n=%4d p50=%6.1fms max=%7.1fms" % (k, len(v), v[len(v) // 2], v[-1]))
    failed = [r for r in results if r["status"] == "FAIL"]
    summary = {"tracking_uri": uri, "mlflow_client": mlflow.__version__, "suffix": SUFFIX,
               "passed": len(results) - len(failed), "failed": len(failed),
               "seconds": round(time.perf_counter() - t_all, 2), "http_calls": sum(len(v) for v in TIMINGS.values()),
               "results": results}
    print(json.dumps(summary))
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
