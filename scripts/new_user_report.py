"""What a new person gets on a fresh install: the routine after one analysis, and the recommendations.

    .venv/bin/python scripts/new_user_report.py [--budget medium] [--keep DIR]

Runs on a throw-away SQLite database of its own (migrated, knowledge base and demo catalog loaded), so
it never touches the configured database. One real analysis runs through the engine on scikit-image's
astronaut photo (the way the worker runs it), then the routine is generated as the builder page does.
It prints counts read back from the stored routine rows (active classes and weekdays of each step), so
the same numbers can be compared across versions of the builder:

- per active class: how many steps of the morning / evening routine carry it;
- acid evenings: weekdays on which an exfoliating acid (AHA, BHA, PHA) is applied in the evening;
- retinoid evenings: weekdays with a retinoid in the evening;
- conflicts: (weekday, pair) where two steps applied the same day carry a pair DOMAIN.md says to keep apart
  (retinoid with AHA/BHA/PHA, benzoyl peroxide with retinoid, vitamin C or hydroquinone, two acids);
- the recommendations page's data for a brand-new account (no profile, no analysis, no interactions).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ACIDS = {"aha", "bha", "pha"}
PAIRS = [
    {"retinoid", "aha"},
    {"retinoid", "bha"},
    {"retinoid", "pha"},
    {"benzoyl_peroxide", "retinoid"},
    {"benzoyl_peroxide", "vitamin_c"},
    {"benzoyl_peroxide", "hydroquinone"},
    {"aha", "bha"},
    {"aha", "pha"},
    {"bha", "pha"},
]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def setup(workdir: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/report.sqlite3"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skincare.settings")
    os.environ["MEDIA_ROOT"] = f"{workdir}/media"
    import django

    django.setup()
    from django.conf import settings

    settings.MEDIA_ROOT = f"{workdir}/media"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_ingredients", verbosity=0)
    call_command("load_demo_catalog", verbosity=0)


def astronaut_jpeg() -> bytes:
    from PIL import Image
    from skimage import data

    out = io.BytesIO()
    Image.fromarray(data.astronaut()).save(out, format="JPEG", quality=92)
    return out.getvalue()


def days_in_week(step, week: int) -> list[int]:
    """The step's weekdays in a plan week: its schedule's phase when it has one (newer builders), else `days`."""
    phases = sorted((p["week"], p["days"]) for p in (getattr(step, "schedule", None) or []))
    if not phases:
        return list(step.days or range(7))
    current: list[int] = []
    for start, days in phases:
        if week >= start:
            current = list(days)
    return current


def routine_numbers(routines, weeks: int = 12) -> dict:
    out: dict = {}
    for routine in routines:
        steps = list(routine.steps.all())
        per_class = Counter(a for s in steps for a in set(s.actives or []))
        by_week = []
        conflicts = set()
        for week in range(1, weeks + 1):
            on_day = {d: [s for s in steps if d in days_in_week(s, week)] for d in range(7)}
            for d, todays in on_day.items():
                for i, a in enumerate(todays):
                    for b in todays[i + 1 :]:
                        for pair in PAIRS:
                            x, y = sorted(pair)
                            if (x in a.actives and y in b.actives) or (y in a.actives and x in b.actives):
                                conflicts.add((DAYS[d], x, y, a.product_name, b.product_name))
            acid = [DAYS[d] for d, t in on_day.items() if any(ACIDS & set(s.actives or []) for s in t)]
            ret = [DAYS[d] for d, t in on_day.items() if any("retinoid" in (s.actives or []) for s in t)]
            rest = [
                DAYS[d]
                for d, t in on_day.items()
                if (acid or ret) and {s.category for s in t} <= {"cleanse", "moisturize"}
            ]
            by_week.append((week, acid, ret, rest))
        phases = {}
        for s in steps:
            sched = getattr(s, "schedule", None) or []
            phases[s.order] = [(p["week"], [DAYS[d] for d in p["days"]]) for p in sched]
        out[routine.period] = {
            "steps": [(s.order, s.category, s.product_name, sorted(s.actives or []), s.days) for s in steps],
            "phases": phases,
            "per_class": dict(per_class),
            "by_week": by_week,
            "conflicts": sorted(conflicts),
            "warnings": routine.warnings,
            "rules": getattr(routine, "rules", []),
        }
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--budget", default="medium")
    ap.add_argument("--keep", help="work in this folder instead of a temporary one")
    args = ap.parse_args()
    workdir = args.keep or tempfile.mkdtemp(prefix="new-user-report-")
    setup(workdir)

    from django.test import Client

    from accounts.models import Profile, User
    from analysis import services as analysis_services
    from recommendations.selectors import recommendations_for
    from routines import services as routine_services

    # --- a new account: the recommendations page before anything is known ----------------------------
    fresh = User.objects.create_user("fresh@example.com", "pw-123456789")
    Profile.objects.get_or_create(user=fresh)
    result = recommendations_for(user=fresh, limit=20)
    client = Client()
    client.force_login(fresh)
    page = client.get("/recommendations/")
    html = page.content.decode()
    scores = Counter(i.score for i in result.items)
    popular = sum(1 for i in result.items if any("popular" in r for r in i.reasons))
    print("Recommendations for a new account (no profile, no analysis, no interactions on the site):")
    print(f"  {len(result.items)} products; scores {dict(scores)}; {popular} say 'popular'")
    print(f"  page: '0' match badges: {html.count('>0</span>')}, 'popular' on page: {html.lower().count('popular')}")
    for item in result.items[:3]:
        print(f"    {item.product} · {item.score} · {item.reasons}")

    # --- the routine after one analysis --------------------------------------------------------------
    user = User.objects.create_user("new@example.com", "pw-123456789")
    profile, _ = Profile.objects.get_or_create(user=user)
    profile.budget = args.budget
    profile.save()
    analysis = analysis_services.analysis_create(user=user, data=astronaut_jpeg())
    analysis_services.analysis_run(analysis_id=analysis.pk)
    analysis.refresh_from_db()
    measured = [(c["key"], c["severity"]) for c in analysis.concerns or []]
    print(f"\nOne analysis of the astronaut photo: status {analysis.status}, concerns {measured}")
    routines = routine_services.routine_generate(user=user, period="both", budget=args.budget)
    numbers = routine_numbers(routines)
    for period in ("am", "pm"):
        n = numbers.get(period)
        if not n:
            continue
        print(f"\n{period.upper()} routine ({args.budget} budget, demo catalog):")
        for order, category, name, actives, days in n["steps"]:
            when = "every day" if sorted(days) == list(range(7)) else ",".join(DAYS[d] for d in sorted(days))
            phases = n["phases"].get(order)
            if phases:
                when = "; ".join(f"wk{w}+ {','.join(d) or '-'}" for w, d in phases)
            print(f"  {order}. {category:<10} {name:<42} {','.join(actives) or '-':<36} {when}")
        print(f"  steps per active class: {n['per_class']}")
        print(f"  niacinamide steps: {n['per_class'].get('niacinamide', 0)}")
        shown = [w for w in n["by_week"] if w[0] in (1, 3, 5, 7, 12)]
        for week, acid, ret, rest in shown:
            print(
                f"  week {week:>2}: acid evenings {len(acid)} {acid}; retinoid evenings {len(ret)} {ret}; "
                f"cleanse+moisturise-only evenings {len(rest)}"
            )
        print(f"  most acid evenings in any week: {max(len(w[1]) for w in n['by_week'])}")
        print(f"  conflicts on a shared day (weeks 1-12): {len(n['conflicts'])} {n['conflicts'][:4]}")
        for w in n["warnings"]:
            print(f"  warning: {w}")
        for r in n["rules"]:
            print(f"  rule [{r['code']}]: {r['text']}  ({r['source']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
