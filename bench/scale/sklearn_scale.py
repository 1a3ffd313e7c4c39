"""Times scikit-learn's random forests on the CSV bench/scale/flights.ts writes.

Usage: python3 bench/scale/sklearn_scale.py DATA.csv TASK TREES DEPTH N_JOBS
TASK is regression (target delay, max_features=1.0) or classification (target late, max_features='sqrt'),
the defaults of our forests. Prints one JSON object with fitSeconds and the test score.
"""

import json
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.metrics import accuracy_score, r2_score


def main() -> None:
    path, task, trees, depth, n_jobs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    table = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
    x = table[:, 0:4]
    if task == "regression":
        y, train = table[:, 4], table[:, 6] == 1
        model = RandomForestRegressor(n_estimators=trees, max_depth=depth, max_features=1.0, n_jobs=n_jobs, random_state=0)
    else:
        y, train = table[:, 5].astype(np.int64), table[:, 7] == 1
        model = RandomForestClassifier(n_estimators=trees, max_depth=depth, max_features="sqrt", n_jobs=n_jobs, random_state=0)
    start = time.perf_counter()
    model.fit(x[train], y[train])
    fit_seconds = time.perf_counter() - start
    predicted = model.predict(x[~train])
    score = r2_score(y[~train], predicted) if task == "regression" else accuracy_score(y[~train], predicted)
    metric = "r2" if task == "regression" else "accuracy"
    print(json.dumps({"nJobs": n_jobs, "fitSeconds": round(fit_seconds, 2), metric: score, "trainRows": int(train.sum()), "sklearnVersion": sklearn.__version__}))


if __name__ == "__main__":
    main()
