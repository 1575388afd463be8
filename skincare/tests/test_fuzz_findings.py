"""What Schemathesis found (scripts/fuzz.py, `make fuzz`), each kept as a regression test."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    return client.get("/api/schema/?format=json").json()


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_scan_with_a_non_string_image_data_is_a_400_not_a_500(auth_client):
    r = auth_client.post("/api/v1/ingredients/scan", {"file": "", "image_data": [None, None]}, format="json")
    assert r.status_code == 400, r.content
    assert r.json()["code"] == "not_an_image" and "image_data" in r.json()["errors"]  # the one intake's code


@pytest.mark.parametrize("path", ["/api/v1/shelf", "/api/v1/routine/my-routines"])
def test_paginated_lists_are_documented_as_pages(schema, auth_client, path):
    """Both answered a page ({count, next, previous, results}) where the schema declared one object."""
    documented = _resolve(
        schema, schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    )
    assert set(documented["required"]) >= {"count", "results"}
    assert documented["properties"]["results"]["type"] == "array"
    body = auth_client.get(path).json()
    assert set(body) == {"count", "next", "previous", "results"}


def test_every_operation_documents_the_error_envelope_and_retry_after(schema):
    envelope = schema["components"]["schemas"]["ErrorEnvelope"]
    assert envelope["required"] == ["detail", "code"] and "errors" in envelope["properties"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            for code in ("401", "404", "429", "503"):
                assert code in responses, (method, path, code)
                assert responses[code]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ErrorEnvelope"
                }
            assert "Retry-After" in responses["429"]["headers"] and "Retry-After" in responses["503"]["headers"]
