from django import template
from django.utils.translation import pgettext_lazy

register = template.Library()

# An ingredient's flags (ingredients.assessment), as the badges beside it say them.
FLAG_LABELS = {
    "allergen": pgettext_lazy("ingredient flag", "Allergen"),
    "fragrance": pgettext_lazy("ingredient flag", "Fragrance"),
    "comedogenic": pgettext_lazy("ingredient flag", "Comedogenic"),
    "irritant": pgettext_lazy("ingredient flag", "Irritant"),
    "pregnancy_caution": pgettext_lazy("ingredient flag", "Pregnancy caution"),
    "prohibited": pgettext_lazy("ingredient flag", "Prohibited"),
    "restricted": pgettext_lazy("ingredient flag", "Restricted"),
    "avoid_for_skin_type": pgettext_lazy("ingredient flag", "Avoid for skin type"),
    "user_allergy": pgettext_lazy("ingredient flag", "User allergy"),
}


@register.filter
def humanize_key(value) -> str:
    """ "pregnancy_caution" → "Pregnancy caution"."""
    text = str(value or "").replace("_", " ")
    return text[:1].upper() + text[1:]


@register.filter
def concern_label(key) -> str:
    """A concern key in words for people (domain.vocabulary), translated."""
    from django.utils.translation import gettext

    from domain import vocabulary

    return gettext(vocabulary.concern_label(str(key or "")))


@register.filter
def ingredient_flag(value) -> str:
    """An ingredient's flag in the page's language; an unknown one humanised ("new_flag" → "New flag")."""
    label = FLAG_LABELS.get(str(value or ""))
    return str(label) if label is not None else humanize_key(value)
