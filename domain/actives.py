"""Active classes: what makes a product carry one (its INCI names), what it is for, when and how often it
goes on the skin, how it is introduced, what it must be kept apart from, and the pregnancy policy.

One home for these rules: the ingredient knowledge base, the ingredient scanner, the routine builder and
the recommender all read them from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from . import sources as S
from .i18n import N_
from .sources import Source

# --- how often ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Frequency:
    """Times a week, by week of the routine: `ramp` is ((from week, times a week), ...), week 1 first.

    `reactive_ramp` replaces it for sensitive or reactive skin (slower and lower); `dry_max` caps it for
    dry skin. 7 = every day.
    """

    ramp: tuple[tuple[int, int], ...] = ((1, 7),)
    reactive_ramp: tuple[tuple[int, int], ...] | None = None
    dry_max: int | None = None
    source: Source = S.PROJECT

    def per_week(self, week: int, *, reactive: bool = False, dry: bool = False) -> int:
        ramp = self.reactive_ramp if reactive and self.reactive_ramp else self.ramp
        times = ramp[0][1]
        for start, n in ramp:
            if week >= start:
                times = n
        if dry and self.dry_max is not None:
            times = min(times, self.dry_max)
        return times

    def phases(self, *, reactive: bool = False, dry: bool = False) -> list[tuple[int, int]]:
        """(from week, times a week) with consecutive duplicates merged."""
        ramp = self.reactive_ramp if reactive and self.reactive_ramp else self.ramp
        out: list[tuple[int, int]] = []
        for start, _ in ramp:
            n = self.per_week(start, reactive=reactive, dry=dry)
            if not out or out[-1][1] != n:
                out.append((start, n))
        return out

    @property
    def starts_at(self) -> int:
        return self.ramp[0][1]

    @property
    def most(self) -> int:
        return max(n for _, n in self.ramp)


DAILY = Frequency()
# AAD: retinoids every second or third night at first, more often as tolerated.
RETINOID_FREQUENCY = Frequency(
    ramp=((1, 2), (3, 3), (7, 4)),
    reactive_ramp=((1, 2), (5, 3)),
    source=S.AAD_RETINOIDS,
)
# AAD: exfoliating acids a few times a week at most; less for dry or sensitive skin. Start at 2.
EXFOLIANT_FREQUENCY = Frequency(ramp=((1, 2), (5, 3)), reactive_ramp=((1, 2),), dry_max=2, source=S.AAD_EXFOLIATION)
# Benzoyl peroxide dries and bleaches: once a day; every other day at first for reactive skin.
BENZOYL_PEROXIDE_FREQUENCY = Frequency(ramp=((1, 7),), reactive_ramp=((1, 3), (3, 7)), source=S.PAIRINGS)

# Rest evenings a week with only cleanser and moisturiser (no exfoliant, no retinoid): skin cycling has
# two recovery nights in every four; a week keeps at least two.
MIN_RECOVERY_NIGHTS = 2
# Two weeks between one new active and the next (AAD).
INTRODUCTION_WEEKS = 2


# --- pregnancy and breastfeeding --------------------------------------------------------------------


@dataclass(frozen=True)
class PregnancyRule:
    level: str  # none | caution | avoid
    note: str
    source: Source = S.CHIEN_2016


PREGNANCY_LEVELS: tuple[tuple[str, str], ...] = (
    ("none", N_("No known concern")),
    ("caution", N_("Ask your doctor")),
    ("avoid", N_("Avoid")),
)
PREGNANCY_LEVEL_LABELS = dict(PREGNANCY_LEVELS)
NO_CONCERN = PregnancyRule("none", "", S.CHIEN_2016)
AVOID_RETINOID = PregnancyRule(
    "avoid", N_("Retinoids are avoided during pregnancy and breastfeeding (birth-defect risk of vitamin A acids).")
)
AVOID_HYDROQUINONE = PregnancyRule(
    "avoid", N_("Hydroquinone is avoided during pregnancy and breastfeeding: a large share is absorbed.")
)
ASK_SALICYLIC = PregnancyRule(
    "caution",
    N_("Sources differ on salicylic acid in leave-on products during pregnancy and breastfeeding: ask your doctor."),
)
ASK_BENZOYL_PEROXIDE = PregnancyRule(
    "caution",
    N_("Sources differ on benzoyl peroxide during pregnancy and breastfeeding: ask your doctor."),
)
ASK_UV_FILTER = PregnancyRule(
    "caution",
    N_("This UV filter is under review as a possible endocrine disruptor: ask your doctor, or use a mineral filter."),
    S.EU_1223_2009,
)
AVOID_TOXIC = PregnancyRule(
    "avoid", N_("A toxic or prohibited substance: avoid, especially during pregnancy."), S.EU_1223_2009
)
ASK_PHTHALATE = PregnancyRule(
    "caution", N_("Phthalates are under review for effects on development: ask your doctor."), S.EU_1223_2009
)


def pregnancy_allows(level: str | None) -> bool:
    """Whether the product may be chosen or recommended for someone pregnant or breastfeeding.

    "avoid" never; "caution" (sources differ) is not chosen for the person either: the builder, the
    recommender and the scanner all say "ask your doctor" instead. One rule for all three."""
    return (level or "none") == "none"


# --- active classes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActiveClass:
    key: str
    label: str  # a title: "Retinoid"
    phrase: str  # inside a sentence: "a retinoid"
    inci: tuple[str, ...]  # INCI names (label names) whose presence makes a product carry this class
    targets: frozenset[str]  # concerns it treats (when an ingredient's own targets say nothing)
    benefit: str
    kind: str = "treatment"  # treatment (counted against redundancy) | support (hydration, barrier) | uv_filter
    exfoliating: bool = False
    period: str = "any"  # am | pm | any: when it goes on the skin
    frequency: Frequency = DAILY
    pregnancy: PregnancyRule = NO_CONCERN
    gentle_inci: frozenset[str] = frozenset()  # gentler forms, chosen for sensitive or reactive skin
    reactive_ok: bool = True  # False: not for sensitive or reactive skin unless in a gentle form
    strong: bool = False  # scheduled by day (exfoliants, retinoids, BPO...): one step per routine at most
    source: Source = S.KB_EDITORS
    pregnancy_inci: dict[str, PregnancyRule] = field(default_factory=dict)
    family: str = ""  # classes of one family count as one against redundancy (vitamin C and its derivatives)


def _c(*names: str) -> tuple[str, ...]:
    return tuple(names)


ACTIVE_CLASSES: tuple[ActiveClass, ...] = (
    ActiveClass(
        "retinoid",
        N_("Retinoid"),
        N_("a retinoid"),
        _c(
            "Retinol",
            "Retinal",
            "Retinyl Palmitate",
            "Retinyl Acetate",
            "Retinyl Propionate",
            "Retinyl Retinoate",
            "Hydroxypinacolone Retinoate",
            "Retinoic Acid",
            "Adapalene",
            "Tazarotene",
        ),
        frozenset({"wrinkles", "texture", "acne", "pores", "pigmentation"}),
        N_("Speeds cell turnover: softens fine lines, refines texture and unclogs pores over months."),
        period="pm",
        frequency=RETINOID_FREQUENCY,
        pregnancy=AVOID_RETINOID,
        gentle_inci=frozenset(
            {"Retinyl Palmitate", "Retinyl Propionate", "Retinyl Acetate", "Hydroxypinacolone Retinoate", "Retinol"}
        ),
        strong=True,
        source=S.AAD_RETINOIDS,
    ),
    ActiveClass(
        "aha",
        N_("AHA (alpha hydroxy acid)"),
        N_("an AHA"),
        _c("Glycolic Acid", "Mandelic Acid", "Malic Acid", "Tartaric Acid", "Lactic Acid"),
        frozenset({"texture", "uneven_tone", "pigmentation"}),
        N_("Exfoliates the surface for smoother, brighter skin and more even tone."),
        exfoliating=True,
        period="pm",
        frequency=EXFOLIANT_FREQUENCY,
        gentle_inci=frozenset({"Mandelic Acid", "Lactic Acid"}),
        strong=True,
        source=S.AAD_EXFOLIATION,
    ),
    ActiveClass(
        "bha",
        N_("BHA (salicylic acid)"),
        N_("salicylic acid"),
        _c("Salicylic Acid", "Betaine Salicylate", "Capryloyl Salicylic Acid", "Sodium Salicylate"),
        frozenset({"acne", "pores", "oiliness"}),
        N_("Exfoliates inside pores: fewer blackheads and breakouts."),
        exfoliating=True,
        period="pm",
        frequency=EXFOLIANT_FREQUENCY,
        pregnancy=ASK_SALICYLIC,
        gentle_inci=frozenset({"Betaine Salicylate", "Capryloyl Salicylic Acid"}),
        strong=True,
        source=S.AAD_EXFOLIATION,
    ),
    ActiveClass(
        "pha",
        N_("PHA (polyhydroxy acid)"),
        N_("a PHA"),
        _c("Maltobionic Acid", "Gluconolactone", "Lactobionic Acid"),
        frozenset({"texture", "sensitivity"}),
        N_("Gentle exfoliation and hydration, suited to sensitive skin."),
        exfoliating=True,
        period="pm",
        frequency=EXFOLIANT_FREQUENCY,
        gentle_inci=frozenset({"Maltobionic Acid", "Gluconolactone", "Lactobionic Acid"}),
        strong=True,
        source=S.AAD_EXFOLIATION,
    ),
    ActiveClass(
        "exfoliant_enzyme",
        N_("Enzyme exfoliant"),
        N_("an enzyme exfoliant"),
        _c("Papain", "Bromelain", "Subtilisin"),
        frozenset({"texture"}),
        N_("Dissolves dead-cell protein for gentle exfoliation."),
        exfoliating=True,
        period="pm",
        frequency=EXFOLIANT_FREQUENCY,
        gentle_inci=frozenset({"Papain", "Bromelain", "Subtilisin"}),
        strong=True,
        source=S.AAD_EXFOLIATION,
    ),
    ActiveClass(
        "vitamin_c",
        N_("Vitamin C (L-ascorbic acid)"),
        N_("vitamin C"),
        _c("Ascorbic Acid"),
        frozenset({"pigmentation", "uneven_tone", "wrinkles"}),
        N_("Antioxidant that brightens and supports collagen."),
        period="am",
        reactive_ok=False,
        strong=True,
        source=S.VITAMIN_C_AM,
    ),
    ActiveClass(
        "vitamin_c_derivative",
        N_("Vitamin C derivative"),
        N_("a vitamin C derivative"),
        _c(
            "Sodium Ascorbyl Phosphate",
            "Ascorbyl Glucoside",
            "3-O-Ethyl Ascorbic Acid",
            "Tetrahexyldecyl Ascorbate",
            "Magnesium Ascorbyl Phosphate",
        ),
        frozenset({"pigmentation", "uneven_tone"}),
        N_("A more stable form of vitamin C that brightens gently."),
        period="am",
        source=S.VITAMIN_C_AM,
        family="vitamin_c",
    ),
    ActiveClass(
        "benzoyl_peroxide",
        N_("Benzoyl peroxide"),
        N_("benzoyl peroxide"),
        _c("Benzoyl Peroxide"),
        frozenset({"acne"}),
        N_("Kills acne bacteria and reduces inflamed breakouts."),
        frequency=BENZOYL_PEROXIDE_FREQUENCY,
        pregnancy=ASK_BENZOYL_PEROXIDE,
        strong=True,
        source=S.PAIRINGS,
    ),
    ActiveClass(
        "niacinamide",
        N_("Niacinamide"),
        N_("niacinamide"),
        _c("Niacinamide"),
        frozenset({"oiliness", "pores", "redness", "uneven_tone", "acne"}),
        N_("Supports the barrier, evens tone and reduces the look of pores and oil."),
    ),
    ActiveClass(
        "hydroquinone",
        N_("Hydroquinone"),
        N_("hydroquinone"),
        _c("Hydroquinone"),
        frozenset({"pigmentation"}),
        N_("Fades dark spots (prescription use)."),
        period="pm",
        pregnancy=AVOID_HYDROQUINONE,
        reactive_ok=False,
        strong=True,
    ),
    ActiveClass(
        "azelaic_acid",
        N_("Azelaic acid"),
        N_("azelaic acid"),
        _c("Azelaic Acid"),
        frozenset({"redness", "acne", "pigmentation"}),
        N_("Calms redness, treats acne and fades marks."),
    ),
    ActiveClass(
        "sulfur",
        N_("Sulfur"),
        N_("sulfur"),
        _c("Sulfur"),
        frozenset({"acne"}),
        N_("Dries out blemishes and reduces oil."),
        period="pm",
    ),
    ActiveClass(
        "brightening",
        N_("Brightening agent"),
        N_("a brightening agent"),
        _c(
            "Alpha-Arbutin",
            "Arbutin",
            "Kojic Acid",
            "Tranexamic Acid",
            "Glycyrrhiza Glabra Root Extract",
            "Glabridin",
            "4-Butylresorcinol",
            "Hexylresorcinol",
            "Phenylethyl Resorcinol",
            "Cysteamine HCl",
            "Morus Alba Root Extract",
        ),
        frozenset({"pigmentation", "uneven_tone", "dark_circles"}),
        N_("Fades dark spots and evens skin tone."),
    ),
    ActiveClass(
        "bakuchiol",
        N_("Bakuchiol"),
        N_("bakuchiol"),
        _c("Bakuchiol"),
        frozenset({"wrinkles", "texture", "pigmentation"}),
        N_("A plant compound studied as a gentler alternative to retinol (it is not a retinoid)."),
    ),
    ActiveClass(
        "peptide",
        N_("Peptide"),
        N_("peptides"),
        _c(
            "Palmitoyl Tripeptide-1",
            "Palmitoyl Tetrapeptide-7",
            "Palmitoyl Pentapeptide-4",
            "Palmitoyl Tripeptide-5",
            "Palmitoyl Tripeptide-38",
            "Acetyl Hexapeptide-8",
            "Acetyl Octapeptide-3",
            "Acetyl Tetrapeptide-5",
            "Dipeptide Diaminobutyroyl Benzylamide Diacetate",
            "Copper Tripeptide-1",
            "Tripeptide-1",
            "Hexapeptide-9",
            "Pentapeptide-18",
            "sh-Oligopeptide-1",
            "Acetyl Dipeptide-1 Cetyl Ester",
        ),
        frozenset({"wrinkles"}),
        N_("Signal peptides studied for firmness and fine lines."),
        kind="support",
    ),
    ActiveClass(
        "ceramide",
        N_("Ceramide"),
        N_("ceramides"),
        _c(
            "Ceramide NP",
            "Ceramide AP",
            "Ceramide EOP",
            "Ceramide NS",
            "Ceramide AS",
            "Ceramide NG",
            "Ceramide EOS",
            "Cetyl-PG Hydroxyethyl Palmitamide",
            "Phytosphingosine",
        ),
        frozenset({"dryness", "sensitivity"}),
        N_("Restores the skin barrier's lipids."),
        kind="support",
    ),
    ActiveClass(
        "hyaluronic_acid",
        N_("Hyaluronic acid"),
        N_("hyaluronic acid"),
        _c(
            "Sodium Hyaluronate",
            "Hyaluronic Acid",
            "Hydrolyzed Hyaluronic Acid",
            "Sodium Acetylated Hyaluronate",
            "Hydrolyzed Sodium Hyaluronate",
            "Sodium Hyaluronate Crosspolymer",
            "Potassium Hyaluronate",
        ),
        frozenset({"dryness"}),
        N_("Holds water in the skin for plumper, hydrated skin."),
        kind="support",
    ),
    ActiveClass(
        "antioxidant",
        N_("Antioxidant"),
        N_("antioxidants"),
        _c(
            "Tocopherol",
            "Tocopheryl Acetate",
            "Ferulic Acid",
            "Resveratrol",
            "Ubiquinone",
            "Ergothioneine",
            "Astaxanthin",
            "Glutathione",
            "Thioctic Acid",
            "Idebenone",
            "Carnosine",
            "Superoxide Dismutase",
            "Camellia Sinensis Leaf Extract",
            "Rosmarinus Officinalis Leaf Extract",
            "Ginkgo Biloba Leaf Extract",
            "Vitis Vinifera Fruit Extract",
            "Vitis Vinifera Seed Extract",
            "Polygonum Cuspidatum Root Extract",
            "Punica Granatum Fruit Extract",
            "Emblica Officinalis Fruit Extract",
            "Olea Europaea Leaf Extract",
            "Leontopodium Alpinum Extract",
            "Lycium Barbarum Fruit Extract",
            "Epigallocatechin Gallate",
            "Camellia Oleifera Leaf Extract",
            "Hydroxymethoxyphenyl Decanone",
        ),
        frozenset({"wrinkles"}),
        N_("Protects skin from oxidative stress (UV, pollution)."),
        kind="support",
    ),
    ActiveClass(
        "soothing",
        N_("Soothing agent"),
        N_("soothing ingredients"),
        _c(
            "Beta-Glucan",
            "Centella Asiatica Extract",
            "Madecassic Acid",
            "Asiatic Acid",
            "Chamomilla Recutita Flower Extract",
            "Calendula Officinalis Flower Extract",
            "Aloe Barbadensis Leaf Extract",
            "Artemisia Capillaris Extract",
            "Houttuynia Cordata Extract",
            "Glycyrrhiza Inflata Root Extract",
            "Avena Sativa Kernel Extract",
            "Centella Asiatica Leaf Water",
            "Portulaca Oleracea Extract",
            "Malva Sylvestris Flower Extract",
            "Althaea Officinalis Root Extract",
            "Panthenol",
            "Ectoin",
            "Allantoin",
            "Bisabolol",
            "Dipotassium Glycyrrhizate",
            "Madecassoside",
            "Asiaticoside",
            "Avena Sativa Kernel Flour",
        ),
        frozenset({"redness", "sensitivity"}),
        N_("Calms redness and irritation."),
        kind="support",
    ),
    ActiveClass(
        "spf_filter",
        N_("UV filter"),
        N_("a UV filter"),
        _c(
            "Zinc Oxide",
            "Titanium Dioxide",
            "Butyl Methoxydibenzoylmethane",
            "Ethylhexyl Methoxycinnamate",
            "Octocrylene",
            "Homosalate",
            "Ethylhexyl Salicylate",
            "Benzophenone-3",
            "Benzophenone-4",
            "Bis-Ethylhexyloxyphenol Methoxyphenyl Triazine",
            "Methylene Bis-Benzotriazolyl Tetramethylbutylphenol",
            "Diethylamino Hydroxybenzoyl Hexyl Benzoate",
            "Ethylhexyl Triazone",
            "Diethylhexyl Butamido Triazone",
            "Drometrizole Trisiloxane",
            "Terephthalylidene Dicamphor Sulfonic Acid",
            "Phenylbenzimidazole Sulfonic Acid",
            "Disodium Phenyl Dibenzimidazole Tetrasulfonate",
            "Polysilicone-15",
            "Isoamyl p-Methoxycinnamate",
            "4-Methylbenzylidene Camphor",
            "Tris-Biphenyl Triazine",
            "Methoxypropylamino Cyclohexenylidene Ethoxyethylcyanoacetate",
            "Ethylhexyl Dimethyl PABA",
            "PEG-25 PABA",
            "Camphor Benzalkonium Methosulfate",
        ),
        frozenset(),
        N_("Protects from sunburn, UV ageing and dark spots."),
        kind="uv_filter",
        period="am",
        source=S.EU_1223_2009,
        pregnancy_inci={"Benzophenone-3": ASK_UV_FILTER, "4-Methylbenzylidene Camphor": ASK_UV_FILTER},
    ),
)
ACTIVE_BY_KEY: dict[str, ActiveClass] = {a.key: a for a in ACTIVE_CLASSES}
ACTIVE_KEYS: tuple[str, ...] = tuple(a.key for a in ACTIVE_CLASSES)
ACTIVE_CHOICES: list[tuple[str, str]] = [("", N_("None")), *((a.key, a.label) for a in ACTIVE_CLASSES)]
# Every UV filter of EU Annex VI is a UV filter here too, whether listed above or not.
ANNEX_VI_CLASS = "spf_filter"

EXFOLIANTS = frozenset(a.key for a in ACTIVE_CLASSES if a.exfoliating)
STRONG = frozenset(a.key for a in ACTIVE_CLASSES if a.strong)
TREATMENTS = frozenset(a.key for a in ACTIVE_CLASSES if a.kind == "treatment")
# Every active class counts against redundancy except UV filters (a sunscreen is several filters by design).
COUNTED = frozenset(a.key for a in ACTIVE_CLASSES if a.kind != "uv_filter")
PM_ONLY = frozenset(a.key for a in ACTIVE_CLASSES if a.period == "pm")
AM_ONLY = frozenset(a.key for a in ACTIVE_CLASSES if a.period == "am" and a.kind != "uv_filter")
# An active class appears in at most two steps of a routine, a strong (scheduled) one in one: the same
# active layered in several products adds irritation, not effect (UV filters excepted: a sunscreen).
MAX_STEPS_PER_TREATMENT = 2
MAX_STEPS_PER_STRONG = 1

# Per-ingredient pregnancy rules that are not a class's (contaminants, phthalates, fragrance bans).
PREGNANCY_INCI: dict[str, PregnancyRule] = {
    "Formaldehyde": AVOID_TOXIC,
    "Mercury": AVOID_TOXIC,
    "Lead Acetate": AVOID_TOXIC,
    "Dibutyl Phthalate": PregnancyRule(
        "avoid", N_("A phthalate prohibited in EU cosmetics (reproductive toxicity)."), S.EU_1223_2009
    ),
    "Diethyl Phthalate": ASK_PHTHALATE,
    "Butylphenyl Methylpropional": PregnancyRule(
        "avoid", N_("Lilial: prohibited in EU cosmetics since 2022 (reproductive toxicity)."), S.EU_1223_2009
    ),
}
for _a in ACTIVE_CLASSES:
    PREGNANCY_INCI.update(_a.pregnancy_inci)


def _key(name: str) -> str:
    return " ".join(str(name).lower().replace("-", " ").split())


_CLASS_OF_INCI: dict[str, str] = {_key(n): a.key for a in ACTIVE_CLASSES for n in a.inci}
_GENTLE = {_key(n) for a in ACTIVE_CLASSES for n in a.gentle_inci}
_PREGNANCY_OF_INCI = {_key(n): r for n, r in PREGNANCY_INCI.items()}


def active_class_of(*names: str) -> str:
    """The active class an ingredient (its INCI name and synonyms) belongs to, or ""."""
    for n in names:
        cls = _CLASS_OF_INCI.get(_key(n))
        if cls:
            return cls
    return ""


def is_gentle_form(name: str) -> bool:
    return _key(name) in _GENTLE


def pregnancy_rule(*names: str, active_class: str = "") -> PregnancyRule:
    """The pregnancy rule for an ingredient: its own (a listed INCI name), else its class's."""
    for n in names:
        rule = _PREGNANCY_OF_INCI.get(_key(n))
        if rule is not None:
            return rule
    cls = ACTIVE_BY_KEY.get(active_class or active_class_of(*names))
    return cls.pregnancy if cls else NO_CONCERN


