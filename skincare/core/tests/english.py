"""Finds English the app wrote itself on a page rendered in another language.

"The app's own strings" are (1) every msgid of the catalogs (marked strings: templates, forms, messages,
errors) and (2) every sentence written literally in a template, marked or not — so a string nobody marked is
caught too. A page in Spanish must contain none of them with three words or more (shorter ones, such as
"Email" or "Vegan", are often the same word in Spanish).
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib
from django.conf import settings
from django.template.base import Lexer, TokenType

ROOT = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [ROOT / "templates", ROOT / "skincare" / "core" / "templates"]
MIN_WORDS = 3
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
# Text that stays the same in every language: names, units, formats, examples (a list for review).
SAME_IN_EVERY_LANGUAGE = {
    "Skincare",
    "HH:MM",
}


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _TextOf(HTMLParser):
    """What a person meets on the page: text, and the attributes read aloud or shown (alt, title, aria-label...)."""

    SKIP = {"script", "style", "template", "noscript"}
    SPOKEN = {"alt", "title", "aria-label", "placeholder", "aria-description"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        for name, value in attrs:
            if name in self.SPOKEN and value:
                self.parts.append(value)
            if tag == "input" and name == "value" and dict(attrs).get("type") in ("submit", "button") and value:
                self.parts.append(value)
        if tag == "meta" and dict(attrs).get("name") == "description":
            self.parts.append(dict(attrs).get("content") or "")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _TextOf()
    parser.feed(html)
    return _normalise(" ".join(parser.parts))


def _sentences_in(text: str) -> list[str]:
    """Pieces of English between tags, placeholders and sentence ends, with at least MIN_WORDS words."""
    text = re.sub(r"<[^>]*>", "\n", text)
    text = re.sub(r"%\(\w+\)[sd]|\{\{.*?\}\}|\{%.*?%\}", "\n", text)
    out = []
    for piece in re.split(r"[\n.!?:;·—–()\[\]|]+", text):
        piece = _normalise(piece).strip(" ,\"'“”«»")
        if len(_WORD.findall(piece)) >= MIN_WORDS and piece not in SAME_IN_EVERY_LANGUAGE:
            out.append(piece)
    return out


@cache
def english_sentences() -> frozenset[str]:
    found: set[str] = set()
    for po_path in (ROOT / "locale" / "es" / "LC_MESSAGES").glob("*.po"):
        for entry in polib.pofile(str(po_path)):
            for msgid in (entry.msgid, entry.msgid_plural):
                if msgid:
                    found.update(_sentences_in(msgid))
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            if "admin" in path.parts:
                continue  # the staff side stays in Django admin's own languages
            for token in Lexer(path.read_text()).tokenize():
                if token.token_type == TokenType.TEXT:
                    found.update(_sentences_in(token.contents))
    return frozenset(found)


def english_left(html: str) -> list[str]:
    """The app's English sentences still on the page (empty when the page is fully translated)."""
    text = visible_text(html)
    return sorted(s for s in english_sentences() if s in text)
