"""Time ``ml.vision.analyze_bytes`` on the benchmark images; print one JSON line (used by analysis_bench.py).

Run with ``PYTHONPATH`` pointing at the engine to time (the working tree, or an older revision extracted
with ``git archive``), so two engine versions are timed in one benchmark run on the same images.

    python bench/engine_timing.py IMAGES_DIR REPEATS
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path


def main() -> None:
    folder, repeats = Path(sys.argv[1]), int(sys.argv[2])
    from ml.types import QualityError
    from ml.vision import analyze_bytes

    files = sorted(folder.glob("*.jpg"))
    analyze_bytes(files[0].read_bytes())  # warm up: FaceMesh graph, Haar cascade
    out = {}
    for f in files:
        blob = f.read_bytes()
        walls, cpus = [], []
        for _ in range(repeats):
            w0, c0 = time.perf_counter(), time.process_time()
            try:
                analyze_bytes(blob)
            except QualityError:
                pass
            walls.append(time.perf_counter() - w0)
            cpus.append(time.process_time() - c0)
        out[f.stem] = {"wall_ms": statistics.median(walls) * 1000, "cpu_ms": statistics.median(cpus) * 1000}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
