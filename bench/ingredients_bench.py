"""Ingredient scanner benchmark (standalone: `python bench/ingredients_bench.py`, or `make bench`).

1. A full label scan (decode → preprocess → tesseract → parse → match → assess) against raw tesseract
   (`--psm 6` on the same image, no preprocessing) in the same run: median times and their ratio, for a
   clean label and a photo-like one (rotated 3°, noisy, JPEG).
2. Parse + match + assess throughput in lists per second, over the 154 demo-catalog ingredient lists.

No database: the knowledge base is built from the bundled data files into the same in-memory index the app
uses; the one query that fetches the matched rows' facts in production is replaced by a dict lookup.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skincare.settings")
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)

import django  # noqa: E402

django.setup()

import pytesseract  # noqa: E402
from PIL import Image  # noqa: E402

from ingredients import inci, knowledge, ocr  # noqa: E402
from ingredients.assessment import ProfileFacts, assess_rows  # noqa: E402
from ingredients.matching import Index  # noqa: E402
from ingredients.services import match_names  # noqa: E402
from ingredients.tests.labels import LABEL_NAMES, render_label  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))


def build_kb():
    records = knowledge.build_records()
    facts = {}
    rows = []
    for rec in records:
        fact = {k: rec.get(k) for k in ("inci_name", "synonyms", *knowledge.RECORD_FIELDS)}
        fact["id"] = rec["inci_name"]
        facts[rec["inci_name"]] = fact
        rows.append((rec["inci_name"], rec["inci_name"], rec["synonyms"]))
    return Index(rows), facts


def analyse(text: str, index: Index, facts: dict, profile: ProfileFacts | None) -> dict:
    rows = match_names(inci.parse(text).items, index)
    return assess_rows(rows, {r.ingredient_id: facts[r.ingredient_id] for r in rows if r.ingredient_id}, profile, index)


def median_time(fn, repeat: int = REPEAT) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main() -> int:
    ocr._use_tesseract_environ()  # raw and full runs both give tesseract OMP_THREAD_LIMIT=1, as the app does
    t0 = time.perf_counter()
    index, facts = build_kb()
    print(f"knowledge base: {len(facts)} ingredients, index built in {time.perf_counter() - t0:.2f} s")
    print(f"tesseract {pytesseract.get_tesseract_version()}, OMP_THREAD_LIMIT=1 in tesseract's environment")
    profile = ProfileFacts(skin_type="oily", concerns=["acne"], allergies=["fragrance"], pregnant=True)

    print(f"\n1. full scan vs raw tesseract (median of {REPEAT})")
    cases = (
        ("clean", {}),
        ("photo-like", {"rotate": 3.0, "noise": 20.0, "jpeg_quality": 50}),
        ("small print", {"size": 11}),
        ("uneven light", {"shade": True, "shear": 0.04, "jpeg_quality": 60, "size": 26}),
    )
    for label, kwargs in cases:
        image = render_label(LABEL_NAMES, **kwargs)
        pil = Image.open(io.BytesIO(image))
        raw_t, raw_text = median_time(lambda pil=pil: pytesseract.image_to_string(pil, lang="eng", config="--psm 6"))

        def full(image=image):
            text = ocr.read_label(image)
            return analyse(text, index, facts, profile)

        full_t, result = median_time(full)
        matched = {i["ingredient"]["inci_name"] for i in result["ingredients"] if i["ingredient"]}
        raw_matched = {
            i["ingredient"]["inci_name"]
            for i in analyse(raw_text, index, facts, None)["ingredients"]
            if i["ingredient"]
        }
        w, h = pil.size
        print(
            f"  {label:12s} {w}x{h}: raw tesseract {raw_t * 1000:7.0f} ms, full scan {full_t * 1000:7.0f} ms, "
            f"ratio {full_t / raw_t:4.2f}x; names matched: full {len(matched & set(LABEL_NAMES))}/{len(LABEL_NAMES)}"
            f", raw text {len(raw_matched & set(LABEL_NAMES))}/{len(LABEL_NAMES)}"
        )

    print("\n2. parse + match + assess throughput")
    texts = [p["ingredients_text"] for p in json.loads((knowledge.DATA_DIR / "demo_products.json").read_text())]
    texts = [f"Ingredients: {t}." for t in texts]
    lengths = [len(t.split(",")) for t in texts]
    for name, prof in (("no profile", None), ("with profile", profile)):
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < 3.0:
            for t in texts:
                analyse(t, index, facts, prof)
            n += len(texts)
        elapsed = time.perf_counter() - start
        print(
            f"  {name:12s}: {n / elapsed:7.0f} lists/s ({n} lists of {statistics.mean(lengths):.1f} ingredients "
            f"on average, {elapsed:.1f} s, 1 core)"
        )
    typo = "Ingredients: Aqua, Glycerln, Nlacinamide, Sodlum Hyaluronat, Tocopheryl Acetale, Phenoxyethano1."
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < 2.0:
        analyse(typo, index, facts, None)
        n += 1
    print(f"  OCR-damaged list (fuzzy path): {n / (time.perf_counter() - start):7.0f} lists/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
