"""Progress sentences that are STORED (milestones, comparisons' alignment failures) or computed by pure code
(progress.stats' trend reasons), rendered in the READER's language when a page or an API response is built.

A milestone keeps its title's and body's message id and params in `data` ({"title_msgid", "body_msgid",
"params"}); a param that is a word for people is stored as its key (`concern`) and rendered translated. A row
written before (text only) shows its text as it is.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

from domain import vocabulary as vocab
from skincare.core.i18n import translated_message

STREAK_TITLES = {
    "log": N_("Progress logged %(days)d days in a row"),
    "routine": N_("Routine done %(days)d days in a row"),
}
STREAK_BODIES = {
    "log": N_("You checked in every day for %(days)d days."),
    "routine": N_("You completed your routine %(days)d days running."),
}
IMPROVED_TITLE = N_("%(concern)s improved by %(level)d+ points")
IMPROVED_BODY = N_("Your %(concern)s score went from %(first)s to %(latest)s.")
MILESTONE_MSGIDS = frozenset({*STREAK_TITLES.values(), *STREAK_BODIES.values(), IMPROVED_TITLE, IMPROVED_BODY})

# The alignment's failures (Comparison.failure holds the English sentence: it is its own message id).
PHOTO_DELETED = N_("A photo was deleted: the scores are compared without pictures.")
LANDMARKS_MISSING = N_("Face landmarks are missing on one of the photos.")
UNREADABLE = N_("The photos could not be read for alignment.")
ALIGNMENT_FAILURES = (
    PHOTO_DELETED,
    LANDMARKS_MISSING,
    UNREADABLE,
    N_("The two photos have different landmark sets."),
    N_("The landmarks are degenerate (all at one point)."),
    N_("No transform fits these landmarks."),
)

# progress.stats' trend reasons (pure code: it marks nothing, these are the same English templates).
TREND_REASONS = (
    N_("No measurement yet."),
    N_("Needs at least %(needed)d analyses for a trend (%(count)d so far)."),
    N_("Needs analyses spread over at least %(days)d days for a trend."),
)


def _words(params: Mapping) -> dict:
    """Params as shown: a concern key becomes its (translated) name."""
    out = dict(params)
    if "concern" in out:
        out["concern"] = gettext(vocab.concern_label(str(out["concern"])))
    return out


def render(msgid: str, params: Mapping | None = None) -> str:
    """gettext(msgid) % params; the English when a translation does not fit its params."""
    return translated_message(msgid, _words(params or {})) or ""


def milestone_text(data: Mapping | None, part: str) -> str:
    """A milestone's "title" or "body" in the current language; "" when it was stored as text only."""
    msgid = (data or {}).get(f"{part}_msgid")
    if not msgid or msgid not in MILESTONE_MSGIDS:  # only ours (a person's own milestone's data is theirs)
        return ""
    return render(str(msgid), (data or {}).get("params") or {})


def failure_text(failure: str) -> str:
    """A comparison's stored alignment failure in the current language (the English is its own message id)."""
    return gettext(failure) if failure else ""


def trend_reason(trend: Mapping) -> str | None:
    """A trend's reason (progress.stats.Trend.as_dict) in the current language."""
    msgid = trend.get("reason_msgid")
    if not msgid:
        return trend.get("reason")
    return render(str(msgid), trend.get("reason_params") or {})
