"""Routines: Routine, RoutineStep, StepCompletion, ShelfItem, and the reminder delivery ledger.

Models stay thin: the builder lives in builder.py (pure) and services.py; schedules in schedule.py;
freshness in freshness.py.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from domain import routine as routine_rules

from .messages import render

# The shape of a routine is a domain rule (domain.routine); labels are translated where shown.
PERIODS = [(key, _(label)) for key, label in routine_rules.PERIODS]
STEP_CATEGORIES = [(key, _(label)) for key, label in routine_rules.STEPS]
CATEGORY_ORDER = {key: i for i, (key, _label) in enumerate(STEP_CATEGORIES)}
ALL_DAYS = list(routine_rules.ALL_DAYS)  # Monday = 0 … Sunday = 6 (Python's weekday())


def all_days() -> list[int]:
    return list(ALL_DAYS)


class RoutineQuerySet(models.QuerySet):
    def owned_by(self, user) -> RoutineQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class Routine(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="routines")
    name = models.CharField(max_length=120)
    period = models.CharField(max_length=2, choices=PERIODS)
    is_active = models.BooleanField(default=False)
    started_at = models.DateTimeField(null=True, blank=True)
    warnings = models.JSONField(
        default=list, blank=True, help_text=_("Sentences: conflicts and how they were resolved")
    )
    rules = models.JSONField(
        default=list, blank=True, help_text=_("The rules the routine follows: [{code, text, msg, source, url}]")
    )
    basis = models.JSONField(default=dict, blank=True, help_text=_("What the builder used: analysis, profile, budget"))
    msgs = models.JSONField(
        default=dict,
        blank=True,
        help_text=_(
            "The builder's sentences as messages, shown in the reader's language: {\"name\": message, "
            '"warnings": {English text: message}} (rules carry theirs in "msg")'
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Reminder schedule, in UTC, computed from the profile's local reminder time and timezone.
    next_reminder_at = models.DateTimeField(null=True, blank=True)
    next_reminder_date = models.DateField(null=True, blank=True, help_text=_("The local date of next_reminder_at"))
    schedule_computed_at = models.DateTimeField(null=True, blank=True)

    objects = RoutineQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["is_active", "next_reminder_at"]),
            models.Index(
                fields=["created_at"], name="routine_created_at_idx"
            ),  # the admin list's order (no sort of the whole table)
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.period})"

    # The words shown to people, in the active language (routines.messages.render); the fields keep English.
    @property
    def name_text(self) -> str:
        return render((self.msgs or {}).get("name"), self.name)

    @property
    def warnings_text(self) -> list[str]:
        known = (self.msgs or {}).get("warnings") or {}
        return [render(known.get(w), w) for w in self.warnings or []]

    @property
    def rules_text(self) -> list[dict]:
        return [{**r, "text": render(r.get("msg"), r.get("text", ""))} for r in self.rules or []]

    def plan_start(self, zone=None) -> date:
        """The local date the plan's week 1 begins: when the routine was first started, else created."""
        moment = self.started_at or self.created_at or timezone.now()
        return moment.astimezone(zone or UTC).date()

    def plan_week(self, day: date, zone=None) -> int:
        return routine_rules.plan_week(self.plan_start(zone), day)


class RoutineStep(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=20, choices=STEP_CATEGORIES)
    product = models.ForeignKey(
        "ingredients.Product", on_delete=models.SET_NULL, null=True, blank=True, related_name="routine_steps"
    )
    product_name = models.CharField(max_length=255, blank=True, help_text=_("Shown when there is no catalog product"))
    reason = models.TextField(blank=True)
    instructions = models.TextField(blank=True)
    wait_seconds = models.PositiveIntegerField(default=0)
    days = models.JSONField(default=all_days, blank=True, help_text=_("Weekdays, Monday = 0 (the first phase's)"))
    actives = models.JSONField(default=list, blank=True)
    schedule = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            'Phases by plan week, e.g. [{"week": 1, "days": [0, 3]}, {"week": 3, "days": [0, 3, 5]}]; '
            "empty: `days` every week"
        ),
    )
    timing = models.TextField(blank=True, help_text=_("When it goes on and why, in words"))
    msgs = models.JSONField(
        default=dict,
        blank=True,
        help_text=_(
            'reason, instructions and timing as messages, shown in the reader\'s language: {"reason": message, ...}'
        ),
    )

    class Meta:
        ordering = ["routine", "order"]

    def __str__(self) -> str:
        return f"{self.order}. {self.category}"

    @property
    def reason_text(self) -> str:
        return render((self.msgs or {}).get("reason"), self.reason)

    @property
    def instructions_text(self) -> str:
        return render((self.msgs or {}).get("instructions"), self.instructions)

    @property
    def timing_text(self) -> str:
        return render((self.msgs or {}).get("timing"), self.timing)

    @property
    def days_label(self) -> str:
        days = sorted(self.days or ALL_DAYS)
        if days == ALL_DAYS:
            return gettext("Every day")
        return pgettext("list of weekdays", ", ").join(gettext(routine_rules.WEEKDAY_SHORT[d]) for d in days)

    def runs_on(self, weekday: int) -> bool:
        """On this weekday in the first week of the plan (see `runs_on_date` for the plan's later weeks)."""
        return weekday in self.days_in_week(1)

    def days_in_week(self, week: int) -> tuple[int, ...]:
        return routine_rules.days_in_week(self.schedule, self.days, week)

    def runs_on_date(self, day: date, zone=None) -> bool:
        """Scheduled on this local date: its phase for the routine's plan week that day, and that weekday."""
        return day.weekday() in self.days_in_week(self.routine.plan_week(day, zone))

    @property
    def starts_week(self) -> int:
        weeks = [int(p["week"]) for p in self.schedule or [] if p.get("days")]
        return min(weeks) if weeks else 1


