"""Feast's get_historical_features on the same entity rows and feature events as mlstream.

Reads a JSON job on stdin:
  {"views": [{"name", "entity", "keyName", "keyType": "STRING"|"INT64", "ttlSeconds", "features": [{"name", "type"}]}],
   "events": [{"view", "entityKey", "occurredAt" (ms), "position", "numericValues", "categoricalValues"}],
   "rows": [{"entities": {keyName: key}, "timestamp" (ms)}],
   "features": ["view:feature", ...]}
builds a Feast repo (local provider, file offline store: one parquet per view) in a
temporary folder, and prints one JSON line: {"feast": version, "ms": retrieval time,
"applyMs": ..., "rows": [{"rowId", "values": {ref: value}}] in request order}; rows Feast drops are absent.

Alignment with mlstream (docs/features.md): event_timestamp = occurredAt; the
created_timestamp column = the record's log position, which is how Feast breaks ties
on event time (latest created wins), as mlstream does by Kafka offset; ttl 0 means
no TTL in both.
"""
import json
import math
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pandas as pd
import feast
from feast import Entity, FeatureStore, FeatureView, Field, FileSource, ValueType
from feast.types import Float64, Int64, String


def main() -> None:
    job = json.load(sys.stdin)
    repo = Path(tempfile.mkdtemp(prefix="mlstream-feast-"))
    (repo / "data").mkdir()
    (repo / "feature_store.yaml").write_text(
        "project: mlstream_compare\n"
        f"registry: {repo / 'data' / 'registry.db'}\n"
        "provider: local\n"
        "offline_store:\n  type: file\n"
        f"online_store:\n  type: sqlite\n  path: {repo / 'data' / 'online.db'}\n"
        "entity_key_serialization_version: 3\n"
    )
    entities = {}
    objects = []
    for v in job["views"]:
        key_type = v["keyType"]
        if v["entity"] not in entities:
            entities[v["entity"]] = Entity(name=v["entity"], join_keys=[v["keyName"]], value_type=ValueType.INT64 if key_type == "INT64" else ValueType.STRING)
            objects.append(entities[v["entity"]])
        events = [e for e in job["events"] if e["view"] == v["name"]]
        frame = {
            v["keyName"]: [int(e["entityKey"]) if key_type == "INT64" else e["entityKey"] for e in events],
            "event_timestamp": pd.to_datetime([e["occurredAt"] for e in events], unit="ms", utc=True),
            "created": pd.to_datetime([e["position"] for e in events], unit="s", utc=True),
        }
        for f in v["features"]:
            source = "numericValues" if f["type"] == "NUMERIC" else "categoricalValues"
            frame[f["name"]] = [e[source].get(f["name"]) for e in events]
        df = pd.DataFrame(frame)
        for f in v["features"]:
            df[f["name"]] = df[f["name"]].astype("float64" if f["type"] == "NUMERIC" else "object")
        if key_type == "INT64":
            df[v["keyName"]] = df[v["keyName"]].astype("int64")
        path = repo / "data" / f"{v['name']}.parquet"
        df.to_parquet(path)
        source = FileSource(name=f"{v['name']}_source", path=str(path), timestamp_field="event_timestamp", created_timestamp_column="created")
        schema = [Field(name=f["name"], dtype=Float64 if f["type"] == "NUMERIC" else String) for f in v["features"]]
        schema.append(Field(name=v["keyName"], dtype=Int64 if key_type == "INT64" else String))
        objects.append(FeatureView(name=v["name"], entities=[entities[v["entity"]]], ttl=timedelta(seconds=v["ttlSeconds"]), schema=schema, source=source, online=False))
    store = FeatureStore(repo_path=str(repo))
    started = time.perf_counter()
    store.apply(objects)
    apply_ms = (time.perf_counter() - started) * 1000

    key_types = {v["keyName"]: v["keyType"] for v in job["views"]}
    rows = job["rows"]
    entity_df = pd.DataFrame({"row_id": list(range(len(rows))), "event_timestamp": pd.to_datetime([r["timestamp"] for r in rows], unit="ms", utc=True)})
    for key, kind in key_types.items():
        entity_df[key] = [(int(r["entities"][key]) if kind == "INT64" else str(r["entities"][key])) for r in rows]
        if kind == "INT64":
            entity_df[key] = entity_df[key].astype("int64")
    started = time.perf_counter()
    result = store.get_historical_features(entity_df=entity_df, features=job["features"], full_feature_names=True).to_df()
    ms = (time.perf_counter() - started) * 1000
    result = result.sort_values("row_id")

    def clean(x):
        if x is None:
            return None
        if isinstance(x, float) and math.isnan(x):
            return None
        if hasattr(x, "item"):
            x = x.item()
            if isinstance(x, float) and math.isnan(x):
                return None
        return x

    out = []
    for _, r in result.iterrows():
        out.append({"rowId": int(r["row_id"]), "values": {ref: clean(r[ref.replace(":", "__")]) for ref in job["features"]}})
    print(json.dumps({"feast": feast.__version__, "ms": ms, "applyMs": apply_ms, "rows": out}))


if __name__ == "__main__":
    main()
