"""scikit-learn's forests on the CSVs bench/quality writes, with the preprocessing ours does.

Usage: python3 bench/quality/sklearn_quality.py DATASET TRAIN.csv TEST.csv TREES DEPTH
dated_sales: the date becomes year, month, day, weekday and days since 1970; store one-hot.
imbalanced: five numbers, unweighted and with class_weight="balanced".
Prints one JSON object of variant -> scores.
"""

import csv
import datetime
import json
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score, mean_absolute_error, r2_score, recall_score, roc_auc_score


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def sales_matrix(rows, stores):
    out = []
    for r in rows:
        d = datetime.date.fromisoformat(r["date"])
        days = (d - datetime.date(1970, 1, 1)).days
        onehot = [1.0 if r["store"] == s else 0.0 for s in stores]
        out.append([d.year, d.month, d.day, d.weekday(), days, float(r["promo"])] + onehot)
    return np.array(out), np.array([float(r["sales"]) for r in rows])


def rounded(v):
    return round(float(v), 4)


def dated_sales(train, test, trees, depth):
    stores = sorted({r["store"] for r in train})
    x, y = sales_matrix(train, stores)
    tx, ty = sales_matrix(test, stores)
    model = RandomForestRegressor(n_estimators=trees, max_depth=depth, max_features=1.0, n_jobs=1, random_state=0)
    start = time.perf_counter()
    model.fit(x, y)
    seconds = time.perf_counter() - start
    p = model.predict(tx)
    return {"date parts, store one-hot": {"r2": rounded(r2_score(ty, p)), "mae": rounded(mean_absolute_error(ty, p)), "seconds": round(seconds, 2)}}


def imbalanced(train, test, trees, depth):
    features = [f"x{j}" for j in range(5)]
    x = np.array([[float(r[f]) for f in features] for r in train])
    y = np.array([r["label"] for r in train])
    tx = np.array([[float(r[f]) for f in features] for r in test])
    ty = np.array([r["label"] for r in test])
    labels = sorted(set(y))
    out = {}
    for name, weight in (("unweighted", None), ("class_weight balanced", "balanced")):
        model = RandomForestClassifier(n_estimators=trees, max_depth=depth, max_features="sqrt", class_weight=weight, n_jobs=1, random_state=0)
        start = time.perf_counter()
        model.fit(x, y)
        seconds = time.perf_counter() - start
        p = model.predict(tx)
        recalls = recall_score(ty, p, labels=labels, average=None, zero_division=0)
        scores = {
            "accuracy": rounded(accuracy_score(ty, p)),
            "f1_macro": rounded(f1_score(ty, p, average="macro", zero_division=0)),
            "balanced_accuracy": rounded(balanced_accuracy_score(ty, p)),
            "roc_auc_ovr": rounded(roc_auc_score(ty, model.predict_proba(tx), multi_class="ovr", labels=model.classes_)),
        }
        scores.update({f"recall_{label}": rounded(r) for label, r in zip(labels, recalls)})
        scores["seconds"] = round(seconds, 2)
        out[name] = scores
    return out


def main():
    name, train_path, test_path, trees, depth = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    train, test = read(train_path), read(test_path)
    runner = {"dated_sales": dated_sales, "imbalanced": imbalanced}[name]
    print(json.dumps(runner(train, test, trees, depth)))


if __name__ == "__main__":
    main()
