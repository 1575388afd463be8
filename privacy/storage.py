"""The media storage: every stored image is ciphertext at rest, on the local disk and in an S3 bucket alike.

`EncryptedStorage` wraps a real backend (FileSystemStorage, or django-storages' S3Storage) given in
STORAGES["default"]["OPTIONS"]["inner"]. On save it encrypts the bytes with a fresh file key (AES-256-GCM), wraps
that key with the owner's data key and records both in a `StoredMedia` row; on open it reverses that. The apps'
FileFields stay as they are: the owner comes from the file name, which `owned_name` makes
(`<folder>/<owner id hex>_<random hex><ext>`), so each model's `upload_to` names the owner and nothing else changes.

What it refuses, on purpose:
- a file without an owner in its name (nothing personal is ever stored in the clear);
- `url()`: a link to a photo is made for a viewer, who is recorded when it is served
  (`privacy.media.media_url(name, viewer=...)`); presigned bucket links would hand out ciphertext anyway;
- `path()`: there is no plaintext file on disk to point at.

Files written before encryption existed (no header) still read, as they are, until `manage.py encrypt_media`
has encrypted them in place.
"""

from __future__ import annotations

import logging
import re
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import transaction
from django.utils.deconstruct import deconstructible
from django.utils.module_loading import import_string

from . import crypto, keys
from .models import StoredMedia

logger = logging.getLogger(__name__)
_OWNER = re.compile(r"^(?P<owner>[0-9a-f]{32})_")
KINDS = {"analyses": "photo", "overlays": "overlay", "progress/aligned": "aligned", "scans": "label"}


class MediaOwnerMissing(ValueError):
    """A file was saved without an owner in its name: use privacy.storage.owned_name in `upload_to`."""


def owned_name(user, folder: str, ext: str = ".jpg") -> str:
    """A random storage name that carries its owner (the person whose data key encrypts it)."""
    if user is None or getattr(user, "pk", None) is None:
        raise MediaOwnerMissing("A stored image needs an owner.")
    owner = uuid.UUID(str(user.pk)).hex
    return f"{folder.strip('/')}/{owner}_{uuid.uuid4().hex}{(ext or '.bin').lower()}"


def owner_id_of(name: str) -> uuid.UUID | None:
    match = _OWNER.match(name.rsplit("/", 1)[-1])
    return uuid.UUID(match["owner"]) if match else None


def kind_of(name: str) -> str:
    folder = name.rsplit("/", 1)[0] if "/" in name else ""
    return KINDS.get(folder, folder.split("/")[0] or "file")[:20]


