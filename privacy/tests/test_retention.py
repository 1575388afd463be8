"""Retention the person chooses, a site default staff set, and the sweep that applies them, in frozen time."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.storage import default_storage

from accounts.tests.factories import UserFactory
from analysis.models import Lesion, SkinAnalysis
from privacy import retention, services
from privacy.models import StoredMedia
from privacy.tasks import retention_sweep
from progress.tests.factories import make_analysis, synthetic_landmarks
from skincare.core.config import config_update

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


def at(days: float):
    return time_machine.travel(T0 + datetime.timedelta(days=days), tick=False)


def photo_kept(a) -> bool:
    a.refresh_from_db()
    return a.has_photo and default_storage.exists(a.image.name)


@pytest.fixture
def people():
    """Four people, one photo each taken at T0: site default / keep / 7 days / after the analysis."""
    with at(0):
        site, keep, week, asap = (UserFactory() for _ in range(4))
        services.retention_set(user=keep, policy="keep")
        services.retention_set(user=week, policy="days", days=7)
        photos = {u: make_analysis(u, landmarks=synthetic_landmarks()) for u in (site, keep, week)}
        services.retention_set(user=asap, policy="after_analysis")  # chosen after the photo was taken
        photos[asap] = make_analysis(asap, landmarks=synthetic_landmarks())
        Lesion.objects.create(analysis=photos[site], x=200, y=120, w=6, h=6, kind="inflamed", confidence=0.7)
    return {"site": site, "keep": keep, "week": week, "asap": asap, "photos": photos}


def test_sweep_deletes_each_photo_at_its_time_and_keeps_the_numbers(people, django_capture_on_commit_callbacks):
    photos = people["photos"]
    with at(0):
        config_update(photo_retention="days", photo_retention_days=30)
    with at(1), django_capture_on_commit_callbacks(execute=True):
        assert retention_sweep()["deleted"] == 1  # "as soon as the analysis is done" applies to old photos too
    assert not photo_kept(photos[people["asap"]]) and photo_kept(photos[people["week"]])
    with at(6.9), django_capture_on_commit_callbacks(execute=True):
        assert retention_sweep()["deleted"] == 0
    with at(7.1), django_capture_on_commit_callbacks(execute=True):
        assert retention_sweep()["deleted"] == 1
    assert not photo_kept(photos[people["week"]]) and photo_kept(photos[people["site"]])
    with at(30.1), django_capture_on_commit_callbacks(execute=True):
        result = retention_sweep()
    assert result == {"deleted": 1, "batches": 1, "more": False}
    site_photo = photos[people["site"]]
    assert not photo_kept(site_photo) and photo_kept(photos[people["keep"]])
    # What stays: scores, lesion boxes, landmarks; when the photo went and why.
    site_photo.refresh_from_db()
    assert site_photo.overall_score == 60 and site_photo.concerns and len(site_photo.landmarks) == 478
    assert site_photo.lesions.count() == 1 and site_photo.photo_deleted_reason == "retention"
    assert site_photo.photo_deleted_at == T0 + datetime.timedelta(days=30.1)
    with at(400), django_capture_on_commit_callbacks(execute=True):
        assert retention_sweep()["deleted"] == 0  # idempotent; "keep" is kept
    assert photo_kept(photos[people["keep"]])


def test_a_changed_site_default_applies_to_people_who_follow_it(people, django_capture_on_commit_callbacks):
    with at(10), django_capture_on_commit_callbacks(execute=True):
        retention_sweep()  # site default is "keep": only asap's and week's photos go
        assert photo_kept(people["photos"][people["site"]])
        config_update(photo_retention="after_analysis")
        assert retention_sweep()["deleted"] == 1
    assert not photo_kept(people["photos"][people["site"]]) and photo_kept(people["photos"][people["keep"]])


def test_sweep_is_bounded_and_never_touches_a_photo_being_analysed(user, django_capture_on_commit_callbacks):
    services.retention_set(user=user, policy="after_analysis")
    done = [make_analysis(user) for _ in range(5)]
    queued = make_analysis(user, status="queued")
    processing = make_analysis(user, status="processing")
    with django_capture_on_commit_callbacks(execute=True):
        first = retention.sweep(batch_size=2, max_batches=1)
    assert first == {"deleted": 2, "batches": 1, "more": True}
    with django_capture_on_commit_callbacks(execute=True):
        rest = retention.sweep(batch_size=2, max_batches=10)
    assert rest["deleted"] == 3 and rest["more"] is False
    assert all(not photo_kept(a) for a in done)
    assert photo_kept(queued) and photo_kept(processing)


def test_a_swept_photo_takes_its_aligned_comparisons_with_it(user, django_capture_on_commit_callbacks):
    from progress import services as progress_services
    from progress.models import Comparison
    from progress.tests.test_services import _aligned_pair

    before, after = _aligned_pair(user)
    aligned = progress_services.compare(user=user, before_id=before.pk, after_id=after.pk)["comparison"]
    name = aligned.aligned_image.name
    assert name and StoredMedia.objects.filter(name=name, kind="aligned").exists()
    services.retention_set(user=user, policy="days", days=7)
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.sweep()["deleted"] == 1  # the before photo is 21 days old
    comparison = Comparison.objects.get(pk=aligned.pk)
    assert not comparison.aligned_image and "deleted" in comparison.failure
    assert not StoredMedia.objects.filter(name=name).exists() and not default_storage.exists(name)
    payload = progress_services.compare(user=user, before_id=before.pk, after_id=after.pk)
    assert payload["concerns"] and payload["comparison"].pk == aligned.pk  # the deltas stay


def test_delete_on_dates_follow_the_policy(user):
    a = make_analysis(user)
    assert retention.photo_delete_on(a, retention.policy_for(user_id=user.pk)) is None  # site default: keep
    services.retention_set(user=user, policy="days", days=30)
    assert retention.photo_delete_on(a, retention.policy_for(user_id=user.pk)) == a.created_at + datetime.timedelta(
        days=30
    )
    services.retention_set(user=user, policy="")  # back to the site's default
    assert retention.policy_for(user_id=user.pk).source == "site"


def test_retention_choices_are_validated(user):
    from skincare.core.errors import DomainError

    for policy, days, code in (("forever", None, "invalid_retention"), ("days", 0, "invalid_retention_days")):
        with pytest.raises(DomainError) as exc:
            services.retention_set(user=user, policy=policy, days=days)
        assert exc.value.code == code


def test_the_sweep_is_registered_with_beat():
    from django_celery_beat.models import PeriodicTask

    from skincare.core.management.commands.setup_project import register_periodic_tasks

    assert "privacy: retention sweep" in register_periodic_tasks()
    task = PeriodicTask.objects.get(name="privacy: retention sweep")
    assert task.task == "privacy.tasks.retention_sweep" and task.interval.every == 300


def test_pages_say_photo_deleted_on_and_still_show_numbers_and_a_face_map(client, user, password):
    a = make_analysis(user, landmarks=synthetic_landmarks())
    SkinAnalysis.objects.filter(pk=a.pk).update(regions={"forehead": [[180, 70], [260, 70], [250, 100], [190, 100]]})
    with at(3):
        services.photo_delete(analysis_id=a.pk, reason="retention")
    client.login(email=user.email, password=password)
    html = client.get(f"/analysis/{a.pk}/").content.decode()
    assert "Photo deleted on" in html and "your retention setting" in html and "<svg" in html
    assert 'data-region="forehead"' in html and "/media/s/" not in html
    assert ">60<" in html  # the overall score is still shown
    history = client.get("/analysis/history/").content.decode()
    assert "photo deleted on" in history and "/media/s/" not in history and "face-map-thumb" in history
    assert client.get(f"/api/v1/analysis/{a.pk}/face-map").status_code == 401  # the API wants its token


def test_progress_compare_says_which_photo_was_deleted_and_draws_face_maps(client, user, password):
    before = make_analysis(user, landmarks=synthetic_landmarks(), days_ago=14)
    after = make_analysis(user, landmarks=synthetic_landmarks(3))
    with at(2):
        services.photo_delete(analysis_id=before.pk, reason="person")
    client.login(email=user.email, password=password)
    html = client.get(f"/progress/compare/?before={before.pk}&after={after.pk}").content.decode()
    assert "data-face-maps" in html and "photo deleted on" in html and html.count("<svg") >= 1
    assert html.count("/media/s/") == 1  # the after photo is still there, the before one is a face map
    assert "Acne" in html or "acne" in html.lower()  # the deltas table stays
