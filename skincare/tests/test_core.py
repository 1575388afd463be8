import pytest


@pytest.mark.django_db
def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_each_dependency(client):
    response = client.get("/readyz")
    body = response.json()
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert response.status_code == (200 if all(c["ok"] for c in body["checks"].values()) else 503)


@pytest.mark.django_db
def test_readyz_answers_503_when_the_database_is_down(client, monkeypatch):
    from skincare.core import views

    def broken():
        raise ConnectionError("database went away")

    monkeypatch.setitem(views.CHECKS, "database", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["code"] == "dependency_unavailable"
    assert "database went away" in response.json()["checks"]["database"]["error"]


@pytest.mark.django_db
def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/does-not-exist")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


@pytest.mark.django_db
def test_home_page_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Your skin, measured" in response.content


@pytest.mark.django_db
def test_signed_media_refuses_a_forged_token(client):
    assert client.get("/media/s/forged").status_code == 404
