"""Times pandas on the benchmark CSV of bench/ingest.ts: read_csv plus the same checks as our
validation gate (not null on every column, a range on each numeric column, allowed categories).

Usage: python3 bench/pandas_ingest.py DATA.csv BOUND CATEGORY...
Prints one JSON object: {"parseSeconds", "validateSeconds", "cpuSeconds", "rows", "peakRssBytes", "pandasVersion"}.
"""

import json
import resource
import sys
import time

import pandas as pd


def main() -> None:
    path, bound, categories = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    cpu = time.process_time()
    start = time.perf_counter()
    frame = pd.read_csv(path)
    parsed = time.perf_counter()
    numeric = frame.drop(columns=["category"])
    passed = bool(
        frame.notna().all().all()
        and ((numeric >= -bound) & (numeric <= bound)).all().all()
        and frame["category"].isin(categories).all()
    )
    validated = time.perf_counter()
    cpu_seconds = time.process_time() - cpu
    if not passed:
        raise SystemExit("the benchmark data failed the pandas checks")
    print(
        json.dumps(
            {
                "parseSeconds": parsed - start,
                "validateSeconds": validated - parsed,
                "cpuSeconds": cpu_seconds,
                "rows": len(frame),
                # ru_maxrss is in KiB on Linux.
                "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                "pandasVersion": pd.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
