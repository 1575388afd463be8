"""POST /ingredients/scan takes a photo (test_api.py) or a list already read: names, common names included."""

import pytest

from ingredients.models import Scan

pytestmark = pytest.mark.django_db


def test_scan_a_list_of_names_resolves_common_names(kb, auth_client, user):
    response = auth_client.post(
        "/api/v1/ingredients/scan", {"ingredients": ["Aqua", "Vitamin C", "Niacinamide"]}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    matched = [(i["raw"], i["ingredient"]["inci_name"], i["match_method"]) for i in body["ingredients"]]
    assert matched[1] == ("Vitamin C", "Ascorbic Acid", "synonym")
    assert body["verdict"] in {"green", "yellow", "red"} and body["score"] is not None
    assert Scan.objects.get(user=user, pk=body["scan_id"]).source == "text"


def test_scan_label_text_too(kb, auth_client):
    response = auth_client.post("/api/v1/ingredients/scan", {"text": "Aqua, Glycerin, Parfum"}, format="json")
    assert response.status_code == 200
    assert [i["ingredient"]["inci_name"] for i in response.json()["ingredients"]] == ["Aqua", "Glycerin", "Parfum"]


def test_an_empty_list_is_a_photo_request(kb, auth_client):
    response = auth_client.post("/api/v1/ingredients/scan", {"ingredients": []}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "no_image"
