"""The snippet from the README, unchanged, with only MLFLOW_TRACKING_URI set.

    MLFLOW_TRACKING_URI=http://mlstream:<key>@127.0.0.1:8080 python test/mlflow/snippet.py

Then it registers the logged model, promotes it, points @champion at it, loads
it back by alias and checks it predicts what the trained model predicts. The
last line is JSON (run id, logged model id, version) for the test that checks
the events, the ClickHouse rows and the lineage audit.
"""
import json
import sys

import mlflow
import numpy as np
from mlflow import MlflowClient
from sklearn.linear_model import LogisticRegression

X = np.array([[0.0, 1.0], [1.0, 0.0], [0.2, 0.9], [0.9, 0.1], [0.1, 0.8], [0.8, 0.3], [0.4, 0.6], [0.6, 0.4]])
y = np.array([0, 1, 0, 1, 0, 1, 0, 1])
data = (X, y)


def train_model(data, lr, epochs):
    features, labels = data
    return LogisticRegression(C=1.0 / lr, max_iter=epochs).fit(features, labels)


name = sys.argv[1] if len(sys.argv) > 1 else "snippet-model"

# --- the snippet, as users write it ---
with mlflow.start_run():
    mlflow.log_param("learning_rate", 0.01)
    mlflow.log_param("epochs", 100)
    model = train_model(data, lr=0.01, epochs=100)
    mlflow.log_metric("accuracy", 0.95)
    mlflow.log_metric("f1_score", 0.93)
    mlflow.sklearn.log_model(model, "model")
# --- end of the snippet ---

run = mlflow.last_active_run()
logged = mlflow.last_logged_model()
version = mlflow.register_model(f"runs:/{run.info.run_id}/model", name)
client = MlflowClient()
client.transition_model_version_stage(name, version.version, "Production", archive_existing_versions=True)
client.set_registered_model_alias(name, "champion", version.version)
loaded = mlflow.pyfunc.load_model(f"models:/{name}@champion")
same = bool(np.array_equal(np.asarray(loaded.predict(X)), model.predict(X)))
print(json.dumps({"run_id": run.info.run_id, "experiment_id": run.info.experiment_id, "model_id": logged.model_id, "model": name, "version": int(version.version), "same_predictions": same}))
sys.exit(0 if same else 1)
