"""Services and selectors: entries, milestones (once), adherence, comparison, share lifecycle, GDPR."""

from datetime import timedelta

import numpy as np
import pytest
import time_machine
from django.utils import timezone

from accounts.models import Notification
from progress import alignment, gdpr, selectors, services
from progress.models import Comparison, Milestone, ShareLink
from skincare.core.errors import DomainError, NotFound

from .factories import ProgressEntryFactory, astronaut, make_analysis, synthetic_landmarks

pytestmark = pytest.mark.django_db


def test_entry_refuses_a_future_date_and_someone_elses_analysis(user, other_user):
    with pytest.raises(DomainError) as exc:
        services.entry_create(user=user, date=timezone.now().date() + timedelta(days=2))
    assert exc.value.code == "date_in_future"
    theirs = make_analysis(other_user)
    with pytest.raises(NotFound):
        services.entry_create(user=user, analysis_id=theirs.pk)


def test_seven_day_logging_streak_is_celebrated_once(user, django_capture_on_commit_callbacks):
    today = timezone.now().date()
    for d in range(6, 0, -1):
        ProgressEntryFactory(user=user, date=today - timedelta(days=d))
    assert services.detect_milestones(user=user) == []
    # When the 7th consecutive day is logged (detection runs after commit, through the task)
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_create(user=user, rating=4)
    # Then one streak_7 milestone and one notification
    milestone = Milestone.objects.get(user=user)
    assert milestone.kind == "streak_7" and milestone.key == f"log:{today - timedelta(days=6)}"
    assert milestone.notified_at is not None
    assert Notification.objects.filter(user=user, kind="milestone").count() == 1
    # And running detection again (nightly beat) records and sends nothing new
    assert services.detect_milestones(user=user) == []
    assert Notification.objects.filter(user=user, kind="milestone").count() == 1


def test_thirty_day_streak(user):
    today = timezone.now().date()
    for d in range(30):
        ProgressEntryFactory(user=user, date=today - timedelta(days=d))
    kinds = sorted(m.kind for m in services.detect_milestones(user=user))
    assert kinds == ["streak_30", "streak_7"]


def test_concern_improved_by_ten_points(user):
    make_analysis(user, scores={"acne": 40, "redness": 70}, days_ago=30)
    make_analysis(user, scores={"acne": 52, "redness": 75})
    new = services.detect_milestones(user=user)
    assert [(m.kind, m.key) for m in new] == [("concern_improved", "acne:10")]
    assert new[0].data["delta"] == 12
    note = Notification.objects.get(user=user, kind="milestone")
    assert "40" in note.body and "52" in note.body
    assert services.detect_milestones(user=user) == []


def test_milestone_record_is_unique_per_key(user):
    m1, created1 = services.milestone_record(user=user, kind="custom", key="first-month", title="A", notify=False)
    m2, created2 = services.milestone_record(user=user, kind="custom", key="first-month", title="B", notify=False)
    assert created1 and not created2 and m1.pk == m2.pk and m2.title == "A"


def test_adherence_without_routines_is_null_with_a_reason(user):
    today = timezone.now().date()
    result = selectors.adherence(user=user, start=today - timedelta(days=6), end=today)
    assert result["rate"] is None and "routine" in result["reason"].lower()


def test_adherence_counts_scheduled_steps(user):
    from routines.models import Routine, RoutineStep, StepCompletion

    today = timezone.now().date()
    start = today - timedelta(days=6)
    routine = Routine.objects.create(
        user=user, name="PM", period="pm", is_active=True, started_at=timezone.now() - timedelta(days=30)
    )
    every = RoutineStep.objects.create(routine=routine, order=1, category="cleanse", days=[])
    monday = RoutineStep.objects.create(routine=routine, order=2, category="treat", days=[0])
    mondays = sum(1 for i in range(7) if (start + timedelta(days=i)).weekday() == 0)
    # Given 5 of 7 cleanses done and the weekly treatment done
    for i in range(5):
        StepCompletion.objects.create(user=user, routine=routine, step=every, date=start + timedelta(days=i))
    monday_date = next(start + timedelta(days=i) for i in range(7) if (start + timedelta(days=i)).weekday() == 0)
    StepCompletion.objects.create(user=user, routine=routine, step=monday, date=monday_date)
    result = selectors.adherence(user=user, start=start, end=today)
    assert result["expected"] == 7 + mondays
    assert result["done"] == 6
    assert result["rate"] == pytest.approx(round(6 / (7 + mondays), 3))
    assert len(result["calendar"]) == 7


def _aligned_pair(user, *, days_apart=21):
    before_img = astronaut()
    h, w = before_img.shape[:2]
    import cv2

    m = cv2.getRotationMatrix2D((w / 2, h / 2), 9, 0.9)
    m[:, 2] += (15, -12)
    after_img = cv2.warpAffine(before_img, m, (w, h), borderMode=cv2.BORDER_REFLECT)
    lm = synthetic_landmarks()
    before = make_analysis(
        user, scores={"acne": 40, "redness": 70, "pores": 55}, overall=55, days_ago=days_apart, landmarks=lm
    )
    after = make_analysis(
        user,
        scores={"acne": 58, "redness": 64, "pores": 56},
        overall=62,
        image=after_img,
        landmarks=alignment.apply_transform(m, lm),
    )
    return before, after


