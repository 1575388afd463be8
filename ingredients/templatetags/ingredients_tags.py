from django import template

register = template.Library()


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
