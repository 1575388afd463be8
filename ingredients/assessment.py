"""Assessment of an ordered ingredient list for one person: ratings, flags, notes, verdict, warnings.

Input rows are already matched (see matching.py); `facts` are knowledge-base rows as dicts.
No database access here except what the caller passes in."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_noop as N_

from domain import actives
from domain import vocabulary as vocab

from . import inci, rules

# The result is stored (a scan) and shown later: every sentence for people is English here, with its message id and
# params beside it (a note's `note_msgs`, a warning's `msgid`/`params`); ingredients.messages renders them in the
# reader's language. A param that is a word (a skin type, a concern, a caveat) is stored as its key or msgid.
DISCLAIMER = N_(
    "Cosmetic guidance, not medical advice. Ratings summarise public sources (EU CosIng annexes, published "
    "irritancy and comedogenicity data) and cannot know a product's concentrations. Patch-test new products; "
    "for a skin condition or during pregnancy ask a dermatologist or your doctor."
)
COMEDOGENIC_CAVEAT = N_(
    "Comedogenic ratings come from rabbit-ear tests (Fulton 1989); the formula changes results, so this is a "
    "hint, not a verdict."
)
NOT_IN_KNOWLEDGE_BASE = N_("Not in our knowledge base, so not rated (no guess is made).")
ALLERGEN_NOTE = N_("EU labelled fragrance allergen (Annex III).")
FRAGRANCE_NOTE = N_("Fragrance: a common cause of irritation and allergy on sensitive skin.")
COMEDOGENIC_NOTE = N_("Comedogenic rating %(rating)s/5. %(caveat)s")
IRRITANCY_NOTE = N_("Irritancy %(rating)s/5: may sting or redden, especially on sensitive skin.")
PROHIBITED_NOTE = N_("EU Annex II: prohibited in cosmetic products.")
PROHIBITED_LIMITS_NOTE = N_("EU Annex II: prohibited in cosmetic products. %(limits)s")
LIMITS_NOTE = N_("EU limits apply: %(limits)s")
RESTRICTED_NOTE = N_("EU restricted.")
SKIN_TYPE_NOTE = N_("May bother %(skin_type)s skin.")
ALLERGY_NOTE = N_("Matches your allergy: “%(allergy)s”.")
TARGETS_NOTE = N_("Targets one of your concerns: %(concern)s.")
PREGNANCY_RULE_NOTE = N_("%(note)s (%(source)s)")
PREGNANCY_AVOID_NOTE = N_("Commonly advised to avoid during pregnancy and breastfeeding.")
PREGNANCY_DIFFER_NOTE = N_("Sources differ on use in pregnancy and breastfeeding: ask your doctor.")
WARNINGS = {
    "skin_type": N_("Some ingredients may bother %(skin_type)s skin."),
    "user_allergy": N_("Contains ingredients you listed as allergies."),
    "pregnancy_avoid": N_("Contains ingredients commonly advised against in pregnancy."),
    "pregnancy_caution": N_("Sources differ on some ingredients in pregnancy: ask your doctor."),
    "fragrance_preference": N_("You prefer fragrance-free products; this one has fragrance."),
    "alcohol_preference": N_("You prefer alcohol-free products; this one has drying alcohol."),
    "vegan_preference": N_("Contains an ingredient usually of animal origin."),
    "comedogenic_for_acne": N_("Acne is one of your concerns. %(caveat)s"),
    "prohibited": N_("Contains an ingredient prohibited in EU cosmetics."),
    "conflict": "%(advice)s",  # the domain's advice (domain.conflicts, marked there)
}


def english(msgid: str, params: dict | None = None) -> str:
    """The English sentence of a message id and its params (the stored text beside them)."""
    return msgid % params if params else msgid


def pregnancy_message(name: str, active_class: str | None, level: str) -> tuple[str, dict]:
    """The message id and params of pregnancy_note."""
    rule = actives.pregnancy_rule(name, active_class=active_class or "")
    if rule.level == level and rule.note:
        return PREGNANCY_RULE_NOTE, {"note": rule.note, "source": rule.source.citation}
    if level == "avoid":
        return PREGNANCY_AVOID_NOTE, {}
    return PREGNANCY_DIFFER_NOTE, {}


FRAGRANCE_TERMS = vocab.FRAGRANCE_WORDS
ALCOHOL_NAMES = {"alcohol denat", "alcohol", "sd alcohol", "sd alcohol 40", "ethanol", "isopropyl alcohol"}
ANIMAL_DERIVED = {
    "lanolin",
    "cera alba",
    "beeswax",
    "ci 75470",
    "carmine",
    "snail secretion filtrate",
    "collagen",
    "hydrolyzed collagen",
    "mel",
    "honey",
    "propolis extract",
    "royal jelly",
    "keratin",
    "hydrolyzed keratin",
    "squalene",
    "guanine",
    "lanolin alcohol",
    "milk protein",
    "lactis proteinum",
}


def pregnancy_note(name: str, active_class: str | None, level: str) -> str:
    """The domain's sentence for this ingredient's pregnancy rule (with its source), or a generic one when
    staff set a level of their own in the admin."""
    return english(*pregnancy_message(name, active_class, level))


@dataclass
class ProfileFacts:
    skin_type: str | None = None
    concerns: list[str] = field(default_factory=list)
    allergies: list[str] = field(default_factory=list)
    pregnant: bool = False
    preferences: list[str] = field(default_factory=list)

    @classmethod
    def from_profile(cls, profile) -> ProfileFacts | None:
        if profile is None:
            return None
        get = profile.get if isinstance(profile, dict) else lambda k, d=None: getattr(profile, k, d)
        return cls(
            skin_type=get("skin_type") or None,
            concerns=list(get("concerns") or []),
            allergies=[str(a) for a in (get("allergies") or []) if str(a).strip()],
            pregnant=bool(get("pregnant_or_nursing") or get("pregnant") or False),
            preferences=list(get("preferences") or []),
        )


@dataclass
class Row:
    position: int
    raw: str
    name: str
    ingredient_id: str | None
    inci_name: str | None
    confidence: float
    method: str
    may_contain: bool = False


def _words(value: str) -> set[str]:
    return set(inci.key(value).split())


def allergy_hits(allergy: str, fact: dict, allergy_match_id: str | None) -> bool:
    """Does this knowledge-base row fall under the user's allergy term?"""
    term = inci.key(allergy)
    if not term:
        return False
    if allergy_match_id and allergy_match_id == str(fact["id"]):
        return True
    if term in vocab.FRAGRANCE_ALLERGY_WORDS or term == "essential oils":
        return bool(fact["is_fragrance"] or fact["is_allergen"])
    names = [fact["inci_name"], *(fact.get("synonyms") or [])]
    if term in {"paraben", "parabens"}:
        return any("paraben" in inci.key(n) for n in names)
    if term in {"sulfate", "sulfates", "sulphates", "sls", "sles"}:
        return any(w in inci.key(fact["inci_name"]) for w in ("lauryl sulfate", "laureth sulfate", "coco sulfate"))
    if term in {"alcohol", "drying alcohol"}:
        return inci.key(fact["inci_name"]) in ALCOHOL_NAMES
    if len(term) >= 4:
        # whole-word containment: "coconut" → "Cocos Nucifera (Coconut) Oil"; "almond" → "Prunus Amygdalus..."
        term_words = term.split()
        for n in names:
            k = inci.key(n).split()
            for i in range(len(k) - len(term_words) + 1):
                if k[i : i + len(term_words)] == term_words:
                    return True
    return False


