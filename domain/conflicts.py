"""Pairs of active classes to keep apart, how far apart, and why (DOMAIN.md, with sources).

`apart`: "day" — never applied on the same day (different evenings, or one morning and the other
evening on different days); "routine" — not in the same routine (morning vs evening is enough).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import sources as S
from .i18n import N_
from .sources import Source


@dataclass(frozen=True)
class Conflict:
    a: str
    b: str
    apart: str  # day | routine
    advice: str
    source: Source

    @property
    def classes(self) -> frozenset[str]:
        return frozenset((self.a, self.b))

    def as_dict(self) -> dict:
        return {"classes": [self.a, self.b], "apart": self.apart, "advice": self.advice, "source": self.source.key}


_ACIDS_TOGETHER = N_("Several exfoliating acids together raise irritation: one per routine, on different evenings.")

CONFLICTS: tuple[Conflict, ...] = (
    Conflict(
        "retinoid", "aha", "day", N_("Retinoids with AHAs irritate: use them on different evenings."), S.AAD_EXFOLIATION
    ),
    Conflict(
        "retinoid",
        "bha",
        "day",
        N_("Retinoids with salicylic acid (BHA) irritate: use them on different evenings."),
        S.AAD_EXFOLIATION,
    ),
    Conflict(
        "retinoid",
        "pha",
        "day",
        N_("Retinoids with PHAs add irritation: use them on different evenings."),
        S.AAD_EXFOLIATION,
    ),
    Conflict(
        "retinoid",
        "exfoliant_enzyme",
        "day",
        N_("Retinoids with enzyme exfoliants add irritation: use them on different evenings."),
        S.AAD_EXFOLIATION,
    ),
    Conflict(
        "retinoid",
        "benzoyl_peroxide",
        "day",
        N_("Benzoyl peroxide can inactivate some retinoids and both dry the skin: use them on different days."),
        S.PAIRINGS,
    ),
    Conflict(
        "benzoyl_peroxide",
        "vitamin_c",
        "routine",
        N_("Benzoyl peroxide oxidises L-ascorbic acid: keep vitamin C in the morning and benzoyl peroxide apart."),
        S.PAIRINGS,
    ),
    Conflict(
        "benzoyl_peroxide",
        "hydroquinone",
        "day",
        N_("Benzoyl peroxide with hydroquinone can stain the skin: keep them on different days."),
        S.PAIRINGS,
    ),
    Conflict("aha", "bha", "day", _ACIDS_TOGETHER, S.AAD_EXFOLIATION),
    Conflict("aha", "pha", "day", _ACIDS_TOGETHER, S.AAD_EXFOLIATION),
    Conflict("bha", "pha", "day", _ACIDS_TOGETHER, S.AAD_EXFOLIATION),
    Conflict("aha", "exfoliant_enzyme", "day", _ACIDS_TOGETHER, S.AAD_EXFOLIATION),
    Conflict("bha", "exfoliant_enzyme", "day", _ACIDS_TOGETHER, S.AAD_EXFOLIATION),
    Conflict("pha", "exfoliant_enzyme", "day", _ACIDS_TOGETHER, S.AAD_EXFOLIATION),
    Conflict(
        "vitamin_c",
        "aha",
        "routine",
        N_("Low-pH vitamin C with AHAs can sting: vitamin C in the morning, the acid in the evening."),
        S.PAIRINGS,
    ),
)
_BY_PAIR = {c.classes: c for c in CONFLICTS}


def conflict_between(a: str, b: str) -> Conflict | None:
    return _BY_PAIR.get(frozenset((a, b))) if a != b else None


def conflicts_between(classes_a: Iterable[str], classes_b: Iterable[str] | None = None) -> list[Conflict]:
    """Conflicting pairs within one set of classes (classes_b None) or across two sets, in table order."""
    a = set(classes_a)
    b = a if classes_b is None else set(classes_b)
    out = []
    for c in CONFLICTS:
        if (c.a in a and c.b in b) or (c.b in a and c.a in b):
            out.append(c)
    return out
