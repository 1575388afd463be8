"""Encryption at rest and the retention sweep, measured (standalone: `python bench/privacy_bench.py`).

In its own PostgreSQL database (`skincare_bench_privacy`, made and dropped; DATABASE_URL's server, else
127.0.0.1:5432) and a temporary media folder, on a realistic stored selfie (a real photo, JPEG at the 1920 px
the upload keeps, ~0.5 MB) and overlay (PNG, 768 px):

1. AES-256-GCM alone: encrypt / decrypt per image, MB/s.
2. The storage: save and read through privacy.storage.EncryptedStorage (encrypt + file key wrapped + one row;
   one indexed query + two unwraps + decrypt) against the plain FileSystemStorage it wraps, same bytes, same run.
3. The serving path: privacy.media.media_read (viewer check + access record + read + decrypt) against a plain
   read; and the data key unwrap alone (what a per-request key cache could save).
4. The retention sweep: N expired photos deleted (keys destroyed, rows updated, files deleted after commit) in
   batches of 200, photos per second, against the baseline of deleting the same number of plaintext files.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def timed(fn, repeat: int) -> float:
    """Median seconds of `repeat` calls."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def images() -> tuple[bytes, bytes]:
    from PIL import Image
    from skimage import data

    photo = Image.fromarray(data.astronaut()).resize((1920, 1920), Image.Resampling.LANCZOS)
    jpeg, png = io.BytesIO(), io.BytesIO()
    photo.save(jpeg, format="JPEG", quality=92, optimize=True)
    photo.resize((768, 768)).save(png, format="PNG")
    return jpeg.getvalue(), png.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--sweep", type=int, default=2000, help="expired photos for the sweep")
    args = parser.parse_args()

    import admin_bench

    admin_bench.BENCH_DB = "skincare_bench_privacy"
    url = admin_bench.bench_database(create=True)
    if url is None:
        return 0
    media_root = tempfile.mkdtemp(prefix="skincare-bench-media-")
    os.environ["MEDIA_ROOT"] = media_root
    os.environ.setdefault("MEDIA_MASTER_KEY", "YmVuY2gtbWVkaWEtbWFzdGVyLWtleS0zMi1ieXRlcyE=")
    try:
        admin_bench.setup_django(url)
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        admin_bench.bench_database(create=False)
        shutil.rmtree(media_root, ignore_errors=True)
    return 0


