"""Weekday names inside a sentence have their own catalogue entry (context "weekday in a sentence"): Spanish,
French and Portuguese write them in lower case there, while the week view's headings keep the capital."""

from domain import messages as M
from domain.i18n import CONTEXT_SEPARATOR

CATALOG = {
    f"weekday in a sentence{CONTEXT_SEPARATOR}Monday": "lunes",
    "Monday": "Lunes",
    "Thursday": "Jueves",
    "%(days)s and %(last)s": "%(days)s y %(last)s",
    "%(days)s evenings": "%(days)s por la noche",
}


def spanish(text: str) -> str:
    return CATALOG.get(text, text)


def test_a_weekday_in_a_sentence_uses_its_own_entry_else_the_plain_name():
    # Monday has an in-sentence entry; Thursday only its heading form, which is used rather than English.
    assert M.days_phrase([0, 3], "pm", spanish) == "lunes y Jueves por la noche"


def test_english_is_unchanged():
    assert M.days_phrase([0, 3], "pm") == "Monday and Thursday evenings"
    assert M.days_phrase(range(7), "am") == "every morning"
