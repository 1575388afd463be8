"""Profile validation shared by the API serializers and the page forms (one set of rules).

Each validator raises django.core.exceptions.ValidationError with a stable `code`, which the API's
error envelope surfaces as its `code`.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

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


def _unique_from(values, allowed: list[str], *, code: str, not_a_list: str, unknown_message: str) -> list[str]:
    if not isinstance(values, list | tuple):
        raise ValidationError(not_a_list, code="not_a_list")
    unknown = [str(v) for v in values if v not in allowed]
    if unknown:
        raise ValidationError(
            unknown_message % {"unknown": ", ".join(unknown), "allowed": ", ".join(allowed)},
            code=code,
        )
    return list(dict.fromkeys(values))


def validate_concerns(values) -> list[str]:
    return _unique_from(
        values,
        CONCERN_KEYS,
        code="invalid_concern",
        not_a_list=_("Give the concerns as a list."),
        unknown_message=_("Unknown concerns: %(unknown)s. Choose from: %(allowed)s."),
    )


def validate_preferences(values) -> list[str]:
    return _unique_from(
        values,
        PREFERENCES,
        code="invalid_preference",
        not_a_list=_("Give the preferences as a list."),
        unknown_message=_("Unknown preferences: %(unknown)s. Choose from: %(allowed)s."),
    )


def validate_allergies(values) -> list[str]:
    if not isinstance(values, list | tuple):
        raise ValidationError(_("Give the allergies as a list of ingredient names."), code="not_a_list")
    cleaned = []
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(_("Each allergy must be an ingredient name."), code="invalid_allergy")
        if len(value.strip()) > 100:
            raise ValidationError(_("An ingredient name is at most 100 characters."), code="invalid_allergy")
        cleaned.append(value.strip())
    cleaned = list(dict.fromkeys(cleaned))
    if len(cleaned) > MAX_ALLERGIES:
        raise ValidationError(_("At most %(count)d allergies.") % {"count": MAX_ALLERGIES}, code="too_many_allergies")
    return cleaned


def validate_birth_year(value) -> None:
    if value is None:
        return
    year = timezone.now().year
    if not isinstance(value, int) or not (year - MAX_AGE <= value <= year - MIN_AGE):
        raise ValidationError(
            _("Enter a birth year between %(first)d and %(last)d (you must be %(age)d or older).")
            % {"first": year - MAX_AGE, "last": year - MIN_AGE, "age": MIN_AGE},
            code="invalid_birth_year",
        )


def _validate_hhmm(value, *, field: str, code: str) -> None:
    if not isinstance(value, str) or not _HHMM.match(value):
        raise ValidationError(
            _("“%(field)s” must be a time as HH:MM (24 hours), e.g. 07:30.") % {"field": field}, code=code
        )


def validate_reminder_times(value) -> dict:
    """{"am": "HH:MM", "pm": "HH:MM"}, or empty (null or {}) to follow the site's default times."""
    if value in (None, {}):
        return {}
    if not isinstance(value, dict):
        raise ValidationError(
            _('Give reminder times as {"am": "HH:MM", "pm": "HH:MM"}.'), code="invalid_reminder_times"
        )
    extra = set(value) - {"am", "pm"}
    if extra:
        raise ValidationError(
            _("Unknown reminder keys: %(keys)s; use am and pm.") % {"keys": ", ".join(sorted(extra))},
            code="invalid_reminder_times",
        )
    for key in ("am", "pm"):
        if key not in value:
            raise ValidationError(
                _("Give the “%(key)s” reminder time as HH:MM.") % {"key": key}, code="invalid_reminder_times"
            )
        _validate_hhmm(value[key], field=key, code="invalid_reminder_times")
    return {"am": value["am"], "pm": value["pm"]}


def validate_quiet_hours(value) -> dict:
    if value in (None, {}):
        return {}
    if not isinstance(value, dict) or set(value) != {"start", "end"}:
        raise ValidationError(_('Give quiet hours as {"start": "HH:MM", "end": "HH:MM"}.'), code="invalid_quiet_hours")
    for key in ("start", "end"):
        _validate_hhmm(value[key], field=key, code="invalid_quiet_hours")
    return {"start": value["start"], "end": value["end"]}


def validate_notification_channels(value) -> dict:
    if value in (None, {}):
        return {}
    if not isinstance(value, dict):
        raise ValidationError(_('Give channels as {"email": true, "sms": false}.'), code="invalid_channels")
    for key, enabled in value.items():
        if key not in NOTIFICATION_CHANNELS or not isinstance(enabled, bool):
            raise ValidationError(
                _("Channels are %(channels)s with true or false.") % {"channels": ", ".join(NOTIFICATION_CHANNELS)},
                code="invalid_channels",
            )
    return dict(value)


def validate_language(value: str) -> None:
    """A code such as es or pt-BR; empty means "the language of my browser" (Accept-Language)."""
    if value == "":
        return
    if not isinstance(value, str) or not _LANGUAGE.match(value):
        raise ValidationError(_("Give a language code such as en or pt-BR."), code="invalid_language")


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
            _("Enter the phone number in international format, e.g. +33612345678."), code="invalid_phone"
        )
    return phone
