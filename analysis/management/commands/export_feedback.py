"""Write users' corrections (skin type, age) in the training CSV format: <out>/labels.csv + <out>/images/.

    manage.py export_feedback /data/feedback-2026-11     then     manage.py train_model /data/feedback-2026-11

Columns: path,skin_type,age,condition (path relative to the folder; condition left empty). The latest
correction per analysis wins. Only analyses whose photo still exists are exported. The photos are decrypted
into the folder (keep it on an encrypted disk, delete it after training); each one is an access record the
person sees on their privacy page ("the server's operators, training-data export").
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management.base import BaseCommand

from analysis.models import Feedback
from privacy.media import MediaDenied, Viewer, media_read


class Command(BaseCommand):
    help = "Export feedback corrections as a labelled training folder (labels.csv + images/)."

    def add_arguments(self, parser):
        parser.add_argument("out_dir")

    def handle(self, *args, **opts):
        out = Path(opts["out_dir"])
        (out / "images").mkdir(parents=True, exist_ok=True)
        latest: dict = {}
        rows = (
            Feedback.objects.select_related("analysis")
            .exclude(corrected_skin_type="", corrected_age__isnull=True)
            .order_by("created_at")
        )
        for fb in rows:
            entry = latest.setdefault(fb.analysis_id, {"analysis": fb.analysis, "skin_type": "", "age": ""})
            if fb.corrected_skin_type:
                entry["skin_type"] = fb.corrected_skin_type
            if fb.corrected_age is not None:
                entry["age"] = str(fb.corrected_age)
        written = 0
        with open(out / "labels.csv", "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["path", "skin_type", "age", "condition"])
            for analysis_id, entry in latest.items():
                name = entry["analysis"].image.name
                if not name or not entry["analysis"].has_photo:
                    continue
                try:
                    data, _ = media_read(name, viewer=Viewer(kind="operator", ref="export_feedback"), via="export")
                except MediaDenied:
                    continue
                rel = f"images/{analysis_id}.jpg"
                (out / rel).write_bytes(data)
                writer.writerow([rel, entry["skin_type"], entry["age"], ""])
                written += 1
        self.stdout.write(self.style.SUCCESS(f"Wrote {written} labelled photo(s) to {out / 'labels.csv'}"))
