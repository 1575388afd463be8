"""Envelope encryption of stored files, Django-free (AES-256-GCM from the `cryptography` package).

Three levels, each key wrapped by the one above it:

    master key (environment, MEDIA_MASTER_KEY)      never stored in the database or next to the files
      └─ data key, one per person (DataKey row)     wrapped by the master key
           └─ file key, one per stored file (StoredMedia row)   wrapped by the person's data key
                └─ the file's bytes (storage: local folder or S3 bucket)

A stored file is ``MAGIC | media id (16 bytes) | nonce (12 bytes) | AES-GCM ciphertext and tag``; the header is
authenticated (it is the associated data), so a file cannot be swapped for another one's ciphertext. Destroying a
wrapped key (crypto-shredding) makes every copy of what it protects unreadable, backups of the bucket included:
the file key for one photo, the data key for everything a person ever stored.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"SKE1"  # "skincare encrypted", format 1
KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12
TAG_BYTES = 16
HEADER_BYTES = len(MAGIC) + 16 + NONCE_BYTES
WRAPPED_BYTES = NONCE_BYTES + KEY_BYTES + TAG_BYTES


class DecryptionError(Exception):
    """The bytes are not ours, were altered, or their key is not the one that encrypted them."""


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def parse_master_key(text: str) -> bytes:
    """A master key as written in the environment: 32 bytes in (url-safe) base64 or 64 hex digits."""
    value = (text or "").strip()
    candidates = []
    if len(value) == 2 * KEY_BYTES:
        try:
            candidates.append(bytes.fromhex(value))
        except ValueError:
            pass
    for decode in (base64.urlsafe_b64decode, base64.b64decode):
        try:
            candidates.append(decode(value + "=" * (-len(value) % 4)))
        except (binascii.Error, ValueError):
            continue
    for key in candidates:
        if len(key) == KEY_BYTES:
            return key
    raise ValueError("A media master key is 32 random bytes, written as base64 (44 characters) or 64 hex digits.")


def format_master_key(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode()


def key_id(key: bytes) -> str:
    """A short public name for a master key (which key wrapped a data key), from a one-way hash of it."""
    return hashlib.sha256(b"skincare/master-key-id/" + key).hexdigest()[:16]


def wrap(kek: bytes, key: bytes, *, context: bytes) -> bytes:
    """Encrypt `key` under the key-encryption key `kek`; `context` binds it to its owner (checked on unwrap)."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(kek).encrypt(nonce, key, context)


def unwrap(kek: bytes, wrapped: bytes | memoryview, *, context: bytes) -> bytes:
    wrapped = bytes(wrapped)
    if len(wrapped) != WRAPPED_BYTES:
        raise DecryptionError("A wrapped key has the wrong length.")
    try:
        return AESGCM(kek).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], context)
    except InvalidTag as exc:
        raise DecryptionError("The key does not unwrap with this key-encryption key.") from exc


def encrypt(file_key: bytes, media_id: uuid.UUID, plaintext: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    header = MAGIC + media_id.bytes + nonce
    return header + AESGCM(file_key).encrypt(nonce, plaintext, header)


def media_id_of(blob: bytes) -> uuid.UUID | None:
    """The media id in an encrypted file's header; None for bytes that are not an encrypted file."""
    if len(blob) < HEADER_BYTES + TAG_BYTES or not blob.startswith(MAGIC):
        return None
    return uuid.UUID(bytes=bytes(blob[len(MAGIC) : len(MAGIC) + 16]))


def decrypt(file_key: bytes, blob: bytes) -> bytes:
    if media_id_of(blob) is None:
        raise DecryptionError("These bytes are not an encrypted file.")
    header, body = blob[:HEADER_BYTES], blob[HEADER_BYTES:]
    try:
        return AESGCM(file_key).decrypt(header[-NONCE_BYTES:], body, header)
    except InvalidTag as exc:
        raise DecryptionError("The file was altered or its key is not the one that encrypted it.") from exc


def data_key_context(data_key_id: uuid.UUID, user_id) -> bytes:
    return b"skincare/data-key/" + data_key_id.bytes + b"/" + str(user_id).encode()


def file_key_context(media_id: uuid.UUID) -> bytes:
    return b"skincare/file-key/" + media_id.bytes
