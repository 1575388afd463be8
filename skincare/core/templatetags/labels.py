"""Words for the stable codes the pages show (a concern key, a severity, a trend's verdict, a skin type), in the
page's language: `{% load labels %}` then `{{ concern.key|concern_label }}`, `{{ c.severity|severity_label }}`,
`{{ t.verdict|verdict_label }}`, `{{ a.skin_type|skin_type_label }}`, `{{ result.verdict|rating_label }}`,
`{{ link.state|share_state_label }}`.

The codes stay what the API and the engine use (`acne`, `mild`, `improving`); only what a person reads changes.
Concern and skin-type names come from their one home (accounts.models.CONCERN_LABELS / SKIN_TYPES).
An unknown code is shown as it is, so nothing disappears from a page.
"""

from __future__ import annotations

from django import template
from django.utils.translation import pgettext_lazy

register = template.Library()

SEVERITY_LABELS = {
    "none": pgettext_lazy("severity", "none"),
    "mild": pgettext_lazy("severity", "mild"),
    "moderate": pgettext_lazy("severity", "moderate"),
    "severe": pgettext_lazy("severity", "severe"),
}
VERDICT_LABELS = {
    "improving": pgettext_lazy("trend", "improving"),
    "stable": pgettext_lazy("trend", "stable"),
    "worsening": pgettext_lazy("trend", "worsening"),
}
RATINGS = {  # an ingredient's or a product's rating (ingredients.rules): a colour
    "green": pgettext_lazy("rating", "green"),
    "yellow": pgettext_lazy("rating", "yellow"),
    "red": pgettext_lazy("rating", "red"),
}
OVERALL = pgettext_lazy("score", "Overall")  # the overall score's trend, beside the concerns
SHARE_STATES = {
    "live": pgettext_lazy("share link", "live"),
    "expired": pgettext_lazy("share link", "expired"),
    "revoked": pgettext_lazy("share link", "revoked"),
    "hidden": pgettext_lazy("share link", "hidden by the moderators"),
}


def _key(value) -> str:
    """A code as stored ("dark_circles") or as some views humanise it ("Dark circles")."""
    return str(value or "").strip().lower().replace(" ", "_")


def _lookup(labels: dict, value):
    return labels.get(_key(value), value)


@register.filter
def concern_label(value):
    """A concern's name; "overall" (the overall score's trend, shown beside the concerns') too."""
    from accounts.models import CONCERN_LABELS

    return OVERALL if _key(value) == "overall" else _lookup(CONCERN_LABELS, value)


@register.filter
def skin_type_label(value):
    from accounts.models import SKIN_TYPES

    return _lookup(dict(SKIN_TYPES), value)


@register.filter
def severity_label(value):
    return _lookup(SEVERITY_LABELS, value)


@register.filter
def verdict_label(value):
    return _lookup(VERDICT_LABELS, value)


@register.filter
def rating_label(value):
    return _lookup(RATINGS, value)


@register.filter
def share_state_label(value):
    return _lookup(SHARE_STATES, value)
