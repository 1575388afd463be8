"""The rules the assessment applies, in one place, pure Python (no Django).

Hazard score (0-10) — computed from the ingredient's sourced facts, never typed in by hand:

    prohibited in the EU (Annex II, and not also allowed by Annex IV/V/VI)      → 10
    otherwise the sum, rounded and capped at 10, of
      irritancy (0-5)                     × 0.8   (up to 4)
      comedogenic rating (0-5)            × 0.4   (up to 2; rabbit-ear data, a hint only)
      EU labelled fragrance allergen      + 3     (Annex III, the 26 + Regulation 2023/1545)
      fragrance that is not one of them   + 2
      EU restricted (Annex III limits)    + 2 (not for allergens: their Annex III entry is a labelling rule)
      preservative or UV filter (Annex V/VI) + 1
      pregnancy: avoid + 2, caution + 1

Rating of one ingredient: red at hazard ≥ 7; yellow at 3-6, or when flagged irritant (irritancy ≥ 3)
or comedogenic (≥ 3); green otherwise. Personal facts override: a user's allergy, or a pregnancy-avoid
ingredient for a pregnant user, make it red; a skin type it may bother makes it at least yellow.

Product score (0-100, 100 best): position-aware and not diluted by long lists.
    weight(position) = 1 / (1 + 0.3 × (position − 1))       (1st 1.0, 5th 0.45, 10th 0.27, 20th 0.15:
                       labels list by descending amount and most names after the 8th-10th are below 1%)
    penalty(ingredient) = 0 for green, max(0.4, hazard/10) for yellow, 1 for red
    score = round(100 × Π (1 − weight × penalty × 0.75))
Verdict: red when any ingredient is red (the score is then capped at 25: one red caps the product),
else green at score ≥ 75, yellow at 50-74, red below 50. "May contain" colorants weigh as last.
"""

from __future__ import annotations

from domain import conflicts as domain_conflicts
from domain.i18n import N_

RED_HAZARD = 7
YELLOW_HAZARD = 3
RED_CAP = 25
GREEN_MIN = 75
YELLOW_MIN = 50


def hazard_score(
    *,
    eu_status: str,
    eu_annexes: set[str] | None = None,
    irritancy: int | None,
    comedogenic_rating: int | None,
    is_allergen: bool,
    is_fragrance: bool,
    pregnancy_caution: str,
) -> int:
    annexes = eu_annexes or set()
    if eu_status == "prohibited" and not (annexes & {"IV", "V", "VI"}):
        return 10
    score = 0.0
    score += 0.8 * (irritancy or 0)
    score += 0.4 * (comedogenic_rating or 0)
    if is_allergen:
        score += 3
    elif is_fragrance:
        score += 2
    if eu_status == "restricted" and not is_allergen:  # an allergen's Annex III entry is its labelling rule
        score += 2
    elif eu_status in {"preservative", "uv_filter"}:
        score += 1
    score += {"avoid": 2, "caution": 1}.get(pregnancy_caution, 0)
    return int(min(10, round(score)))


def base_rating(*, hazard: int, irritancy: int | None, comedogenic: int | None) -> str:
    if hazard >= RED_HAZARD:
        return "red"
    if hazard >= YELLOW_HAZARD or (irritancy or 0) >= 3 or (comedogenic or 0) >= 3:
        return "yellow"
    return "green"


def position_weight(position: int) -> float:
    return 1.0 / (1.0 + 0.3 * (max(1, position) - 1))


def penalty(rating: str | None, hazard: int) -> float:
    if rating == "red":
        return 1.0
    if rating == "yellow":
        return max(0.4, hazard / 10)
    return 0.0


def product_score(items: list[tuple[int, str | None, int]]) -> tuple[int, str]:
    """items: (position, rating, hazard). Returns (score, verdict)."""
    score = 1.0
    for position, rating, hazard in items:
        score *= 1 - position_weight(position) * penalty(rating, hazard) * 0.75
    value = round(100 * score)
    if any(r == "red" for _, r, _ in items):
        return min(value, RED_CAP), "red"
    if value >= GREEN_MIN:
        return value, "green"
    if value >= YELLOW_MIN:
        return value, "yellow"
    return value, "red"


RULE_TEXT = N_(  # shown in the reader's language (ingredients.messages)
    "Each ingredient is rated from its sourced facts (hazard 0-10: EU status, irritancy, comedogenic hint, "
    "fragrance allergen, pregnancy). The score multiplies a penalty per ingredient weighted by its place in the "
    "list (earlier = more of it). One red ingredient makes the product red and caps its score at 25; otherwise "
    "the product is green from 75, yellow from 50 and red below 50."
)


def conflicts_between(classes_a: set[str], classes_b: set[str] | None = None) -> list[dict]:
    """Conflicting pairs (domain.conflicts: the one list the builder uses too) within one set of active
    classes (classes_b None) or across two sets: {classes, advice, apart, source}."""
    return [
        {**c.as_dict(), "source": c.source.citation} for c in domain_conflicts.conflicts_between(classes_a, classes_b)
    ]
