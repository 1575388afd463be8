"""The static files' storage. (Media files: privacy.storage, encrypted at rest, served by privacy.views.)"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Static files under content-hashed names (app.bea6533e56e7.css), compressed: whitenoise serves a hashed name
    with `Cache-Control: max-age=315360000, public, immutable`, and a new deploy changes the names. A file missing
    from the manifest (collectstatic not run yet) falls back to its plain name instead of failing the page."""

    manifest_strict = False
