"""``python -m ml.eval`` (``make eval``): fetch the photos, run the engine, write the report.

    python -m ml.eval [--only TEXT ...] [--quick] [--label after] [--baseline ml/eval/results/before.json]

Writes ``ml/eval/results/<label>.json`` and, unless ``--no-markdown``, ``ml/EVALUATION.md`` (the run
beside the baseline). ``--only`` keeps the faces whose key contains one of the texts (iterating on a
subset); ``--quick`` skips the repeatability copies.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from ml.eval import harness, report
from ml.eval.faces import load_faces
from ml.eval.fetch import DEFAULT_CACHE

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
MARKDOWN = HERE.parent / "EVALUATION.md"
LIMITS = HERE / "LIMITS.md"


def _engine_id() -> str:
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False, cwd=HERE
        ).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "ml/vision"], capture_output=True, text=True,
                               check=False, cwd=HERE.parents[1]).stdout.strip()  # fmt: skip
        return f"{rev}{'+changes' if dirty else ''}" if rev else "unknown"
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", action="append", default=[], help="keep faces whose key contains this text")
    ap.add_argument("--quick", action="store_true", help="skip the repeatability copies")
    ap.add_argument("--no-synthetic", action="store_true")
    ap.add_argument("--label", default="after")
    ap.add_argument("--baseline", default=str(RESULTS / "before.json"))
    ap.add_argument("--cache", default=str(DEFAULT_CACHE))
    ap.add_argument("--no-markdown", action="store_true")
    args = ap.parse_args(argv)

    faces, errors = load_faces(Path(args.cache))
    for key, err in errors.items():
        print(f"could not fetch {key}: {err}", file=sys.stderr)
    if args.only:
        faces = [f for f in faces if any(t in f.key for t in args.only)]
    meta = {
        "engine": _engine_id(),
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python -m ml.eval " + " ".join(argv if argv is not None else sys.argv[1:]),
        "fetch_errors": json.dumps(errors),
    }
    rep = harness.evaluate(faces, repeatability=not args.quick, synthetic=not args.no_synthetic)
    rep["meta"] = meta
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{args.label}.json"
    out.write_text(json.dumps(rep, indent=1, sort_keys=False, default=str) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    if not args.no_markdown:
        base_path = Path(args.baseline)
        baseline = None
        if base_path.is_file() and base_path.resolve() != out.resolve():
            baseline = json.loads(base_path.read_text(encoding="utf-8"))
        limits = LIMITS.read_text(encoding="utf-8") if LIMITS.is_file() else ""
        MARKDOWN.write_text(report.render(rep, baseline, meta, limits), encoding="utf-8")
        print(f"wrote {MARKDOWN}")
    for row in report.target_rows(rep):
        print(f"{row[0]:<32} {row[2]:<70} {row[3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
