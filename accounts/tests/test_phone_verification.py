"""A phone number is the account's only once a code sent to it was entered back, and no answer tells whether an email
address or a number belongs to an account: same status, same body, same work (queries, queued tasks) both ways."""

from __future__ import annotations

import re

import pytest
from django.test.utils import CaptureQueriesContext

from accounts import services, tasks
from accounts.models import Notification, User

pytestmark = pytest.mark.django_db
PHONE = "+33612345678"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`committed(call, ...)`: the call, then its on-commit callbacks as a real commit runs them (the confirmation code
    is queued once the pending number is committed, so the worker finds it)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def _later(seconds: int) -> None:
    """Let the per-number resend cooldown pass (its deadline is a timestamp in the cache)."""
    from django.core.cache import cache

    from accounts import security

    key = f"accounts:otp-cooldown:{security._digest(PHONE)}"
    if cache.get(key):
        cache.set(key, cache.get(key) - seconds, timeout=60)


def _code(outbox) -> str:
    return re.search(r"\b(\d{6})\b", outbox[-1].body).group(1)


def _patch(client, phone):
    return client.patch("/api/v1/auth/me", {"phone": phone}, format="json")


def test_a_new_number_is_used_only_after_its_code_comes_back(
    auth_client, api_client, user, sms_outbox, relaxed_throttles, committed
):
    r = committed(_patch, auth_client, "+33 6 12 34 56 78")
    assert r.status_code == 200 and (r.json()["phone"], r.json()["phone_pending"]) == (None, PHONE)
    assert [m.to for m in sms_outbox] == [PHONE] and "confirm this number" in sms_outbox[-1].body
    code = _code(sms_outbox)

    # Not verified yet: signing in with a code by SMS to it sends nothing and accepts nothing (a minute later: the
    # per-number resend cooldown covers both kinds of code).
    _later(61)
    assert api_client.post("/api/v1/auth/otp/request", {"phone": PHONE}, format="json").status_code == 202
    assert len(sms_outbox) == 1
    assert api_client.post("/api/v1/auth/otp/verify", {"phone": PHONE, "code": code}, format="json").status_code == 400

    wrong = auth_client.post("/api/v1/auth/phone/confirm", {"code": "000000" if code != "000000" else "111111"})
    assert (wrong.status_code, wrong.json()["code"]) == (400, "invalid_code")
    ok = auth_client.post("/api/v1/auth/phone/confirm", {"code": code}, format="json")
    assert ok.status_code == 200 and (ok.json()["phone"], ok.json()["phone_pending"]) == (PHONE, None)
    # A code works once.
    assert auth_client.post("/api/v1/auth/phone/confirm", {"code": code}, format="json").status_code == 400

    # Verified: now the number signs in.
    _later(61)
    assert api_client.post("/api/v1/auth/otp/request", {"phone": PHONE}, format="json").status_code == 202
    assert sms_outbox[-1].to == PHONE and "sign-in code" in sms_outbox[-1].body
    signed_in = api_client.post("/api/v1/auth/otp/verify", {"phone": PHONE, "code": _code(sms_outbox)}, format="json")
    assert signed_in.status_code == 200 and signed_in.json()["user"]["id"] == str(user.pk)


def test_another_accounts_number_gets_the_same_answer_and_moves_only_with_its_code(
    auth_client, other_user, sms_outbox, relaxed_throttles, django_assert_num_queries, committed
):
    other_user.phone = PHONE
    other_user.save(update_fields=["phone"])
    free = committed(_patch, auth_client, "+33699990000")
    with CaptureQueriesContext(__import__("django.db", fromlist=["connection"]).connection) as free_queries:
        free_again = committed(_patch, auth_client, "+33699990001")
    with CaptureQueriesContext(__import__("django.db", fromlist=["connection"]).connection) as taken_queries:
        taken = committed(_patch, auth_client, PHONE)
    assert free.status_code == free_again.status_code == taken.status_code == 200
    assert set(taken.json()) == set(free.json()) and taken.json()["phone_pending"] == PHONE
    assert len(taken_queries.captured_queries) == len(free_queries.captured_queries)  # no lookup of the number

    # Receiving the code proves the number is yours: it moves, and the other account is told.
    assert auth_client.post("/api/v1/auth/phone/confirm", {"code": _code(sms_outbox)}, format="json").status_code == 200
    other_user.refresh_from_db()
    assert other_user.phone is None
    assert Notification.objects.filter(user=other_user, kind="account.phone_removed").count() == 1
    assert User.objects.filter(phone=PHONE).get() == auth_client.user


