"""The routine's stored sentences in the reader's language: the one place templates, API serializers (ours
and the seed client's) and notifications render them.

The builder stores each sentence twice: its English text (the model's text field, for old clients, the admin
and search) and its message (`domain.messages`: an `N_` msgid and params, words by key). `render` says the
message with `gettext` in the active language (the middleware makes it the person's), or falls back to the
text as it is: an old row with text only, or a text edited since it was built.
"""

from __future__ import annotations

from domain import messages as M
from skincare.core.i18n import catalog_gettext, translated_msg


def render(message: M.Msg | None, fallback_text: str | None = None) -> str:
    """The message in the active language; `fallback_text` (the stored English text) when there is no message,
    or when the message no longer says what the stored text says (the person edited or cleared the text)."""
    if not message:
        return fallback_text or ""
    try:
        english = M.render(message)
    except (KeyError, TypeError, ValueError):
        return fallback_text or ""
    if fallback_text is not None and english != fallback_text:
        return fallback_text
    return translated_msg(message)


def word(kind: str, key: str) -> str:
    """A word of the domain by its key (`domain.messages` terms: skin_type, budget, concern...), translated."""
    return M.render_param(M.term(kind, key), catalog_gettext)
