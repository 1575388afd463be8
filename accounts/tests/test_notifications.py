"""Notifications: the service, the API, the live socket and the notification centre page."""

from __future__ import annotations

import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.urls import reverse

from accounts.models import Notification
from accounts.services import notification_create, notification_group
from skincare.core.testing import WebsocketCommunicator

pytestmark = pytest.mark.django_db


def make(user, n=1, **kw):
    return [notification_create(user=user, kind="test", title=f"Title {i}", body="Body", **kw) for i in range(n)]


# --- service ---------------------------------------------------------------------------------
def test_notification_create_writes_row_and_pushes_after_commit(user, django_capture_on_commit_callbacks):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(notification_group(user.pk), channel)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        n = notification_create(user=user, kind="routine.reminder", title="Time for your PM routine", url="/routines/")

    # One push (the read cache's version bump is the other callback).
    assert len([c for c in callbacks if "notification_create" in c.__qualname__]) == 1
    assert Notification.objects.get(pk=n.pk).title == "Time for your PM routine"
    event = async_to_sync(layer.receive)(channel)
    assert event["type"] == "notification.new"
    assert event["notification"]["id"] == str(n.id)
    assert event["notification"]["url"] == "/routines/"


def test_notification_create_does_not_push_before_commit(user, django_capture_on_commit_callbacks, monkeypatch):
    pushed = []
    monkeypatch.setattr("accounts.services._push", lambda group, event: pushed.append(group))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification_create(user=user, kind="x", title="t")
    assert pushed == []
    for callback in callbacks:
        callback()
    assert pushed == [f"notifications.{user.pk}"]


def test_notification_create_survives_a_broken_channel_layer(user, django_capture_on_commit_callbacks, monkeypatch):
    def broken():
        raise ConnectionError("redis is down")

    monkeypatch.setattr("channels.layers.get_channel_layer", broken)
    with django_capture_on_commit_callbacks(execute=True):
        n = notification_create(user=user, kind="x", title="still stored")
    assert Notification.objects.filter(pk=n.pk).exists()


# --- API ---------------------------------------------------------------------------------------
def test_list_returns_only_own_paginated(auth_client, user, other_user):
    make(user, 3)
    make(other_user, 2)
    response = auth_client.get("/api/v1/notifications")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert {"count", "next", "previous", "results"} <= set(body)
    assert all(item["is_read"] is False for item in body["results"])


def test_list_unread_filter(auth_client, user):
    first, _ = make(user, 2)
    auth_client.post(f"/api/v1/notifications/{first.id}/read")
    assert auth_client.get("/api/v1/notifications?unread=1").json()["count"] == 1


def test_list_anonymous_401(api_client):
    response = api_client.get("/api/v1/notifications")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_list_bad_page_is_404_envelope(auth_client, user):
    make(user, 1)
    response = auth_client.get("/api/v1/notifications?page=99")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("count", [1, 20])
def test_list_query_count_is_flat(auth_client, user, count, django_assert_max_num_queries):
    make(user, count)
    with django_assert_max_num_queries(4):
        assert auth_client.get("/api/v1/notifications/").json()["count"] == count


def test_mark_read(auth_client, user):
    (n,) = make(user)
    response = auth_client.post(f"/api/v1/notifications/{n.id}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_read_other_users_notification_is_404(auth_client, other_user):
    (n,) = make(other_user)
    response = auth_client.post(f"/api/v1/notifications/{n.id}/read")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_read_anonymous_401(api_client, user):
    (n,) = make(user)
    assert api_client.post(f"/api/v1/notifications/{n.id}/read").status_code == 401


def test_mark_read_unknown_id_404(auth_client):
    assert auth_client.post(f"/api/v1/notifications/{uuid.uuid4()}/read").status_code == 404


def test_mark_read_wrong_method_405(auth_client, user):
    (n,) = make(user)
    response = auth_client.get(f"/api/v1/notifications/{n.id}/read")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


# --- WebSocket ---------------------------------------------------------------------------------
def _communicator(user=None, token=None):
    from skincare.asgi import application

    path = "/ws/notifications/" + (f"?token={token}" if token else "")
    communicator = WebsocketCommunicator(application, path, headers=[(b"origin", b"http://testserver")])
    return communicator


@pytest.mark.django_db(transaction=True)
def test_socket_refuses_anonymous_with_4401():
    async def scenario():
        communicator = _communicator()
        connected, _ = await communicator.connect()
        assert connected  # accepted, then closed with the auth code
        closing = await communicator.receive_output(3)
        assert closing == {"type": "websocket.close", "code": 4401, "reason": ""} or (
            closing["type"] == "websocket.close" and closing["code"] == 4401
        )

    async_to_sync(scenario)()


@pytest.mark.django_db(transaction=True)
def test_socket_forwards_the_users_group_events_only(user, other_user):
    from rest_framework_simplejwt.tokens import AccessToken

    token = str(AccessToken.for_user(user))

    async def scenario():
        communicator = _communicator(token=token)
        connected, _ = await communicator.connect()
        assert connected
        layer = get_channel_layer()
        await layer.group_send(
            notification_group(other_user.pk), {"type": "notification.new", "notification": {"id": "x"}}
        )
        await layer.group_send(
            notification_group(user.pk), {"type": "notification.new", "notification": {"id": "mine"}}
        )
        message = await communicator.receive_json_from(timeout=3)
        assert message == {"type": "notification.new", "notification": {"id": "mine"}}
        assert await communicator.receive_nothing(timeout=0.2)
        await communicator.send_json_to({"type": "ping"})
        assert (await communicator.receive_json_from(timeout=3)) == {"type": "pong"}
        await communicator.disconnect()

    async_to_sync(scenario)()


# --- page ---------------------------------------------------------------------------------------
def test_notification_centre_requires_login(client):
    response = client.get(reverse("accounts:notifications"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_notification_centre_lists_own_and_marks_read(client, user, other_user):
    (mine,) = make(user)
    make(other_user)
    client.force_login(user)
    page = client.get(reverse("accounts:notifications"))
    assert page.status_code == 200
    assert page.content.decode().count('class="card inbox-item') == 1
    assert "1 unread" in page.content.decode()

    response = client.post(reverse("accounts:notification-read", args=[mine.id]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_notification_centre_other_users_item_404(client, user, other_user):
    (theirs,) = make(other_user)
    client.force_login(user)
    assert client.post(reverse("accounts:notification-read", args=[theirs.id])).status_code == 404


def test_notification_centre_read_all(client, user):
    make(user, 3)
    client.force_login(user)
    client.post(reverse("accounts:notifications-read-all"))
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 0


def test_read_all(auth_client, user, other_user):
    make(user, 3)
    make(other_user, 2)
    response = auth_client.post("/api/v1/notifications/read-all")
    assert response.status_code == 200
    assert response.json() == {"updated": 3}
    assert Notification.objects.filter(user=other_user, read_at__isnull=True).count() == 2


def test_read_all_anonymous_401(api_client):
    assert api_client.post("/api/v1/notifications/read-all").status_code == 401


def test_password_change_leaves_a_security_notice(auth_client, user, password):
    auth_client.post(
        "/api/v1/auth/password/change", {"old_password": password, "new_password": "brand-New-pass-42"}, format="json"
    )
    assert Notification.objects.filter(user=user, kind="account.password_changed").count() == 1
