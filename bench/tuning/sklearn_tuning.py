"""Times scikit-learn's RandomizedSearchCV (or HalvingRandomSearchCV) on the CSV written by bench/tuning/index.ts.

Usage: python3 bench/tuning/sklearn_tuning.py DATA.csv N_ITER N_JOBS [random|halving] [FACTOR]
halving: HalvingRandomSearchCV with N_ITER candidates, the factor given (3 by default), resource
n_samples and min_resources "exhaust" (its defaults), as the pipeline's halving plans its rungs.
The CSV has the feature columns, then `y` (class index), then `fold`: the cross-validation fold of a
training row (the pipeline's own folds), -1 for a held-out test row (the pipeline's own split).
The space is the pipeline bench's: n_estimators 10..30, max_depth 3..10, min_samples_leaf 1..20,
max_features uniform in [0.2, 0.8]. Prints one JSON object.
"""

import json
import resource
import sys
import time

import numpy as np
import sklearn
from scipy.stats import randint, uniform
from sklearn.ensemble import RandomForestClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401 (registers HalvingRandomSearchCV)
from sklearn.model_selection import HalvingRandomSearchCV, PredefinedSplit, RandomizedSearchCV


def main() -> None:
    path, n_iter, n_jobs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    strategy = sys.argv[4] if len(sys.argv) > 4 else "random"
    factor = int(sys.argv[5]) if len(sys.argv) > 5 else 3
    start = time.perf_counter()
    table = np.loadtxt(path, delimiter=",", skiprows=1)
    load_seconds = time.perf_counter() - start
    x, y, fold = table[:, :-2], table[:, -2].astype(np.int64), table[:, -1].astype(np.int64)
    train = fold >= 0
    space = {
        "n_estimators": randint(10, 31),
        "max_depth": randint(3, 11),
        "min_samples_leaf": randint(1, 21),
        "max_features": uniform(0.2, 0.6),
    }
    estimator = RandomForestClassifier(random_state=1, n_jobs=1)
    cv = PredefinedSplit(fold[train])
    if strategy == "halving":
        search = HalvingRandomSearchCV(
            estimator,
            space,
            n_candidates=n_iter,
            factor=factor,
            resource="n_samples",
            min_resources="exhaust",
            scoring="accuracy",
            cv=cv,
            n_jobs=n_jobs,
            random_state=0,
            refit=True,
        )
    else:
        search = RandomizedSearchCV(estimator, space, n_iter=n_iter, scoring="accuracy", cv=cv, n_jobs=n_jobs, random_state=0, refit=True)
    start = time.perf_counter()
    search.fit(x[train], y[train])
    search_seconds = time.perf_counter() - start
    test_accuracy = float(np.mean(search.predict(x[~train]) == y[~train]))
    kib = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(
        json.dumps(
            {
                "strategy": strategy,
                "nJobs": n_jobs,
                "loadSeconds": round(load_seconds, 2),
                "searchAndRefitSeconds": round(search_seconds, 2),
                "refitSeconds": round(search.refit_time_, 2),
                "bestCvAccuracy": float(search.best_score_),
                "bestParams": {k: (float(v) if isinstance(v, float) else int(v)) for k, v in search.best_params_.items()},
                "testAccuracy": test_accuracy,
                "peakRssMiB": round(kib / 1024),
                **(
                    {"rungs": [{"candidates": int(c), "rows": int(r)} for c, r in zip(search.n_candidates_, search.n_resources_)]}
                    if strategy == "halving"
                    else {}
                ),
                "sklearnVersion": sklearn.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
