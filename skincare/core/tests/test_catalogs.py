"""The message catalogs in locale/: complete, never fuzzy, placeholders intact, and up to date with the code.

English is the source language (the msgids), so it needs no catalog. Arabic is partial on purpose: it is there
for right-to-left readiness (README, "Languages"); it may miss entries but not break any.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
COMPLETE = ["es", "fr", "de", "pt_BR", "hi"]
PARTIAL = ["ar"]
DOMAINS = ["django", "djangojs"]
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|<a href=\"%\(\w+\)s\">|</a>")


def _catalog(language: str, domain: str) -> polib.POFile:
    path = LOCALE / language / "LC_MESSAGES" / f"{domain}.po"
    assert path.exists(), f"{path} is missing: run `make messages`"
    return polib.pofile(str(path))


def _placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


def test_every_configured_language_has_its_catalogs():
    codes = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    on_disk = {path.name.lower().replace("_", "-") for path in LOCALE.iterdir() if path.is_dir()}
    assert codes == on_disk


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", COMPLETE)
def test_complete_catalog_has_no_untranslated_or_fuzzy_entry(language, domain):
    catalog = _catalog(language, domain)
    assert catalog.metadata.get("Language") == language and not catalog.metadata_is_fuzzy
    untranslated = [e.msgid for e in catalog.untranslated_entries()]
    fuzzy = [e.msgid for e in catalog.fuzzy_entries()]
    obsolete = [e.msgid for e in catalog.obsolete_entries()]
    assert untranslated == [], f"{language}/{domain}: untranslated entries"
    assert fuzzy == [], f"{language}/{domain}: fuzzy entries (review them, then drop the flag)"
    assert obsolete == [], f"{language}/{domain}: obsolete entries (make messages drops them)"


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", COMPLETE + PARTIAL)
def test_translations_keep_every_placeholder_and_link(language, domain):
    catalog = _catalog(language, domain)
    assert catalog.fuzzy_entries() == []
    broken = []
    for entry in catalog.translated_entries():
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        source = _placeholders(entry.msgid_plural or entry.msgid)
        for form in forms:
            got = _placeholders(form)
            # A plural form may leave out the count (a language that says "one" in words), nothing else.
            if got != source and not (entry.msgid_plural and set(got) <= set(source)):
                broken.append((entry.msgid, form))
    assert broken == []


@pytest.mark.parametrize("language", COMPLETE + PARTIAL)
def test_our_catalog_never_overrides_django_s_own_translation(language):
    """The project's catalog comes first for every msgid, Django's own included: a translation of ours for
    "Change" (a score's change) would rename the admin's "Change" buttons, capitalised weekdays would change every
    date Django formats. A word of ours that means something else takes a context (`{% translate ... context %}`)."""
    import django

    path = Path(django.__file__).parent / "conf" / "locale" / language / "LC_MESSAGES" / "django.po"
    django_own = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path)) if e.translated()}
    differ = []
    for entry in _catalog(language, "django").translated_entries():
        theirs = django_own.get((entry.msgctxt, entry.msgid))
        if theirs is not None and (entry.msgstr, entry.msgstr_plural) != (theirs.msgstr, theirs.msgstr_plural):
            differ.append((entry.msgid, entry.msgstr, theirs.msgstr))
    assert differ == []


def test_partial_catalog_translates_the_layout():
    catalog = _catalog("ar", "django")
    translated = {e.msgid for e in catalog.translated_entries()}
    for msgid in ("Skip to content", "Menu", "Language", "Change language", "Sign in", "Skin analysis"):
        assert msgid in translated


def test_catalogs_compile_with_msgfmt_check(tmp_path):
    """What compilemessages runs (msgfmt --check-format): a broken format string fails here, not in production."""
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext (msgfmt) is missing: install the package 'gettext'"
    for po in LOCALE.glob("*/LC_MESSAGES/*.po"):
        done = subprocess.run([msgfmt, "--check", "-o", str(tmp_path / "out.mo"), str(po)], capture_output=True)
        assert done.returncode == 0, f"{po}: {done.stderr.decode()}"


@pytest.mark.slow
def test_catalogs_hold_every_marked_string(tmp_path):
    """A string marked in the code but not extracted (someone forgot `make messages`) fails here.

    makemessages runs on a copy of the sources, so the working tree is left as it is.
    """
    copy = tmp_path / "src"
    ignore = shutil.ignore_patterns(".venv", "node_modules", "var", ".git", "staticfiles", "*.mo", "__pycache__")
    shutil.copytree(ROOT, copy, ignore=ignore, symlinks=True)
    done = subprocess.run(
        ["bash", "scripts/messages.sh", "extract"],
        cwd=copy,
        capture_output=True,
        env={
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "PYTHON": sys.executable,
            "HF_HUB_OFFLINE": "1",
            "SECRET_KEY": "x" * 50,
        },
    )
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    for language in COMPLETE + PARTIAL:
        for domain in DOMAINS:
            fresh = polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / f"{domain}.po"))
            ours = _catalog(language, domain)
            key = lambda e: (e.msgctxt, e.msgid)  # noqa: E731
            missing = sorted({key(e) for e in fresh} - {key(e) for e in ours}, key=str)
            stale = sorted({key(e) for e in ours} - {key(e) for e in fresh}, key=str)
            assert missing == [], f"{language}/{domain}: marked strings missing from the catalog: run `make messages`"
            assert stale == [], f"{language}/{domain}: strings no longer in the code: run `make messages`"
