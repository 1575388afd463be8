"""Pure mappings between our services' results and the seed client's field names (SEED_CLIENT.md).

No rule lives here: every value comes from what our services measured, assessed or stored; this module only
renames, reshapes and picks (e.g. "the worst concern" is the lowest score, since 100 is best everywhere).
"""

from __future__ import annotations

import re
from datetime import date, time

from django.conf import settings
from django.utils.translation import gettext_lazy

from domain import vocabulary as vocab

# --- accounts ----------------------------------------------------------------------------------------
# The seed's concern words → our concern keys: the domain's synonyms; ours pass through unchanged.


def snake(value: str) -> str:
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", str(value).strip())
    return re.sub(r"[\s\-]+", "_", text.lower()).strip("_")


def concern_keys(values) -> list:
    """["Acne", "dark spots", "fine-lines"] → ["acne", "pigmentation", "wrinkles"]; non-strings pass through for
    the profile validator to refuse."""
    if not isinstance(values, list | tuple):
        return values
    out = []
    for value in values:
        if isinstance(value, str):
            key = snake(value)
            out.append(vocab.CONCERN_SYNONYMS.get(key, key))
        else:
            out.append(value)
    return list(dict.fromkeys(out))


def birth_year_for_age(age: int, today: date) -> int:
    """Age in years → the birth year our profile stores (the year they turn that age this year)."""
    return today.year - int(age)


def auth_fields(*, user_id, access: str, refresh: str, message: str) -> dict:
    """What the seed client reads after login/register, beside our own {user, access, refresh}."""
    return {
        "access_token": access,
        "refresh_token": refresh,
        "token_type": "Bearer",
        "expires_in": int(settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds()),
        "user_id": str(user_id),
        "message": message,
    }


def _hhmm(value) -> str | None:
    return value.strftime("%H:%M") if isinstance(value, time) else value


def user_payload(user, profile_data: dict, reminder_times: dict) -> dict:
    """The seed's user: flat profile fields (skin_type, skin_concerns, age, preferences{reminder_time}), plus ours."""
    age = profile_data.get("birth_year")
    return {
        "user_id": str(user.pk),
        "id": str(user.pk),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "skin_type": profile_data.get("skin_type"),
        "skin_concerns": list(profile_data.get("concerns") or []),
        "age": (date.today().year - age) if age else None,  # noqa: DTZ011 - an age in years
        "gender": None,  # not stored: nothing we do depends on it (data minimisation)
        "preferences": {
            "reminder_time": _hhmm(reminder_times.get("am")),
            "evening_reminder_time": _hhmm(reminder_times.get("pm")),
            "timezone": profile_data.get("timezone"),
            "language": profile_data.get("language"),
            "product_preferences": list(profile_data.get("preferences") or []),
        },
        "profile": profile_data,
    }


# --- routines ----------------------------------------------------------------------------------------
TIME_COMMITMENT_WORDS = {
    # words → at most this many steps per routine (None: as many as the profile allows)
    "minimal": 3,
    "quick": 3,
    "low": 3,
    "short": 3,
    "basic": 3,
    "moderate": 5,
    "medium": 5,
    "normal": 5,
    "standard": 5,
    "extensive": None,
    "full": None,
    "high": None,
    "long": None,
    "complete": None,
}
_MINUTES = re.compile(r"^\s*(\d{1,3})\s*(?:m|min|mins|minute|minutes)?\s*$")


class BadTimeCommitment(ValueError):
    pass


def max_steps_for(time_commitment) -> int | None:
    """The seed's `time_commitment` → our `max_steps`. Minutes: about a minute and a half per step, at least 2
    steps (cleanse + protect or moisturise); words: quick 3, moderate 5, extensive no cap."""
    if time_commitment in (None, ""):
        return None
    if isinstance(time_commitment, bool):
        raise BadTimeCommitment(time_commitment)
    if isinstance(time_commitment, int | float):
        minutes = int(time_commitment)
    else:
        text = str(time_commitment).strip().lower()
        if text in TIME_COMMITMENT_WORDS:
            return TIME_COMMITMENT_WORDS[text]
        match = _MINUTES.match(text)
        if not match:
            raise BadTimeCommitment(time_commitment)
        minutes = int(match.group(1))
    if minutes <= 0:
        raise BadTimeCommitment(time_commitment)
    return max(2, min(12, round(minutes / 1.5)))


def routine_payload(routine: dict) -> dict:
    """One of our serialized routines (RoutineSerializer) with the seed's names added."""
    return {
        "routine_id": str(routine["id"]),
        **routine,
        "steps": [step_payload(step) for step in routine["steps"]],
    }


def step_payload(step: dict) -> dict:
    product = step.get("product") or {}
    name = " ".join(p for p in (product.get("brand"), product.get("name")) if p) or step.get("product_name") or ""
    return {
        **step,
        "step_order": step["order"],
        "product_name": name,
        "product_category": step["category"],
        "wait_time_seconds": step["wait_seconds"],
    }


# --- analysis ----------------------------------------------------------------------------------------
SEED_ZONES = {
    "forehead": "forehead",
    "left_cheek": "leftCheek",
    "right_cheek": "rightCheek",
    "nose": "nose",
    "chin": "chin",
}
NO_CONCERN = gettext_lazy("No concern reached the mild level in this photo.")


