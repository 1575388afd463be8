"""`make bench`: run every benchmark script in bench/ in turn and print what each measures.

Each script measures its own baseline in the same run and prints ratios against it. Scripts:
  admin_bench.py            admin changelists on 300k analyses / 600k notifications (PostgreSQL): before vs after
  analysis_bench.py         full skin analysis vs decode+landmarks; timm throughput (CPU, GPU if any)
  ingredients_bench.py      full label scan vs raw tesseract; parse+assess lists per second
  privacy_bench.py          encryption/decryption per image vs plain storage; serving; retention sweep photos/s
  recommendations_bench.py  NDCG@10 hybrid vs popularity; latency at 10k products / 50k users
"""

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    only = set(argv)
    scripts = sorted(p for p in HERE.glob("*_bench.py") if not only or p.stem in only or p.name in only)
    env = dict(os.environ, HF_HUB_OFFLINE="1", PYTHONUNBUFFERED="1")
    env.setdefault("PYTHONPATH", str(HERE.parent))
    failed = []
    for script in scripts:
        print(f"\n=== {script.name} " + "=" * max(0, 60 - len(script.name)), flush=True)
        start = time.perf_counter()
        rc = subprocess.call([sys.executable, str(script)], cwd=HERE.parent, env=env)
        print(f"--- {script.name}: exit {rc}, {time.perf_counter() - start:.1f} s wall", flush=True)
        if rc:
            failed.append(script.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
