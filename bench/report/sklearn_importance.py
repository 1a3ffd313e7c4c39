"""Times scikit-learn's permutation_importance on the rows bench/report/index.ts samples.

Usage: python3 bench/report/sklearn_importance.py DATA.csv TREES REPEATS
The CSV has the feature columns, then `y` (class index), then `part` (1 = training row, 0 = a row
of the held-out sample). Fits a RandomForestClassifier (n_jobs=1) on the training rows, then times
permutation_importance (accuracy, n_jobs=1) on the sample. Prints one JSON object.
"""

import json
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.inspection import permutation_importance


def main() -> None:
    path, trees, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    table = np.loadtxt(path, delimiter=",", skiprows=1)
    x, y, train = table[:, :-2], table[:, -2].astype(np.int64), table[:, -1] == 1
    model = RandomForestClassifier(n_estimators=trees, n_jobs=1, random_state=0).fit(x[train], y[train])
    start = time.perf_counter()
    result = permutation_importance(model, x[~train], y[~train], scoring="accuracy", n_repeats=repeats, random_state=0, n_jobs=1)
    seconds = time.perf_counter() - start
    top = [int(i) for i in np.argsort(-result.importances_mean)[:5]]
    print(json.dumps({"seconds": seconds, "rows": int((~train).sum()), "top5": [f"f{i}" for i in top], "sklearnVersion": sklearn.__version__}))


if __name__ == "__main__":
    main()
