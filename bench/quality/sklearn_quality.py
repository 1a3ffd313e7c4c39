"""scikit-learn's models on the CSVs bench/quality writes, with the preprocessing ours does.

Usage: python3 bench/quality/sklearn_quality.py DATASET TRAIN.csv TEST.csv TREES DEPTH SEEDS L2
dated_sales: the date becomes year, month, day, weekday and days since 1970; store one-hot.
imbalanced: five numbers; forests unweighted and with class_weight="balanced", one per seed of
SEEDS (comma-separated random_state values); logistic regressions on standardized features with
C = 1 / (L2 * training rows), the fit our l2 penalty makes.
Prints one JSON object of variant -> scores (the first seed's), plus "by_seed" (variant -> scores
per seed) when there are several seeds.
"""

import csv
import datetime
import json
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score, mean_absolute_error, r2_score, recall_score, roc_auc_score
from sklearn.preprocessing import StandardScaler


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


def dated_sales(train, test, trees, depth, seeds, l2):
    stores = sorted({r["store"] for r in train})
    x, y = sales_matrix(train, stores)
    tx, ty = sales_matrix(test, stores)
    model = RandomForestRegressor(n_estimators=trees, max_depth=depth, max_features=1.0, n_jobs=1, random_state=seeds[0])
    start = time.perf_counter()
    model.fit(x, y)
    seconds = time.perf_counter() - start
    p = model.predict(tx)
    return {"date parts, store one-hot": {"r2": rounded(r2_score(ty, p)), "mae": rounded(mean_absolute_error(ty, p)), "seconds": round(seconds, 2)}}


def class_scores(model, tx, ty, labels):
    p = model.predict(tx)
    recalls = recall_score(ty, p, labels=labels, average=None, zero_division=0)
    scores = {
        "accuracy": rounded(accuracy_score(ty, p)),
        "f1_macro": rounded(f1_score(ty, p, average="macro", zero_division=0)),
        "balanced_accuracy": rounded(balanced_accuracy_score(ty, p)),
        "roc_auc_ovr": rounded(roc_auc_score(ty, model.predict_proba(tx), multi_class="ovr", labels=model.classes_)),
    }
    scores.update({f"recall_{label}": rounded(r) for label, r in zip(labels, recalls)})
    return scores


def timed_fit(model, x, y):
    start = time.perf_counter()
    model.fit(x, y)
    return round(time.perf_counter() - start, 2)


def imbalanced(train, test, trees, depth, seeds, l2):
    features = [f"x{j}" for j in range(5)]
    x = np.array([[float(r[f]) for f in features] for r in train])
    y = np.array([r["label"] for r in train])
    tx = np.array([[float(r[f]) for f in features] for r in test])
    ty = np.array([r["label"] for r in test])
    labels = sorted(set(y))
    out, by_seed = {}, {}
    for name, weight in (("unweighted", None), ("class_weight balanced", "balanced")):
        by_seed[name] = []
        for seed in seeds:
            model = RandomForestClassifier(n_estimators=trees, max_depth=depth, max_features="sqrt", class_weight=weight, n_jobs=1, random_state=seed)
            seconds = timed_fit(model, x, y)
            by_seed[name].append({**class_scores(model, tx, ty, labels), "seconds": seconds})
        out[name] = by_seed[name][0]
    scaler = StandardScaler().fit(x)
    for name, weight in (("logistic regression", None), ("logistic regression, class_weight balanced", "balanced")):
        model = LogisticRegression(C=1 / (l2 * len(y)), class_weight=weight, max_iter=10_000)
        seconds = timed_fit(model, scaler.transform(x), y)
        out[name] = {**class_scores(model, scaler.transform(tx), ty, labels), "seconds": seconds}
    if len(seeds) > 1:
        out["by_seed"] = by_seed
    return out


def main():
    name, train_path, test_path, trees, depth = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    seeds, l2 = [int(s) for s in sys.argv[6].split(",")], float(sys.argv[7])
    train, test = read(train_path), read(test_path)
    runner = {"dated_sales": dated_sales, "imbalanced": imbalanced}[name]
    print(json.dumps(runner(train, test, trees, depth, seeds, l2)))


if __name__ == "__main__":
    main()
