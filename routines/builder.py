"""The routine builder: pure logic over plain data (no Django), fed by `routines.services`.

Inputs: a `BuilderProfile`, the measured concerns of the latest analysis (may be empty), and candidate
products (`Candidate`: the user's shelf first, then the catalog). Output: morning and evening
`PlannedRoutine`s ordered cleanse → tone → treat → eye → moisturize → protect, with a reason per step
a person understands, instructions and wait times, and warnings that say what was resolved and how.

Rules (DOMAIN.md):
- SPF 30+ broad-spectrum sunscreen every morning; retinoids only at night; vitamin C in the morning.
- Conflicting actives never share an evening (or a morning): they alternate by weekday.
- Never a product with one of the user's allergens; retinoids and hydroquinone never during
  pregnancy (azelaic acid, bakuchiol, niacinamide or vitamin C instead).
- Budget: a per-product price cap; a product over it is used only when nothing within it exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

ORDER = ["cleanse", "tone", "treat", "eye", "moisturize", "protect"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ALL_DAYS = tuple(range(7))
DAYS_A = (0, 2, 4, 6)  # Mon, Wed, Fri, Sun
DAYS_B = (1, 3, 5)  # Tue, Thu, Sat

# Catalog category → routine step.
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

BUDGET_CAPS: dict[str, Decimal | None] = {"low": Decimal("20"), "medium": Decimal("45"), "high": None}
MIN_SPF = 30

EXFOLIATING = frozenset({"aha", "bha", "pha"})
PREGNANCY_UNSAFE = frozenset({"retinoid", "hydroquinone"})
PREGNANCY_ASK_DOCTOR = frozenset({"bha", "benzoyl_peroxide"})
# DOMAIN.md pairs to separate; any two exfoliating acids in one evening are a conflict too.
CONFLICTS = frozenset(
    frozenset(p)
    for p in [
        ("retinoid", "aha"),
        ("retinoid", "bha"),
        ("retinoid", "pha"),
        ("benzoyl_peroxide", "retinoid"),
        ("benzoyl_peroxide", "vitamin_c"),
        ("benzoyl_peroxide", "hydroquinone"),
    ]
)
PM_ONLY = frozenset({"retinoid", "aha", "hydroquinone"})
AM_PREFERRED = frozenset({"vitamin_c", "vitamin_c_derivative", "antioxidant"})

ACTIVE_WORDS = {
    "retinoid": "a retinoid",
    "aha": "AHA (glycolic/lactic acid)",
    "bha": "salicylic acid (BHA)",
    "pha": "PHA",
    "vitamin_c": "vitamin C",
    "vitamin_c_derivative": "a vitamin C derivative",
    "benzoyl_peroxide": "benzoyl peroxide",
    "niacinamide": "niacinamide",
    "hydroquinone": "hydroquinone",
    "azelaic_acid": "azelaic acid",
    "peptide": "peptides",
    "ceramide": "ceramides",
    "hyaluronic_acid": "hyaluronic acid",
    "antioxidant": "antioxidants",
    "brightening": "a brightening agent",
    "soothing": "soothing ingredients",
    "sulfur": "sulfur",
    "bakuchiol": "bakuchiol",
}
# What an active class is good for, when the catalog's ingredient targets say nothing.
ACTIVE_TARGETS = {
    "retinoid": {"wrinkles", "texture", "acne", "pores", "pigmentation"},
    "aha": {"texture", "uneven_tone", "pigmentation"},
    "bha": {"acne", "pores", "oiliness"},
    "pha": {"texture", "sensitivity"},
    "vitamin_c": {"pigmentation", "uneven_tone", "wrinkles"},
    "vitamin_c_derivative": {"pigmentation", "uneven_tone"},
    "benzoyl_peroxide": {"acne"},
    "niacinamide": {"oiliness", "pores", "redness", "uneven_tone", "acne"},
    "hydroquinone": {"pigmentation"},
    "azelaic_acid": {"redness", "acne", "pigmentation"},
    "peptide": {"wrinkles"},
    "ceramide": {"dryness", "sensitivity"},
    "hyaluronic_acid": {"dryness"},
    "antioxidant": {"wrinkles"},
    "brightening": {"pigmentation", "uneven_tone", "dark_circles"},
    "soothing": {"redness", "sensitivity"},
    "sulfur": {"acne"},
    "bakuchiol": {"wrinkles", "texture"},
}
# First-line actives per concern (dermatology consensus): preferred among products that target it.
FIRST_LINE = {
    "wrinkles": {"retinoid"},
    "acne": {"bha", "benzoyl_peroxide"},
    "oiliness": {"niacinamide"},
    "pores": {"niacinamide", "bha"},
    "pigmentation": {"vitamin_c", "azelaic_acid"},
    "uneven_tone": {"vitamin_c", "aha"},
    "redness": {"azelaic_acid", "soothing"},
    "texture": {"aha"},
    "dryness": {"hyaluronic_acid", "ceramide"},
    "sensitivity": {"soothing", "ceramide"},
    "dark_circles": {"brightening"},
}
# The concern in words a person uses, for reasons.
CONCERN_WORDS = {
    "acne": "breakouts",
    "redness": "redness",
    "oiliness": "shine",
    "pores": "visible pores",
    "texture": "uneven texture",
    "wrinkles": "fine lines",
    "pigmentation": "dark spots",
    "dark_circles": "dark circles",
    "uneven_tone": "uneven tone",
    "dryness": "dryness",
    "sensitivity": "sensitivity",
}
REGION_WORDS = {
    "forehead": "forehead",
    "nose": "nose",
    "chin": "chin",
    "left_cheek": "left cheek",
    "right_cheek": "right cheek",
    "cheeks": "cheeks",
    "under_eyes": "under-eyes",
    "left_under_eye": "under-eyes",
    "right_under_eye": "under-eyes",
    "t_zone": "T-zone",
}
SEVERITY_WEIGHT = {"none": 0.0, "mild": 1.0, "moderate": 2.0, "severe": 3.0}
PROFILE_WEIGHT = 1.5  # a concern the person named, without a measurement

INSTRUCTIONS = {
    "cleanse": "Massage onto damp skin for 30-60 seconds, rinse with lukewarm water and pat dry.",
    "tone": "Press a few drops into the skin with your palms; no need to rub.",
    "treat": "Apply 2-3 drops (a pea-sized amount) to dry skin, avoiding the eyes and lips.",
    "eye": "Tap a rice-grain amount around the orbital bone with your ring finger.",
    "moisturize": "Smooth a thin, even layer over face and neck.",
    "protect": (
        "Apply generously (about two finger-lengths for face and neck) as the last step; "
        "reapply every 2 hours outdoors."
    ),
}
WAIT_SECONDS = {"cleanse": 0, "tone": 30, "treat": 60, "eye": 30, "moisturize": 60, "protect": 0}
GENERIC = {
    "cleanse": "a gentle cleanser",
    "tone": "a hydrating toner",
    "treat": "a serum for your main concern",
    "eye": "an eye cream",
    "moisturize": "a moisturizer",
    "protect": "a broad-spectrum SPF 30+ sunscreen",
}


# --- inputs ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BuilderProfile:
    skin_type: str | None = None
    concerns: tuple[str, ...] = ()
    allergies: tuple[str, ...] = ()
    pregnant: bool = False
    budget: str = "medium"
    preferences: tuple[str, ...] = ()
    max_steps: int | None = None


@dataclass(frozen=True)
class MeasuredConcern:
    key: str
    severity: str  # none | mild | moderate | severe
    score: int | None = None  # 0-100, 100 = best
    regions: tuple[str, ...] = ()  # worst regions first


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    brand: str
    category: str  # catalog category (cleanser, serum, sunscreen...)
    price: Decimal | None = None
    spf: int | None = None
    is_vegan: bool = False
    has_fragrance: bool = False
    ingredients: tuple[str, ...] = ()  # lower-case INCI names and synonyms
    actives: frozenset[str] = frozenset()
    targets: frozenset[str] = frozenset()
    suits_skin_types: frozenset[str] = frozenset()
    bothers_skin_types: frozenset[str] = frozenset()
    owned: bool = False
    unsafe_reasons: tuple[str, ...] = ()  # from the ingredient service (e.g. the user's allergy)
    # A costlier safety check (the ingredient service), run lazily only on products about to be chosen.
    check: Callable[[], tuple[bool, Sequence[str]]] | None = field(default=None, compare=False, repr=False)

    @property
    def label(self) -> str:
        return f"{self.brand} {self.name}".strip()

    @property
    def step(self) -> str | None:
        if self.category == "moisturizer" and (self.spf or 0) >= MIN_SPF:
            return "moisturize"
        return STEP_OF_CATEGORY.get(self.category)

    def effective_targets(self) -> set[str]:
        out = set(self.targets)
        for active in self.actives:
            out |= ACTIVE_TARGETS.get(active, set())
        return out


# --- outputs --------------------------------------------------------------------------------------
@dataclass
class PlannedStep:
    category: str
    product: Candidate | None
    reason: str
    instructions: str
    wait_seconds: int
    days: tuple[int, ...] = ALL_DAYS
    actives: tuple[str, ...] = ()
    order: int = 0
    concern: str | None = None  # the concern a treatment was chosen for

    @property
    def product_name(self) -> str:
        return self.product.label if self.product else ""


@dataclass
class PlannedRoutine:
    period: str  # am | pm
    name: str
    steps: list[PlannedStep] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- helpers --------------------------------------------------------------------------------------
def _norm(text: str) -> str:
    return " ".join(str(text).lower().replace("-", " ").split())


def allergen_hits(candidate: Candidate, allergies: Iterable[str]) -> list[str]:
    names = [_norm(i) for i in candidate.ingredients]
    hits = []
    for allergy in allergies:
        a = _norm(allergy)
        if a and any(a == n or a in n.split(" / ") or (len(a) >= 5 and a in n) for n in names):
            hits.append(allergy)
    return hits


def budget_cap(budget: str | None) -> Decimal | None:
    return BUDGET_CAPS.get(budget or "medium", BUDGET_CAPS["medium"])


def within_budget(candidate: Candidate, cap: Decimal | None) -> bool:
    """Owned products cost nothing more; an unknown price is not held against a product."""
    return cap is None or candidate.owned or candidate.price is None or Decimal(candidate.price) <= cap


def conflicts(a: Iterable[str], b: Iterable[str]) -> list[tuple[str, str]]:
    out = []
    a, b = set(a), set(b)
    for x in a:
        for y in b:
            if frozenset((x, y)) in CONFLICTS or (x in EXFOLIATING and y in EXFOLIATING):
                out.append((x, y))
    return out


def days_text(days: Sequence[int]) -> str:
    if tuple(sorted(days)) == ALL_DAYS:
        return "every day"
    return ", ".join(WEEKDAYS[d] for d in sorted(days))


class _Context:
    def __init__(self, profile: BuilderProfile, measured: Sequence[MeasuredConcern]):
        self.profile = profile
        self.measured = {m.key: m for m in measured if SEVERITY_WEIGHT.get(m.severity, 0) > 0}
        self.has_analysis = bool(measured)
        self.weights: dict[str, float] = {k: SEVERITY_WEIGHT[m.severity] for k, m in self.measured.items()}
        for key in profile.concerns:
            self.weights[key] = max(self.weights.get(key, 0.0), PROFILE_WEIGHT if key not in self.measured else 0)
        self.cap = budget_cap(profile.budget)
        self.unsafe: dict[str, str] = {}

    def safe(self, candidate: Candidate) -> bool:
        if candidate.unsafe_reasons:
            self.unsafe[candidate.label] = candidate.unsafe_reasons[0]
            return False
        if candidate.check is not None:
            ok, reasons = candidate.check()
            if not ok:
                self.unsafe[candidate.label] = reasons[0] if reasons else "not safe for you"
                return False
        return True

    def ranked_concerns(self) -> list[str]:
        return sorted(self.weights, key=lambda k: (-self.weights[k], k))

    def concern_phrase(self, key: str) -> str:
        word = CONCERN_WORDS.get(key, key.replace("_", " "))
        m = self.measured.get(key)
        if m is None:
            return f"the {word} you told us about"
        regions = [REGION_WORDS.get(r, r.replace("_", " ")) for r in m.regions]
        tzone = {"forehead", "nose", "chin"}
        if m.regions and set(m.regions[:2]) <= tzone and len(m.regions) >= 2:
            where = " in your T-zone"
        elif regions:
            unique = list(dict.fromkeys(regions))
            where = f" on your {unique[0]}" if len(unique) == 1 else f" on your {unique[0]} and {unique[1]}"
        else:
            where = ""
        return f"the {word} measured{where} ({m.severity})"


# --- the builder ----------------------------------------------------------------------------------
def eligible(candidate: Candidate, profile: BuilderProfile) -> tuple[bool, str]:
    if candidate.unsafe_reasons:
        return False, candidate.unsafe_reasons[0]
    hits = allergen_hits(candidate, profile.allergies)
    if hits:
        return False, f"contains {', '.join(hits)} (your allergy)"
    if profile.pregnant and candidate.actives & PREGNANCY_UNSAFE:
        return False, "not recommended during pregnancy"
    prefs = set(profile.preferences)
    if "vegan" in prefs and not candidate.is_vegan:
        return False, "not vegan"
    if "fragrance_free" in prefs and candidate.has_fragrance:
        return False, "contains fragrance"
    if candidate.step is None:
        return False, "not a daily routine product"
    return True, ""


def _skin_fit(candidate: Candidate, skin_type: str | None) -> float:
    if not skin_type:
        return 0.0
    if skin_type in candidate.bothers_skin_types:
        return -2.0
    return 0.5 if skin_type in candidate.suits_skin_types else 0.0


def _score(candidate: Candidate, ctx: _Context, period: str) -> float:
    targets = candidate.effective_targets()
    score = sum(w for k, w in ctx.weights.items() if k in targets)
    score += sum(0.5 for k in ctx.weights if candidate.actives & FIRST_LINE.get(k, set()))
    score += _skin_fit(candidate, ctx.profile.skin_type)
    if candidate.owned:
        score += 1.0  # what you own comes first among equals
    if period == "am" and candidate.actives & AM_PREFERRED:
        score += 0.5
    if period == "am" and candidate.actives & EXFOLIATING:
        score -= 1.0  # exfoliating acids belong to the evening where an alternative exists
    return score


def _pick(
    cands: list[Candidate], ctx: _Context, period: str, warnings: list[str], step: str, *, allow_over: bool = True
) -> Candidate | None:
    """Best safe candidate within budget; over budget only when nothing within it is safe (then say so)."""

    def key(c: Candidate):
        price = Decimal(c.price) if c.price is not None else Decimal("0")
        return (-_score(c, ctx, period), not c.owned, price, c.label)

    within = sorted((c for c in cands if within_budget(c, ctx.cap)), key=key)
    for c in within:
        if ctx.safe(c):
            return c
    if not allow_over:
        return None
    for c in sorted((c for c in cands if not within_budget(c, ctx.cap)), key=key):
        if ctx.safe(c):
            warnings.append(
                f"No {NOUNS[step]} within your {ctx.profile.budget} budget is in the catalog; "
                f"{c.label} is the closest match."
            )
            return c
    return None


CATEGORY_NOUNS = {"eye": "eye cream", "spot_treatment": "spot treatment", "oil": "face oil"}
PLURAL_SUBJECTS = {"peptides", "ceramides", "antioxidants", "soothing ingredients"}
NOUNS = {
    "cleanse": "cleanser",
    "tone": "toner",
    "treat": "treatment",
    "eye": "eye cream",
    "moisturize": "moisturizer",
    "protect": "SPF 30+ sunscreen",
}


def _reason(
    step: str, product: Candidate | None, ctx: _Context, period: str, *, concern: str | None = None, used=()
) -> tuple[str, str | None]:
    """Why this step: the concern it was chosen for, else a concern not yet explained, else the basics."""
    skin = ctx.profile.skin_type
    if product is None:
        return f"Use {GENERIC[step]}; no matching product is in the catalog yet.", None
    owned = " You already own it." if product.owned else ""
    if step == "protect":
        return f"SPF {product.spf or '30+'} protects against UV, the main cause of dark spots and lines.{owned}", None
    targets = product.effective_targets()
    order = [concern] if concern else [c for c in ctx.ranked_concerns() if c not in used]
    for key in order:
        if key in targets:
            actives = sorted(a for a in product.actives if key in ACTIVE_TARGETS.get(a, set()))
            first_line = [a for a in actives if a in FIRST_LINE.get(key, set())]
            active = (first_line or actives or [None])[0]
            noun = CATEGORY_NOUNS.get(product.category, product.category.replace("_", " "))
            subject = ACTIVE_WORDS.get(active, active) if active else f"this {noun}"
            verb = "target" if subject in PLURAL_SUBJECTS else "targets"
            return f"{subject[0].upper() + subject[1:]} {verb} {ctx.concern_phrase(key)}.{owned}", key
    basics = {
        "cleanse": "removes sunscreen, oil and dirt without stripping",
        "tone": "adds a light layer of hydration",
        "treat": "supports the skin barrier",
        "eye": "cares for the thin skin around the eyes",
        "moisturize": "keeps the skin barrier hydrated",
    }
    suffix = f" for {skin} skin" if skin else ""
    noun = CATEGORY_NOUNS.get(product.category, product.category.replace("_", " "))
    article = "An" if noun[0] in "aeiou" else "A"
    text = f"{article} {noun}{suffix} that {basics.get(step, 'fits your routine')}.{owned}"
    return text, None


def _explain(steps: list[PlannedStep], ctx: _Context, period: str) -> None:
    """Write reasons once steps are final: treatments explain their concern first, other steps explain a
    concern nobody explained yet, so the routine does not repeat one sentence five times."""
    used: set[str] = {s.concern for s in steps if s.concern}
    for s in steps:
        if s.category == "treat" and s.concern:
            s.reason = _reason(s.category, s.product, ctx, period, concern=s.concern)[0]
    for s in steps:
        if s.category == "treat" and s.concern:
            continue
        s.reason, explained = _reason(s.category, s.product, ctx, period, used=used)
        if explained:
            used.add(explained)


def _assign_days(steps: list[PlannedStep], warnings: list[str], period: str) -> list[PlannedStep]:
    """Steps whose actives conflict never share a day: two-colour them onto alternating weekdays.

    A step that conflicts with both colours is dropped (lowest priority first), with a warning.
    """
    kept: list[PlannedStep] = []
    for step in steps:  # priority order: earlier steps were chosen first
        clashes = [(other, conflicts(step.actives, other.actives)) for other in kept]
        clashes = [(o, c) for o, c in clashes if c]
        if not clashes:
            kept.append(step)
            continue
        taken = set()
        for other, _ in clashes:
            taken |= set(other.days)
        free = tuple(d for d in ALL_DAYS if d not in taken)
        if not free:
            for other, _ in clashes:
                if tuple(sorted(other.days)) == ALL_DAYS:
                    other.days = DAYS_A
            taken = set()
            for other, _ in clashes:
                taken |= set(other.days)
            free = tuple(d for d in ALL_DAYS if d not in taken)
        if not free:
            warnings.append(f"{step.product_name or step.category} was left out: it conflicts with every other night.")
            continue
        step.days = free
        kept.append(step)
        for other, pairs in clashes:
            x, y = pairs[0]
            when = "evening" if period == "pm" else "morning"
            first = ACTIVE_WORDS.get(x, x)
            warnings.append(
                f"{first[0].upper() + first[1:]} ({step.product_name}) and {ACTIVE_WORDS.get(y, y)} "
                f"({other.product_name}) should not be used in the same {when}: "
                f"{step.product_name} on {days_text(step.days)}, {other.product_name} on {days_text(other.days)}."
            )
    return kept


def _limit_steps(
    steps: list[PlannedStep], max_steps: int | None, period: str, warnings: list[str]
) -> list[PlannedStep]:
    """Keep at most `max_steps` steps on any one day, dropping the least essential first."""
    if not max_steps:
        return steps
    drop_order = ["eye", "tone", "treat", "moisturize", "cleanse"]  # protect is never dropped
    steps = list(steps)

    def per_day_max(items):
        return max((sum(1 for s in items if d in s.days) for d in ALL_DAYS), default=0)

    dropped = []
    for category in drop_order:
        while per_day_max(steps) > max_steps:
            victims = [s for s in steps if s.category == category]
            if not victims:
                break
            victim = victims[-1]
            steps.remove(victim)
            dropped.append(victim)
    if dropped:
        names = ", ".join(s.category for s in dropped)
        warnings.append(f"Kept to {max_steps} steps as you asked; left out: {names}.")
    return steps


def build_routine(
    period: str,
    *,
    profile: BuilderProfile,
    measured: Sequence[MeasuredConcern] = (),
    candidates: Sequence[Candidate] = (),
) -> PlannedRoutine:
    assert period in ("am", "pm")
    ctx = _Context(profile, measured)
    warnings: list[str] = []
    excluded: dict[str, str] = {}
    pool: dict[str, list[Candidate]] = {s: [] for s in ORDER}
    for c in candidates:
        ok, why = eligible(c, profile)
        if not ok:
            excluded[c.label] = why
            continue
        if period == "am" and c.actives & PM_ONLY:
            continue
        if period == "pm" and c.step == "protect":
            continue
        if c.step == "protect" and (c.spf or 0) < MIN_SPF:
            continue
        pool[c.step].append(c)
    if not candidates:
        warnings.append("The product catalog is empty, so the steps name no product yet: add products to your shelf.")

    # Treatments first (they are why the routine exists), then the other steps, each preferring a
    # product whose actives do not clash with what is already chosen.
    steps: list[PlannedStep] = _treat_steps(pool["treat"], ctx, period, warnings)
    chosen_actives: set[str] = {a for s in steps for a in s.actives}
    for step in ("cleanse", "moisturize", "protect", "tone", "eye"):
        if step == "protect" and period == "pm":
            continue
        options = [c for c in pool[step] if not conflicts(c.actives, chosen_actives)] or pool[step]
        if step in ("tone", "eye"):
            # Optional steps: only with a product that earns its place (a concern it targets, or owned).
            local: list[str] = []
            options = [c for c in options if within_budget(c, ctx.cap)]  # optional: never over budget
            chosen = _pick(options, ctx, period, local, step)
            if chosen is None:
                continue
            if step == "eye":  # an eye cream earns its place for dark circles or lines, or when owned
                keep = chosen.owned or bool({"dark_circles", "wrinkles"} & set(ctx.weights))
            else:
                keep = chosen.owned or _score(chosen, ctx, period) > 0.5
            if not keep:
                continue
            warnings.extend(local)
        else:
            chosen = _pick(options, ctx, period, warnings, step)
        planned = _make_step(step, chosen, ctx, period)
        chosen_actives |= set(planned.actives)
        steps.append(planned)

    if profile.pregnant:
        warnings.append(
            "Pregnancy or nursing: retinoids and hydroquinone are left out; azelaic acid, niacinamide or "
            "bakuchiol are used instead where they fit."
        )
        risky = sorted({a for s in steps for a in s.actives if a in PREGNANCY_ASK_DOCTOR})
        if risky:
            warnings.append(
                f"Sources differ on {' and '.join(ACTIVE_WORDS[a] for a in risky)} in leave-on products during "
                "pregnancy: ask your doctor."
            )
    left_out = {**excluded, **ctx.unsafe}
    if allergic := [n for n, why in left_out.items() if "allerg" in why.lower()]:
        warnings.append(f"Left out because of your allergies: {', '.join(sorted(allergic)[:5])}.")
    steps = _assign_days(steps, warnings, period)
    steps = _limit_steps(steps, profile.max_steps, period, warnings)
    steps.sort(key=lambda s: ORDER.index(s.category))
    for i, s in enumerate(steps, start=1):
        s.order = i
    _explain(steps, ctx, period)
    name = "Morning routine" if period == "am" else "Evening routine"
    return PlannedRoutine(period=period, name=name, steps=steps, warnings=list(dict.fromkeys(warnings)))


def _make_step(step: str, product: Candidate | None, ctx: _Context, period: str) -> PlannedStep:
    instructions = INSTRUCTIONS[step]
    actives = tuple(sorted(product.actives)) if product else ()
    if "retinoid" in actives:
        instructions += " Start twice a week and build up; use a pea-sized amount for the whole face."
    if "vitamin_c" in actives and period == "am":
        instructions += " Follow with sunscreen."
    wait = WAIT_SECONDS[step]
    if step == "treat" and actives and set(actives) & (EXFOLIATING | {"vitamin_c"}):
        wait = 120  # let acids and L-ascorbic acid absorb before the next layer
    return PlannedStep(
        category=step,
        product=product,
        reason=_reason(step, product, ctx, period)[0],
        instructions=instructions,
        wait_seconds=wait,
        actives=actives,
    )


def _treat_steps(cands: list[Candidate], ctx: _Context, period: str, warnings: list[str]) -> list[PlannedStep]:
    """Up to one treatment in the morning and two at night, each covering a different top concern."""
    limit = 1 if period == "am" else 2
    steps: list[PlannedStep] = []
    covered: set[str] = set()
    concerns = ctx.ranked_concerns()
    if not cands:
        if concerns:
            steps.append(_make_step("treat", None, ctx, period))
        return steps
    # First within budget for every concern; then, if a slot is left, over budget (with a warning).
    for allow_over in (False, True):
        for concern in concerns:
            if len(steps) >= limit:
                break
            if concern in covered:
                continue
            chosen_products = [s.product for s in steps]
            options = [c for c in cands if concern in c.effective_targets() and c not in chosen_products]
            chosen = _pick(options, ctx, period, warnings, "treat", allow_over=allow_over) if options else None
            if chosen is None:
                continue
            covered |= {concern} | {k for k in concerns if chosen.actives & FIRST_LINE.get(k, set())}
            planned = _make_step("treat", chosen, ctx, period)
            planned.concern = concern
            steps.append(planned)
    if ctx.profile.pregnant and any(k in ctx.weights for k in ("wrinkles", "pigmentation", "texture")):
        swapped = [s for s in steps if s.product and s.product.actives & {"azelaic_acid", "bakuchiol"}]
        if swapped:
            first = swapped[0]
            active = sorted(first.product.actives & {"azelaic_acid", "bakuchiol"})[0]
            warnings.append(
                f"{first.product_name} ({ACTIVE_WORDS[active]}) is used instead of a retinoid because of pregnancy."
            )
    return steps


def build_routines(
    *,
    profile: BuilderProfile,
    measured: Sequence[MeasuredConcern] = (),
    candidates: Sequence[Candidate] = (),
    periods: Sequence[str] = ("am", "pm"),
) -> list[PlannedRoutine]:
    return [build_routine(p, profile=profile, measured=measured, candidates=candidates) for p in periods]
