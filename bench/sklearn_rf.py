"""Times scikit-learn's RandomForestClassifier on a CSV written by bench/randomForest.ts.

Usage: python3 bench/sklearn_rf.py DATA.csv TREES
The CSV has the feature columns, then `y` (class index), then `train` (1 = training row, 0 = test row).
Prints one JSON object: {"fitSeconds": ..., "accuracy": ..., "sklearnVersion": ...}.
"""

import json
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier


def main() -> None:
    path, trees = sys.argv[1], int(sys.argv[2])
    table = np.loadtxt(path, delimiter=",", skiprows=1)
    x, y, train = table[:, :-2], table[:, -2].astype(np.int64), table[:, -1] == 1
    model = RandomForestClassifier(n_estimators=trees, n_jobs=1, random_state=0)
    start = time.perf_counter()
    model.fit(x[train], y[train])
    fit_seconds = time.perf_counter() - start
    accuracy = float(np.mean(model.predict(x[~train]) == y[~train]))
    print(json.dumps({"fitSeconds": fit_seconds, "accuracy": accuracy, "sklearnVersion": sklearn.__version__}))


if __name__ == "__main__":
    main()
