from pathlib import Path

from django.core.management.base import BaseCommand

from ingredients import csvio


class Command(BaseCommand):
    help = "Export the ingredient knowledge base as CSV (to a file, or stdout with '-')."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default="-")

    def handle(self, *args, path, **options):
        text = csvio.export_rows()
        if path == "-":
            self.stdout.write(text, ending="")
        else:
            Path(path).write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote the knowledge base to {path}")
