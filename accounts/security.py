"""Abuse protection kept in the shared cache: login lockout and OTP sending limits.

Deadlines are stored as timestamps (time.time()) next to the counters, so the checks follow the clock
(and time-machine in tests); the cache TTLs only clean up.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache

from skincare.core.errors import Throttled


def _digest(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


# --- login lockout (per account + IP) -------------------------------------------------------------
def _lock_keys(email: str, ip: str | None) -> tuple[str, str]:
    ident = _digest((email or "").strip().lower(), ip or "-")
    return f"accounts:login-fail:{ident}", f"accounts:login-lock:{ident}"


def lockout_check(*, email: str, ip: str | None) -> None:
    """Raise 429 `account_locked` with the seconds left while this account+IP is locked."""
    _, lock_key = _lock_keys(email, ip)
    until = cache.get(lock_key)
    if until and until > time.time():
        raise Throttled(
            "Too many failed sign-in attempts. Try again later or reset your password.",
            wait=math.ceil(until - time.time()),
            code="account_locked",
        )


def lockout_register_failure(*, email: str, ip: str | None) -> int:
    """Count a failed sign-in; lock once LOGIN_LOCKOUT_ATTEMPTS is reached. Returns the count."""
    fail_key, lock_key = _lock_keys(email, ip)
    window = settings.LOGIN_LOCKOUT_SECONDS
    cache.add(fail_key, 0, timeout=window)
    try:
        count = cache.incr(fail_key)
    except ValueError:  # expired between add and incr
        cache.set(fail_key, 1, timeout=window)
        count = 1
    if count >= settings.LOGIN_LOCKOUT_ATTEMPTS:
        cache.set(lock_key, time.time() + window, timeout=window)
        cache.delete(fail_key)
    return count


def lockout_reset(*, email: str, ip: str | None) -> None:
    cache.delete_many(list(_lock_keys(email, ip)))


# --- OTP sending limits ------------------------------------------------------------------------------
OTP_TTL_SECONDS = getattr(settings, "OTP_TTL_SECONDS", 300)
OTP_MAX_ATTEMPTS = getattr(settings, "OTP_MAX_ATTEMPTS", 5)
OTP_RESEND_COOLDOWN = getattr(settings, "OTP_RESEND_COOLDOWN", 60)
OTP_MAX_PER_PHONE_PER_HOUR = getattr(settings, "OTP_MAX_PER_PHONE_PER_HOUR", 5)
OTP_MAX_PER_IP_PER_HOUR = getattr(settings, "OTP_MAX_PER_IP_PER_HOUR", 20)
_HOUR = 3600


def _window_hit(key: str, limit: int, *, code: str, detail: str, commit: bool) -> None:
    """A fixed hourly window: raise 429 when `limit` sends were already made in this hour."""
    now = time.time()
    window = int(now // _HOUR)
    full_key = f"{key}:{window}"
    count = cache.get(full_key, 0)
    if count >= limit:
        raise Throttled(detail, wait=math.ceil((window + 1) * _HOUR - now), code=code)
    if commit:
        cache.add(full_key, 0, timeout=_HOUR + 60)
        try:
            cache.incr(full_key)
        except ValueError:
            cache.set(full_key, 1, timeout=_HOUR + 60)


def otp_check_and_count(*, phone: str, ip: str | None) -> None:
    """Enforce the resend cooldown, then the per-phone and per-IP hourly limits; count this send."""
    cooldown_key = f"accounts:otp-cooldown:{_digest(phone)}"
    until = cache.get(cooldown_key)
    now = time.time()
    if until and until > now:
        raise Throttled(
            "A code was just sent. Wait a moment before asking for another one.",
            wait=math.ceil(until - now),
            code="otp_cooldown",
        )
    phone_key = f"accounts:otp-phone:{_digest(phone)}"
    ip_key = f"accounts:otp-ip:{_digest(ip or '-')}"
    detail = "Too many codes were requested. Try again later."
    _window_hit(phone_key, OTP_MAX_PER_PHONE_PER_HOUR, code="otp_phone_limit", detail=detail, commit=False)
    _window_hit(ip_key, OTP_MAX_PER_IP_PER_HOUR, code="otp_ip_limit", detail=detail, commit=False)
    _window_hit(phone_key, OTP_MAX_PER_PHONE_PER_HOUR, code="otp_phone_limit", detail=detail, commit=True)
    _window_hit(ip_key, OTP_MAX_PER_IP_PER_HOUR, code="otp_ip_limit", detail=detail, commit=True)
    cache.set(cooldown_key, now + OTP_RESEND_COOLDOWN, timeout=OTP_RESEND_COOLDOWN + 5)
