"""Services and the cache-based protections, without HTTP."""

from __future__ import annotations

import pytest
import time_machine
from django.test import override_settings

from accounts import security, services
from accounts.models import Profile
from skincare.core.errors import DomainError, Throttled

pytestmark = pytest.mark.django_db


@override_settings(LOGIN_LOCKOUT_ATTEMPTS=3, LOGIN_LOCKOUT_SECONDS=120)
def test_lockout_counts_per_account_and_ip_and_expires():
    with time_machine.travel("2026-05-01 08:00:00+00:00", tick=False) as traveller:
        for _ in range(2):
            security.lockout_register_failure(email="A@example.com", ip="1.1.1.1")
        security.lockout_check(email="a@example.com", ip="1.1.1.1")  # not yet
        security.lockout_register_failure(email="a@example.com", ip="1.1.1.1")
        with pytest.raises(Throttled) as excinfo:
            security.lockout_check(email="a@example.com", ip="1.1.1.1")
        assert excinfo.value.code == "account_locked"
        assert excinfo.value.headers["Retry-After"] == "120"
        security.lockout_check(email="a@example.com", ip="2.2.2.2")
        security.lockout_check(email="b@example.com", ip="1.1.1.1")
        traveller.shift(60)
        with pytest.raises(Throttled) as excinfo:
            security.lockout_check(email="a@example.com", ip="1.1.1.1")
        assert excinfo.value.headers["Retry-After"] == "60"
        traveller.shift(61)
        security.lockout_check(email="a@example.com", ip="1.1.1.1")


def test_profile_update_validates_with_the_model(user):
    with pytest.raises(DomainError) as excinfo:
        services.profile_update(user=user, data={"timezone": "Nowhere/City"})
    assert excinfo.value.code == "validation_error"
    assert "timezone" in excinfo.value.errors
    assert Profile.objects.get(user=user).timezone == "UTC"


def test_user_tokens_revoke_all_is_idempotent(user):
    services.tokens_for_user(user)
    services.tokens_for_user(user)
    assert services.user_tokens_revoke_all(user=user) == 2
    assert services.user_tokens_revoke_all(user=user) == 0


def test_sms_backends(capsys, settings):
    from accounts import sms

    sms.outbox.clear()
    sms.send_sms(to="+33600000000", body="hello")
    assert [m.body for m in sms.outbox] == ["hello"]
    settings.SMS_BACKEND = "accounts.sms.ConsoleSmsBackend"
    sms.send_sms(to="+33600000000", body="on the console")
    assert "on the console" in capsys.readouterr().out
    sms.outbox.clear()
