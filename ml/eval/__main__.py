"""``python -m ml.eval`` (``make eval``): fetch the photos, run the engine, write the report.

    python -m ml.eval [--only TEXT ...] [--quick] [--label after] [--baseline ml/eval/results/before.json]
    python -m ml.eval --engine-rev a0ba231 --label before    # the same harness on an older engine

Writes ``ml/eval/results/<label>.json`` and, unless ``--no-markdown``, ``ml/EVALUATION.md`` (the run
beside the baseline). ``--only`` keeps the faces whose key contains one of the texts (iterating on a
subset); ``--quick`` skips the repeatability copies. ``--engine-rev REV`` runs this harness on the
engine of a git revision (``git archive REV ml`` into var/eval/engine-REV, this ml/eval copied beside it,
run in a subprocess on the same cached photos), so a before/after table compares engines, not harnesses.
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
NOTES = HERE / "NOTES.md"  # hand-written: where targets are missed and why (kept with the numbers it cites)


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


def _write_markdown(rep: dict, meta: dict, args: argparse.Namespace) -> None:
    base_path = Path(args.baseline)
    out = RESULTS / f"{args.label}.json"
    baseline = None
    if base_path.is_file() and base_path.resolve() != out.resolve():
        baseline = json.loads(base_path.read_text(encoding="utf-8"))
    limits = LIMITS.read_text(encoding="utf-8") if LIMITS.is_file() else ""
    notes = NOTES.read_text(encoding="utf-8") if NOTES.is_file() else ""
    MARKDOWN.write_text(report.render(rep, baseline, meta, limits, notes), encoding="utf-8")
    print(f"wrote {MARKDOWN}")


def _on_revision(args: argparse.Namespace, argv: list[str]) -> int:
    import os
    import shutil
    import tarfile

    root = HERE.parents[1]
    work = Path(args.cache) / f"engine-{args.engine_rev}"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    archive = work / "engine.tar"
    subprocess.run(["git", "archive", "-o", str(archive), args.engine_rev, "ml"], cwd=root, check=True)
    with tarfile.open(archive) as tf:
        tf.extractall(work, filter="data")
    shutil.rmtree(work / "ml" / "eval", ignore_errors=True)
    shutil.copytree(HERE, work / "ml" / "eval", ignore=shutil.ignore_patterns("__pycache__", "results"))
    rest = [a for i, a in enumerate(argv) if a != "--engine-rev" and (i == 0 or argv[i - 1] != "--engine-rev")]
    env = dict(os.environ, PYTHONPATH=str(work), ML_EVAL_CACHE=str(Path(args.cache)))
    rc = subprocess.call([sys.executable, "-m", "ml.eval", *rest, "--no-markdown"], cwd=work, env=env)
    produced = work / "ml" / "eval" / "results" / f"{args.label}.json"
    if rc == 0 and produced.is_file():
        RESULTS.mkdir(parents=True, exist_ok=True)
        data = json.loads(produced.read_text(encoding="utf-8"))
        data["meta"]["engine"] = args.engine_rev
        (RESULTS / f"{args.label}.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {RESULTS / f'{args.label}.json'} (engine {args.engine_rev})")
    return rc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", action="append", default=[], help="keep faces whose key contains this text")
    ap.add_argument("--quick", action="store_true", help="skip the repeatability copies")
    ap.add_argument("--no-synthetic", action="store_true")
    ap.add_argument("--label", default="after")
    ap.add_argument("--baseline", default=str(RESULTS / "before.json"))
    ap.add_argument("--cache", default=str(DEFAULT_CACHE))
    ap.add_argument("--no-markdown", action="store_true")
    ap.add_argument("--engine-rev", help="run on the engine of this git revision (writes only the JSON)")
    ap.add_argument("--render", action="store_true", help="only rewrite ml/EVALUATION.md from results/<label>.json")
    args = ap.parse_args(argv)
    if args.engine_rev:
        return _on_revision(args, argv if argv is not None else sys.argv[1:])

    if args.render:
        rep = json.loads((RESULTS / f"{args.label}.json").read_text(encoding="utf-8"))
        _write_markdown(rep, rep.get("meta", {}), args)
        return 0
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
        _write_markdown(rep, meta, args)
    for row in report.target_rows(rep):
        print(f"{row[0]:<32} {row[2]:<70} {row[3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
