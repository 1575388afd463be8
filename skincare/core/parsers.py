"""The API's JSON parser: DRF's, refusing text that cannot be stored.

JSON may carry a NUL character (`\\u0000`) or an unpaired surrogate (`\\ud800`) in any string, a key included;
PostgreSQL stores neither (text and jsonb refuse NUL; UTF-8 has no surrogates), so such a body reached the
database and answered 500 (found by Schemathesis on `POST /notifications/push`'s free-form `data`). DRF's
CharField already refuses NUL in its own fields; this refuses it everywhere in a JSON body, before any view runs,
with 400 `parse_error`.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable_text(data) -> bool:
    """True when a string anywhere in `data` (dict keys too) holds a NUL or an unpaired surrogate."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _UNSTORABLE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if unstorable_text(data):
            raise ParseError(_("The body holds a character that cannot be stored (a NUL or an unpaired surrogate)."))
        return data