def test_resend_respects_the_cooldown_and_an_empty_number_removes_both(
    auth_client, user, sms_outbox, relaxed_throttles, committed
):
    committed(_patch, auth_client, PHONE)
    again = committed(auth_client.post, "/api/v1/auth/phone/resend")
    assert (again.status_code, again.json()["code"]) == (429, "otp_cooldown") and int(again["Retry-After"]) > 0
    cleared = committed(_patch, auth_client, "")
    assert (cleared.json()["phone"], cleared.json()["phone_pending"]) == (None, None)
    assert auth_client.post("/api/v1/auth/phone/resend").json()["code"] == "no_pending_phone"


def test_the_profile_page_confirms_a_number_with_its_code(
    client, user, password, sms_outbox, relaxed_throttles, committed
):
    client.force_login(user)
    page = client.get("/profile/")
    form = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    form.update(phone=PHONE, reminder_am="07:30", reminder_pm="21:30", budget="medium", timezone="UTC", language="en")
    form = {k: v for k, v in form.items() if v is not False}
    assert committed(client.post, "/profile/", form).status_code == 302
    shown = client.get("/profile/")
    assert f"Confirm {PHONE}" in shown.content.decode()
    client.post("/profile/phone/confirm/", {"code": _code(sms_outbox)})
    user.refresh_from_db()
    assert (user.phone, user.phone_pending) == (PHONE, None)
    assert "confirmed" in client.get("/profile/").content.decode()


# --- no answer tells whether an account exists ----------------------------------------------------------------------
def _same_work(monkeypatch, task, call):
    """Run `call` twice (known, unknown) and return [(status, body, queries, queued args)] for each."""
    from django.db import connection

    queued = []
    monkeypatch.setattr(task, "delay", lambda *args: queued.append(args))
    call.fn(call.warm_up)  # the site configuration is read once, then cached: measure two warm calls
    out = []
    for arg in call.args:
        queued.clear()
        with CaptureQueriesContext(connection) as queries:
            response = call.fn(arg)
        out.append((response.status_code, response.json(), len(queries.captured_queries), len(queued)))
    return out


class _Call:
    def __init__(self, fn, *args, warm_up):
        self.fn, self.args, self.warm_up = fn, args, warm_up


def test_otp_request_answers_the_same_for_a_known_and_an_unknown_number(
    api_client, user, monkeypatch, relaxed_throttles
):
    user.phone = PHONE
    user.save(update_fields=["phone"])
    call = _Call(
        lambda p: api_client.post("/api/v1/auth/otp/request", {"phone": p}, format="json"),
        PHONE,
        "+447700900123",
        warm_up="+447700900999",
    )
    known, unknown = _same_work(monkeypatch, tasks.send_login_code, call)
    assert known[0] == unknown[0] == 202
    assert known == unknown  # same body, same queries, one queued send each: the worker looks the number up


def test_password_reset_answers_the_same_for_a_known_and_an_unknown_address(
    api_client, user, monkeypatch, relaxed_throttles
):
    call = _Call(
        lambda e: api_client.post("/api/v1/auth/password/reset", {"email": e}, format="json"),
        user.email,
        "no@example.com",
        warm_up="warm@example.com",
    )
    known, unknown = _same_work(monkeypatch, tasks.send_password_reset_to_address, call)
    assert known[0] == 202 and known == unknown


def test_the_queued_work_sends_only_to_real_accounts(user, sms_outbox, mailoutbox):
    user.phone = PHONE
    user.save(update_fields=["phone"])
    assert tasks.send_login_code(PHONE) is True and len(sms_outbox) == 1
    assert tasks.send_login_code("+447700900123") is False and len(sms_outbox) == 1
    assert tasks.send_password_reset_to_address(user.email.upper()) is True and len(mailoutbox) == 1
    assert tasks.send_password_reset_to_address("no@example.com") is False and len(mailoutbox) == 1


def test_login_answers_the_same_for_an_unknown_address_and_a_wrong_password(api_client, user, relaxed_throttles):
    wrong = api_client.post("/api/v1/auth/login", {"email": user.email, "password": "not-it-at-all"}, format="json")
    unknown = api_client.post("/api/v1/auth/login", {"email": "no@example.com", "password": "x"}, format="json")
    assert (
        (wrong.status_code, wrong.json())
        == (unknown.status_code, unknown.json())
        == (
            401,
            {"detail": "The email or password is not correct.", "code": "invalid_credentials"},
        )
    )


def test_services_never_reveal_a_taken_number(user, other_user, sms_outbox):
    other_user.phone = PHONE
    other_user.save(update_fields=["phone"])
    services.user_update(user=user, data={"phone": PHONE})
    user.refresh_from_db()
    assert (user.phone, user.phone_pending) == (None, PHONE)
