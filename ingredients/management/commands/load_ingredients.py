from django.core.management.base import BaseCommand

from ingredients import knowledge


class Command(BaseCommand):
    help = "Load the bundled ingredient knowledge base (idempotent; staff edits are kept unless --force)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Overwrite rows edited by staff too.")

    def handle(self, *args, **options):
        result = knowledge.load(force=options["force"])
        self.stdout.write(
            f"Ingredients: {result['total']} in the data files, {result['created']} created, "
            f"{result['updated']} updated, {result['skipped_staff_edits']} staff edits kept."
        )