def assess_rows(rows: list[Row], facts: dict[str, dict], profile: ProfileFacts | None, index=None) -> dict:
    allergy_ids: dict[str, str | None] = {}
    if profile and profile.allergies:
        for a in profile.allergies:
            m = index.match_one(a, fuzzy=False) if index is not None else None
            allergy_ids[a] = m.ingredient_id if m else None

    items = []
    unknown = []
    scoring = []
    warnings: dict[str, dict] = {}
    classes: set[str] = set()
    good_for: dict[str, list[str]] = {}
    last_position = max((r.position for r in rows), default=0)

    def warn(code: str, name: str, params: dict | None = None) -> None:
        msgid, params = WARNINGS[code], params or {}
        w = warnings.setdefault(
            code,
            {"code": code, "message": english(msgid, params), "ingredients": [], "msgid": msgid, "params": params},
        )
        if name not in w["ingredients"]:
            w["ingredients"].append(name)

    for row in rows:
        fact = facts.get(row.ingredient_id) if row.ingredient_id else None
        if fact is None:
            unknown.append(row.name)
            items.append(
                {
                    "position": row.position,
                    "raw": row.raw,
                    "name": row.name,
                    "ingredient": None,
                    "match_confidence": None,
                    "match_method": "none",
                    "rating": None,
                    "flags": [],
                    "notes": [NOT_IN_KNOWLEDGE_BASE],
                    "note_msgs": [{"msgid": NOT_IN_KNOWLEDGE_BASE, "params": {}}],
                    "hazard_score": None,
                    "functions": [],
                    "may_contain": row.may_contain,
                }
            )
            continue
        name = fact["inci_name"]
        flags: list[str] = []
        notes: list[str] = []
        note_msgs: list[dict | None] = []  # beside each note: its message id and params (None: the knowledge base's)

        def note(msgid: str, params: dict | None = None, shown: dict | None = None, notes=notes, note_msgs=note_msgs):
            """A note in English (`shown`: the words the English shows for params stored as keys) and its id."""
            notes.append(english(msgid, {**(params or {}), **(shown or {})}))
            note_msgs.append({"msgid": msgid, "params": params or {}})

        hazard = fact["hazard_score"]
        rating = rules.base_rating(hazard=hazard, irritancy=fact["irritancy"], comedogenic=fact["comedogenic_rating"])
        if fact["description"]:  # the knowledge base's own text (data, shown as it is)
            notes.append(fact["description"])
            note_msgs.append(None)
        if fact["is_allergen"]:
            flags.append("allergen")
            if fact["allergen_note"]:
                notes.append(fact["allergen_note"])
                note_msgs.append(None)
            else:
                note(ALLERGEN_NOTE)
        if fact["is_fragrance"]:
            flags.append("fragrance")
            if not fact["is_allergen"]:
                note(FRAGRANCE_NOTE)
        if (fact["comedogenic_rating"] or 0) >= 3:
            flags.append("comedogenic")
            note(COMEDOGENIC_NOTE, {"rating": fact["comedogenic_rating"], "caveat": COMEDOGENIC_CAVEAT})
        if (fact["irritancy"] or 0) >= 3:
            flags.append("irritant")
            note(IRRITANCY_NOTE, {"rating": fact["irritancy"]})
        if fact["pregnancy_caution"] != "none":
            flags.append("pregnancy_caution")
            note(*pregnancy_message(name, fact["active_class"], fact["pregnancy_caution"]))
        if fact["eu_status"] == "prohibited":
            flags.append("prohibited")
            limits = (fact["eu_limits"] or "").strip()
            if limits:
                note(PROHIBITED_LIMITS_NOTE, {"limits": limits})
            else:
                note(PROHIBITED_NOTE)
        elif fact["eu_status"] == "restricted" or (fact["eu_limits"] and fact["eu_status"] != "none"):
            flags.append("restricted")
            if fact["eu_limits"]:
                note(LIMITS_NOTE, {"limits": fact["eu_limits"]})
            else:
                note(RESTRICTED_NOTE)

        if profile:
            if profile.skin_type and profile.skin_type in (fact["bothers_skin_types"] or []):
                flags.append("avoid_for_skin_type")
                if rating == "green":
                    rating = "yellow"
                note(SKIN_TYPE_NOTE, {"skin_type": profile.skin_type})
                warn("skin_type", name, {"skin_type": profile.skin_type})
            for allergy, match_id in allergy_ids.items():
                if allergy_hits(allergy, fact, match_id):
                    flags.append("user_allergy")
                    rating = "red"
                    note(ALLERGY_NOTE, {"allergy": allergy})
                    warn("user_allergy", name)
                    break
            if profile.pregnant and fact["pregnancy_caution"] == "avoid":
                rating = "red"
                warn("pregnancy_avoid", name)
            elif profile.pregnant and fact["pregnancy_caution"] == "caution":
                if rating == "green":
                    rating = "yellow"  # not chosen by the routine builder or the recommender either
                warn("pregnancy_caution", name)
            if "fragrance_free" in profile.preferences and (fact["is_fragrance"] or fact["is_allergen"]):
                warn("fragrance_preference", name)
            if "alcohol_free" in profile.preferences and inci.key(name) in ALCOHOL_NAMES:
                warn("alcohol_preference", name)
            if "vegan" in profile.preferences and inci.key(name) in ANIMAL_DERIVED:
                warn("vegan_preference", name)
            if "acne" in profile.concerns and (fact["comedogenic_rating"] or 0) >= 3 and row.position <= 10:
                warn("comedogenic_for_acne", name, {"caveat": COMEDOGENIC_CAVEAT})
            for concern in fact["targets"] or []:
                if concern in profile.concerns:
                    good_for.setdefault(concern, []).append(name)
                    note(TARGETS_NOTE, {"concern": concern}, shown={"concern": vocab.concern_phrase(concern)})
        if fact["eu_status"] == "prohibited":
            warn("prohibited", name)
        if fact["active_class"]:
            classes.add(fact["active_class"])
        position = last_position if row.may_contain else row.position
        scoring.append((position, rating, hazard))
        items.append(
            {
                "position": row.position,
                "raw": row.raw,
                "name": row.name,
                "ingredient": {"id": str(fact["id"]), "inci_name": name},
                "match_confidence": round(row.confidence, 3),
                "match_method": row.method,
                "rating": rating,
                "flags": flags,
                "notes": notes,
                "note_msgs": note_msgs,
                "hazard_score": hazard,
                "functions": list(fact["functions"]) if fact["functions"] is not None else None,  # not the memo's list
                "active_class": fact["active_class"] or None,
                "may_contain": row.may_contain,
            }
        )

    conflicts = rules.conflicts_between(classes)
    for c in conflicts:
        warn("conflict", " + ".join(c["classes"]), {"advice": c["advice"]})
    if scoring:
        score, verdict = rules.product_score(scoring)
    else:
        score, verdict = None, None
    counts = {r: sum(1 for i in items if i["rating"] == r) for r in ("green", "yellow", "red")}
    return {
        "ingredients": items,
        "verdict": verdict,
        "score": score,
        "rule": rules.RULE_TEXT,
        "warnings": list(warnings.values()),
        "unknown": unknown,
        "conflicts": conflicts,
        "active_classes": sorted(classes),
        "good_for": good_for,
        "counts": {**counts, "unknown": len(unknown), "total": len(items)},
        "personalized": profile is not None,
        "disclaimer": getattr(settings, "INGREDIENTS_DISCLAIMER", DISCLAIMER),
    }