@deconstructible
class EncryptedStorage(Storage):
    def __init__(self, inner: dict | None = None):
        spec = inner or {"BACKEND": "django.core.files.storage.FileSystemStorage"}
        self.inner_spec = spec
        self.inner: Storage = import_string(spec["BACKEND"])(**spec.get("OPTIONS", {}))

    # --- writing ----------------------------------------------------------------------------------
    def _save(self, name: str, content) -> str:
        owner_id = owner_id_of(name)
        if owner_id is None:
            raise MediaOwnerMissing(f"{name!r} has no owner: name stored images with privacy.storage.owned_name.")
        if hasattr(content, "seek"):
            content.seek(0)
        plaintext = content.read()
        if isinstance(plaintext, str):
            plaintext = plaintext.encode()

        data_key = keys.data_key_for(user_id=owner_id)
        media_id = uuid.uuid4()
        file_key = crypto.new_key()
        saved = self.inner.save(name, ContentFile(crypto.encrypt(file_key, media_id, plaintext)))
        StoredMedia.objects.create(
            id=media_id,
            name=saved,
            data_key=data_key,
            wrapped_key=crypto.wrap(keys.open_data_key(data_key), file_key, context=crypto.file_key_context(media_id)),
            kind=kind_of(saved),
            size=len(plaintext),
        )
        return saved

    def encrypt_in_place(self, name: str, *, owner) -> bool:
        """Encrypt a file stored before encryption existed, under the same name (idempotent)."""
        with self.inner.open(name, "rb") as fh:
            blob = fh.read()
        if crypto.media_id_of(blob) is not None:
            return False
        data_key = keys.data_key_for(user_id=owner.pk)
        media_id = uuid.uuid4()
        file_key = crypto.new_key()
        wrapped = crypto.wrap(keys.open_data_key(data_key), file_key, context=crypto.file_key_context(media_id))
        with transaction.atomic():
            StoredMedia.objects.filter(name=name).delete()
            StoredMedia.objects.create(
                id=media_id, name=name, data_key=data_key, wrapped_key=wrapped, kind=kind_of(name), size=len(blob)
            )
            self.inner.delete(name)
            saved = self.inner.save(name, ContentFile(crypto.encrypt(file_key, media_id, blob)))
            if saved != name:  # pragma: no cover - the name was just freed
                raise RuntimeError(f"{name} was stored as {saved}")
        return True

    # --- reading ----------------------------------------------------------------------------------
    def _open(self, name: str, mode: str = "rb"):
        if any(flag in mode for flag in "wa+"):
            raise ValueError("Stored images are written with save(), never opened for writing.")
        return ContentFile(self.read(name), name=name)

    def read(self, name: str, *, row: StoredMedia | None = None) -> bytes:
        """The plaintext of a stored file. FileNotFoundError when it or its key is gone (shredded).
        `row`: its StoredMedia with the data key, when the caller has just read it (saves the query)."""
        with self.inner.open(name, "rb") as fh:
            blob = fh.read()
        return self.decrypt(name, blob, row=row)

    def decrypt(self, name: str, blob: bytes, *, row: StoredMedia | None = None) -> bytes:
        media_id = crypto.media_id_of(blob)
        if media_id is None:
            return blob  # written before encryption; `manage.py encrypt_media` encrypts it in place
        if row is None or row.pk != media_id:
            row = StoredMedia.objects.select_related("data_key").filter(pk=media_id).first()
        if row is None:
            raise FileNotFoundError(f"The key of {name} was destroyed: the file cannot be read any more.")
        if row.name != name:
            raise FileNotFoundError(f"{name} holds the ciphertext of another file.")
        try:
            file_key = crypto.unwrap(
                keys.open_data_key(row.data_key), row.wrapped_key, context=crypto.file_key_context(row.pk)
            )
            return crypto.decrypt(file_key, blob)
        except (keys.KeyUnavailable, crypto.DecryptionError) as exc:
            raise FileNotFoundError(f"{name} cannot be decrypted: {exc}") from exc

    def media(self, name: str) -> StoredMedia | None:
        return StoredMedia.objects.filter(name=name).first()

    # --- the rest delegates ------------------------------------------------------------------------
    def delete(self, name: str) -> None:
        """Crypto-shred (the file key row goes) and delete the bytes."""
        if not name:
            return
        StoredMedia.objects.filter(name=name).delete()
        self.inner.delete(name)

    def exists(self, name: str) -> bool:
        return self.inner.exists(name)

    def size(self, name: str) -> int:
        row = StoredMedia.objects.filter(name=name).only("size").first()
        return row.size if row is not None else self.inner.size(name)

    def listdir(self, path: str):
        return self.inner.listdir(path)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return self.inner.get_available_name(name, max_length=max_length)

    def get_modified_time(self, name: str):
        return self.inner.get_modified_time(name)

    def get_created_time(self, name: str):
        return self.inner.get_created_time(name)

    def url(self, name: str | None) -> str:
        raise NotImplementedError(
            "Links to stored images are made for a viewer: privacy.media.media_url(name, viewer=...)."
        )

    def path(self, name: str) -> str:
        raise NotImplementedError("Stored images are encrypted: there is no plaintext file to point at.")


def media_storage() -> EncryptedStorage:
    storage = storages["default"]
    if not isinstance(storage, EncryptedStorage):
        raise TypeError("STORAGES['default'] must be privacy.storage.EncryptedStorage")
    return storage


def media_shred(names) -> int:
    """Destroy the file keys of `names` now (inside the caller's transaction: the files are unreadable from its
    commit on, every copy of them included) and delete their bytes once it commits. Returns the keys destroyed."""
    names = [n for n in dict.fromkeys(names) if n]
    if not names:
        return 0
    destroyed, _ = StoredMedia.objects.filter(name__in=names).delete()
    storage = media_storage()

    def _delete_bytes():
        for name in names:
            try:
                storage.inner.delete(name)
            except Exception:  # noqa: BLE001 - the key is gone: a leftover file is unreadable ciphertext
                logger.warning("Could not delete the bytes of %s", name, exc_info=True)

    transaction.on_commit(_delete_bytes)
    return destroyed
