"""Configuration: stored in the DB, cached, validated; a threshold changed in the admin changes the gate's answer."""

import dataclasses

import numpy as np
import pytest
from django.urls import reverse

from ml.types import QualityThresholds
from skincare.core import config
from skincare.core.models import AuditEntry, SiteConfig
from skincare.core.roles import ADMIN, DATA_SCIENTIST

from .factories import staff_user

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    row = config.config_row()
    data = {}
    for name in config.CONFIG_FIELDS:
        value = getattr(row, name)
        if value is None:
            data[name] = ""
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = value.strftime("%H:%M") if hasattr(value, "strftime") else str(value)
    for name, value in overrides.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def change_url() -> str:
    return reverse("admin:core_siteconfig_change", args=[SiteConfig.SINGLETON_PK])


def test_defaults_are_the_engine_defaults():
    assert config.quality_thresholds() == QualityThresholds()
    assert dataclasses.asdict(config.quality_thresholds()) == dataclasses.asdict(QualityThresholds())


def test_config_is_cached_and_invalidated_on_update(django_assert_num_queries):
    assert config.get_config().sharing_enabled is True
    with django_assert_num_queries(0):
        config.get_config()
    # A write that bypasses the service is not seen until the cache entry goes: proof the value is cached.
    SiteConfig.objects.filter(pk=1).update(sharing_enabled=False)
    assert config.get_config().sharing_enabled is True
    config.config_update(sharing_enabled=False)
    assert config.get_config().sharing_enabled is False
    assert config.feature_enabled("sharing") is False
    assert config.feature_enabled("otp_login") is True


def test_update_validates():
    from django.core.exceptions import ValidationError

    from skincare.core.errors import DomainError

    with pytest.raises(ValidationError):
        config.config_update(min_brightness=150)
    with pytest.raises(ValidationError):
        config.config_update(min_brightness=60, max_brightness=50)
    with pytest.raises(ValidationError):  # against the engine's default maximum
        config.config_update(min_brightness=QualityThresholds().max_brightness + 1)
    with pytest.raises(DomainError):
        config.config_update(no_such_setting=1)
    assert config.quality_thresholds().min_brightness == QualityThresholds().min_brightness


def test_change_page_works_before_the_row_exists(roles, client):
    client.force_login(staff_user(ADMIN))
    assert not SiteConfig.objects.exists()
    assert client.get(change_url()).status_code == 200
    assert SiteConfig.objects.count() == 1


def test_admin_changelist_opens_the_one_row(roles, client):
    client.force_login(staff_user(ADMIN))
    response = client.get(reverse("admin:core_siteconfig_changelist"))
    assert response.status_code == 302 and response["Location"] == change_url()
    assert client.get(change_url()).status_code == 200


def test_threshold_changed_in_admin_changes_the_quality_gate(roles, client):
    from skimage.data import astronaut

    from ml.vision import check_quality

    # Given a real face photo, darkened: mean skin L* about 42, accepted by the default gate
    dark = (astronaut() * 0.6).astype(np.uint8)
    before = check_quality(dark, config.quality_thresholds())
    assert "image_too_dark" not in [i.code for i in before.issues]
    assert before.brightness is not None
    new_min = round(before.brightness + 5, 1)

    # When staff raise the minimum brightness above it in the admin
    client.force_login(staff_user(ADMIN))
    response = client.post(change_url(), form_data(min_brightness=str(new_min)))
    assert response.status_code == 302, response.content[:2000]

    # Then the very next check refuses the photo as too dark
    thresholds = config.quality_thresholds()
    assert thresholds.min_brightness == new_min
    after = check_quality(dark, thresholds)
    assert not after.ok
    assert "image_too_dark" in [i.code for i in after.issues]
    # and the change is in the audit log, before and after
    entry = AuditEntry.objects.get(action="config")
    assert entry.changes == {"min_brightness": [None, new_min]}  # from the engine's default to a set value
    assert entry.actor_email.endswith("@example.com")


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"min_brightness": "150"}, "min_brightness"),
        ({"min_face_fraction": "0"}, "min_face_fraction"),
        ({"min_brightness": "60", "max_brightness": "50"}, "max_brightness"),
        ({"reminder_late_minutes": "-3"}, "reminder_late_minutes"),
        ({"reminder_earliest": "23:30", "reminder_latest": "06:00"}, "reminder_latest"),
    ],
)
def test_admin_refuses_invalid_values(roles, client, overrides, field):
    client.force_login(staff_user(ADMIN))
    response = client.post(change_url(), form_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert config.get_config() == config.Config.from_row(SiteConfig(pk=1))  # still the defaults
    assert not AuditEntry.objects.exists()


def test_feature_switch_in_admin(roles, client):
    client.force_login(staff_user(ADMIN))
    assert client.post(change_url(), form_data(sms_enabled=False)).status_code == 302
    assert config.feature_enabled("sms") is False
    assert AuditEntry.objects.get(action="config").changes == {"sms_enabled": [True, False]}


def test_a_set_value_overrides_only_that_threshold():
    config.config_update(min_sharpness=12.5)
    expected = dataclasses.replace(QualityThresholds(), min_sharpness=12.5)
    assert config.quality_thresholds() == expected
    config.config_update(min_sharpness=None)
    assert config.quality_thresholds() == QualityThresholds()


def test_data_scientist_cannot_change_config(roles, client):
    client.force_login(staff_user(DATA_SCIENTIST))
    assert client.post(change_url(), form_data(min_brightness="40")).status_code == 403
    assert config.quality_thresholds().min_brightness == QualityThresholds().min_brightness


# --- reminder settings ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("at", "expected"),
    [
        ("06:00", "06:00"),  # the edges belong to the window
        ("23:00", "23:00"),
        ("12:34", "12:34"),
        ("05:59", "06:00"),
        ("23:01", "23:00"),
        ("00:30", "23:00"),  # 1.5 h after the close, 5.5 h before the opening
        ("02:30", "06:00"),  # exactly halfway (3.5 h either side): a tie goes to the opening
        ("04:00", "06:00"),
    ],
)
def test_reminder_send_time_moves_outside_times_to_the_nearer_edge(at, expected):
    import datetime as dt

    got = config.get_config().reminder_send_time(dt.time.fromisoformat(at))
    assert got == dt.time.fromisoformat(expected)


def test_a_default_time_outside_the_window_is_refused():
    import datetime as dt

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        config.config_update(reminder_am_default=dt.time(5, 0))
    assert "reminder_am_default" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        config.config_update(reminder_latest=dt.time(21, 0))  # the evening default, 21:30, would fall outside
    assert "reminder_pm_default" in caught.value.message_dict
    assert config.get_config().reminder_latest == dt.time(23, 0)


def test_a_reminder_change_in_the_admin_is_audited_and_marks_schedules_stale(roles, client):
    import datetime as dt

    client.force_login(staff_user(ADMIN))
    assert config.get_config().reminders_changed_at is None
    assert client.post(change_url(), form_data(sharing_enabled=False)).status_code == 302
    assert config.get_config().reminders_changed_at is None  # not a reminder setting
    response = client.post(change_url(), form_data(reminder_am_default="08:00", sharing_enabled=False))
    assert response.status_code == 302
    snapshot = config.get_config()
    assert snapshot.reminder_am_default == dt.time(8, 0)
    assert snapshot.reminders_changed_at is not None
    entry = AuditEntry.objects.filter(action="config").first()  # newest first
    assert entry.changes == {"reminder_am_default": ["07:30:00", "08:00:00"]}
