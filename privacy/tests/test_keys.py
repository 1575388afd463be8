"""Master key rotation re-wraps the data keys (no file rewritten); old plaintext files are encrypted in place."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from privacy import crypto, keys
from privacy.models import DataKey, StoredMedia
from privacy.storage import media_storage, owned_name

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_rotation_rewraps_every_data_key_and_files_stay_readable(user, other_user, settings):
    names = [
        default_storage.save(owned_name(u, "analyses"), ContentFile(b"photo of %s" % u.email.encode()))
        for u in (user, other_user)
    ]
    old_key = settings.MEDIA_MASTER_KEY
    old_id = keys.current_master_key_id()
    blobs = {n: media_storage().inner.open(n).read() for n in names}

    new_key = crypto.format_master_key(crypto.new_key())
    settings.MEDIA_MASTER_KEY = new_key
    settings.MEDIA_MASTER_KEYS_PREVIOUS = [old_key]
    assert "2 data key(s) still wrapped by an older one" in run("rewrap_media_keys", "--check")
    assert default_storage.open(names[0]).read() == b"photo of " + user.email.encode()  # old key still unwraps
    assert "re-wrapped 2, remaining 0" in run("rewrap_media_keys", "--batch-size", "1")
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {keys.current_master_key_id()} != {old_id}
    assert "re-wrapped 0, remaining 0" in run("rewrap_media_keys")  # idempotent

    settings.MEDIA_MASTER_KEYS_PREVIOUS = []  # the old master key is retired
    for name in names:
        assert media_storage().inner.open(name).read() == blobs[name]  # no file was rewritten
        assert default_storage.open(name).read().startswith(b"photo of ")


def test_a_data_key_under_an_unknown_master_key_is_reported_not_destroyed(user, settings):
    default_storage.save(owned_name(user, "analyses"), ContentFile(b"x"))
    settings.MEDIA_MASTER_KEY = crypto.format_master_key(crypto.new_key())
    settings.MEDIA_MASTER_KEYS_PREVIOUS = []
    with pytest.raises(CommandError, match="not configured"):
        run("rewrap_media_keys")
    assert DataKey.objects.filter(user=user).exists()


def test_encrypt_media_encrypts_files_stored_before_encryption(user):
    from analysis.models import SkinAnalysis

    plain = b"\xff\xd8\xff\xe0 an old plaintext selfie"
    legacy = media_storage().inner.save("analyses/0123456789abcdef0123456789abcdef.jpg", ContentFile(plain))
    a = SkinAnalysis.objects.create(user=user, status="done")
    SkinAnalysis.objects.filter(pk=a.pk).update(image=legacy)
    assert default_storage.open(legacy).read() == plain  # still readable before the command
    assert "encrypted 1, already encrypted 0" in run("encrypt_media")
    raw = media_storage().inner.open(legacy).read()
    assert raw.startswith(crypto.MAGIC) and plain not in raw
    assert default_storage.open(legacy).read() == plain
    assert StoredMedia.objects.get(name=legacy).data_key.user_id == user.pk
    assert "encrypted 0, already encrypted 1" in run("encrypt_media")


def test_system_checks_refuse_a_bad_master_key_and_warn_without_one_in_production(settings):
    from privacy.apps import check_master_key_in_environment, check_master_keys

    assert check_master_keys() == []
    settings.MEDIA_MASTER_KEY = "not-a-key"
    settings.MEDIA_MASTER_KEYS_PREVIOUS = ["short"]
    assert [e.id for e in check_master_keys()] == ["privacy.E001", "privacy.E002"]
    settings.MEDIA_MASTER_KEY_FROM_ENV = False
    assert [w.id for w in check_master_key_in_environment()] == ["privacy.W001"]
    settings.MEDIA_MASTER_KEY_FROM_ENV = True
    assert check_master_key_in_environment() == []
