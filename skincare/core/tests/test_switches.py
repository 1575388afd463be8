"""Feature switches edited by staff change what the product does, without a deploy."""

import pytest

from skincare.core.config import config_update

pytestmark = pytest.mark.django_db


def test_otp_login_switched_off_refuses_code_requests(api_client):
    assert api_client.post("/api/v1/auth/otp/request", {"phone": "+33612345678"}).status_code == 202
    config_update(otp_login_enabled=False)
    response = api_client.post("/api/v1/auth/otp/request", {"phone": "+33612345678"})
    assert response.status_code == 403
    assert response.json()["code"] == "feature_disabled"


def test_sms_switched_off_sends_nothing():
    from accounts import sms

    before = len(sms.outbox)  # the test backend (LocmemSmsBackend) keeps what it sends here
    assert sms.send_sms(to="+33612345678", body="on") is not None
    config_update(sms_enabled=False)
    assert sms.send_sms(to="+33612345678", body="off") is None
    assert [m.body for m in sms.outbox[before:]] == ["on"]


def test_sharing_switched_off_refuses_new_links(auth_client, user):
    from analysis.tests.factories import SkinAnalysisFactory

    analysis = SkinAnalysisFactory(user=user, done=True)
    assert auth_client.post("/api/v1/share", {"analysis": str(analysis.pk)}).status_code == 201
    config_update(sharing_enabled=False)
    response = auth_client.post("/api/v1/share", {"analysis": str(analysis.pk)})
    assert response.status_code == 403
    assert response.json()["code"] == "feature_disabled"
