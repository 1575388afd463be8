"""The routine builder: pure logic over plain data (no Django), fed by `routines.services`.

Inputs: a `BuilderProfile`, the measured concerns of the latest analysis (may be empty), and candidate
products (`Candidate`: the user's shelf first, then the catalog). Output: morning and evening
`PlannedRoutine`s ordered cleanse → tone → treat → eye → moisturize → protect, each step with a reason a
person understands, instructions, wait time, the weekdays it runs and, for actives that start slowly, its
schedule by week; each routine with the rules it follows, in words, with their sources.

Every rule comes from the domain package (`domain.actives`, `domain.conflicts`, `domain.routine`,
`domain.vocabulary`); this module only applies them. What it guarantees for every routine it returns
(tests/test_builder_properties.py checks each over random profiles and catalogues):

- at most one step per strong (scheduled) active class in a routine, one retinoid and one exfoliant in the
  whole plan, one treatment product per active class, and no active class (UV filters excepted) in more
  than two steps of a routine (redundancy is not a benefit);
- exfoliating acids at most 3 evenings a week, starting at 2 (2 at most for dry or sensitive skin, and
  while a retinoid is in the plan), never on a retinoid evening; retinoids start at 2 evenings a week and
  ramp up over weeks (AAD); at least two recovery evenings a week with cleanser and moisturiser only
  (skin cycling); vitamin C in the morning; benzoyl peroxide in the morning, on days without a retinoid,
  never with vitamin C;
- sensitive or reactive skin: one treatment per routine, gentle forms only, no L-ascorbic acid or
  hydroquinone, and one new active at a time, two weeks apart;
- pregnancy or breastfeeding: nothing the domain's policy does not allow (retinoids and hydroquinone:
  avoid; salicylic acid and benzoyl peroxide: ask your doctor) — the recommender and the scanner follow
  the same policy;
- never a product with one of the user's allergens; a per-product budget cap, exceeded only when nothing
  within it exists (and then said); SPF 30+ every morning.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from domain import actives as A
from domain import conflicts as C
from domain import messages as M
from domain import routine as R
from domain import sources as S
from domain import vocabulary as V
from domain.i18n import N_
from domain.messages import Msg

ORDER = list(R.ORDER)
WEEKDAYS = list(R.WEEKDAYS)
ALL_DAYS = R.ALL_DAYS
STEP_OF_CATEGORY = R.STEP_OF_CATEGORY
BUDGET_CAPS = V.BUDGET_CAPS
MIN_SPF = R.MIN_SPF
EXFOLIATING = A.EXFOLIANTS
PM_ONLY = A.PM_ONLY
AM_ONLY = A.AM_ONLY | {"benzoyl_peroxide"}  # BPO goes on in the morning, away from the evening retinoid
STRONG = A.STRONG
TREATMENTS = A.TREATMENTS
NIGHT_ACTIVES = frozenset({"retinoid"}) | A.EXFOLIANTS
CONFLICTS = frozenset(c.classes for c in C.CONFLICTS)
PREGNANCY_UNSAFE = frozenset(a.key for a in A.ACTIVE_CLASSES if a.pregnancy.level == "avoid")
PREGNANCY_ASK_DOCTOR = frozenset(a.key for a in A.ACTIVE_CLASSES if a.pregnancy.level == "caution")
ACTIVE_WORDS = {a.key: a.phrase for a in A.ACTIVE_CLASSES}
ACTIVE_TARGETS = {a.key: set(a.targets) for a in A.ACTIVE_CLASSES}
FIRST_LINE = A.FIRST_LINE
CONCERN_WORDS = {c.key: c.phrase for c in V.CONCERNS}
SEVERITY_WEIGHT = {"none": 0.0, "mild": 1.0, "moderate": 2.0, "severe": 3.0}
PROFILE_WEIGHT = 1.5  # a concern the person named, without a measurement

# How many treatment steps a routine holds, and how many may be applied on one day.
TREAT_LIMIT = {"am": 1, "pm": 3}
TREAT_LIMIT_REACTIVE = {"am": 1, "pm": 1}
TREATMENTS_PER_DAY = 2

# Sentences are messages (domain.messages): an English msgid marked with N_ and its params, rendered in the
# reader's language where shown; the English rendering is kept beside them (`reason`, `timing`...).
INSTRUCTIONS = {
    "cleanse": N_("Massage onto damp skin for 30-60 seconds, rinse with lukewarm water and pat dry."),
    "tone": N_("Press a few drops into the skin with your palms; no need to rub."),
    "treat": N_("Apply 2-3 drops (a pea-sized amount) to dry skin, avoiding the eyes and lips."),
    "eye": N_("Tap a rice-grain amount around the orbital bone with your ring finger."),
    "moisturize": N_("Smooth a thin, even layer over face and neck."),
    "protect": N_(
        "Apply generously (about two finger-lengths for face and neck) as the last step; "
        "reapply every 2 hours outdoors."
    ),
}
WAIT_SECONDS = {"cleanse": 0, "tone": 30, "treat": 60, "eye": 30, "moisturize": 60, "protect": 0}
GENERIC = {
    "cleanse": N_("a gentle cleanser"),
    "tone": N_("a hydrating toner"),
    "treat": N_("a serum for your main concern"),
    "eye": N_("an eye cream"),
    "moisturize": N_("a moisturizer"),
    "protect": N_("a broad-spectrum SPF 30+ sunscreen"),
}
NOUNS = {
    "cleanse": N_("cleanser"),
    "tone": N_("toner"),
    "treat": N_("treatment"),
    "eye": N_("eye cream"),
    "moisturize": N_("moisturizer"),
    "protect": N_("SPF 30+ sunscreen"),
}
# A catalogue category as a noun inside a sentence ("this serum").
CATEGORY_NOUNS = {
    "cleanser": N_("cleanser"),
    "toner": N_("toner"),
    "essence": N_("essence"),
    "serum": N_("serum"),
    "treatment": N_("treatment"),
    "exfoliant": N_("exfoliant"),
    "spot_treatment": N_("spot treatment"),
    "eye": N_("eye cream"),
    "moisturizer": N_("moisturizer"),
    "oil": N_("face oil"),
    "sunscreen": N_("sunscreen"),
}
BASICS = {
    "cleanse": N_("removes sunscreen, oil and dirt without stripping"),
    "tone": N_("adds a light layer of hydration"),
    "treat": N_("supports the skin barrier"),
    "eye": N_("cares for the thin skin around the eyes"),
    "moisturize": N_("keeps the skin barrier hydrated"),
}
PLURAL_SUBJECTS = {"peptides", "ceramides", "antioxidants", "soothing ingredients"}


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

    @property
    def reactive(self) -> bool:
        """Sensitive or reactive skin: the person said so (skin type or concern)."""
        return (self.skin_type or "") in V.REACTIVE_SKIN_TYPES or "sensitivity" in self.concerns

    @property
    def dry(self) -> bool:
        return self.skin_type == "dry"


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
    pregnancy_level: str = "none"  # the strictest pregnancy level of its ingredients (domain policy)
    gentle_classes: frozenset[str] = frozenset()  # strong classes it carries only in a gentle form
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
    # Phases [(from plan week, weekdays)]; empty: `days` every week. `days` is the first phase's days.
    schedule: list[tuple[int, tuple[int, ...]]] = field(default_factory=list)
    timing: str = ""  # when it goes on and why, in words
    role: str = "base"  # base | retinoid | exfoliant | benzoyl_peroxide | treatment
    period: str = ""  # am | pm
    # The same sentences as messages (domain.messages), rendered in the reader's language where shown.
    reason_msg: Msg | None = None
    instructions_msg: Msg | None = None
    timing_msg: Msg | None = None

    def say(self, field_name: str, message: Msg | None) -> None:
        """Set a sentence: its message, and its English text beside it."""
        setattr(self, f"{field_name}_msg", message)
        setattr(self, field_name, M.render(message))

    @property
    def product_name(self) -> str:
        return self.product.label if self.product else ""

    def days_in_week(self, week: int) -> tuple[int, ...]:
        return R.days_in_week(self.schedule, self.days, week)

    @property
    def starts_week(self) -> int:
        return self.schedule[0][0] if self.schedule else 1

    @property
    def strong(self) -> frozenset[str]:
        return frozenset(self.actives) & STRONG


@dataclass
class PlannedRoutine:
    period: str  # am | pm
    name: str
    steps: list[PlannedStep] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rules: list[dict] = field(default_factory=list)  # {code, text, msg, source, url}: the rules this routine follows
    name_msg: Msg | None = None
    warning_msgs: list[Msg] = field(default_factory=list)  # the warnings as messages, in the same order

    def last_phase_week(self) -> int:
        return max((w for s in self.steps for w, _ in s.schedule), default=1)


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
    return BUDGET_CAPS.get(budget or V.DEFAULT_BUDGET, BUDGET_CAPS[V.DEFAULT_BUDGET])


def within_budget(candidate: Candidate, cap: Decimal | None) -> bool:
    """Owned products cost nothing more; an unknown price is not held against a product."""
    return cap is None or candidate.owned or candidate.price is None or Decimal(candidate.price) <= cap


def conflicts(a: Iterable[str], b: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs (x in a, y in b) the domain says to keep apart (any distance: day or routine)."""
    out = []
    for x in set(a):
        for y in set(b):
            if C.conflict_between(x, y) is not None:
                out.append((x, y))
    return out


