"""Routine and shelf serializers (API.md: routines and shelf). Output shapes only add fields."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from domain import vocabulary as vocab
from skincare.core.serializers import BuiltFieldsCacheMixin

from ..models import PERIODS, STEP_CATEGORIES


class ProductRefSerializer(BuiltFieldsCacheMixin, serializers.Serializer):
    id = serializers.UUIDField()
    brand = serializers.CharField()
    name = serializers.CharField()
    category = serializers.CharField()
    price = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    spf = serializers.IntegerField(allow_null=True)


class PhaseSerializer(BuiltFieldsCacheMixin, serializers.Serializer):
    week = serializers.IntegerField(min_value=1)
    days = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=6))


class RuleSerializer(BuiltFieldsCacheMixin, serializers.Serializer):
    code = serializers.CharField(help_text="Stable key of the rule, e.g. retinoid_ramp, recovery_nights")
    text = serializers.CharField()
    source = serializers.CharField(help_text="Where the rule comes from")
    url = serializers.CharField(allow_blank=True)


class DaySerializer(BuiltFieldsCacheMixin, serializers.Serializer):
    weekday = serializers.IntegerField(help_text="Monday = 0 … Sunday = 6")
    date = serializers.DateField()
    plan_week = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["retinoid", "exfoliation", "recovery", "treatment", "daily"])
    label = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    step_ids = serializers.ListField(child=serializers.UUIDField(), help_text="The steps due that day, in order")
    categories = serializers.ListField(child=serializers.CharField())
    actives = serializers.ListField(child=serializers.CharField(), help_text="Treatment active classes that day")
    active_labels = serializers.ListField(child=serializers.CharField(), help_text="Its scheduled actives, in words")


class WeekSerializer(BuiltFieldsCacheMixin, serializers.Serializer):
    week = serializers.IntegerField(help_text="The plan week today falls in")
    settles_in_week = serializers.IntegerField(help_text="From this plan week on, the schedule no longer changes")
    days = DaySerializer(many=True)


class StepSerializer(BuiltFieldsCacheMixin, serializers.Serializer):
    id = serializers.UUIDField()
    order = serializers.IntegerField()
    category = serializers.CharField()
    product = ProductRefSerializer(allow_null=True)
    product_name = serializers.CharField()
    # The builder's sentences in the reader's language (routines.messages.render); edited or old text as it is.
    reason = serializers.CharField(source="reason_text")
    instructions = serializers.CharField(source="instructions_text")
    wait_seconds = serializers.IntegerField()
    days = serializers.ListField(
        child=serializers.IntegerField(), help_text="Weekdays, Monday = 0 … Sunday = 6 (the first phase's)"
    )
    actives = serializers.ListField(child=serializers.CharField())
    schedule = PhaseSerializer(
        many=True,
        help_text="Phases by plan week (week 1 = the routine's first seven days): a new active starts slowly and "
        "ramps up; empty: `days` every week",
    )
    starts_week = serializers.IntegerField(help_text="The plan week this step begins (one new active at a time)")
    timing = serializers.CharField(source="timing_text", help_text="When it goes on and why, in words")


class RoutineSerializer(BuiltFieldsCacheMixin, serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField(source="name_text")
    period = serializers.CharField()
    is_active = serializers.BooleanField()
    started_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    next_reminder_at = serializers.DateTimeField(allow_null=True)
    # One nested serializer for every routine of a page (a serializer made per routine copied its fields each time).
    steps = StepSerializer(many=True, source="steps.all", read_only=True)
    warnings = serializers.ListField(child=serializers.CharField(), source="warnings_text")
    rules = RuleSerializer(
        many=True, source="rules_text", help_text="The rules this routine follows, each with its source"
    )
    week = serializers.SerializerMethodField(help_text="The plan as a week: which day has which active")
    basis = serializers.DictField()

    @extend_schema_field(WeekSerializer)
    def get_week(self, routine) -> dict:
        from ..selectors import routine_week

        return WeekSerializer(
            routine_week(routine=routine, day=self.context.get("today"), zone=self.context.get("zone"))
        ).data


class AdherenceSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    scheduled = serializers.IntegerField()
    completed = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text="0-1; null when nothing was scheduled")


class RoutineDetailSerializer(RoutineSerializer):
    adherence = serializers.SerializerMethodField()

    def get_adherence(self, routine) -> dict:
        from ..selectors import routine_adherence

        data = routine_adherence(routine=routine, days=30)
        data.pop("by_day", None)
        return data


class RoutineCreateSerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=["am", "pm", "both"], required=False, default="both")
    budget = serializers.ChoiceField(choices=list(vocab.BUDGET_KEYS), required=False, allow_null=True)
    max_steps = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=12)


class RoutineCreateResponseSerializer(serializers.Serializer):
    routines = RoutineSerializer(many=True)


class StepInputSerializer(serializers.Serializer):
    id = serializers.UUIDField(required=False)
    order = serializers.IntegerField(required=False, min_value=1, max_value=50)
    category = serializers.ChoiceField(choices=[c for c, _ in STEP_CATEGORIES])
    product = serializers.UUIDField(required=False, allow_null=True)
    product_name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    instructions = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    wait_seconds = serializers.IntegerField(required=False, min_value=0, max_value=3600)
    days = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6), required=False, max_length=7, allow_empty=True
    )


class RoutineUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=120)
    is_active = serializers.BooleanField(required=False)
    steps = StepInputSerializer(many=True, required=False, max_length=20)


class CompleteSerializer(serializers.Serializer):
    step = serializers.UUIDField()
    date = serializers.DateField(required=False, allow_null=True)


class DayCompletionSerializer(serializers.Serializer):
    routine = serializers.UUIDField()
    date = serializers.DateField()
    completed_steps = serializers.ListField(child=serializers.UUIDField())
    completed = serializers.IntegerField()
    total = serializers.IntegerField()
    done = serializers.BooleanField()


class ShelfItemSerializer(BuiltFieldsCacheMixin, serializers.Serializer):
    id = serializers.UUIDField()
    product = ProductRefSerializer(allow_null=True)
    name = serializers.CharField()
    brand = serializers.CharField()
    category = serializers.CharField()
    opened_on = serializers.DateField(allow_null=True)
    pao_months = serializers.IntegerField(allow_null=True)
    best_before = serializers.DateField(allow_null=True)
    expires_on = serializers.DateField(allow_null=True)
    use_soon_on = serializers.DateField(allow_null=True)
    status = serializers.SerializerMethodField(help_text="fresh, use_soon, expired; null when no date is known")
    days_left = serializers.SerializerMethodField()
    notes = serializers.CharField()
    created_at = serializers.DateTimeField()

    def _fresh(self, item):
        from ..selectors import shelf_item_freshness

        return shelf_item_freshness(item, today=self.context["today"])

    def get_status(self, item) -> str | None:
        return self._fresh(item).status

    def get_days_left(self, item) -> int | None:
        return self._fresh(item).days_left


class ShelfItemInputSerializer(serializers.Serializer):
    product = serializers.UUIDField(required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    brand = serializers.CharField(required=False, allow_blank=True, max_length=120)
    category = serializers.CharField(required=False, allow_blank=True, max_length=20)
    opened_on = serializers.DateField(required=False, allow_null=True)
    pao_months = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=120)
    best_before = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


PERIOD_CHOICES = [p for p, _ in PERIODS]
