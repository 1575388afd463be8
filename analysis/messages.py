"""The analysis' sentences for people, rendered in the READER's language when a page or an API response is built.

The engine (`ml/`, no Django) writes English: a concern's `explanation` with its message id and numbers
(`explanation_key`, `explanation_params`), a quality issue's advice with its stable `code`. The stored JSON keeps the
id and the numbers; these are the translatable copies of the engine's templates (`ml.vision.measures.EXPLANATIONS`,
`ml.vision.quality.ADVICE`, the same English: a test holds them equal), marked with `gettext_noop` and rendered with
`gettext` at read time. A row stored before the ids were kept (text only) shows its text as it is.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

from skincare.core.i18n import translated_message

# A concern's explanation, by `explanation_key` (ml.vision.measures.EXPLANATIONS, word for word).
EXPLANATIONS: dict[str, str] = {
    "acne": N_(
        "We found %(count)d red spot(s): small patches clearly redder than your skin around them "
        "(a* in CIELAB), 1-12 mm across; a faint one counts half."
    ),
    "redness": N_(
        "How much redder than your own baseline skin colour the face is on average (CIELAB a*); "
        "flushed or irritated areas raise it."
    ),
    "oiliness": N_(
        "Shiny, whitish highlights cover %(t_zone).1f%% of your forehead and nose (T-zone) and "
        "%(cheeks).1f%% of your cheeks; shine comes from oil on the skin."
    ),
    "pores": N_(
        "Visible pores: small dark pits 0.2-1 mm across counted per square centimetre on the cheeks and nose "
        "(needs a sharp, close photo to be reliable)."
    ),
    "texture": N_(
        "Roughness: how much the brightness of the skin varies over 0.3-2 mm (bumps, flaking, "
        "enlarged pores) on the cheeks and forehead."
    ),
    "wrinkles": N_(
        "Fine lines: %(share).1f%% of your forehead and under-eye skin lies on thin dark lines found by a ridge filter."
    ),
    "pigmentation": N_(
        "Dark patches and spots: %(share).1f%% of your forehead, cheek and chin skin is at least "
        "%(threshold).0f L* darker than the skin around it (%(count)d distinct dark spot(s))."
    ),
    "dark_circles": N_("The skin under your eyes is %(difference).1f L* darker than your cheeks (CIELAB lightness)."),
    "uneven_tone": N_(
        "How much your skin's lightness varies from place to place within the forehead, cheeks and chin "
        "once the lighting gradient is removed (L* sd); skin tone differs by %(ita_spread).0f° ITA between those areas."
    ),
}

# The measures' units (ml.vision.measures.UNITS) that hold words; the stored unit is its own message id.
# "% of …" is a plain percent sign, not a format: xgettext is told so (else it reads "% o" as a conversion).
UNIT_WORDS = (
    N_("spots"),
    # xgettext:no-python-format
    N_("% of T-zone"),
    N_("pores/cm²"),
    # xgettext:no-python-format
    N_("% of area"),
    # xgettext:no-python-format
    N_("% of skin"),
)


def unit_text(unit: str) -> str:
    """A stored unit in the current language (symbols such as "L* sd" stay as they are)."""
    return gettext(unit) if unit in UNIT_WORDS else unit


# A quality issue's advice, by its stable code (ml.vision.quality.ADVICE, word for word).
QUALITY_ADVICE: dict[str, str] = {
    "no_face_found": N_("We could not find a face: face the camera with your whole face inside the frame."),
    "multiple_faces": N_("More than one face is in the photo: take the selfie with only your face in the frame."),
    "face_too_small": N_("Your face is too small in the photo: move closer so that it fills most of the frame."),
    "face_not_frontal": N_("Your head is turned to the side: look straight into the camera."),
    "image_blurry": N_("The photo is blurry: hold the phone still, tap your face to focus and wipe the lens."),
    "image_too_dark": N_("The photo is too dark: face a window or a lamp so that your face is evenly lit."),
    "image_too_bright": N_("The photo is too bright: step out of direct sunlight or turn the flash off."),
    "face_occluded": N_(
        "Too much of your face is covered: move your hands and hair away from your face and take off glasses or a hat."
    ),
}
QUALITY_FAILED = N_("The photo did not pass the quality check.")

# A failed analysis' sentence, by its error_code (the quality codes give their advice). `error_detail` keeps what the
# worker wrote (English, for staff); a code not listed here shows that text.
ERROR_TEXTS: dict[str, str] = {
    **QUALITY_ADVICE,
    "image_quality": QUALITY_FAILED,
    "not_an_image": N_("The photo could not be read: try another photo (JPEG, PNG or HEIC)."),
    "analysis_failed": N_("The photo could not be analysed: try another photo."),
    # analysis.tasks (the worker): its stored details are these sentences
    "analysis_timeout": N_("The analysis took too long. Try again."),
    "image_missing": N_("The stored photo is gone."),
    "internal_error": N_("Something went wrong on our side while analysing this photo. Try again."),
}
ANALYSIS_FAILED = N_("The analysis failed.")


def _render(template: str, params: Mapping | None) -> str | None:
    return translated_message(template, params)


def explanation_text(concern: Mapping) -> str:
    """A stored concern's explanation in the current language; the stored text for a row without a known key."""
    template = EXPLANATIONS.get(concern.get("explanation_key") or "")
    if template is not None:
        text = _render(template, concern.get("explanation_params"))
        if text is not None:
            return text
    return str(concern.get("explanation") or "")


def quality_advice(code: str, text: str = "") -> str:
    """A quality issue's advice in the current language; `text` (the stored sentence) for an unknown code."""
    template = QUALITY_ADVICE.get(code or "")
    return gettext(template) if template is not None else text


def issue_text(issue: Mapping) -> str:
    """A stored quality issue ({"code", "message"}) in the current language."""
    return quality_advice(str(issue.get("code") or ""), str(issue.get("message") or ""))


def error_text(code: str, detail: str = "") -> str:
    """A failed analysis' sentence in the current language: by its code, else the stored detail, else a generic one."""
    template = ERROR_TEXTS.get(code or "")
    if template is not None:
        return gettext(template)
    return detail or gettext(ANALYSIS_FAILED)


def concern_rendered(concern: Mapping) -> dict:
    """A stored concern as the API shows it: its explanation in the reader's language, without the message id."""
    out = {k: v for k, v in concern.items() if k not in ("explanation_key", "explanation_params")}
    out["explanation"] = explanation_text(concern)
    return out


def quality_rendered(issues) -> list[dict]:
    return [{**issue, "message": issue_text(issue)} for issue in issues or []]
