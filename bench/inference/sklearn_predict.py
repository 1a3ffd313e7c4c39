"""scikit-learn's forest on the same rows: fit on the sample, time predict_proba on the whole batch.

    python3 sklearn_predict.py DIR ROWS FEATURES TRAIN_ROWS TREES   (DIR holds x.f64 and y.i32, row-major)
"""
import json
import re
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier

directory, rows, features, train_rows, trees = sys.argv[1], *map(int, sys.argv[2:6])
x = np.fromfile(f"{directory}/x.f64", dtype=np.float64).reshape(rows, features)
y = np.fromfile(f"{directory}/y.i32", dtype=np.int32)
model = RandomForestClassifier(n_estimators=trees, random_state=0, n_jobs=1).fit(x[:train_rows], y[:train_rows])
started = time.perf_counter()
proba = model.predict_proba(x)
seconds = time.perf_counter() - started
accuracy = float((proba.argmax(axis=1) == y).mean())
# VmHWM, not getrusage's ru_maxrss, which Linux carries over from the parent across fork and exec.
with open("/proc/self/status") as status:
    peak = int(re.search(r"^VmHWM:\s+(\d+) kB$", status.read(), re.M).group(1)) * 1024
print(json.dumps({
    "rows": rows,
    "seconds": seconds,
    "rowsPerSecond": rows / seconds,
    "accuracy": accuracy,
    "peakRssBytes": peak,
}))
