"""A no-op marker for words meant for people, so the domain stays free of Django.

`N_("Acne")` returns its argument unchanged; it only marks the string for extraction. The Django layer
translates at render time (`skincare.core.words.say`, i.e. `gettext(text)` on the stored English
msgid). `manage.py makemessages` finds the marker because the project's `makemessages` command adds
`--keyword=N_` to xgettext (skincare/core/management/commands/makemessages.py).
"""

from __future__ import annotations


def N_(text: str) -> str:  # noqa: N802 - the conventional gettext_noop marker name
    return text
