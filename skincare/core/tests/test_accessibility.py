"""WCAG 2.2 AA in a real browser: axe-core (from npm, node_modules/axe-core) over every page of the site.

Every page in skincare/core/tests/pages.py, signed out and signed in, on a phone (390x844, menu open) and a
desktop (1280x900), in English and Spanish, and once in the dark colour scheme: no serious or critical
violation. The counts of every impact are written to var/a11y/axe-report.json (A11Y_REPORT overrides the
path) for the record.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.tests.factories import UserFactory

from .pages import NOT_PAGES, PAGES, build_world

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
LANGUAGES = ["en", "es"]
# Phone and desktop in both languages (light), and the dark colour scheme once (its own contrast).
CONFIGURATIONS = [
    *((language, viewport, "light") for language in LANGUAGES for viewport in VIEWPORTS),
    ("en", "desktop", "dark"),
]
BLOCKING = {"serious", "critical"}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
REPORT = Path(os.environ.get("A11Y_REPORT", Path(settings.BASE_DIR) / "var" / "a11y" / "axe-report.json"))


def _url_names(resolver=None, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith(("api/", "admin/")):
                continue
            space = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= _url_names(entry, space)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def test_every_page_is_listed():
    """A new page route goes into PAGES (audited) or NOT_PAGES (with the reason it is not a page)."""
    listed = {p.name for p in PAGES} | set(NOT_PAGES)
    assert _url_names() - listed == set()
    assert {p.name for p in PAGES} & set(NOT_PAGES) == set()


def _login_cookie(live_server, user) -> dict:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}


def _open(page, live_server, entry, world) -> None:
    path = entry.path(world)
    page.goto(live_server.url + path, wait_until="load")
    if entry.post:
        # The form-error state: fill the page's own form (CSRF token and all) and submit it.
        with page.expect_navigation(wait_until="load"):
            page.evaluate(
                """(data) => {
                    const forms = [...document.querySelectorAll("main form[method=post]")];
                    const form = forms.find(f => Object.keys(data).some(k => f.elements[k])) || forms[0];
                    for (const [k, v] of Object.entries(data)) { if (form.elements[k]) form.elements[k].value = v; }
                    form.noValidate = true;
                    HTMLFormElement.prototype.submit.call(form);
                }""",
                entry.post,
            )


def _audit(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
        }""",
        TAGS,
    )
    return result


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.django_db(transaction=True)
def test_every_page_passes_axe_at_phone_and_desktop_in_english_and_spanish(browser_page, live_server, password):
    assert AXE.exists(), f"{AXE} is missing: run `make install` (npm ci installs axe-core from package-lock.json)"
    world = build_world(UserFactory(password=password))
    page = browser_page
    runs = []
    for signed_in in (False, True):
        page.context.clear_cookies()
        if signed_in:
            page.context.add_cookies([_login_cookie(live_server, world.user)])
        for language, viewport_name, scheme in CONFIGURATIONS:
            page.context.set_extra_http_headers({"Accept-Language": language})
            page.emulate_media(color_scheme=scheme)
            page.set_viewport_size(VIEWPORTS[viewport_name])
            for entry in (p for p in PAGES if p.signed_in == signed_in):
                _open(page, live_server, entry, world)
                toggle = page.locator(".nav-toggle")
                if toggle.is_visible():  # on a phone: audit with the menu open, every link showing
                    toggle.click()
                violations = _audit(page)
                runs.append(
                    {
                        "page": entry.label,
                        "viewport": viewport_name,
                        "language": language,
                        "scheme": scheme,
                        "violations": violations,
                    }
                )

    counts = Counter(v["impact"] for run in runs for v in run["violations"])
    by_rule = Counter(f"{v['impact']}:{v['id']}" for run in runs for v in run["violations"])
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(
        json.dumps(
            {"axe": AXE.parent.name, "runs": len(runs), "impacts": counts, "rules": by_rule, "details": runs}, indent=1
        )
    )
    blocking = [
        f"{run['page']} {run['viewport']} {run['language']}: {v['impact']} {v['id']} ({v['help']}) at {v['targets']}"
        for run in runs
        for v in run["violations"]
        if v["impact"] in BLOCKING
    ]
    assert len(runs) == len(PAGES) * len(CONFIGURATIONS)
    assert blocking == [], "\n".join(blocking)