def test_compare_deltas_and_alignment_are_stored_once(user):
    before, after = _aligned_pair(user)
    payload = services.compare(user=user, before_id=before.pk, after_id=after.pk)
    deltas = {d["key"]: d for d in payload["concerns"]}
    assert deltas["acne"]["delta"] == 18 and deltas["acne"]["verdict"] == "improving"
    assert deltas["redness"]["delta"] == -6 and deltas["redness"]["verdict"] == "worsening"
    assert payload["overall"]["delta"] == 7 and payload["overall"]["verdict"] == "improving"
    assert payload["days_between"] == pytest.approx(21, abs=0.1)
    comparison = payload["comparison"]
    assert comparison.aligned_image and comparison.residual_px < 3
    # the stored aligned photo matches the before photo on the face
    from PIL import Image

    with comparison.aligned_image.open("rb") as fh:
        aligned = np.asarray(Image.open(fh).convert("RGB")).astype(float)
    face = (slice(80, 200), slice(170, 290))
    assert np.abs(aligned[face] - astronaut()[face].astype(float)).mean() < 12
    # a second comparison reuses the cached alignment
    again = services.compare(user=user, before_id=before.pk, after_id=after.pk)
    assert again["comparison"].pk == comparison.pk and Comparison.objects.count() == 1


def test_compare_without_landmarks_says_why(user):
    before = make_analysis(user, days_ago=10)
    after = make_analysis(user)
    payload = services.compare(user=user, before_id=before.pk, after_id=after.pk)
    assert not payload["comparison"].aligned_image
    assert "landmarks" in payload["comparison"].failure.lower()


def test_compare_refuses_unfinished_same_and_foreign(user, other_user):
    done = make_analysis(user)
    queued = make_analysis(user, status="queued")
    with pytest.raises(DomainError) as exc:
        services.compare(user=user, before_id=done.pk, after_id=queued.pk)
    assert exc.value.code == "analysis_not_done"
    with pytest.raises(DomainError) as exc:
        services.compare(user=user, before_id=done.pk, after_id=done.pk)
    assert exc.value.code == "same_analysis"
    with pytest.raises(NotFound):
        services.compare(user=user, before_id=done.pk, after_id=make_analysis(other_user).pk)


def test_share_link_expires(user):
    share = services.share_create(user=user, analysis_id=make_analysis(user).pk, expires_in_days=2)
    assert len(share.token) >= 32
    assert selectors.share_get_public(token=share.token).pk == share.pk
    with time_machine.travel(timezone.now() + timedelta(days=2, minutes=1)):
        with pytest.raises(NotFound):
            selectors.share_get_public(token=share.token)
        assert ShareLink.objects.get(pk=share.pk).state == "expired"


def test_share_link_revoke_and_hide(user, other_user):
    share = services.share_create(user=user, analysis_id=make_analysis(user).pk)
    services.share_revoke(share=share)
    with pytest.raises(NotFound):
        selectors.share_get_public(token=share.token)
    other = services.share_create(user=user, analysis_id=make_analysis(user).pk)
    report = services.share_report_create(token=other.token, reason="inappropriate", details="…")
    services.share_hide(share=other, reason="Not a face photo", moderator=other_user)
    with pytest.raises(NotFound):
        selectors.share_get_public(token=other.token)
    report.refresh_from_db()
    assert report.status == "hidden" and report.reviewer == other_user
    services.share_restore(share=other, reason="Reviewed, fine", moderator=other_user)
    assert selectors.share_get_public(token=other.token).pk == other.pk


def test_share_tokens_are_unique_and_random(user):
    analysis = make_analysis(user)
    tokens = {services.share_create(user=user, analysis_id=analysis.pk).token for _ in range(5)}
    assert len(tokens) == 5


def test_gdpr_export_and_files(user):
    before, after = _aligned_pair(user)
    services.compare(user=user, before_id=before.pk, after_id=after.pk)
    ProgressEntryFactory(user=user, notes="felt dry")
    services.share_create(user=user, analysis_id=before.pk)
    data = gdpr.export(user)
    import json

    json.dumps(data)
    assert data["entries"][0]["notes"] == "felt dry"
    assert len(data["share_links"]) == 1 and len(data["comparisons"]) == 1
    names = gdpr.files(user)
    assert len(names) == 1 and names[0].startswith("progress/aligned/")


def test_account_export_and_deletion_cover_progress(user, password, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    from accounts.services import account_delete, account_export
    from progress.models import ProgressEntry, ShareReport

    before, after = _aligned_pair(user)
    aligned = services.compare(user=user, before_id=before.pk, after_id=after.pk)["comparison"].aligned_image.name
    ProgressEntryFactory(user=user, notes="felt dry")
    share = services.share_create(user=user, analysis_id=before.pk)
    services.share_report_create(token=share.token, reason="spam")
    exported = account_export(user=user)
    assert exported["apps"]["progress"]["entries"][0]["notes"] == "felt dry"
    assert aligned in {f["name"] for f in exported["files"]}
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=user, password=password)
    assert not default_storage.exists(aligned)
    assert not ProgressEntry.objects.exists() and not ShareLink.objects.exists() and not ShareReport.objects.exists()
