"""A no-op marker for words meant for people, so the domain stays free of Django.

`N_("Acne")` returns its argument unchanged; it only marks the string for extraction. The Django layer
translates at render time (`skincare.core.words.say`, i.e. `gettext(text)` on the stored English
msgid). `manage.py makemessages` finds the marker because the project's `makemessages` command adds
`--keyword=N_` to xgettext (skincare/core/management/commands/makemessages.py).
"""

from __future__ import annotations


def N_(text: str) -> str:  # noqa: N802 - the conventional gettext_noop marker name
    return text


# gettext's separator between a message's context and its msgid (what Django's pgettext looks up).
CONTEXT_SEPARATOR = "\x04"


def NC_(context: str, text: str) -> str:  # noqa: N802 - pgettext_noop's marker: extracted with its context
    """Marks `text` for extraction under `context` (`--keyword=NC_:1c,2`); returns the text unchanged."""
    return text


def in_context(context: str, text: str, say, otherwise=None) -> str:
    """`text` translated under `context` with a one-argument gettext `say` (pgettext's lookup); when the catalogue
    has no such entry, `say(text)` (passed through `otherwise`, e.g. `str.lower`, when given)."""
    out = say(context + CONTEXT_SEPARATOR + text)
    if CONTEXT_SEPARATOR not in out:
        return out
    plain = say(text)
    return otherwise(plain) if otherwise else plain
