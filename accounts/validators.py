"""Profile validation shared by the API serializers and the page forms (one set of rules).

Each validator raises django.core.exceptions.ValidationError with a stable `code`, which the API's
error envelope surfaces as its `code`.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import CONCERN_KEYS, PREFERENCES, validate_timezone

__all__ = [
    "normalize_phone",
    "validate_allergies",
    "validate_birth_year",
    "validate_concerns",
    "validate_language",
    "validate_notification_channels",
    "validate_phone",
    "validate_preferences",
    "validate_quiet_hours",
    "validate_reminder_times",
    "validate_timezone",
]

_HHMM = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")
MIN_AGE = 13
MAX_AGE = 120
MAX_ALLERGIES = 50
NOTIFICATION_CHANNELS = ("in_app", "email", "sms", "push")


def _unique_from(values, allowed: list[str], *, code: str, what: str) -> list[str]:
    if not isinstance(values, list | tuple):
        raise ValidationError(f"Give the {what} as a list.", code="not_a_list")
    unknown = [str(v) for v in values if v not in allowed]
    if unknown:
        raise ValidationError(
            f"Unknown {what}: {', '.join(unknown)}. Choose from: {', '.join(allowed)}.",
            code=code,
        )
    return list(dict.fromkeys(values))


def validate_concerns(values) -> list[str]:
    return _unique_from(values, CONCERN_KEYS, code="invalid_concern", what="concerns")


def validate_preferences(values) -> list[str]:
    return _unique_from(values, PREFERENCES, code="invalid_preference", what="preferences")


def validate_allergies(values) -> list[str]:
    if not isinstance(values, list | tuple):
        raise ValidationError("Give the allergies as a list of ingredient names.", code="not_a_list")
    cleaned = []
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise ValidationError("Each allergy must be an ingredient name.", code="invalid_allergy")
        if len(value.strip()) > 100:
            raise ValidationError("An ingredient name is at most 100 characters.", code="invalid_allergy")
        cleaned.append(value.strip())
    cleaned = list(dict.fromkeys(cleaned))
    if len(cleaned) > MAX_ALLERGIES:
        raise ValidationError(f"At most {MAX_ALLERGIES} allergies.", code="too_many_allergies")
    return cleaned


def validate_birth_year(value) -> None:
    if value is None:
        return
    year = timezone.now().year
    if not isinstance(value, int) or not (year - MAX_AGE <= value <= year - MIN_AGE):
        raise ValidationError(
            f"Enter a birth year between {year - MAX_AGE} and {year - MIN_AGE} (you must be {MIN_AGE} or older).",
            code="invalid_birth_year",
        )


def _validate_hhmm(value, *, field: str, code: str) -> None:
    if not isinstance(value, str) or not _HHMM.match(value):
        raise ValidationError(f"“{field}” must be a time as HH:MM (24 hours), e.g. 07:30.", code=code)


def validate_reminder_times(value) -> dict:
    """{"am": "HH:MM", "pm": "HH:MM"}, or empty (null or {}) to follow the site's default times."""
    if value in (None, {}):
        return {}
    if not isinstance(value, dict):
        raise ValidationError('Give reminder times as {"am": "HH:MM", "pm": "HH:MM"}.', code="invalid_reminder_times")
    extra = set(value) - {"am", "pm"}
    if extra:
        raise ValidationError(
            f"Unknown reminder keys: {', '.join(sorted(extra))}; use am and pm.", code="invalid_reminder_times"
        )
    for key in ("am", "pm"):
        if key not in value:
            raise ValidationError(f"Give the “{key}” reminder time as HH:MM.", code="invalid_reminder_times")
        _validate_hhmm(value[key], field=key, code="invalid_reminder_times")
    return {"am": value["am"], "pm": value["pm"]}


def validate_quiet_hours(value) -> dict:
    if value in (None, {}):
        return {}
    if not isinstance(value, dict) or set(value) != {"start", "end"}:
        raise ValidationError('Give quiet hours as {"start": "HH:MM", "end": "HH:MM"}.', code="invalid_quiet_hours")
    for key in ("start", "end"):
        _validate_hhmm(value[key], field=key, code="invalid_quiet_hours")
    return {"start": value["start"], "end": value["end"]}


def validate_notification_channels(value) -> dict:
    if value in (None, {}):
        return {}
    if not isinstance(value, dict):
        raise ValidationError('Give channels as {"email": true, "sms": false}.', code="invalid_channels")
    for key, enabled in value.items():
        if key not in NOTIFICATION_CHANNELS or not isinstance(enabled, bool):
            raise ValidationError(
                f"Channels are {', '.join(NOTIFICATION_CHANNELS)} with true or false.", code="invalid_channels"
            )
    return dict(value)


def validate_language(value: str) -> None:
    if not isinstance(value, str) or not _LANGUAGE.match(value):
        raise ValidationError("Give a language code such as en or pt-BR.", code="invalid_language")


def normalize_phone(value: str) -> str:
    """'+33 6 12-34-56-78' → '+33612345678' (E.164); a leading 00 becomes +."""
    raw = re.sub(r"[\s\-().]", "", str(value or ""))
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    return raw


def validate_phone(value: str) -> str:
    phone = normalize_phone(value)
    if not _E164.match(phone):
        raise ValidationError(
            "Enter the phone number in international format, e.g. +33612345678.", code="invalid_phone"
        )
    return phone
