"""An ingredient assessment's sentences in the READER's language, rendered when a page or an API response is built.

The assessment (ingredients.assessment) writes English with the message ids and params beside it, and a scan stores
that result; `result_rendered` gives a copy with every sentence translated. A param that is a word for people is
stored as its key (a skin type, a concern) or as its own message id (a caveat, the domain's pregnancy note, a
conflict's advice) and rendered translated too. A result stored before the ids were kept shows its text through
gettext (the English sentence is its own message id when it has no params) or as it is.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Mapping

from django.utils.translation import gettext

from domain import vocabulary as vocab

logger = logging.getLogger(__name__)
TEXT_PARAMS = ("caveat", "note", "advice")  # params that are message ids themselves


def _words(params: Mapping) -> dict:
    out = dict(params)
    for name in TEXT_PARAMS:
        if out.get(name):
            out[name] = gettext(str(out[name]))
    if out.get("skin_type"):
        label = dict(vocab.SKIN_TYPE_CHOICES).get(str(out["skin_type"]))
        out["skin_type"] = gettext(label).lower() if label else out["skin_type"]
    if out.get("concern"):
        out["concern"] = gettext(vocab.concern_phrase(str(out["concern"])))
    return out


def render(msgid: str, params: Mapping | None = None) -> str:
    """gettext(msgid) % params (words translated); the English when a translation does not fit its params."""
    values = _words(params or {})
    try:
        return gettext(msgid) % values if values else gettext(msgid)
    except (KeyError, TypeError, ValueError):
        logger.warning("Message %r does not fit its params %r", msgid[:40], params)
    try:
        return msgid % values if values else msgid
    except (KeyError, TypeError, ValueError):
        return msgid


def _spec_text(spec, text: str) -> str:
    if isinstance(spec, Mapping) and spec.get("msgid"):
        return render(str(spec["msgid"]), spec.get("params") or {})
    return text


def result_rendered(result: Mapping | None) -> dict:
    """A copy of an assessment result with its sentences in the current language."""
    if not result:
        return dict(result or {})
    out = copy.deepcopy(dict(result))
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
