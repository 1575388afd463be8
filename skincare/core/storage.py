"""Local file storage whose URLs are signed and expire, like S3 presigned links, and the static files' storage.

Photos are personal data: nothing under MEDIA_ROOT is served without a valid signature.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.core.files.storage import FileSystemStorage
from django.urls import get_script_prefix, reverse
from whitenoise.storage import CompressedManifestStaticFilesStorage

_SALT = "skincare.media"


class SignedFileSystemStorage(FileSystemStorage):
    def url(self, name: str | None) -> str:
        if not name:
            return ""
        token = signing.dumps(name, salt=_SALT, compress=True)
        return _media_prefix(get_script_prefix()) + token


@lru_cache(maxsize=8)
def _media_prefix(script_prefix: str) -> str:
    """`reverse("core:media")` up to the token, once per script prefix: a list of 20 analyses signs 40 links, and
    resolving the route each time was a tenth of the history endpoint's time (tokens are URL-safe as they are)."""
    return reverse("core:media", kwargs={"token": "t"})[:-1]


def unsign_media_name(token: str) -> str | None:
    try:
        return signing.loads(token, salt=_SALT, max_age=settings.SIGNED_URL_MAX_AGE)
    except signing.BadSignature:
        return None


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Static files under content-hashed names (app.bea6533e56e7.css), compressed: whitenoise serves a hashed name
    with `Cache-Control: max-age=315360000, public, immutable`, and a new deploy changes the names. A file missing
    from the manifest (collectstatic not run yet) falls back to its plain name instead of failing the page."""

    manifest_strict = False
