"""Sentences for people that are stored and read later, in the reader's language (no Django here).

Code without a request (the routine builder) says things as a message: an English msgid marked with `N_`
and its params, `{"msgid": "%(subject)s targets %(concern)s.", "params": {...}}`. The Django layer renders it
with `gettext` when a page or a response is built (`routines.messages.render`); `render(m)` here, with no
gettext, gives the English text that is stored beside it for old clients, the admin and search.

A param is one of:
- a number or a string said as it is (a product's name, a week number);
- a word of the domain, by its key: `{"term": "active" | "concern" | "region" | "severity" | "skin_type" |
  "budget" | "category", "key": ...}` (translated where shown), or a msgid of its own: `{"word": msgid}`;
- weekdays: `{"days": [0, 3], "period": "pm"}` ("Monday and Thursday evenings"), or as a plain list
  `{"days": [0, 3], "list": true}` ("Monday, Thursday");
- another message, or `{"join": [params], "sep": msgid}` (", then ") or `{"concat": [messages]}` (sentences
  one after the other).
Any param dict may carry `"cap": true`: its first letter in upper case (it starts the sentence).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from . import actives as A
from . import routine as R
from . import vocabulary as V
from .i18n import N_, in_context

Gettext = Callable[[str], str]
Msg = dict[str, Any]


def _same(text: str) -> str:
    return text


def msg(msgid: str, **params: Any) -> Msg:
    """A message: an `N_`-marked English msgid with `%(name)s` placeholders, and their params."""
    return {"msgid": msgid, "params": params} if params else {"msgid": msgid}


def term(kind: str, key: str, *, cap: bool = False) -> dict:
    out: dict[str, Any] = {"term": kind, "key": key}
    if cap:
        out["cap"] = True
    return out


def word(msgid: str, *, cap: bool = False) -> dict:
    out: dict[str, Any] = {"word": msgid}
    if cap:
        out["cap"] = True
    return out


def days(weekdays: Iterable[int], period: str | None = None) -> dict:
    out: dict[str, Any] = {"days": sorted(int(d) for d in weekdays)}
    if period:
        out["period"] = period
    return out


def days_of_list(weekdays: Iterable[int]) -> dict:
    """Weekdays as a plain list: 'every day', or 'Monday, Thursday'."""
    return {"days": sorted(int(d) for d in weekdays), "list": True}


def join(items: Iterable[Any], sep: str) -> dict:
    return {"join": list(items), "sep": sep}


def concat(*messages: Msg | None) -> Msg:
    """Sentences one after the other (a message; None parts left out)."""
    parts = [m for m in messages if m]
    return parts[0] if len(parts) == 1 else {"concat": parts}


def cap(value: dict) -> dict:
    return {**value, "cap": True}


def is_message(value: Any) -> bool:
    return isinstance(value, dict) and ("msgid" in value or "concat" in value)


# The words of a term, by kind: an English msgid marked in the domain.
def _term_word(kind: str, key: str, gettext: Gettext) -> str:
    if kind == "active":
        a = A.ACTIVE_BY_KEY.get(key)
        return gettext(a.phrase) if a else key.replace("_", " ")
    if kind == "concern":
        c = V.CONCERN_BY_KEY.get(key)
        return gettext(c.phrase) if c else key.replace("_", " ")
    if kind == "region":
        return gettext(V.region_word(key))
    if kind == "severity":
        return gettext(V.SEVERITY_LABELS.get(key, key))
    if kind == "skin_type":
        label = dict(V.SKIN_TYPE_CHOICES).get(key)
        return in_context(V.SKIN_TYPE_IN_SENTENCE, label, gettext, str.lower) if label else key.replace("_", " ")
    if kind == "budget":
        label = dict(V.BUDGET_CHOICES).get(key)
        return in_context(V.BUDGET_IN_SENTENCE, label, gettext, str.lower) if label else key
    if kind == "category":
        return gettext(dict(R.STEPS).get(key, key))
    return key


def days_phrase(weekdays: Iterable[int], period: str | None = None, gettext: Gettext = _same) -> str:
    """'Monday and Thursday evenings', 'every morning', 'Tuesday, Friday and Sunday'."""
    d = sorted(set(int(x) for x in weekdays))
    if tuple(d) == R.ALL_DAYS:
        every = {"am": N_("every morning"), "pm": N_("every evening")}.get(period or "", N_("every day"))
        return gettext(every)
    names = [in_context(R.WEEKDAY_IN_SENTENCE, R.WEEKDAYS[x], gettext) for x in d]
    if not names:
        return ""
    text = (
        names[0]
        if len(names) == 1
        else gettext(N_("%(days)s and %(last)s")) % {"days": gettext(N_(", ")).join(names[:-1]), "last": names[-1]}
    )
    if period == "am":
        return gettext(N_("%(days)s mornings")) % {"days": text}
    if period == "pm":
        return gettext(N_("%(days)s evenings")) % {"days": text}
    return text


def days_list(weekdays: Iterable[int], gettext: Gettext = _same) -> str:
    """'every day', or 'Monday, Thursday' (a plain list of weekdays)."""
    d = sorted(set(int(x) for x in weekdays))
    if tuple(d) == R.ALL_DAYS:
        return gettext(N_("every day"))
    return gettext(N_(", ")).join(gettext(R.WEEKDAYS[x]) for x in d)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def render_param(value: Any, gettext: Gettext = _same) -> str:
    if not isinstance(value, dict):
        return str(value)
    if "msgid" in value or "concat" in value:
        text = render(value, gettext)
    elif "term" in value:
        text = _term_word(str(value["term"]), str(value.get("key", "")), gettext)
    elif "word" in value:
        text = gettext(str(value["word"]))
    elif "days" in value:
        if value.get("list"):
            text = days_list(value["days"], gettext)
        else:
            text = days_phrase(value["days"], value.get("period"), gettext)
    elif "join" in value:
        text = gettext(str(value.get("sep") or ", ")).join(render_param(v, gettext) for v in value["join"])
    else:
        text = ""
    return _upper_first(text) if value.get("cap") else text


def render(message: Msg | None, gettext: Gettext = _same) -> str:
    """The message in words: English with the default `gettext`, the reader's language with Django's."""
    if not message:
        return ""
    if "concat" in message:
        return " ".join(t for t in (render(m, gettext) for m in message["concat"]) if t)
    text = gettext(str(message["msgid"]))
    params = message.get("params") or {}
    if params:
        text = text % {k: render_param(v, gettext) for k, v in params.items()}
    return _upper_first(text) if message.get("cap") else text
