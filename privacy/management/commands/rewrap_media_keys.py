"""Re-wrap every person's data key under the current master key (after a master key rotation).

    MEDIA_MASTER_KEY=<new> MEDIA_MASTER_KEYS_PREVIOUS=<old> manage.py rewrap_media_keys

Idempotent and resumable (bounded batches, one row per person, no file rewritten). `--check` only counts.
"""

from django.core.management.base import BaseCommand, CommandError

from privacy import keys
from privacy.models import DataKey


class Command(BaseCommand):
    help = "Re-wrap data keys under the current MEDIA_MASTER_KEY (after a rotation); --check only counts."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Count the keys still under an older master key")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, check=False, batch_size=500, **options):
        current = keys.current_master_key_id()
        if check:
            old = DataKey.objects.exclude(master_key_id=current).count()
            self.stdout.write(f"current master key {current}: {old} data key(s) still wrapped by an older one")
            return
        result = keys.rewrap_data_keys(batch_size=batch_size)
        self.stdout.write(
            f"current master key {current}: re-wrapped {result['rewrapped']}, remaining {result['remaining']}, "
            f"unavailable {result['unavailable']}"
        )
        if result["unavailable"]:
            raise CommandError(
                f"{result['unavailable']} data key(s) are wrapped by a master key that is not configured: add it to "
                "MEDIA_MASTER_KEYS_PREVIOUS and run this again."
            )
