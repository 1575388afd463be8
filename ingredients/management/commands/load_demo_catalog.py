from django.core.management.base import BaseCommand

from ingredients import demo


class Command(BaseCommand):
    help = "Load the demo product catalog (fictional brands, marked is_demo). Idempotent."

    def handle(self, *args, **options):
        result = demo.load_demo_catalog()
        self.stdout.write(
            f"Demo catalog: {result['created']} created, {result['updated']} updated, {result['total']} in all."
        )
