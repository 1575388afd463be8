"""The OpenAPI schema is complete and every operation not on the PUBLIC list needs a token.

Walks /api/schema/ through the test client and calls each operation without credentials, path
parameters filled with a random UUID. A new public endpoint must be added to PUBLIC on purpose.
"""

from __future__ import annotations

import re
import uuid

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

# (method, path) of operations meant to answer without a token.
PUBLIC = {
    ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/refresh"),
    ("post", "/api/v1/auth/logout"),  # holding the refresh token is the proof
    ("post", "/api/v1/auth/password/reset"),
    ("post", "/api/v1/auth/password/confirm"),
    ("post", "/api/v1/auth/email/confirm"),
    ("post", "/api/v1/auth/otp/request"),
    ("post", "/api/v1/auth/otp/verify"),
    ("post", "/api/v1/share/report"),  # anyone who sees a shared page may report it
}
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def operations(schema) -> list[tuple[str, str]]:
    return [(method, path) for path, item in schema["paths"].items() for method in METHODS if method in item]


def test_schema_lists_the_documented_auth_and_account_paths(schema):
    ops = set(operations(schema))
    for op in [
        ("post", "/api/v1/auth/register"),
        ("post", "/api/v1/auth/login"),
        ("post", "/api/v1/auth/refresh"),
        ("post", "/api/v1/auth/logout"),
        ("get", "/api/v1/auth/me"),
        ("put", "/api/v1/auth/profile"),
        ("patch", "/api/v1/auth/profile"),
        ("post", "/api/v1/auth/password/reset"),
        ("post", "/api/v1/auth/password/confirm"),
        ("post", "/api/v1/auth/otp/request"),
        ("post", "/api/v1/auth/otp/verify"),
        ("get", "/api/v1/account/export"),
        ("delete", "/api/v1/account"),
        ("get", "/api/v1/notifications"),
        ("post", "/api/v1/notifications/{id}/read"),
    ]:
        assert op in ops, op


def test_public_list_is_honest(schema):
    """Every PUBLIC entry exists and the schema itself marks it as needing no auth."""
    for method, path in PUBLIC:
        if path not in schema["paths"]:
            continue  # an app not built yet; nothing to check
        operation = schema["paths"][path][method]
        assert {} in operation.get("security", [{}]), f"{method.upper()} {path} is on PUBLIC but needs auth"


def test_every_non_public_operation_answers_401_without_a_token(schema):
    client = APIClient()
    checked = []
    failures = []
    for method, path in operations(schema):
        if (method, path) in PUBLIC:
            continue
        url = re.sub(r"\{[^}]+\}", lambda _: str(uuid.uuid4()), path)
        response = getattr(client, method)(url, {}, format="json") if method != "get" else client.get(url)
        checked.append((method, path))
        if response.status_code != 401:
            failures.append(f"{method.upper()} {path} -> {response.status_code}")
            continue
        body = response.json()
        if body.get("code") not in {"not_authenticated", "token_not_valid"} or not body.get("detail"):
            failures.append(f"{method.upper()} {path} -> 401 without the envelope: {body}")
    assert not failures, "\n".join(failures)
    assert len(checked) >= 10  # the walk really ran


def test_a_bad_token_is_401_too(schema):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not.a.jwt")
    response = client.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"
