"""A JSON body with text PostgreSQL cannot store (a NUL, an unpaired surrogate) is a 400, never a 500 (found by
Schemathesis on the seed client's free-form notification `data`), and nothing is written."""

from __future__ import annotations

import pytest

from skincare.core.parsers import unstorable_text

PUSH = "/api/v1/notifications/push"


@pytest.mark.parametrize(
    "body",
    [
        '{"title": "Hi", "type": "tip", "data": {"note": "a\\u0000b"}}',  # NUL deep in free-form data
        '{"title": "Hi", "type": "tip", "data": {"a\\u0000": 1}}',  # in a key
        '{"title": "\\ud929", "type": "tip"}',  # an unpaired surrogate
        '{"title": "Hi", "type": "tip", "data": [[{"x": ["\\udfff"]}]]}',
    ],
)
def test_unstorable_text_is_a_400_parse_error_and_nothing_is_written(auth_client, user, body):
    response = auth_client.post(PUSH, data=body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "parse_error"
    assert not user.notifications.exists()


def test_a_surrogate_pair_and_other_unicode_are_fine(auth_client, user):
    body = '{"title": "\\ud83d\\ude00 caf\\u00e9", "type": "tip", "data": {"emoji": "\\ud83d\\udc4d"}}'
    response = auth_client.post(PUSH, data=body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert user.notifications.get().title == "😀 café"


def test_the_check_walks_keys_values_and_lists():
    assert not unstorable_text({"a": ["b", {"c": 1.5, "d": None, "e": True}]})
    assert unstorable_text({"a": ["b", {"c": "\x00"}]})
    assert unstorable_text({"\ud800": 1})
