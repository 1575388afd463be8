"""The words of the domain: concerns, skin types, budgets, preferences, severities and face regions.

Keys are stable identifiers stored in the database and sent by the API; `label` is a short title for a
list or a form, `phrase` the noun used inside a sentence ("Niacinamide targets the shine measured…").
Both are English msgids marked with `N_` and translated where they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .i18n import N_, NC_


@dataclass(frozen=True)
class Concern:
    key: str
    label: str
    phrase: str
    measured: bool  # the vision engine (ml/) measures it from a photo; others come from the profile


CONCERNS: tuple[Concern, ...] = (
    Concern("acne", N_("Acne"), N_("breakouts"), True),
    Concern("redness", N_("Redness"), N_("redness"), True),
    Concern("oiliness", N_("Shine"), N_("shine"), True),
    Concern("pores", N_("Pores"), N_("visible pores"), True),
    Concern("texture", N_("Texture"), N_("uneven texture"), True),
    Concern("wrinkles", N_("Fine lines"), N_("fine lines"), True),
    Concern("pigmentation", N_("Dark spots"), N_("dark spots"), True),
    Concern("dark_circles", N_("Dark circles"), N_("dark circles"), True),
    Concern("uneven_tone", N_("Uneven tone"), N_("uneven tone"), True),
    Concern("dryness", N_("Dryness"), N_("dryness"), False),
    Concern("sensitivity", N_("Sensitivity"), N_("sensitivity"), False),
)
CONCERN_KEYS: tuple[str, ...] = tuple(c.key for c in CONCERNS)
MEASURED_CONCERN_KEYS: tuple[str, ...] = tuple(c.key for c in CONCERNS if c.measured)
CONCERN_BY_KEY = {c.key: c for c in CONCERNS}
# Other words people and other clients (the original mobile app's `skin_concerns`) use for a concern, in
# snake_case → the concern's key.
CONCERN_SYNONYMS: dict[str, str] = {
    "dark_spots": "pigmentation",
    "spots": "pigmentation",
    "hyperpigmentation": "pigmentation",
    "age_spots": "pigmentation",
    "melasma": "pigmentation",
    "fine_lines": "wrinkles",
    "lines": "wrinkles",
    "aging": "wrinkles",
    "anti_aging": "wrinkles",
    "large_pores": "pores",
    "enlarged_pores": "pores",
    "blackheads": "pores",
    "oily": "oiliness",
    "oily_skin": "oiliness",
    "shine": "oiliness",
    "dry": "dryness",
    "dry_skin": "dryness",
    "dehydration": "dryness",
    "dullness": "uneven_tone",
    "uneven_skin_tone": "uneven_tone",
    "breakouts": "acne",
    "pimples": "acne",
    "blemishes": "acne",
    "rosacea": "redness",
    "sensitive": "sensitivity",
    "sensitive_skin": "sensitivity",
    "rough_texture": "texture",
    "puffy_eyes": "dark_circles",
}


def concern_label(key: str) -> str:
    c = CONCERN_BY_KEY.get(key)
    return c.label if c else key.replace("_", " ").capitalize()


def concern_phrase(key: str) -> str:
    c = CONCERN_BY_KEY.get(key)
    return c.phrase if c else key.replace("_", " ")


@dataclass(frozen=True)
class SkinType:
    key: str
    label: str
    measured: bool  # the engine can tell it from a photo; "sensitive" only the person can tell


SKIN_TYPES: tuple[SkinType, ...] = (
    SkinType("normal", N_("Normal"), True),
    SkinType("dry", N_("Dry"), True),
    SkinType("oily", N_("Oily"), True),
    SkinType("combination", N_("Combination"), True),
    SkinType("sensitive", N_("Sensitive"), False),
)
# Inside a sentence ("a serum for oily skin"): English lower-cases the label; German keeps its nouns' capital
# ("Mischhaut"). Entries of their own, falling back to the lower-cased label.
SKIN_TYPE_IN_SENTENCE = "skin type in a sentence"
_SKIN_TYPES_IN_SENTENCE_MARKED = (
    NC_("skin type in a sentence", "Normal"),
    NC_("skin type in a sentence", "Dry"),
    NC_("skin type in a sentence", "Oily"),
    NC_("skin type in a sentence", "Combination"),
    NC_("skin type in a sentence", "Sensitive"),
)
SKIN_TYPE_KEYS: tuple[str, ...] = tuple(s.key for s in SKIN_TYPES)
MEASURED_SKIN_TYPE_KEYS: tuple[str, ...] = tuple(s.key for s in SKIN_TYPES if s.measured)
SKIN_TYPE_CHOICES: list[tuple[str, str]] = [(s.key, s.label) for s in SKIN_TYPES]
# Skin that reacts easily: fewer and gentler actives, one new active at a time.
REACTIVE_SKIN_TYPES = frozenset({"sensitive"})


@dataclass(frozen=True)
class Budget:
    key: str
    label: str
    cap: Decimal | None  # price cap per product; None = no cap


BUDGETS: tuple[Budget, ...] = (
    Budget("low", N_("Low"), Decimal("20")),
    Budget("medium", N_("Medium"), Decimal("45")),
    Budget("high", N_("High"), None),
)
BUDGET_IN_SENTENCE = "budget in a sentence"  # "your budget (low, up to 20)": lower-cased in English
_BUDGETS_IN_SENTENCE_MARKED = (
    NC_("budget in a sentence", "Low"),
    NC_("budget in a sentence", "Medium"),
    NC_("budget in a sentence", "High"),
)
BUDGET_KEYS: tuple[str, ...] = tuple(b.key for b in BUDGETS)
BUDGET_CHOICES: list[tuple[str, str]] = [(b.key, b.label) for b in BUDGETS]
BUDGET_CAPS: dict[str, Decimal | None] = {b.key: b.cap for b in BUDGETS}
DEFAULT_BUDGET = "medium"

PREFERENCES: tuple[tuple[str, str], ...] = (
    ("fragrance_free", N_("Fragrance free")),
    ("vegan", N_("Vegan")),
    ("cruelty_free", N_("Cruelty free")),
    ("alcohol_free", N_("Alcohol free")),
    ("minimal", N_("Minimal")),
    ("essential_oil_free", N_("Essential oil free")),
)
PREFERENCE_KEYS: tuple[str, ...] = tuple(k for k, _ in PREFERENCES)

# Skin tone categories of the ITA° scale (Chardon et al. 1991; the limits are the engine's, ml/vision/color.py).
SKIN_TONES: tuple[tuple[str, str], ...] = (
    ("very_light", N_("Very light")),
    ("light", N_("Light")),
    ("intermediate", N_("Intermediate")),
    ("tan", N_("Tan")),
    ("brown", N_("Brown")),
    ("dark", N_("Dark")),
)
SKIN_TONE_KEYS: tuple[str, ...] = tuple(k for k, _ in SKIN_TONES)

SEVERITIES: tuple[str, ...] = ("none", "mild", "moderate", "severe")
SEVERITY_LABELS = {"none": N_("none"), "mild": N_("mild"), "moderate": N_("moderate"), "severe": N_("severe")}

# Face regions the engine reports (ml/ measures them), and how a person calls them.
REGION_KEYS: tuple[str, ...] = (
    "forehead",
    "left_cheek",
    "right_cheek",
    "nose",
    "chin",
    "left_under_eye",
    "right_under_eye",
    "t_zone",
)
REGION_WORDS = {
    "forehead": N_("forehead"),
    "nose": N_("nose"),
    "chin": N_("chin"),
    "left_cheek": N_("left cheek"),
    "right_cheek": N_("right cheek"),
    "cheeks": N_("cheeks"),
    "under_eyes": N_("under-eyes"),
    "left_under_eye": N_("under-eyes"),
    "right_under_eye": N_("under-eyes"),
    "t_zone": N_("T-zone"),
}
T_ZONE = frozenset({"forehead", "nose", "chin", "t_zone"})


def region_word(key: str) -> str:
    return REGION_WORDS.get(key, key.replace("_", " "))


# Regions grouped the way a person speaks of them in one short reason ("measured in your T-zone").
REGION_GROUP_WORDS = {
    "forehead": N_("T-zone"),
    "nose": N_("T-zone"),
    "t_zone": N_("T-zone"),
    "chin": N_("chin"),
    "left_cheek": N_("cheeks"),
    "right_cheek": N_("cheeks"),
    "cheeks": N_("cheeks"),
    "cheek": N_("cheeks"),
    "under_eyes": N_("under-eye area"),
    "under_eye": N_("under-eye area"),
    "left_under_eye": N_("under-eye area"),
    "right_under_eye": N_("under-eye area"),
}

# Concerns that usually come with a skin type, and how strongly (0-1): used when nothing was measured.
USUAL_CONCERNS: dict[str, dict[str, float]] = {
    "oily": {"oiliness": 0.5, "pores": 0.3},
    "combination": {"oiliness": 0.3},
    "dry": {"dryness": 0.5},
    "sensitive": {"sensitivity": 0.5, "redness": 0.3},
}

# Label words that mean "fragrance" (INCI "Parfum", "Aroma", and what people write), and the allergy terms
# that cover every fragrance ingredient (the scanner, the builder and the recommender read the same sets).
FRAGRANCE_WORDS = frozenset(
    {"fragrance", "fragrances", "parfum", "perfume", "perfumes", "scent", "aroma", "fragrance mix"}
)
FRAGRANCE_ALLERGY_WORDS = FRAGRANCE_WORDS | {"fragrance allergens", "perfume allergens"}


def is_fragrance_name(name: str) -> bool:
    """An ingredient name that is a fragrance word, or has one as a word ("Parfum (Fragrance)")."""
    text = " ".join(str(name).lower().replace("(", " ").replace(")", " ").replace("/", " ").split())
    return text in FRAGRANCE_WORDS or any(word in FRAGRANCE_WORDS for word in text.split())