def gate_result(*, code: str, advice: str, issues: list[str]) -> dict:
    """A photo the quality gate refused, as a 200 result the seed client can show (nothing measured: null)."""
    return {
        "analysis_id": None,
        "status": "rejected",
        "face_detected": code != "no_face_found",
        "code": code,
        "advice": advice,
        "skin_condition": None,
        "severity": None,
        "recommendations": [advice],
        "overall_skin_health_score": None,
        "skin_type": None,
        "detections": [],
        "zones": None,
        "quality": {"ok": False, "code": code, "issues": issues or [advice]},
    }


def _zones(concerns: list[dict]) -> dict:
    zones: dict = {}
    for ours, theirs in SEED_ZONES.items():
        values = {c["key"]: c["regions"].get(ours) for c in concerns if isinstance(c.get("regions"), dict)}
        measured = {k: v for k, v in values.items() if v is not None}
        if not measured:
            zones[theirs] = None
            continue
        worst = min(measured, key=lambda k: measured[k])
        zones[theirs] = {"score": measured[worst], "worst_concern": worst, "concerns": measured}
    return zones


def analysis_result(analysis, lesions: list) -> dict:
    """A stored analysis in the seed's fields: the worst concern (lowest score) as `skin_condition`, its severity,
    the explanations of every concern above "none" (worst first) as `recommendations`, lesion boxes as
    `detections`, per-zone values. An analysis that failed says why; one still running says so."""
    from analysis.messages import error_text, explanation_text

    base = {
        "analysis_id": str(analysis.pk),
        "status": analysis.status,
        "created_at": analysis.created_at,
        "completed_at": analysis.completed_at,
    }
    if analysis.status == "failed":
        detail = error_text(analysis.error_code, analysis.error_detail)  # in the reader's language, by error_code
        return {
            **base,
            **gate_result(code=analysis.error_code or "analysis_failed", advice=detail, issues=[detail]),
            "analysis_id": str(analysis.pk),
            "status": "failed",
            "face_detected": analysis.error_code not in ("no_face_found", "not_an_image", "image_missing"),
        }
    if analysis.status != "done":
        return {
            **base,
            "face_detected": True,
            "skin_condition": None,
            "severity": None,
            "recommendations": [],
            "overall_skin_health_score": None,
            "skin_type": None,
            "detections": [],
            "zones": None,
        }
    concerns = [c for c in analysis.concerns or [] if c.get("key") and c.get("score") is not None]
    ordered = sorted(concerns, key=lambda c: c["score"])
    worst = ordered[0] if ordered else None
    recommendations = [
        explanation_text(c) for c in ordered if c.get("severity") not in (None, "none") and c.get("explanation")
    ]
    return {
        **base,
        "face_detected": True,
        "skin_condition": worst["key"] if worst else None,
        "severity": worst["severity"] if worst else None,
        "recommendations": recommendations or [str(NO_CONCERN)],
        "overall_skin_health_score": analysis.overall_score,
        "skin_type": analysis.skin_type or None,
        "skin_type_confidence": analysis.skin_type_confidence,
        "skin_age": None if analysis.skin_age is None else int(round(analysis.skin_age)),
        "concerns": [{"name": c["key"], "score": c["score"], "severity": c["severity"]} for c in ordered],
        "detections": [
            {
                "type": le.kind,
                "confidence": le.confidence,
                "region": SEED_ZONES.get(le.region, le.region or None),
                "location": {"x": le.x, "y": le.y, "width": le.w, "height": le.h},
            }
            for le in lesions
        ],
        "zones": _zones(concerns),
    }


# --- ingredients -------------------------------------------------------------------------------------
def scan_fields(result: dict, *, product_name: str | None) -> dict:
    """The seed's scan fields from our ingredient-list analysis: `safety_rating` is our 0-100 score (null when
    nothing matched), `benefits` what each matched ingredient does (from its sourced description). Our own
    `warnings` (objects with a `message`) are the seed's `warnings`."""
    benefits = []
    for item in result.get("ingredients", []):
        if item.get("ingredient") and item.get("rating") == "green" and item.get("notes"):
            benefits.append(f"{item['ingredient']['inci_name']}: {item['notes'][0]}")
    return {
        "product_name": product_name or None,
        "safety_rating": result.get("score"),
        "safety_level": result.get("verdict"),
        "benefits": benefits,
    }


# --- consultations -----------------------------------------------------------------------------------
def slot_payload(slot, tz_name: str) -> dict:
    from consultations.selectors import zone

    derm = slot.dermatologist
    local = slot.starts_at.astimezone(zone(tz_name))
    return {
        "slot_id": str(slot.pk),
        "dermatologist_id": str(derm.user_id),
        "dermatologist_name": derm.display_name,
        "credentials": derm.credentials,
        "date": local.date().isoformat(),
        "start_time": local.strftime("%H:%M"),
        "end_time": slot.ends_at.astimezone(zone(tz_name)).strftime("%H:%M"),
        "starts_at": slot.starts_at,
        "ends_at": slot.ends_at,
        "duration_minutes": slot.duration_minutes,
        "timezone": tz_name,
        "available": True,
    }


def booking_payload(consultation, data: dict) -> dict:
    """The seed's booking answer, beside our ConsultationSerializer's fields."""
    return {"consultation_id": str(consultation.pk), "slot_id": str(consultation.slot_id), **data}
