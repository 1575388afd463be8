"""ModelVersion: one active at most, activate/rollback (service, command, admin), export of feedback."""

from __future__ import annotations

import csv

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from analysis import services
from analysis.models import ModelVersion

from .factories import FeedbackFactory, ModelVersionFactory, SkinAnalysisFactory

pytestmark = pytest.mark.django_db


def active_names() -> list[str]:
    return list(ModelVersion.objects.filter(is_active=True).values_list("name", flat=True))


def test_at_most_one_active_by_constraint():
    ModelVersionFactory(is_active=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ModelVersionFactory(is_active=True)


def test_activate_and_rollback_walk_back_through_history():
    a, b, c = ModelVersionFactory(name="a"), ModelVersionFactory(name="b"), ModelVersionFactory(name="c")
    for v in (a, b, c):
        services.model_version_activate(version=v)
    assert active_names() == ["c"]
    assert services.model_version_rollback().name == "b"
    assert active_names() == ["b"]
    assert services.model_version_rollback().name == "a"
    assert services.model_version_rollback() is None
    assert active_names() == []


def test_activate_model_command():
    ModelVersionFactory(name="v1")
    ModelVersionFactory(name="v2")
    call_command("activate_model", "v1")
    call_command("activate_model", "v2")
    assert active_names() == ["v2"]
    call_command("activate_model", "--rollback")
    assert active_names() == ["v1"]
    call_command("activate_model", "--none")
    assert active_names() == []
    with pytest.raises(CommandError):
        call_command("activate_model", "nope")


def test_admin_actions(admin_client):
    v1, v2 = ModelVersionFactory(name="v1"), ModelVersionFactory(name="v2")
    url = "/admin/analysis/modelversion/"
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"action": "activate", "_selected_action": [str(v1.pk)]})
    admin_client.post(url, {"action": "activate", "_selected_action": [str(v2.pk)]})
    assert active_names() == ["v2"]
    admin_client.post(url, {"action": "rollback", "_selected_action": [str(v2.pk)]})
    assert active_names() == ["v1"]


def test_admin_refuses_a_model_that_does_not_beat_its_baseline(admin_client):
    # Given a one-epoch model whose age head is worse than always answering the mean age
    bad = ModelVersionFactory(
        name="one-epoch", metrics={"age_mae": 36.6, "baseline_age_mae": 11.0, "n_val_age": 40, "n_val": 40}
    )
    untested = ModelVersionFactory(name="legacy", metrics={"skin_type_macro_f1": 0.9, "n_val": 12})
    url = "/admin/analysis/modelversion/"
    listing = admin_client.get(url).content.decode()
    assert "does not beat the mean age baseline" in listing and "no baseline" in listing
    expected = ((bad, "36.6 years does not beat the mean age baseline 11 years (n=40)"), (untested, "baseline"))
    for version, why in expected:
        r = admin_client.post(url, {"action": "activate", "_selected_action": [str(version.pk)]}, follow=True)
        assert why in r.content.decode()
        assert active_names() == []


def test_admin_analysis_list_filters_and_rerun(admin_client, monkeypatch, django_capture_on_commit_callbacks):
    from analysis import tasks

    calls = []
    monkeypatch.setattr(tasks.run_analysis, "delay", lambda *a: calls.append(a))
    failed = SkinAnalysisFactory(status="failed", error_code="image_blurry", error_detail="Blurry.")
    url = "/admin/analysis/skinanalysis/"
    r = admin_client.get(url + "?status__exact=failed")
    assert r.status_code == 200 and b"image_blurry" in r.content
    assert admin_client.get(url + f"{failed.pk}/change/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"action": "rerun", "_selected_action": [str(failed.pk)]})
    failed.refresh_from_db()
    assert failed.status == "queued" and failed.error_code == ""
    assert calls == [(str(failed.pk),)]
    assert admin_client.get("/admin/analysis/feedback/").status_code == 200


def test_export_feedback_writes_training_csv(tmp_path):
    fb = FeedbackFactory(corrected_skin_type="dry", corrected_age=41)
    FeedbackFactory(analysis=fb.analysis, user=fb.user, corrected_skin_type="oily")  # later correction wins
    FeedbackFactory()  # no correction: not exported
    call_command("export_feedback", str(tmp_path))
    rows = list(csv.DictReader(open(tmp_path / "labels.csv")))
    assert rows == [{"path": f"images/{fb.analysis_id}.jpg", "skin_type": "oily", "age": "41", "condition": ""}]
    assert (tmp_path / rows[0]["path"]).read_bytes()[:2] == b"\xff\xd8"