def day_conflicts(a: Iterable[str], b: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs that must never be applied on the same day (morning or evening)."""
    out = []
    for x in set(a):
        for y in set(b):
            c = C.conflict_between(x, y)
            if c is not None and c.apart == "day":
                out.append((x, y))
    return out


def days_text(days: Sequence[int]) -> str:
    return M.days_list(days)


def _active(key: str, *, cap: bool = False) -> dict:
    """An active class (or family) as a word of a message."""
    return M.term("active", key, cap=cap) if key in A.ACTIVE_BY_KEY else M.word(key, cap=cap)


def _rule(code: str, message: Msg, source: S.Source) -> dict:
    return {"code": code, "text": M.render(message), "msg": message, "source": source.citation, "url": source.url}


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
        self.skipped: dict[str, str] = {}  # product label → why the builder passed it over (rules)

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

    def concern_phrase(self, key: str) -> Msg:
        concern = M.term("concern", key)
        m = self.measured.get(key)
        if m is None:
            return M.msg(N_("the %(concern)s you told us about"), concern=concern)
        severity = M.term("severity", m.severity)
        # one region per word a person uses (both under-eyes are "under-eyes")
        first_of_word: dict[str, str] = {}
        for r in m.regions:
            first_of_word.setdefault(V.region_word(r), r)
        unique = list(first_of_word.values())
        if m.regions and set(m.regions[:2]) <= V.T_ZONE and len(m.regions) >= 2:
            return M.msg(
                N_("the %(concern)s measured in your T-zone (%(severity)s)"), concern=concern, severity=severity
            )
        if len(unique) == 1:
            return M.msg(
                N_("the %(concern)s measured on your %(region)s (%(severity)s)"),
                concern=concern,
                region=M.term("region", unique[0]),
                severity=severity,
            )
        if unique:
            return M.msg(
                N_("the %(concern)s measured on your %(region)s and %(other_region)s (%(severity)s)"),
                concern=concern,
                region=M.term("region", unique[0]),
                other_region=M.term("region", unique[1]),
                severity=severity,
            )
        return M.msg(N_("the %(concern)s measured (%(severity)s)"), concern=concern, severity=severity)


# --- eligibility ----------------------------------------------------------------------------------
def eligible(candidate: Candidate, profile: BuilderProfile) -> tuple[bool, str]:
    if candidate.unsafe_reasons:
        return False, candidate.unsafe_reasons[0]
    hits = allergen_hits(candidate, profile.allergies)
    if hits:
        return False, f"contains {', '.join(hits)} (your allergy)"
    if profile.pregnant:
        levels = [candidate.pregnancy_level] + [A.ACTIVE_BY_KEY[a].pregnancy.level for a in candidate.actives]
        if any(level == "avoid" for level in levels):
            return False, "not recommended during pregnancy or breastfeeding"
        if not all(A.pregnancy_allows(level) for level in levels):
            return False, "sources differ on it during pregnancy or breastfeeding: ask your doctor"
    prefs = set(profile.preferences)
    if "vegan" in prefs and not candidate.is_vegan:
        return False, "not vegan"
    if "fragrance_free" in prefs and candidate.has_fragrance:
        return False, "contains fragrance"
    if candidate.step is None:
        return False, "not a daily routine product"
    if conflicts(candidate.actives, candidate.actives):
        return False, "its own actives conflict with each other"
    return True, ""


def _fits_period(candidate: Candidate, period: str) -> bool:
    if period == "am" and candidate.actives & PM_ONLY:
        return False
    if period == "pm" and candidate.actives & AM_ONLY:
        return False
    if period == "pm" and candidate.step == "protect":
        return False
    if candidate.step == "protect" and (candidate.spf or 0) < MIN_SPF:
        return False
    return True


def _reactive_ok(candidate: Candidate) -> bool:
    """Sensitive or reactive skin: strong classes only in a gentle form, none that such skin should skip."""
    for cls in candidate.actives:
        a = A.ACTIVE_BY_KEY.get(cls)
        if a is None:
            continue
        if not a.reactive_ok:
            return False
        if a.strong and cls not in candidate.gentle_classes:
            return False
    return True


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
    if period == "am" and candidate.actives & A.MORNING_CLASSES:
        score += 0.5
    if ctx.profile.reactive and candidate.actives & STRONG:
        score -= 0.5  # fewer actives for reactive skin
    return score


def _pick(
    cands: list[Candidate],
    ctx: _Context,
    period: str,
    warnings: list[Msg],
    step: str,
    *,
    allow_over: bool = True,
    penalty: Callable[[Candidate], float] | None = None,
) -> Candidate | None:
    """Best safe candidate within budget; over budget only when nothing within it is safe (then say so)."""

    def key(c: Candidate):
        price = Decimal(c.price) if c.price is not None else Decimal("0")
        return (-(_score(c, ctx, period) - (penalty(c) if penalty else 0.0)), not c.owned, price, c.label)

    within = sorted((c for c in cands if within_budget(c, ctx.cap)), key=key)
    for c in within:
        if ctx.safe(c):
            return c
    if not allow_over:
        return None
    for c in sorted((c for c in cands if not within_budget(c, ctx.cap)), key=key):
        if ctx.safe(c):
            warnings.append(
                M.msg(
                    N_(
                        "No %(noun)s within your %(budget)s budget is in the catalog; %(product)s is the closest match."
                    ),
                    noun=M.word(NOUNS[step]),
                    budget=M.term("budget", ctx.profile.budget),
                    product=c.label,
                )
            )
            return c
    return None


# --- reasons --------------------------------------------------------------------------------------
def _reason(
    step: str, product: Candidate | None, ctx: _Context, period: str, *, concern: str | None = None, used=()
) -> tuple[Msg, str | None]:
    """Why this step: the concern it was chosen for, else a concern not yet explained, else the basics."""
    skin = ctx.profile.skin_type
    if product is None:
        return M.msg(
            N_("Use %(product)s; no matching product is in the catalog yet."), product=M.word(GENERIC[step])
        ), None
    owned = M.msg(N_("You already own it.")) if product.owned else None
    if step == "protect":
        spf = M.msg(
            N_("SPF %(spf)s protects against UV, the main cause of dark spots and lines."), spf=product.spf or "30+"
        )
        return M.concat(spf, owned), None
    targets = product.effective_targets()
    noun = M.word(CATEGORY_NOUNS.get(product.category, product.category.replace("_", " ")))
    order = [concern] if concern else [c for c in ctx.ranked_concerns() if c not in used]
    for key in order:
        if key in targets:
            actives = sorted(a for a in product.actives if key in ACTIVE_TARGETS.get(a, set()))
            first_line = [a for a in actives if a in FIRST_LINE.get(key, set())]
            candidates_: list[str] = first_line or actives
            active = candidates_[0] if candidates_ else None
            subject = _active(active, cap=True) if active else M.cap(M.msg(N_("this %(noun)s"), noun=noun))
            plural = active is not None and ACTIVE_WORDS.get(active, active) in PLURAL_SUBJECTS
            sentence = N_("%(subject)s target %(concern)s.") if plural else N_("%(subject)s targets %(concern)s.")
            return M.concat(M.msg(sentence, subject=subject, concern=ctx.concern_phrase(key)), owned), key
    does = M.word(BASICS.get(step, N_("fits your routine")))
    english_noun = M.render_param(noun)
    if english_noun[:1] in "aeiou":
        sentence = N_("An %(noun)s for %(skin)s skin that %(does)s.") if skin else N_("An %(noun)s that %(does)s.")
    else:
        sentence = N_("A %(noun)s for %(skin)s skin that %(does)s.") if skin else N_("A %(noun)s that %(does)s.")
    params = {"noun": noun, "does": does}
    if skin:
        params["skin"] = M.term("skin_type", skin)
    return M.concat(M.msg(sentence, **params), owned), None


def _explain(steps: list[PlannedStep], ctx: _Context, period: str) -> None:
    """Write reasons once steps are final: treatments explain their concern first, other steps explain a
    concern nobody explained yet, so the routine does not repeat one sentence five times."""
    used: set[str] = {s.concern for s in steps if s.concern}
    for s in steps:
        if s.concern:
            s.say("reason", _reason(s.category, s.product, ctx, period, concern=s.concern)[0])
    for s in steps:
        if s.concern:
            continue
        reason, explained = _reason(s.category, s.product, ctx, period, used=used)
        s.say("reason", reason)
        if explained:
            used.add(explained)


def _make_step(step: str, product: Candidate | None, ctx: _Context, period: str) -> PlannedStep:
    parts = [M.msg(INSTRUCTIONS[step])]
    actives = tuple(sorted(product.actives)) if product else ()
    if "retinoid" in actives:
        parts.append(M.msg(N_("Use a pea-sized amount for the whole face, on dry skin; moisturise after.")))
    if "vitamin_c" in actives and period == "am":
        parts.append(M.msg(N_("Follow with sunscreen.")))
    if set(actives) & EXFOLIATING:
        parts.append(M.msg(N_("Wear sunscreen the next morning: acids make the skin more sensitive to the sun.")))
    wait = WAIT_SECONDS[step]
    if step in ("treat", "tone") and actives and set(actives) & (EXFOLIATING | {"vitamin_c"}):
        wait = 120  # let acids and L-ascorbic acid absorb before the next layer
    planned = PlannedStep(
        category=step,
        product=product,
        reason="",
        instructions="",
        wait_seconds=wait,
        actives=actives,
        period=period,
    )
    planned.say("reason", _reason(step, product, ctx, period)[0])
    planned.say("instructions", M.concat(*parts))
    return planned


# --- choosing treatments --------------------------------------------------------------------------
def _role(actives: Iterable[str]) -> str:
    classes = set(actives)
    if "retinoid" in classes:
        return "retinoid"
    if classes & EXFOLIATING:
        return "exfoliant"
    if "benzoyl_peroxide" in classes:
        return "benzoyl_peroxide"
    return "treatment"


def _first_line_bonus(lines: frozenset[str]) -> Callable[[Candidate], float]:
    """A negative penalty (a bonus) for a product carrying a first-line active for the concern."""

    def bonus(c: Candidate) -> float:
        return -2.0 if c.actives & lines else 0.0

    return bonus


def _treat_category(c: Candidate) -> str:
    return "tone" if c.step == "tone" else "treat"


def _admissible(c: Candidate, period: str, chosen: list[PlannedStep], ctx: _Context) -> str | None:
    """None when `c` may join the plan as a treatment in `period`; else why not (a rule)."""
    reactive = ctx.profile.reactive
    limits = TREAT_LIMIT_REACTIVE if reactive else TREAT_LIMIT
    same = [s for s in chosen if s.period == period]
    if len(same) >= limits[period]:
        return "limit"
    if any(s.product is not None and s.product.id == c.id for s in chosen):
        return "same product"
    if reactive and not _reactive_ok(c):
        return "a stronger form than sensitive skin needs"
    role = _role(c.actives)
    for s in chosen:
        # one retinoid, one exfoliant, one benzoyl peroxide in the whole plan
        if role in ("retinoid", "exfoliant", "benzoyl_peroxide") and s.role == role:
            return f"already one {role.replace('_', ' ')} in the plan"
        strong_shared = (c.actives & STRONG) & set(s.actives)
        if strong_shared:
            return f"already {ACTIVE_WORDS.get(sorted(strong_shared)[0])} in the plan"
        if s.period == period:
            mine = {A.family_of(a) for a in c.actives & TREATMENTS}
            if mine & {A.family_of(a) for a in set(s.actives) & TREATMENTS}:
                return "the same active is already in this routine"
            if conflicts(c.actives, s.actives):
                pairs = conflicts(c.actives, s.actives)
                if not all({x, y} <= NIGHT_ACTIVES for x, y in pairs):
                    return "conflicts with an active already in this routine"
        # keep-apart pairs across the day must be schedulable on different days
        for x, y in day_conflicts(c.actives, s.actives):
            pair = {x, y}
            if pair <= NIGHT_ACTIVES:
                continue  # retinoid and exfoliant nights alternate
            if pair == {"retinoid", "benzoyl_peroxide"}:
                continue  # BPO mornings skip retinoid days
            return "conflicts with an active already in the plan"
    if period == "pm":
        night = [s for s in same if s.role in ("retinoid", "exfoliant")]
        others = [s for s in same if s.role not in ("retinoid", "exfoliant")]
        if role in ("retinoid", "exfoliant"):
            # an evening applies at most TREATMENTS_PER_DAY treatments
            if others and len(others) + 1 > TREATMENTS_PER_DAY:
                return "limit"
        elif len(others) + 1 + (1 if night else 0) > TREATMENTS_PER_DAY:
            return "limit"
    return None


def _choose_treatments(
    pools: dict[str, dict[str, list[Candidate]]], ctx: _Context, warnings: list[Msg]
) -> list[PlannedStep]:
    chosen: list[PlannedStep] = []
    covered: set[str] = set()
    concerns = ctx.ranked_concerns()
    any_treat = pools["am"]["treat"] or pools["pm"]["treat"]
    if not any_treat:
        if concerns:
            for period in ("am", "pm"):
                s = _make_step("treat", None, ctx, period)
                s.period = period
                chosen.append(s)
        return chosen
    for allow_over in (False, True):
        for concern in concerns:
            if concern in covered:
                continue
            best: tuple | None = None
            for period in ("pm", "am"):
                options = [
                    c
                    for c in pools[period]["treat"]
                    if concern in c.effective_targets() and _admissible(c, period, chosen, ctx) is None
                ]
                if not options:
                    continue
                local: list[Msg] = []
                lines = FIRST_LINE.get(concern, frozenset())
                pick = _pick(
                    options,
                    ctx,
                    period,
                    local,
                    "treat",
                    allow_over=allow_over,
                    penalty=_first_line_bonus(lines),
                )
                if pick is None:
                    continue
                # the first-line active for this concern comes first (dermatology consensus), then the score
                first_line = bool(pick.actives & FIRST_LINE.get(concern, frozenset()))
                # daily treatments prefer the morning: evenings are kept for retinoid and exfoliation nights
                rank = (first_line, _score(pick, ctx, period), pick.owned, period == "am")
                if best is None or rank > best[0]:
                    best = (rank, pick, period, local)
            if best is None:
                continue
            _, pick, period, local = best
            warnings.extend(local)
            covered |= {concern} | {k for k in concerns if pick.actives & FIRST_LINE.get(k, set())}
            planned = _make_step(_treat_category(pick), pick, ctx, period)
            planned.concern = concern
            planned.role = _role(pick.actives)
            planned.period = period
            chosen.append(planned)
    # The main concern is treated morning and evening when a first-line active fits each (vitamin C in the
    # morning and a retinoid at night for lines; benzoyl peroxide mornings and a retinoid for acne); a
    # routine left without a treatment gets one for the most important concern it can serve.
    for period in ("am", "pm"):
        empty = not any(s.period == period for s in chosen)
        for k, concern in enumerate(concerns):
            lines = FIRST_LINE.get(concern, frozenset())
            if not empty and (k > 0 or any(s.period == period and s.concern == concern for s in chosen)):
                break
            options = [
                c
                for c in pools[period]["treat"]
                if concern in c.effective_targets()
                and _admissible(c, period, chosen, ctx) is None
                and (empty or c.actives & lines)
            ]
            pick = _pick(
                options,
                ctx,
                period,
                [],
                "treat",
                allow_over=False,
                penalty=_first_line_bonus(lines),
            )
            if pick is not None:
                planned = _make_step(_treat_category(pick), pick, ctx, period)
                planned.concern, planned.role = concern, _role(pick.actives)
                chosen.append(planned)
                break
    if ctx.profile.pregnant and A.ACTIVE_BY_KEY["retinoid"].targets & set(ctx.weights):
        swapped = [s for s in chosen if s.product and s.product.actives & {"azelaic_acid", "bakuchiol"}]
        if swapped:
            first = swapped[0]
            active = sorted(first.product.actives & {"azelaic_acid", "bakuchiol"})[0]  # type: ignore[union-attr]
            warnings.append(
                M.msg(
                    N_("%(product)s (%(active)s) is used instead of a retinoid because of pregnancy."),
                    product=first.product_name,
                    active=_active(active),
                )
            )
    return chosen


# --- the week -------------------------------------------------------------------------------------
def _gaps(days: Iterable[int]) -> list[int]:
    d = sorted(set(days))
    if len(d) < 2:
        return [7]
    return [(d[(i + 1) % len(d)] - d[i]) % 7 or 7 for i in range(len(d))]


def _spread(keep: Iterable[int], n: int, forbidden: Iterable[int], before: Iterable[int] = ()) -> tuple[int, ...]:
    """n weekdays containing `keep` (as many as fit), none in `forbidden`, spread as evenly as possible;
    ties go to days just before a day in `before` (exfoliation night, then retinoid night: skin cycling),
    then to fewer back-to-back days, then to earlier days."""
    keep = [d for d in sorted(set(keep)) if d not in set(forbidden)]
    if n <= 0:
        return ()
    if len(keep) >= n:
        best_keep = max(itertools.combinations(keep, n), key=lambda combo: (min(_gaps(combo)), [-d for d in combo]))
        return tuple(sorted(best_keep))
    free = [d for d in ALL_DAYS if d not in set(forbidden) and d not in keep]
    need = min(n - len(keep), len(free))
    before_set = set(before)

    def score(extra: tuple[int, ...]):
        days = sorted(set(keep) | set(extra))
        adjacent = sum(1 for d in days if (d + 1) % 7 in days) if len(days) < 7 else 0
        leads = sum(1 for d in days if (d + 1) % 7 in before_set)
        return (min(_gaps(days)), leads, -adjacent, [-d for d in days])

    extra = max(itertools.combinations(free, need), key=score) if need else ()
    return tuple(sorted(set(keep) | set(extra)))


def _schedule(treats: list[PlannedStep], ctx: _Context) -> None:
    """Give each treatment its weekdays, week by week: introduction order, ramp-ups, keep-apart days,
    recovery evenings. Sets `schedule` (phases), `days` (the first phase) on every treatment."""
    reactive, dry = ctx.profile.reactive, ctx.profile.dry
    # Introduction: strong actives one at a time (everyone), every treatment for reactive skin; two weeks apart.
    intro: dict[int, int] = {}
    next_week = 1
    for i, s in enumerate(treats):
        staggered = reactive or bool(s.strong)
        if s.product is None or not staggered:
            intro[i] = 1
            continue
        intro[i] = next_week
        next_week += A.INTRODUCTION_WEEKS
    ret = next((i for i, s in enumerate(treats) if s.role == "retinoid"), None)
    exf = next((i for i, s in enumerate(treats) if s.role == "exfoliant"), None)

    def freq(i: int) -> A.Frequency:
        classes = [A.ACTIVE_BY_KEY[c] for c in treats[i].actives if c in A.ACTIVE_BY_KEY]
        ramps = [a.frequency for a in classes if a.frequency is not A.DAILY]
        if not ramps:
            return A.DAILY
        return min(ramps, key=lambda f: f.starts_at)  # the slowest class sets the pace

    def count(i: int | None, week: int) -> int:
        if i is None or week < intro[i]:
            return 0
        n = freq(i).per_week(week - intro[i] + 1, reactive=reactive, dry=dry)
        if i == exf and ret is not None and week >= intro[ret]:
            n = min(n, freq(i).starts_at)  # while a retinoid is in the plan, acids stay at their start
        if i == ret and exf is not None and week >= intro[exf]:
            n = min(n, 7 - A.MIN_RECOVERY_NIGHTS - count(exf, week))
        if i in (ret, exf):
            n = min(n, 7 - A.MIN_RECOVERY_NIGHTS)
        return n

    breaks = {1}
    for i in range(len(treats)):
        breaks.add(intro[i])
        for start, _ in freq(i).phases(reactive=reactive, dry=dry):
            breaks.add(intro[i] + start - 1)
    phases: dict[int, list[tuple[int, tuple[int, ...]]]] = {i: [] for i in range(len(treats))}
    last: dict[int, tuple[int, ...]] = {}
    for week in sorted(breaks):
        week_days: dict[int, tuple[int, ...]] = {}
        order = sorted((i for i in (ret, exf) if i is not None), key=lambda i: intro[i])
        for i in order:
            other = exf if i == ret else ret
            forbidden = week_days.get(other, ()) if other is not None else ()
            before = last.get(ret, ()) if i == exf and ret is not None else ()
            n = count(i, week)
            week_days[i] = _spread(last.get(i, ()), n, forbidden, before) if n else ()
        night = {d for i in (ret, exf) if i is not None for d in week_days.get(i, ())}
        for i, s in enumerate(treats):
            if i in (ret, exf):
                continue
            if week < intro[i]:
                week_days[i] = ()
            elif s.role == "benzoyl_peroxide":
                n = count(i, week)
                allowed = [d for d in ALL_DAYS if d not in set(week_days.get(ret, ()) if ret is not None else ())]
                week_days[i] = _spread(last.get(i, ()), min(n, len(allowed)), set(ALL_DAYS) - set(allowed))
            elif s.period == "pm" and night:
                week_days[i] = tuple(sorted(night))  # not on recovery evenings
            else:
                week_days[i] = _spread(last.get(i, ()), count(i, week), ())
        for i, days in week_days.items():
            if days and last.get(i) != days:
                phases[i].append((week, days))
            if days:
                last[i] = days
    for i, s in enumerate(treats):
        s.schedule = phases[i] if phases[i] and (len(phases[i]) > 1 or phases[i][0] != (1, ALL_DAYS)) else []
        s.days = phases[i][0][1] if phases[i] else ALL_DAYS


def _night_days(steps: list[PlannedStep], week: int) -> set[int]:
    return {d for s in steps if s.role in ("retinoid", "exfoliant") for d in s.days_in_week(week)}


def _rest_steps_follow_nights(pm_steps: list[PlannedStep]) -> None:
    """On recovery evenings only cleanser and moisturiser: tone and eye steps follow the active nights."""
    weeks = sorted({w for s in pm_steps for w, _ in s.schedule} | {1})
    if not any(s.role in ("retinoid", "exfoliant") for s in pm_steps):
        return
    for s in pm_steps:
        if s.category not in ("tone", "eye") or s.role != "base":
            continue
        phases: list[tuple[int, tuple[int, ...]]] = []
        for w in weeks:
            nights = tuple(sorted(_night_days(pm_steps, w)))
            days = nights if nights else ALL_DAYS
            if not phases or phases[-1][1] != days:
                phases.append((w, days))
        s.schedule = phases if phases != [(1, ALL_DAYS)] else []
        s.days = phases[0][1]


# --- words for the plan ---------------------------------------------------------------------------
def _phase_text(s: PlannedStep, period: str) -> dict:
    phases = s.schedule or [(1, tuple(s.days))]
    parts: list = []
    for k, (week, days) in enumerate(phases):
        when = M.days(days, period)
        nxt = phases[k + 1][0] if k + 1 < len(phases) else None
        if len(phases) == 1 and week == 1:
            parts.append(when)
        elif nxt is None:
            parts.append(M.msg(N_("%(days)s from week %(week)s"), days=when, week=week))
        elif nxt - week == 1:
            parts.append(M.msg(N_("%(days)s in week %(week)s"), days=when, week=week))
        else:
            parts.append(M.msg(N_("%(days)s in weeks %(week)s–%(last)s"), days=when, week=week, last=nxt - 1))
    return M.join(parts, N_(", then "))


def _timing(routines: dict[str, PlannedRoutine], ctx: _Context) -> None:
    """The timing sentence of each scheduled step: when, and because of what."""
    pm = routines.get("pm")
    pm_steps = pm.steps if pm else []
    ret = next((s for s in pm_steps if s.role == "retinoid"), None)
    exf = next((s for s in pm_steps if s.role == "exfoliant"), None)
    for period, routine in routines.items():
        for s in routine.steps:
            if s.product is None:
                continue
            main = sorted(s.strong) or sorted(set(s.actives) & TREATMENTS) or []
            subject = (
                M.msg(N_("%(product)s (%(active)s)"), product=s.product_name, active=_active(main[0]))
                if main
                else s.product_name
            )
            p = {"subject": subject, "when": _phase_text(s, period)}
            timing: Msg | None = None
            if s.role == "retinoid":
                if exf is not None:
                    timing = M.msg(
                        N_(
                            "%(subject)s: %(when)s, because retinoids start two or three evenings a week and "
                            "increase as your skin tolerates it; never on the exfoliation evenings (%(nights)s)."
                        ),
                        nights=M.days(exf.days_in_week(99)),
                        **p,
                    )
                else:
                    timing = M.msg(
                        N_(
                            "%(subject)s: %(when)s, because retinoids start two or three evenings a week and "
                            "increase as your skin tolerates it."
                        ),
                        **p,
                    )
            elif s.role == "exfoliant":
                if ret is not None:
                    timing = M.msg(
                        N_(
                            "%(subject)s: %(when)s, because a retinoid is on %(nights)s and acids never share its "
                            "evening."
                        ),
                        nights=M.days(ret.days_in_week(99)),
                        **p,
                    )
                else:
                    timing = M.msg(
                        N_(
                            "%(subject)s: %(when)s, because exfoliating acids are used a few times a week at most, "
                            "with rest evenings between."
                        ),
                        **p,
                    )
            elif s.role == "benzoyl_peroxide":
                if ret is not None:
                    timing = M.msg(
                        N_(
                            "%(subject)s: %(when)s, because a retinoid is on %(nights)s and benzoyl peroxide can "
                            "inactivate it; never with vitamin C."
                        ),
                        nights=M.days(ret.days_in_week(99)),
                        **p,
                    )
                else:
                    timing = M.msg(
                        N_("%(subject)s: %(when)s, in the morning, never in the same routine as vitamin C."), **p
                    )
            elif period == "pm" and s.schedule and s.category in ("treat", "tone", "eye"):
                timing = M.msg(
                    N_("%(subject)s: %(when)s, not on recovery evenings (cleanser and moisturiser only)."), **p
                )
            elif "vitamin_c" in s.actives:
                timing = M.msg(N_("%(subject)s: %(when)s, under sunscreen: it backs up sun protection."), **p)
            elif s.schedule or s.strong:
                # e.g. hydroquinone every evening: strong, never unexplained
                timing = M.msg(N_("%(subject)s: %(when)s."), **p)
            if s.schedule and s.schedule[0][0] > 1 and timing:
                timing = M.concat(
                    timing,
                    M.msg(
                        N_("It starts in week %(week)s: one new active at a time, two weeks apart."),
                        week=s.schedule[0][0],
                    ),
                )
            if timing is not None:
                s.say("timing", timing)


def _rules(routines: dict[str, PlannedRoutine], ctx: _Context, notes: dict[str, list[Msg]]) -> None:
    """The rules each routine follows, as the person meets them, each with its source."""
    am, pm = routines.get("am"), routines.get("pm")
    pm_steps = pm.steps if pm else []
    ret = next((s for s in pm_steps if s.role == "retinoid"), None)
    exf = next((s for s in pm_steps if s.role == "exfoliant"), None)
    if am is not None:
        am.rules.append(
            _rule(
                "sunscreen_daily",
                M.msg(
                    N_("Sunscreen every morning: broad spectrum, SPF 30 or higher, reapplied every 2 hours outdoors.")
                ),
                S.AAD_SUNSCREEN,
            )
        )
        vit_c = next((s for s in am.steps if "vitamin_c" in s.actives), None)
        if vit_c is not None:
            am.rules.append(
                _rule(
                    "vitamin_c_morning",
                    M.msg(N_("%(product)s: vitamin C goes on in the morning."), product=vit_c.product_name),
                    S.VITAMIN_C_AM,
                )
            )
        bpo = next((s for s in am.steps if s.role == "benzoyl_peroxide"), None)
        if bpo is not None and bpo.timing_msg:
            am.rules.append(_rule("benzoyl_peroxide_apart", bpo.timing_msg, S.PAIRINGS))
    if pm is not None:
        if ret is not None and ret.timing_msg:
            pm.rules.append(_rule("retinoid_ramp", ret.timing_msg, S.AAD_RETINOIDS))
        if exf is not None and exf.timing_msg:
            pm.rules.append(_rule("exfoliant_limit", exf.timing_msg, S.AAD_EXFOLIATION))
        if ret is not None or exf is not None:
            weeks = sorted({w for s in pm_steps for w, _ in s.schedule} | {1})
            settled = weeks[-1]
            rest = M.days(d for d in ALL_DAYS if d not in _night_days(pm_steps, settled))
            if settled > 1:
                recovery = M.msg(
                    N_(
                        "Recovery evenings (%(days)s, from week %(week)s): cleanser and moisturiser only, so the "
                        "skin barrier recovers."
                    ),
                    days=rest,
                    week=settled,
                )
            else:
                recovery = M.msg(
                    N_("Recovery evenings (%(days)s): cleanser and moisturiser only, so the skin barrier recovers."),
                    days=rest,
                )
            pm.rules.append(_rule("recovery_nights", recovery, S.SKIN_CYCLING))
    for routine in routines.values():
        for note in notes.get(routine.period, []):
            routine.rules.append(_rule("one_product_per_active", note, S.REDUNDANCY))
    staged = sorted(
        (s for r in routines.values() for s in r.steps if s.schedule and s.schedule[0][0] > 1),
        key=lambda s: s.schedule[0][0],
    )
    first = [s for r in routines.values() for s in r.steps if s.role != "base" and s.product and s not in staged]
    if staged:
        order: list = [M.msg(N_("%(product)s first"), product=first[0].product_name)] if first else []
        order += [
            M.msg(N_("%(product)s from week %(week)s"), product=s.product_name, week=s.schedule[0][0]) for s in staged
        ]
        text = M.msg(N_("One new active at a time, two weeks apart: %(order)s."), order=M.join(order, N_(", then ")))
        if ctx.profile.reactive:
            text = M.concat(M.msg(N_("Sensitive skin: fewer and gentler actives.")), text)
        for routine in routines.values():
            routine.rules.append(_rule("introduce_one_at_a_time", text, S.AAD_NEW_PRODUCTS))
    elif ctx.profile.reactive:
        for routine in routines.values():
            routine.rules.append(
                _rule(
                    "reactive_skin",
                    M.msg(N_("Sensitive skin: one treatment per routine, gentle forms only; patch-test new products.")),
                    S.AAD_NEW_PRODUCTS,
                )
            )
    if ctx.profile.pregnant:
        text = M.msg(
            N_(
                "Pregnancy or breastfeeding: retinoids and hydroquinone are avoided; salicylic acid and benzoyl "
                "peroxide are left out because sources differ — ask your doctor before using them. Azelaic acid, "
                "niacinamide or bakuchiol are used instead where they fit."
            )
        )
        for routine in routines.values():
            routine.rules.append(_rule("pregnancy", text, S.CHIEN_2016))


# --- the builder ----------------------------------------------------------------------------------
def _pools(candidates: Sequence[Candidate], ctx: _Context) -> tuple[dict[str, dict[str, list[Candidate]]], dict]:
    excluded: dict[str, str] = {}
    pools: dict[str, dict[str, list[Candidate]]] = {p: {s: [] for s in ORDER} for p in ("am", "pm")}
    for c in candidates:
        ok, why = eligible(c, ctx.profile)
        if not ok:
            excluded[c.label] = why
            continue
        for period in ("am", "pm"):
            if not _fits_period(c, period):
                continue
            step = c.step
            assert step is not None
            if step == "tone" and c.actives & STRONG:
                step = "treat"  # an acid toner is an exfoliant: scheduled like one (its step stays "tone")
            elif step != "treat" and c.actives & STRONG:
                continue  # strong actives only as scheduled treatments, never in a daily base step
            pools[period][step].append(c)
    return pools, excluded


def _base_steps(
    period: str, pool: dict[str, list[Candidate]], treats: list[PlannedStep], ctx: _Context, warnings: list[Msg]
) -> tuple[list[PlannedStep], list[Msg]]:
    steps = list(treats)
    notes: list[Msg] = []
    for step in ("cleanse", "moisturize", "protect", "tone", "eye"):
        if step == "protect" and period == "pm":
            continue
        if any(s.category == step for s in steps):
            continue  # an acid toner already takes the tone step
        present = A.redundancy_counts(s.actives for s in steps)
        classes_now = {a for s in steps for a in s.actives}

        def fits(c: Candidate, present=present, classes_now=classes_now) -> bool:
            for fam in {A.family_of(a) for a in c.actives & A.COUNTED}:
                if present.get(fam, 0) + 1 > A.family_limit(fam, classes_now | c.actives):
                    return False
            return not conflicts(c.actives, classes_now)

        options = [c for c in pool[step] if fits(c)]
        crowded = [c for c in pool[step] if not fits(c) and c.actives & A.COUNTED]
        if crowded and not options:
            repeated = sorted({A.family_of(a) for c in crowded for a in c.actives & A.COUNTED} & set(present))
            if repeated:
                notes.append(
                    M.msg(
                        N_(
                            "%(active)s is already in this routine as often as it should be: the %(noun)s names no "
                            "product rather than repeat it."
                        ),
                        active=_active(repeated[0], cap=True),
                        noun=M.word(NOUNS[step]),
                    )
                )

        def penalty(c: Candidate, present=present) -> float:
            fams = {A.family_of(a) for a in c.actives & A.COUNTED}
            return 1.0 * len(fams & set(present))  # prefer not to repeat an active

        if step in ("tone", "eye"):
            # Optional steps: only with a product that earns its place (a concern it targets, or owned).
            local: list[Msg] = []
            options = [c for c in options if within_budget(c, ctx.cap)]  # optional: never over budget
            chosen = _pick(options, ctx, period, local, step, penalty=penalty)
            if chosen is None:
                continue
            if step == "eye":  # an eye cream earns its place for dark circles or lines, or when owned
                keep = chosen.owned or bool({"dark_circles", "wrinkles"} & set(ctx.weights))
            else:
                keep = chosen.owned or _score(chosen, ctx, period) - penalty(chosen) > 0.5
            if not keep:
                continue
            warnings.extend(local)
        else:
            chosen = _pick(options, ctx, period, warnings, step, penalty=penalty)
        steps.append(_make_step(step, chosen, ctx, period))
    return steps, notes


def _limit_steps(
    steps: list[PlannedStep], max_steps: int | None, period: str, warnings: list[Msg]
) -> list[PlannedStep]:
    """Keep at most `max_steps` steps on any one day of any week, dropping the least essential first."""
    if not max_steps:
        return steps
    drop_order = ["eye", "tone", "treat", "moisturize", "cleanse"]  # protect is never dropped
    steps = list(steps)
    weeks = sorted({w for s in steps for w, _ in s.schedule} | {1})

    def per_day_max(items):
        return max(
            (sum(1 for s in items if d in s.days_in_week(w)) for w in weeks for d in ALL_DAYS),
            default=0,
        )

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
        names = M.join([M.word(NOUNS[s.category]) for s in dropped], N_(", "))
        warnings.append(
            M.msg(N_("Kept to %(count)s steps as you asked; left out: %(steps)s."), count=max_steps, steps=names)
        )
    return steps


def build_routines(
    *,
    profile: BuilderProfile,
    measured: Sequence[MeasuredConcern] = (),
    candidates: Sequence[Candidate] = (),
    periods: Sequence[str] = ("am", "pm"),
) -> list[PlannedRoutine]:
    """Morning and evening routines planned together (one new active at a time across both; benzoyl
    peroxide mornings skip retinoid evenings), returned for the periods asked."""
    for p in periods:
        assert p in ("am", "pm")
    ctx = _Context(profile, measured)
    pools, excluded = _pools(candidates, ctx)
    warnings: dict[str, list[Msg]] = {"am": [], "pm": []}
    shared: list[Msg] = []
    if not candidates:
        shared.append(
            M.msg(N_("The product catalog is empty, so the steps name no product yet: add products to your shelf."))
        )
    treats = _choose_treatments(pools, ctx, shared)
    _schedule([t for t in treats if t.product is not None], ctx)
    routines: dict[str, PlannedRoutine] = {}
    notes: dict[str, list[Msg]] = {}
    for period in ("am", "pm"):
        mine = [t for t in treats if t.period == period]
        steps, notes[period] = _base_steps(period, pools[period], mine, ctx, warnings[period])
        if period == "pm":
            _rest_steps_follow_nights(steps)
        name = M.msg(N_("Morning routine") if period == "am" else N_("Evening routine"))
        routines[period] = PlannedRoutine(period=period, name=M.render(name), steps=steps, name_msg=name)
    left_out = {**excluded, **ctx.unsafe}
    if allergic := [n for n, why in left_out.items() if "allerg" in why.lower()]:
        shared.append(
            M.msg(
                N_("Left out because of your allergies: %(products)s."),
                products=M.join(sorted(allergic)[:5], N_(", ")),
            )
        )
    if profile.pregnant:
        shared.append(
            M.msg(
                N_(
                    "Pregnancy or nursing: retinoids and hydroquinone are left out, and so are salicylic acid and "
                    "benzoyl peroxide, on which sources differ (ask your doctor); azelaic acid, niacinamide or "
                    "bakuchiol are used instead where they fit."
                )
            )
        )
    for period, routine in routines.items():
        routine.steps = _limit_steps(routine.steps, profile.max_steps, period, warnings[period])
        routine.steps.sort(key=lambda s: (ORDER.index(s.category), s.starts_week))
        for i, s in enumerate(routine.steps, start=1):
            s.order = i
        _explain(routine.steps, ctx, period)
    _timing(routines, ctx)
    _rules(routines, ctx, notes)
    out = []
    for period in periods:
        routine = routines[period]
        said: dict[str, Msg] = {}
        for message in shared + warnings[period] + _conflict_warnings(routine):
            said.setdefault(M.render(message), message)
        routine.warnings, routine.warning_msgs = list(said), list(said.values())
        out.append(routine)
    return out


def _conflict_warnings(routine: PlannedRoutine) -> list[Msg]:
    """Say how keep-apart pairs in this routine were resolved (they never share a day)."""
    out = []
    sentence = (
        N_(
            "%(active)s (%(product)s) and %(other_active)s (%(other_product)s) should not be used in the same "
            "evening: %(product)s on %(days)s, %(other_product)s on %(other_days)s."
        )
        if routine.period == "pm"
        else N_(
            "%(active)s (%(product)s) and %(other_active)s (%(other_product)s) should not be used in the same "
            "morning: %(product)s on %(days)s, %(other_product)s on %(other_days)s."
        )
    )
    steps = [s for s in routine.steps if s.product]
    for i, a in enumerate(steps):
        for b in steps[i + 1 :]:
            pairs = conflicts(a.actives, b.actives)
            if not pairs:
                continue
            x, y = pairs[0]
            out.append(
                M.msg(
                    sentence,
                    active=_active(x, cap=True),
                    product=a.product_name,
                    other_active=_active(y),
                    other_product=b.product_name,
                    days=M.days_of_list(a.days_in_week(99)),
                    other_days=M.days_of_list(b.days_in_week(99)),
                )
            )
    return out


def build_routine(
    period: str,
    *,
    profile: BuilderProfile,
    measured: Sequence[MeasuredConcern] = (),
    candidates: Sequence[Candidate] = (),
) -> PlannedRoutine:
    assert period in ("am", "pm")
    return build_routines(profile=profile, measured=measured, candidates=candidates, periods=(period,))[0]


def week_view(routines: Sequence[PlannedRoutine], week: int = 1) -> list[dict]:
    """The plan as a week: per weekday, each routine's steps that day and what kind of day it is."""
    return [
        {
            "weekday": d,
            "name": WEEKDAYS[d],
            "routines": {
                r.period: day_entry(
                    [(s.order, s.category, s.actives, s.days_in_week(week)) for s in r.steps], d, r.period
                )
                for r in routines
            },
        }
        for d in ALL_DAYS
    ]


def day_entry(steps: Sequence[tuple], weekday: int, period: str) -> dict:
    """One routine on one weekday: steps = (order or id, category, actives, weekdays this week)."""
    today = [s for s in steps if weekday in s[3]]
    night_actives = any(set(s[2]) & NIGHT_ACTIVES and s[3] for s in steps)
    kind = R.day_kind([s[2] for s in today], period=period, night_actives_this_week=night_actives)
    return {
        "kind": kind,
        "label": R.DAY_KINDS[kind],
        "note": R.DAY_KIND_NOTES.get(kind, ""),
        "steps": [s[0] for s in today],
        "categories": [s[1] for s in today],
        "actives": sorted({a for s in today for a in s[2] if a in STRONG | TREATMENTS}),
        "active_labels": [A.class_label(a) for a in sorted({a for s in today for a in s[2] if a in STRONG})],
    }
