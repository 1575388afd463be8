"""The envelope primitives: round trips, and every way a wrong key or altered byte is refused."""

import base64
import uuid

import pytest

from privacy import crypto


def test_file_round_trip_and_header():
    key, media_id = crypto.new_key(), uuid.uuid4()
    blob = crypto.encrypt(key, media_id, b"\xff\xd8\xff\xe0 a jpeg")
    assert blob.startswith(crypto.MAGIC) and crypto.media_id_of(blob) == media_id
    assert len(blob) == len(b"\xff\xd8\xff\xe0 a jpeg") + crypto.HEADER_BYTES + crypto.TAG_BYTES
    assert crypto.decrypt(key, blob) == b"\xff\xd8\xff\xe0 a jpeg"
    # The same bytes twice give different ciphertexts (a fresh nonce each time).
    assert crypto.encrypt(key, media_id, b"x") != crypto.encrypt(key, media_id, b"x")


def test_wrong_key_altered_body_or_swapped_header_are_refused():
    key, media_id = crypto.new_key(), uuid.uuid4()
    blob = crypto.encrypt(key, media_id, b"secret photo")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(crypto.new_key(), blob)
    altered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(key, altered)
    swapped = crypto.MAGIC + uuid.uuid4().bytes + blob[len(crypto.MAGIC) + 16 :]
    with pytest.raises(crypto.DecryptionError):  # the header is authenticated
        crypto.decrypt(key, swapped)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(key, b"\xff\xd8 plain jpeg bytes, not ours" * 3)
    assert crypto.media_id_of(b"\xff\xd8\xff" * 20) is None


def test_wrapped_keys_are_bound_to_their_context():
    kek, key = crypto.new_key(), crypto.new_key()
    wrapped = crypto.wrap(kek, key, context=b"owner-a")
    assert len(wrapped) == crypto.WRAPPED_BYTES
    assert crypto.unwrap(kek, wrapped, context=b"owner-a") == key
    with pytest.raises(crypto.DecryptionError):
        crypto.unwrap(kek, wrapped, context=b"owner-b")
    with pytest.raises(crypto.DecryptionError):
        crypto.unwrap(crypto.new_key(), wrapped, context=b"owner-a")


def test_master_keys_are_read_as_base64_or_hex_and_refused_when_short():
    raw = bytes(range(32))
    assert crypto.parse_master_key(base64.urlsafe_b64encode(raw).decode()) == raw
    assert crypto.parse_master_key(base64.b64encode(raw).decode().rstrip("=")) == raw
    assert crypto.parse_master_key(raw.hex()) == raw
    assert crypto.parse_master_key(crypto.format_master_key(raw)) == raw
    for bad in ("", "short", base64.b64encode(b"16 bytes only!!!").decode()):
        with pytest.raises(ValueError):
            crypto.parse_master_key(bad)
    assert crypto.key_id(raw) != crypto.key_id(bytes(32)) and len(crypto.key_id(raw)) == 16
