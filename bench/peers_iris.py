"""The Iris job of `npm run bench -- peers` in Prefect and Dagster, run on request in one warm process.

Usage: python peers_iris.py IRIS.csv OUT_DIR
Reads one system name a line on stdin (prefect, dagster, dagster-sqlite), runs the job once in it and
prints one JSON line: {"system": ..., "ms": wall time from trigger to done, "accuracy": ...}.
The steps match ours: ingest, validate, stratified 70/30 split, 100-tree forest, accuracy gate, model
file, report (a small HTML file).
"""

import json
import os
import pickle
import sys
import tempfile
import time
import uuid

import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
TARGET = "species"
CLASSES = {"setosa", "versicolor", "virginica"}
THRESHOLD = 0.9


def ingest(path: str) -> pd.DataFrame:
    return pd.read_csv(path)


def validate(frame: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in FEATURES + [TARGET] if c not in frame.columns]
    if missing or len(frame) < 100:
        raise ValueError(f"bad dataset: missing {missing}, {len(frame)} rows")
    if frame[FEATURES + [TARGET]].isnull().any().any():
        raise ValueError("null values")
    if not ((frame[FEATURES] > 0) & (frame[FEATURES] <= 20)).all().all():
        raise ValueError("a measurement out of range")
    if not set(frame[TARGET].unique()) <= CLASSES:
        raise ValueError("unknown species")
    return frame


def split(frame: pd.DataFrame) -> dict:
    x_train, x_test, y_train, y_test = train_test_split(
        frame[FEATURES], frame[TARGET], test_size=0.3, stratify=frame[TARGET], random_state=7
    )
    return {"x_train": x_train, "x_test": x_test, "y_train": y_train, "y_test": y_test}


def train(parts: dict) -> RandomForestClassifier:
    return RandomForestClassifier(n_estimators=100, random_state=1, n_jobs=1).fit(parts["x_train"], parts["y_train"])


def evaluate(model: RandomForestClassifier, parts: dict) -> float:
    return float((model.predict(parts["x_test"]) == parts["y_test"]).mean())


def gate_and_save(model: RandomForestClassifier, accuracy: float, out_dir: str) -> str:
    if accuracy < THRESHOLD:
        raise ValueError(f"accuracy {accuracy} below {THRESHOLD}")
    run_dir = os.path.join(out_dir, uuid.uuid4().hex)
    os.makedirs(run_dir)
    path = os.path.join(run_dir, "model.pkl")
    with open(path, "wb") as f:
        pickle.dump(model, f)
    return path


def report(model_path: str, accuracy: float) -> str:
    path = os.path.join(os.path.dirname(model_path), "report.html")
    with open(path, "w") as f:
        f.write(f"<html><body><h1>Iris</h1><p>accuracy {accuracy:.4f}</p><p>model {model_path}</p></body></html>")
    return path


def prefect_job(csv: str, out_dir: str):
    from prefect import flow, task

    t_ingest, t_validate, t_split, t_train, t_evaluate, t_save, t_report = (
        task(f) for f in (ingest, validate, split, train, evaluate, gate_and_save, report)
    )

    @flow(name="iris", persist_result=False)
    def iris() -> float:
        frame = t_validate(t_ingest(csv))
        parts = t_split(frame)
        model = t_train(parts)
        accuracy = t_evaluate(model, parts)
        t_report(t_save(model, accuracy, out_dir), accuracy)
        return accuracy

    return iris


def dagster_job(csv: str, out_dir: str):
    from dagster import In, Out, job, op

    @op
    def d_ingest():
        return ingest(csv)

    @op
    def d_validate(frame):
        return validate(frame)

    @op
    def d_split(frame):
        return split(frame)

    @op
    def d_train(parts):
        return train(parts)

    @op
    def d_evaluate(model, parts):
        return evaluate(model, parts)

    @op(ins={"model": In(), "accuracy": In()}, out=Out())
    def d_save(model, accuracy):
        return gate_and_save(model, accuracy, out_dir)

    @op
    def d_report(model_path, accuracy):
        return report(model_path, accuracy)

    @job
    def iris():
        parts = d_split(d_validate(d_ingest()))
        model = d_train(parts)
        accuracy = d_evaluate(model, parts)
        d_report(d_save(model, accuracy), accuracy)

    return iris


def main() -> None:
    csv, out_dir = sys.argv[1], sys.argv[2]
    prefect = prefect_job(csv, out_dir)
    dagster = dagster_job(csv, out_dir)
    from dagster import DagsterInstance

    instance_dir = tempfile.mkdtemp(prefix="dagster-home-", dir=out_dir)
    sqlite_instance = DagsterInstance.local_temp(tempdir=instance_dir)
    # Dagster logs every step event to stderr by default: only warnings, as Prefect is set to.
    quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    for line in sys.stdin:
        system = line.strip()
        start = time.perf_counter()
        if system == "prefect":
            accuracy = prefect()
        elif system == "dagster":
            result = dagster.execute_in_process(run_config=quiet)
            accuracy = result.output_for_node("d_evaluate")
        elif system == "dagster-sqlite":
            result = dagster.execute_in_process(run_config=quiet, instance=sqlite_instance)
            accuracy = result.output_for_node("d_evaluate")
        else:
            raise ValueError(f"unknown system {system!r}")
        ms = (time.perf_counter() - start) * 1000
        print(json.dumps({"system": system, "ms": ms, "accuracy": accuracy}), flush=True)


if __name__ == "__main__":
    main()
