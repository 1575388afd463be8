"""Rules of a routine's shape: the order of steps, which catalogue category fills which step, sunscreen,
the weekdays, and the kinds of evening in a week plan."""

from __future__ import annotations

from . import sources as S
from .i18n import N_, NC_

# cleanse → tone/essence → treat → eye → moisturize → protect (sunscreen, mornings only)
STEPS: tuple[tuple[str, str], ...] = (
    ("cleanse", N_("Cleanse")),
    ("tone", N_("Tone / essence")),
    ("treat", N_("Treat")),
    ("eye", N_("Eye")),
    ("moisturize", N_("Moisturize")),
    ("protect", N_("Protect (SPF)")),
)
ORDER: tuple[str, ...] = tuple(k for k, _ in STEPS)
ORDER_SOURCE = S.ROUTINE_ORDER

# Catalogue category → routine step.
STEP_OF_CATEGORY = {
    "cleanser": "cleanse",
    "toner": "tone",
    "essence": "tone",
    "serum": "treat",
    "treatment": "treat",
    "exfoliant": "treat",
    "spot_treatment": "treat",
    "eye": "eye",
    "moisturizer": "moisturize",
    "oil": "moisturize",
    "sunscreen": "protect",
}
MIN_SPF = 30  # AAD: broad spectrum, SPF 30 or higher, every morning
SPF_SOURCE = S.AAD_SUNSCREEN

PERIODS: tuple[tuple[str, str], ...] = (("am", N_("Morning")), ("pm", N_("Evening")))
WEEKDAYS: tuple[str, ...] = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
# The same names inside a sentence ("on Monday and Thursday evenings"): several languages write them in lower case
# there (es, fr, pt), while the week view's headings keep the capital.
WEEKDAY_IN_SENTENCE = "weekday in a sentence"
_WEEKDAYS_IN_SENTENCE_MARKED = (
    NC_("weekday in a sentence", "Monday"),
    NC_("weekday in a sentence", "Tuesday"),
    NC_("weekday in a sentence", "Wednesday"),
    NC_("weekday in a sentence", "Thursday"),
    NC_("weekday in a sentence", "Friday"),
    NC_("weekday in a sentence", "Saturday"),
    NC_("weekday in a sentence", "Sunday"),
)
WEEKDAY_SHORT: tuple[str, ...] = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
ALL_DAYS: tuple[int, ...] = tuple(range(7))  # Monday = 0 … Sunday = 6 (Python's weekday())

# What kind of evening (or morning) a day of the week plan is.
DAY_KINDS = {
    "retinoid": N_("Retinoid night"),
    "exfoliation": N_("Exfoliation night"),
    "recovery": N_("Recovery night"),
    "treatment": N_("Treatment"),
    "daily": N_("Daily routine"),
}
DAY_KIND_NOTES = {
    "retinoid": N_("Retinoid night: no exfoliating acid tonight."),
    "exfoliation": N_("Exfoliation night: no retinoid tonight."),
    "recovery": N_("Recovery night: cleanse and moisturise only, so the skin barrier recovers."),
}

# A step's schedule: phases [(from plan week, weekdays), ...]; week 1 is the routine's first seven days.
Schedule = list[tuple[int, tuple[int, ...]]]


def plan_week(start, day) -> int:
    """The plan week (1-based) a date falls in, counting whole weeks from the routine's start date."""
    return max(1, (day - start).days // 7 + 1)


def days_in_week(schedule, days, week: int) -> tuple[int, ...]:
    """The weekdays a step runs in a plan week: its latest phase that has begun; before its first phase
    nothing (a new active not introduced yet); without a schedule its `days` every week (all days when
    empty)."""
    if not schedule:
        return tuple(sorted(days)) if days else ALL_DAYS
    current: tuple[int, ...] = ()
    for start, phase_days in sorted((int(w), tuple(d)) for w, d in _phases(schedule)):
        if week >= start:
            current = tuple(sorted(phase_days))
    return current


def _phases(schedule):
    for phase in schedule:
        if isinstance(phase, dict):
            yield phase["week"], phase["days"]
        else:
            yield phase[0], phase[1]


def day_kind(actives_by_step, *, period: str, night_actives_this_week: bool) -> str:
    """What kind of day a set of steps makes (DAY_KINDS): a retinoid night, an exfoliation night, a
    recovery night (the evening routine has retinoid or exfoliation nights this week, but not tonight),
    or a plain daily routine."""
    from .actives import EXFOLIANTS

    classes = {a for actives in actives_by_step for a in actives}
    if period == "pm":
        if "retinoid" in classes:
            return "retinoid"
        if classes & EXFOLIANTS:
            return "exfoliation"
        if night_actives_this_week:
            return "recovery"
    return "daily"


def days_phrase(days, *, period: str | None = None) -> str:
    """'Monday and Thursday evenings', 'every morning' (English; `domain.messages.days_phrase` translates)."""
    from .messages import days_phrase as phrase

    return phrase(days, period)
