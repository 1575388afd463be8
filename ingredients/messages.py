"""An ingredient assessment's sentences in the READER's language, rendered when a page or an API response is built.

The assessment (ingredients.assessment) writes English with the message ids and params beside it, and a scan stores
that result; `result_rendered` gives a copy with every sentence translated. A param that is a word for people is
stored as its key (a skin type, a concern) or as its own message id (a caveat, the domain's pregnancy note, a
conflict's advice) and rendered translated too. A result stored before the ids were kept shows its text through
gettext (the English sentence is its own message id when it has no params) or as it is.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext

from domain import messages as M
from domain import vocabulary as vocab
from skincare.core.i18n import translated_message

TEXT_PARAMS = ("caveat", "note", "advice")  # params that are message ids themselves


def _words(params: Mapping) -> dict:
    out = dict(params)
    for name in TEXT_PARAMS:
        if out.get(name):
            out[name] = gettext(str(out[name]))
    if out.get("skin_type") in vocab.SKIN_TYPE_KEYS:  # as it reads in a sentence (German keeps "Mischhaut")
        out["skin_type"] = M.render_param(M.term("skin_type", str(out["skin_type"])), gettext)
    if out.get("concern"):
        out["concern"] = gettext(vocab.concern_phrase(str(out["concern"])))
    return out


def render(msgid: str, params: Mapping | None = None) -> str:
    """gettext(msgid) % params (words translated); the English when a translation does not fit its params."""
    text = translated_message(msgid, _words(params or {}))
    return msgid if text is None else text


def _spec_text(spec, text: str) -> str:
    if isinstance(spec, Mapping) and spec.get("msgid"):
        return render(str(spec["msgid"]), spec.get("params") or {})
    return text


def result_rendered(result: Mapping | None) -> dict:
    """A copy of an assessment result with its sentences in the current language."""
    if not result:
        return dict(result or {})
    # copies of what is rewritten below (the result, its items, warnings and conflicts), the rest shared: the
    # caller's result (a stored scan's, or the one just stored) is left as it was
    out = dict(result)
    for list_key in ("ingredients", "warnings", "conflicts"):
        if out.get(list_key):
            out[list_key] = [dict(entry) for entry in out[list_key]]
    for item in out.get("ingredients") or []:
        notes = list(item.get("notes") or [])
        specs = list(item.get("note_msgs") or [])
        specs += [None] * (len(notes) - len(specs))
        # a note without its message id: the knowledge base's own text, or an older row's sentence (its own msgid)
        item["notes"] = [
            _spec_text(spec, note) if spec else gettext(note) if note else note
            for note, spec in zip(notes, specs, strict=False)
        ]
        item.pop("note_msgs", None)
    for warning in out.get("warnings") or []:
        if warning.get("msgid"):
            warning["message"] = render(str(warning["msgid"]), warning.get("params") or {})
        elif warning.get("message"):
            warning["message"] = gettext(str(warning["message"]))
        warning.pop("msgid", None)
        warning.pop("params", None)
    for conflict in out.get("conflicts") or []:
        if conflict.get("advice"):
            conflict["advice"] = gettext(str(conflict["advice"]))
    for key in ("rule", "disclaimer"):
        if out.get(key):
            out[key] = gettext(str(out[key]))
    return out
