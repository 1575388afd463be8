"""Words inside a sentence have catalogue entries of their own (contexts "weekday in a sentence", "skin type in a
sentence", "budget in a sentence"): es, fr and pt write weekdays in lower case there, German keeps
its nouns' capital."""

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


def test_a_skin_type_in_a_sentence_keeps_the_catalogue_s_own_form():
    german = {
        f"skin type in a sentence{CONTEXT_SEPARATOR}Combination": "Mischhaut",
        "Oily": "Fettig",
    }
    say = lambda text: german.get(text, text)  # noqa: E731
    assert M.render_param(M.term("skin_type", "combination"), say) == "Mischhaut"  # its noun's capital kept
    assert M.render_param(M.term("skin_type", "oily"), say) == "fettig"  # no entry: the label, lower-cased
    assert M.render_param(M.term("skin_type", "oily")) == "oily"
    assert M.render_param(M.term("budget", "low")) == "low"
