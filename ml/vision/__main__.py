"""Analyse one photo from the command line (debugging aid).

    .venv/bin/python -m ml.vision photo.jpg [--overlay out.png] [--model checkpoint.pt]

Prints the result as JSON (landmarks and overlay bytes left out).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from ml.types import QualityError
from ml.vision import analyze_bytes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ml.vision", description=__doc__)
    ap.add_argument("photo")
    ap.add_argument("--overlay", help="write the overlay PNG here")
    ap.add_argument("--model", help="a trained checkpoint (imports torch)")
    args = ap.parse_args(argv)
    predictor = None
    if args.model:
        from ml.models import Predictor

        predictor = Predictor.load(args.model)
    try:
        result = analyze_bytes(Path(args.photo).read_bytes(), predictor=predictor)
    except QualityError as exc:
        print(
            json.dumps({"error": exc.code, "message": exc.message, "quality": dataclasses.asdict(exc.report)}, indent=2)
        )
        return 2
    except ValueError as exc:
        print(json.dumps({"error": "not_an_image", "message": str(exc)}))
        return 2
    if args.overlay:
        Path(args.overlay).write_bytes(result.overlay_png)
    data = dataclasses.asdict(result)
    data.pop("landmarks")
    data.pop("overlay_png")
    data.pop("overlay_face_png")
    print(json.dumps(data, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
