"""The domain's words for people reach the message catalogue: the project's makemessages passes
`--keyword=N_` to xgettext (GNU gettext is installed on the project's machines)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_makemessages_extracts_the_domain_words(tmp_path, monkeypatch):
    # Given a project tree holding only the domain package and a locale folder
    shutil.copytree(ROOT / "domain", tmp_path / "domain")
    (tmp_path / "locale").mkdir()
    monkeypatch.chdir(tmp_path)
    # When messages are extracted
    call_command("makemessages", locale=["fr"], verbosity=0)
    po = (tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    # Then concern labels, active-class phrases, day kinds and upload messages are all there
    for msgid in ("Dark spots", "visible pores", "a retinoid", "Recovery night", "Ask your doctor"):
        assert f'msgid "{msgid}"' in po, msgid
