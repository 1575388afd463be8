from django import template

register = template.Library()


@register.filter
def humanize_key(value) -> str:
    """ "pregnancy_caution" → "Pregnancy caution"."""
    text = str(value or "").replace("_", " ")
    return text[:1].upper() + text[1:]
