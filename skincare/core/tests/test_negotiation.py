"""skincare.core.negotiation: the common Accept headers take the short way, and answer what DRF's negotiation would."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ME = "/api/v1/auth/me"


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "application/json, text/plain, */*"])
def test_what_apps_send_gets_json(auth_client, accept):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    response = auth_client.get(ME, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_parameters_still_reach_the_renderer(auth_client):
    response = auth_client.get(ME, HTTP_ACCEPT="application/json; indent=2")
    assert response.status_code == 200
    assert response.content.startswith(b'{\n  "')


def test_a_type_the_api_cannot_write_is_refused(auth_client):
    response = auth_client.get(ME, HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert response.json()["code"] == "not_acceptable"


@pytest.mark.parametrize(
    ("ask", "kind"), [({"HTTP_ACCEPT": "application/zip"}, "application/zip"), ({}, "application/json")]
)
def test_the_export_still_chooses_by_accept(auth_client, ask, kind):
    response = auth_client.get("/api/v1/account/export", **ask)
    assert response.status_code == 200
    assert response["Content-Type"] == kind


def test_format_in_the_query_still_chooses(auth_client):
    response = auth_client.get("/api/v1/account/export?format=zip", HTTP_ACCEPT="*/*")
    assert response["Content-Type"] == "application/zip"


@pytest.mark.parametrize(
    ("query", "parsed"),
    [("", False), ("?q=cream&page_size=20", False), ("?page=2&format=json", True), ("?%66ormat=json", True)],
)
def test_a_query_is_parsed_only_where_it_may_hold_format(query, parsed):
    """Only a query string that may hold ?format= (its name, or a percent escape that could spell it) is parsed."""
    from django.test import RequestFactory
    from rest_framework.renderers import JSONRenderer
    from rest_framework.request import Request

    from skincare.core.negotiation import ContentNegotiation

    plain = RequestFactory().get(ME + query)
    renderer, media_type = ContentNegotiation().select_renderer(Request(plain), [JSONRenderer()])
    assert (type(renderer), media_type) == (JSONRenderer, "application/json")
    assert ("GET" in plain.__dict__) is parsed  # WSGIRequest.GET is a cached_property: made only when read


def test_a_percent_escaped_format_still_chooses(auth_client):
    response = auth_client.get("/api/v1/account/export?%66ormat=zip", HTTP_ACCEPT="*/*")
    assert response["Content-Type"] == "application/zip"