def run(args) -> None:
    import datetime
    import uuid

    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage
    from django.utils import timezone

    from accounts.models import User
    from analysis.models import SkinAnalysis
    from privacy import crypto, keys, retention, services
    from privacy.media import Viewer, media_read
    from privacy.models import DataKey, StoredMedia
    from privacy.storage import media_storage, owned_name

    jpeg, png = images()
    print(f"stored selfie: JPEG 1920 px, {len(jpeg) / 1e6:.2f} MB; overlay: PNG 768 px, {len(png) / 1e6:.2f} MB")

    # 1. the cipher alone, on 16 copies in turn (not one buffer that stays in the CPU cache). Measured here in a
    #    process that has loaded Django, Pillow and NumPy, as the web and worker processes have: in a bare Python
    #    process the same call can take ~10x longer, the time going to mapping fresh pages for each output buffer.
    key, media_id = crypto.new_key(), uuid.uuid4()
    for label, blob in (("selfie", jpeg), ("overlay", png)):
        copies = [bytes(bytearray(blob)) for _ in range(16)]
        sealed = [crypto.encrypt(key, media_id, c) for c in copies]
        turn = iter(range(10**9))
        enc = timed(lambda c=copies, t=turn: crypto.encrypt(key, media_id, c[next(t) % 16]), args.repeat)
        dec = timed(lambda s=sealed, t=turn: crypto.decrypt(key, s[next(t) % 16]), args.repeat)
        mb = len(blob) / 1e6
        print(
            f"AES-256-GCM {label}: encrypt {enc * 1e3:.2f} ms ({mb / enc:.0f} MB/s), "
            f"decrypt {dec * 1e3:.2f} ms ({mb / dec:.0f} MB/s), +{len(sealed[0]) - len(blob)} bytes"
        )

    # 2. the storage, against the plain backend it wraps
    user = User.objects.create_user(email="bench@example.com", password="x")  # noqa: S106
    storage = media_storage()
    plain = FileSystemStorage(location=os.path.join(os.environ["MEDIA_ROOT"], "plain"))
    names: list[str] = []
    plain_names: list[str] = []
    save_enc = timed(lambda: names.append(storage.save(owned_name(user, "analyses"), ContentFile(jpeg))), args.repeat)
    save_plain = timed(lambda: plain_names.append(plain.save("analyses/p.jpg", ContentFile(jpeg))), args.repeat)
    read_enc = timed(lambda: storage.read(names[0]), args.repeat)

    def read_plain():
        with plain.open(plain_names[0], "rb") as fh:
            fh.read()

    read_plain_s = timed(read_plain, args.repeat)
    print(
        f"save selfie: encrypted {save_enc * 1e3:.2f} ms vs plain {save_plain * 1e3:.2f} ms "
        f"(x{save_enc / save_plain:.2f}); read: encrypted {read_enc * 1e3:.2f} ms vs plain "
        f"{read_plain_s * 1e3:.2f} ms (x{read_enc / read_plain_s:.2f})"
    )

    # 3. serving: check + record + decrypt, and the key unwrap a cache would save
    serve = timed(lambda: media_read(names[0], viewer=Viewer.owner(user)), args.repeat)
    row = DataKey.objects.get(user=user)
    unwrap = timed(lambda: keys.open_data_key(row), args.repeat * 10)
    lookup = timed(lambda: StoredMedia.objects.select_related("data_key").get(name=names[0]), args.repeat)
    print(
        f"serve one selfie (viewer check + access record + decrypt): {serve * 1e3:.2f} ms vs plain read "
        f"{read_plain_s * 1e3:.2f} ms (x{serve / read_plain_s:.2f}); data key unwrap {unwrap * 1e6:.1f} us, "
        f"key row lookup {lookup * 1e3:.2f} ms"
    )

    # 4. the retention sweep
    n = args.sweep
    people = [User.objects.create_user(email=f"p{i}@example.com", password="x") for i in range(20)]  # noqa: S106
    for p in people:
        services.retention_set(user=p, policy="days", days=30)
    small = jpeg[:20_000]  # the file size matters little to its deletion
    rows = []
    for i in range(n):
        owner = people[i % len(people)]
        name = storage.save(owned_name(owner, "analyses"), ContentFile(small))
        rows.append(SkinAnalysis(user=owner, status="done", image=name, overall_score=60, concerns=[]))
    SkinAnalysis.objects.bulk_create(rows, batch_size=500)
    old = timezone.now() - datetime.timedelta(days=31)
    SkinAnalysis.objects.filter(user__in=people).update(created_at=old, completed_at=old)
    baseline_files = [plain.save("sweep/p.jpg", ContentFile(small)) for _ in range(n)]

    started = time.perf_counter()
    for name in baseline_files:
        plain.delete(name)
    baseline = time.perf_counter() - started

    started = time.perf_counter()
    total = {"deleted": 0, "batches": 0}
    while True:
        result = retention.sweep(batch_size=200, max_batches=10)
        total["deleted"] += result["deleted"]
        total["batches"] += result["batches"]
        if not result["more"]:
            break
    swept = time.perf_counter() - started
    left = SkinAnalysis.objects.filter(user__in=people, photo_deleted_at__isnull=True).count()
    again = retention.sweep()["deleted"]
    print(
        f"retention sweep: {total['deleted']} photos in {total['batches']} batches of 200, {swept:.2f} s = "
        f"{total['deleted'] / swept:.0f} photos/s (keys destroyed, rows kept, files deleted) vs deleting "
        f"{n} plain files {baseline:.2f} s = {n / baseline:.0f} files/s (x{swept / baseline:.1f}); "
        f"left {left}, a second sweep deleted {again}"
    )


if __name__ == "__main__":
    sys.exit(main())
