from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ingredients import obf


class Command(BaseCommand):
    help = "Import skin-care products from an Open Beauty Facts export (JSONL or CSV/TSV)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--format", choices=["jsonl", "csv"], help="Default: from the file extension.")
        parser.add_argument("--limit", type=int, default=None, help="Read at most this many rows.")

    def handle(self, *args, path, format=None, limit=None, **options):  # noqa: A002
        p = Path(path)
        if not p.is_file():
            raise CommandError(f"{path} is not a file.")
        fmt = format or ("jsonl" if p.suffix in {".jsonl", ".json", ".ndjson"} else "csv")
        with p.open(encoding="utf-8", errors="replace") as stream:
            rows = obf.read_jsonl(stream) if fmt == "jsonl" else obf.read_csv(stream)
            counts = obf.import_rows(rows, limit=limit)
        for key, value in sorted(counts.items()):
            self.stdout.write(f"{key}: {value}")
