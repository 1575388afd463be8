from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ingredients import csvio


class Command(BaseCommand):
    help = "Import ingredients from a CSV in the export format (rows are created or updated by inci_name)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            result = csvio.import_rows(Path(path).read_text(encoding="utf-8"))
        except (OSError, csvio.CsvImportError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Imported: {result['created']} created, {result['updated']} updated.")
