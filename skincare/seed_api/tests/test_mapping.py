"""The seed client's field mappings (pure functions: no database)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from skincare.seed_api import mapping


def test_concern_words_map_onto_our_keys():
    assert mapping.concern_keys(["Acne", "dark spots", "fine-lines", "Large Pores", "dryness", "acne"]) == [
        "acne",
        "pigmentation",
        "wrinkles",
        "pores",
        "dryness",
    ]
    assert mapping.concern_keys(["skinGlow"]) == ["skin_glow"]  # unknown words pass on for the validator to refuse
    assert mapping.concern_keys("acne") == "acne"  # not a list: the validator says so


@pytest.mark.parametrize(
    ("value", "steps"),
    [
        (None, None),
        ("", None),
        ("quick", 3),
        ("Moderate", 5),
        ("extensive", None),
        (3, 2),
        ("10 min", 7),
        (15, 10),
        ("60 minutes", 12),
        (4.5, 3),
    ],
)
def test_time_commitment_becomes_max_steps(value, steps):
    assert mapping.max_steps_for(value) == steps


@pytest.mark.parametrize("value", ["forever", "-5", 0, True, "ten minutes"])
def test_unreadable_time_commitment_is_refused(value):
    with pytest.raises(mapping.BadTimeCommitment):
        mapping.max_steps_for(value)


def test_auth_fields(settings):
    fields = mapping.auth_fields(user_id="abc", access="a" * 30, refresh="r" * 30, message="Signed in.")
    expected = int(settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds())
    assert fields == {
        "access_token": "a" * 30,
        "refresh_token": "r" * 30,
        "token_type": "Bearer",
        "expires_in": expected,
        "user_id": "abc",
        "message": "Signed in.",
    }


def _analysis(**kw):
    base = {
        "pk": "id-1",
        "status": "done",
        "created_at": None,
        "completed_at": None,
        "overall_score": 72,
        "skin_type": "oily",
        "skin_type_confidence": 0.8,
        "skin_age": None,
        "error_code": "",
        "error_detail": "",
        "concerns": [
            {
                "key": "acne",
                "score": 40,
                "severity": "moderate",
                "explanation": "Spots: 12 per 100 cm².",
                "regions": {"forehead": 30, "left_cheek": 55, "nose": None, "t_zone": 20},
            },
            {
                "key": "redness",
                "score": 90,
                "severity": "none",
                "explanation": "Redness.",
                "regions": {"forehead": 95, "left_cheek": 85},
            },
            {"key": "texture", "score": 65, "severity": "mild", "explanation": "Roughness.", "regions": {}},
        ],
    }
    base.update(kw)
    return SimpleNamespace(**base)


def test_a_finished_analysis_in_the_seeds_fields():
    lesion = SimpleNamespace(kind="papule", confidence=0.7, region="left_cheek", x=10, y=20, w=5, h=6)
    result = mapping.analysis_result(_analysis(), [lesion])
    assert result["skin_condition"] == "acne" and result["severity"] == "moderate"  # the worst score
    assert result["recommendations"] == ["Spots: 12 per 100 cm².", "Roughness."]  # above "none", worst first
    assert result["overall_skin_health_score"] == 72 and result["skin_type"] == "oily"
    assert result["detections"] == [
        {
            "type": "papule",
            "confidence": 0.7,
            "region": "leftCheek",
            "location": {"x": 10, "y": 20, "width": 5, "height": 6},
        }
    ]
    zones = result["zones"]
    assert zones["forehead"] == {"score": 30, "worst_concern": "acne", "concerns": {"acne": 30, "redness": 95}}
    assert zones["leftCheek"]["worst_concern"] == "acne"
    assert zones["nose"] is None and zones["chin"] is None and zones["rightCheek"] is None  # nothing measured there
    assert set(zones) == {"forehead", "leftCheek", "rightCheek", "nose", "chin"}


def test_nothing_above_none_says_so_and_failures_say_why():
    clear = _analysis(concerns=[{"key": "acne", "score": 95, "severity": "none", "explanation": "x", "regions": {}}])
    assert mapping.analysis_result(clear, [])["recommendations"] == [mapping.NO_CONCERN]
    failed = mapping.analysis_result(
        _analysis(status="failed", error_code="face_not_frontal", error_detail="Look straight into the camera."), []
    )
    assert failed["status"] == "failed" and failed["skin_condition"] is None and failed["face_detected"] is True
    # the stored sentence is rendered by its code (in the reader's language): the quality gate's advice
    advice = "Your head is turned to the side: look straight into the camera."
    assert failed["code"] == "face_not_frontal" and failed["recommendations"] == [advice]
    running = mapping.analysis_result(_analysis(status="processing"), [])
    assert running["skin_condition"] is None and running["recommendations"] == []


def test_a_refused_photo_is_a_result_with_nothing_measured():
    result = mapping.gate_result(code="no_face_found", advice="Face the camera.", issues=[])
    assert result["face_detected"] is False and result["skin_condition"] is None and result["severity"] is None
    assert result["recommendations"] == ["Face the camera."] and result["overall_skin_health_score"] is None
    assert mapping.gate_result(code="image_too_dark", advice="Light.", issues=["Light."])["face_detected"] is True


def test_scan_fields_come_from_the_assessment():
    result = {
        "score": 62,
        "verdict": "yellow",
        "ingredients": [
            {"ingredient": {"inci_name": "Niacinamide"}, "rating": "green", "notes": ["Vitamin B3: evens tone."]},
            {"ingredient": {"inci_name": "Parfum"}, "rating": "yellow", "notes": ["Fragrance blend."]},
            {"ingredient": None, "rating": None, "notes": ["Not in our knowledge base."]},
        ],
    }
    fields = mapping.scan_fields(result, product_name="Gel")
    assert fields == {
        "product_name": "Gel",
        "safety_rating": 62,
        "safety_level": "yellow",
        "benefits": ["Niacinamide: Vitamin B3: evens tone."],
    }


def test_routine_step_names():
    step = {
        "id": "s",
        "order": 2,
        "category": "treat",
        "product": {"brand": "Lumen", "name": "Serum"},
        "product_name": "",
        "wait_seconds": 60,
        "instructions": "Pat in.",
    }
    out = mapping.step_payload(step)
    assert (out["step_order"], out["product_name"], out["product_category"], out["wait_time_seconds"]) == (
        2,
        "Lumen Serum",
        "treat",
        60,
    )
    assert mapping.step_payload({**step, "product": None, "product_name": "Your own cleanser"})["product_name"] == (
        "Your own cleanser"
    )
    routine = mapping.routine_payload({"id": "r1", "steps": [step], "period": "am"})
    assert routine["routine_id"] == "r1" and routine["steps"][0]["step_order"] == 2


def test_user_payload_flattens_the_profile():
    user = SimpleNamespace(pk="u1", email="a@example.com", first_name="A", last_name="B")
    year = date.today().year
    body = mapping.user_payload(
        user,
        {
            "skin_type": "dry",
            "concerns": ["acne"],
            "birth_year": year - 30,
            "timezone": "UTC",
            "language": "en",
            "preferences": ["vegan"],
        },
        {"am": None, "pm": None},
    )
    assert body["user_id"] == "u1" and body["skin_type"] == "dry" and body["skin_concerns"] == ["acne"]
    assert body["age"] == 30 and body["gender"] is None
    assert body["preferences"]["product_preferences"] == ["vegan"]
    assert mapping.birth_year_for_age(30, date(year, 6, 1)) == year - 30