def family_of(key: str) -> str:
    a = ACTIVE_BY_KEY.get(key)
    return (a.family or a.key) if a else key


def redundancy_counts(steps_actives: Iterable[Iterable[str]]) -> dict[str, int]:
    """Steps per active family in a routine (UV filters are not counted)."""
    out: dict[str, int] = {}
    for classes in steps_actives:
        for fam in {family_of(c) for c in classes if c in COUNTED}:
            out[fam] = out.get(fam, 0) + 1
    return out


def family_limit(family: str, present_classes: Iterable[str]) -> int:
    """How many steps of a routine may carry an active family: one when a strong member is in the
    routine (or the family is strong), else two."""
    members = {a.key for a in ACTIVE_CLASSES if (a.family or a.key) == family}
    if members & STRONG & set(present_classes) or family in STRONG:
        return MAX_STEPS_PER_STRONG
    return MAX_STEPS_PER_TREATMENT


def class_label(key: str) -> str:
    a = ACTIVE_BY_KEY.get(key)
    return a.label if a else key.replace("_", " ")


def class_phrase(key: str) -> str:
    a = ACTIVE_BY_KEY.get(key)
    return a.phrase if a else key.replace("_", " ")


def targets_of(keys: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for k in keys:
        a = ACTIVE_BY_KEY.get(k)
        if a:
            out |= a.targets
    return out


# First-line actives per concern (dermatology consensus): preferred among products that target it.
FIRST_LINE: dict[str, frozenset[str]] = {
    "wrinkles": frozenset({"retinoid"}),
    "acne": frozenset({"retinoid", "bha", "benzoyl_peroxide", "azelaic_acid"}),  # AAD acne guidelines
    "oiliness": frozenset({"niacinamide"}),
    "pores": frozenset({"niacinamide", "bha"}),
    "pigmentation": frozenset({"vitamin_c", "azelaic_acid"}),
    "uneven_tone": frozenset({"vitamin_c", "aha"}),
    "redness": frozenset({"azelaic_acid", "soothing"}),
    "texture": frozenset({"aha"}),
    "dryness": frozenset({"hyaluronic_acid", "ceramide"}),
    "sensitivity": frozenset({"soothing", "ceramide"}),
    "dark_circles": frozenset({"brightening"}),
}
# Classes that earn a morning a small bonus: antioxidants under sunscreen.
MORNING_CLASSES = frozenset({"vitamin_c", "vitamin_c_derivative", "antioxidant"})
# What is used instead during pregnancy (DOMAIN.md: azelaic acid acceptable).
PREGNANCY_ALTERNATIVES = ("azelaic_acid", "niacinamide", "bakuchiol", "vitamin_c_derivative")
