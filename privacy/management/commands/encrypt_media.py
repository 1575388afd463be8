"""Encrypt, in place, the images stored before encryption existed (run once after upgrading; idempotent).

Every app declares its people's files (`<app>/gdpr.py` `files(user)`); each one that is still plaintext is
encrypted under its owner's data key, keeping its name, so no row changes.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from accounts.selectors import gdpr_files
from privacy.storage import media_storage


class Command(BaseCommand):
    help = "Encrypt the images stored before encryption existed (in place, idempotent)."

    def handle(self, *args, **options):
        storage = media_storage()
        done = skipped = missing = 0
        for user in get_user_model().objects.order_by("pk").iterator(chunk_size=500):
            for _, name in gdpr_files(user=user):
                try:
                    if storage.encrypt_in_place(name, owner=user):
                        done += 1
                    else:
                        skipped += 1
                except FileNotFoundError:
                    missing += 1
        self.stdout.write(f"encrypted {done}, already encrypted {skipped}, missing {missing}")