class StepCompletion(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="step_completions")
    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="completions")
    step = models.ForeignKey(RoutineStep, on_delete=models.CASCADE, related_name="completions")
    date = models.DateField()
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["step", "date"], name="step_completion_once_per_day")]
        indexes = [
            models.Index(fields=["user", "date"]),
            models.Index(fields=["routine", "date"]),
            models.Index(
                fields=["date"], name="completion_date_idx"
            ),  # the admin list's order (no sort of the whole table)
        ]

    def __str__(self) -> str:
        return f"{self.step_id} on {self.date}"


class ShelfItemQuerySet(models.QuerySet):
    def owned_by(self, user) -> ShelfItemQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class ShelfItem(models.Model):
    """A product the user owns. `expires_on` and `use_soon_on` are derived by services (freshness.py)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shelf_items")
    product = models.ForeignKey(
        "ingredients.Product", on_delete=models.SET_NULL, null=True, blank=True, related_name="shelf_items"
    )
    name = models.CharField(max_length=255, blank=True)
    brand = models.CharField(max_length=120, blank=True)
    category = models.CharField(max_length=20, blank=True)
    opened_on = models.DateField(null=True, blank=True)
    pao_months = models.PositiveSmallIntegerField(null=True, blank=True, help_text=_("Period after opening"))
    best_before = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True, db_index=True)
    use_soon_on = models.DateField(null=True, blank=True, db_index=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ShelfItemQuerySet.as_manager()

    class Meta:
        ordering = ["expires_on", "-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return self.name or gettext("Shelf item")


class ReminderDelivery(models.Model):
    """One reminder, claimed exactly once by inserting its unique key before anything is sent.

    Routine reminders are unique per (user, routine, period, local date); shelf reminders per
    (shelf item, kind, expiry date). Two dispatchers, a retry or a restart hit the constraint and stop.
    """

    class Kind(models.TextChoices):
        ROUTINE = "routine", _("Routine reminder")
        SHELF_USE_SOON = "shelf_use_soon", _("Shelf: use soon")
        SHELF_EXPIRED = "shelf_expired", _("Shelf: expired")
        CONSULTATION = "consultation", _("Dermatologist consultation")

    class Status(models.TextChoices):
        PENDING = "pending", _("Claimed, not sent yet")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_deliveries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    routine = models.ForeignKey(
        Routine, on_delete=models.CASCADE, null=True, blank=True, related_name="reminder_deliveries"
    )
    shelf_item = models.ForeignKey(
        ShelfItem, on_delete=models.CASCADE, null=True, blank=True, related_name="reminder_deliveries"
    )
    period = models.CharField(max_length=2, blank=True)
    local_date = models.DateField()
    scheduled_for = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # The sender's lease while `sending` (as for analyses): the attempt, and its last sign of life. A sender whose
    # heartbeat is older than the lease died; another takes the delivery over and finishes the channels left.
    attempt = models.UUIDField(null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = _("reminder deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "routine", "period", "local_date"],
                condition=Q(kind="routine"),
                name="routine_reminder_once_per_local_day",
            ),
            models.UniqueConstraint(
                fields=["shelf_item", "kind", "local_date"],
                condition=Q(shelf_item__isnull=False),
                name="shelf_reminder_once",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["scheduled_for"], name="delivery_scheduled_for_idx"),  # the admin list's order
        ]

    def __str__(self) -> str:
        return self.key


class ChannelDelivery(models.Model):
    """What happened on one channel (in-app, email, SMS) for one reminder. One row per channel."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("In-app inbox")
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        OPTED_OUT = "opted_out", _("Opted out")
        QUIET_HOURS = "quiet_hours", _("Held back: quiet hours")
        UNAVAILABLE = "unavailable", _("No address for this channel")

    delivery = models.ForeignKey(ReminderDelivery, on_delete=models.CASCADE, related_name="channels")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SENDING)
    detail = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["delivery", "channel"]
        constraints = [models.UniqueConstraint(fields=["delivery", "channel"], name="one_row_per_channel")]

    def __str__(self) -> str:
        return f"{self.channel}: {self.status}"
