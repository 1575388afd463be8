"""The ingredient knowledge base: bundled data files → Ingredient rows, with a source for every value.

Data (ingredients/data/kb/*.psv, one ingredient per line, `|`-separated):

    inci_name | synonyms (;) | CAS | functions (;) | comedogenic 0-5 | irritancy 0-5 | tags (;)

tags: `t=<concern,...>` (targets), `s=<skin types it suits>`, `b=<skin types it may bother>`, `f`
(fragrance), `a` (EU labelled fragrance allergen), `d=<description>` (otherwise one is written from the
main function). The active class and the pregnancy level are not in the files: they come from the domain
package (`domain.actives`: the INCI names that make each class, and the pregnancy policy with its
source), so the knowledge base, the scanner, the builder and the recommender share one rule.

On top of the hand-curated files, the EU CosIng annexes shipped by the `on-the-list` package (CC BY 4.0)
give each ingredient its EU status (II prohibited, III restricted with limits, IV colorant, V preservative,
VI UV filter), the limits text and the labelled-allergen flag, and add the annex IV colorants (CI numbers),
annex V preservatives, annex VI UV filters and annex III labelled allergens that the files do not list.

The hazard score is computed by `rules.hazard_score` (documented there and in the app README).
Loading is idempotent; rows a staff member edited in the admin (`sources["_edited"]`) are left alone
unless `force=True`.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from pathlib import Path

from domain import actives
from domain import vocabulary as vocab
from skincare.core import readcache

from . import inci, rules
from .models import INGREDIENT_FACT_FIELDS

DATA_DIR = Path(__file__).resolve().parent / "data"
KB_DIR = DATA_DIR / "kb"

SRC_CURATED = "Skincare KB editors, from CosIng INCI inventory and CIR/SCCS summaries"
SRC_FUNCTIONS = "INCI functions per CosIng"
SRC_CAS = "CosIng"
SRC_FULTON = "Fulton 1989 (J Soc Cosmet Chem 40:321), as compiled in comedogenicity tables"
SRC_IRRITANCY = "KB editors' estimate from CIR/SCCS opinions and patch-test literature (0-5)"
SRC_ANNEX = "on-the-list (EU CosIng annexes, CC BY 4.0)"
SRC_DOMAIN = "domain.actives (DOMAIN.md)"
SRC_RULES = "computed: ingredients.rules.hazard_score"


FUNCTION_TEXT = {
    "solvent": "dissolves the other ingredients and forms the base of the formula",
    "humectant": "draws water into the upper layers of the skin and keeps them hydrated",
    "emollient": "softens and smooths the skin by filling the gaps between skin cells",
    "emulsifying": "keeps oil and water mixed so the cream stays stable",
    "surfactant": "lifts oil and dirt so water can rinse them away",
    "cleansing": "lifts oil and dirt so water can rinse them away",
    "preservative": "stops bacteria and moulds from growing in the product",
    "antimicrobial": "limits the growth of microorganisms",
    "perfuming": "gives the product its scent",
    "masking": "covers the base odour of the formula",
    "antioxidant": "neutralises free radicals and protects the formula and the skin from oxidation",
    "buffering": "sets and holds the pH of the product",
    "chelating": "binds metal ions so the formula stays stable and preservatives work better",
    "uv filter": "absorbs or reflects ultraviolet light to protect the skin from sunburn and UV ageing",
    "uv absorber": "absorbs ultraviolet light",
    "colorant": "gives the product or the skin colour",
    "viscosity controlling": "thickens the product and sets its texture",
    "emulsion stabilising": "keeps the emulsion from separating",
    "gel forming": "turns the formula into a gel",
    "film forming": "leaves a thin film on the skin",
    "binding": "holds powders and ingredients together",
    "absorbent": "soaks up oil and water",
    "abrasive": "polishes the skin surface mechanically",
    "opacifying": "makes the product opaque",
    "bulking": "adds body to powders and reduces the concentration of other ingredients",
    "skin conditioning": "keeps the skin in good condition",
    "soothing": "calms the skin and reduces the feeling of irritation",
    "skin protecting": "forms a protective barrier on the skin",
    "astringent": "tightens the skin and reduces the look of oiliness",
    "exfoliating": "loosens dead skin cells so they shed",
    "keratolytic": "loosens dead skin cells so they shed",
    "bleaching": "lightens dark spots",
    "hair conditioning": "makes hair easier to comb and smoother",
    "antistatic": "reduces static",
    "foaming": "helps the product foam",
    "deodorant": "reduces body odour",
    "tonic": "gives a feeling of freshness",
    "refreshing": "gives a cooling, fresh feeling",
    "smoothing": "evens the skin surface",
    "anti-acne (medicinal)": "is an acne medicine",
    "antidandruff": "fights dandruff",
}
FORBIDDEN_TAGS = {"c": "active class", "p": "pregnancy level"}  # domain.actives holds them


@dataclass
class AnnexInfo:
    status: str
    annexes: set[str]
    refs: list[str]
    limits: str
    allergen: bool
    allergen_note: str
    cas: str


def _split(value: str, sep: str = ";") -> list[str]:
    return [v.strip() for v in (value or "").split(sep) if v.strip()]


def parse_tags(value: str) -> dict:
    """`k=v;flag;...;d=free text` — a description (`d=`) is always last and may contain semicolons."""
    tags: dict = {}
    head, sep, description = value.partition("d=")
    if sep and (not head or head.endswith(";")):
        tags["d"] = description.strip()
        value = head
    for part in _split(value):
        if "=" in part:
            k, v = part.split("=", 1)
            tags[k.strip()] = v.strip()
        else:
            tags[part] = True
    return tags


def read_curated() -> list[dict]:
    rows: list[dict] = []
    for path in sorted(KB_DIR.glob("*.psv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("|")
            if len(parts) != 7:
                raise ValueError(f"{path.name}: expected 7 fields: {line!r}")
            name, syns, cas, funcs, comedo, irrit, tags = (p.strip() for p in parts)
            parsed = parse_tags(tags)
            for tag, what in FORBIDDEN_TAGS.items():
                if tag in parsed:
                    raise ValueError(f"{path.name}: {name}: the {what} comes from domain.actives, not a `{tag}=` tag")
            rows.append(
                {
                    "file": path.name,
                    "inci_name": name,
                    "synonyms": _split(syns),
                    "cas_number": cas,
                    "functions": _split(funcs),
                    "comedogenic_rating": int(comedo) if comedo.isdigit() else None,
                    "irritancy": int(irrit) if irrit.isdigit() else None,
                    "tags": parsed,
                }
            )
    return rows


# --- EU annexes via on-the-list -----------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def annex_rows() -> dict[tuple[str, str], dict]:
    """(annex, reference) → the full CSV row (the register itself drops the limits columns)."""
    from on_the_list import register

    out: dict[tuple[str, str], dict] = {}
    data_dir = Path(register.VENDORED)
    for annex in ("II", "III", "IV", "V", "VI"):
        text = (data_dir / f"annex_{annex}.csv").read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        header = rows[4]
        for r in rows[5:]:
            rec = dict(zip(header, r, strict=False))
            ref = (rec.get("Reference Number") or "").strip()
            if ref:
                out[(annex, ref)] = rec
    return out


@functools.lru_cache(maxsize=1)
def _register():
    from on_the_list import register

    return register.load()


def _fold(name: str) -> str:
    from on_the_list.normalise import fold

    return fold(name)


_ALLERGEN_RE = re.compile(r"indicated in the list of ingredients", re.I)
_CONDITIONAL_RE = re.compile(r"\bexcept (?:if|for|when)\b", re.I)


def annex_info(names: list[str]) -> AnnexInfo | None:
    reg = _register()
    entries = []
    seen = set()
    for n in names:
        for e in reg.lookup(_fold(n)):
            if (e.annex, e.reference) not in seen:
                seen.add((e.annex, e.reference))
                entries.append(e)
    if not entries:
        return None
    rows = annex_rows()
    annexes = {e.annex for e in entries}
    limits, refs, allergen, note, cas = [], [], False, "", ""
    conditional: set[str] = set()
    for e in entries:
        rec = rows.get((e.annex, e.reference), {})
        refs.append(f"{e.annex}/{e.reference}")
        cas = cas or (rec.get("CAS Number") or "").strip().strip("-")
        other = " ".join((rec.get("Other") or "").split())
        if e.annex == "III" and _ALLERGEN_RE.search(
            other + " " + (rec.get("Wording of conditions of use and warnings") or "")
        ):
            allergen = True
            limits.append(f"Annex III ref {e.reference}: labelled fragrance allergen (named above 0.001% leave-on).")
            note = (
                f"EU labelled fragrance allergen (Annex III ref {e.reference}, {rec.get('Regulation', '').strip()}): "
                "must be named on the label above 0.001% in leave-on and 0.01% in rinse-off products."
            )
            continue
        if e.annex == "II":
            chem = " ".join(e.chemical_name.split())
            if getattr(e, "nano_only", False):
                conditional.add(e.reference)
                limits.append(f"Annex II ref {e.reference}: prohibited in nano form ({chem[:200]}).")
            elif _CONDITIONAL_RE.search(chem):
                # "Petrolatum, except if the full refining history is known...": a condition, not a ban
                conditional.add(e.reference)
                limits.append(f"Annex II ref {e.reference} (conditional): {chem[:300]}")
            else:
                limits.append(f"Annex II ref {e.reference}: prohibited in cosmetic products.")
            continue
        bits = []
        for col in ("Product Type, body parts", "Maximum concentration in ready for use preparation"):
            val = " ".join((rec.get(col) or "").split())
            if val:
                bits.append(val)
        wording = " ".join((rec.get("Wording of conditions of use and warnings") or "").split())
        if wording:
            bits.append(f"Label: {wording}")
        text = "; ".join(bits)[:400]
        limits.append(f"Annex {e.annex} ref {e.reference}" + (f": {text}" if text else ""))
    if any(e.annex == "II" and e.reference not in conditional for e in entries):
        pass
    else:
        annexes.discard("II")
        if conditional:
            annexes.add("III")  # treated as a restriction: allowed under the stated condition
    if "II" in annexes and not annexes & {"IV", "V", "VI"}:
        status = "prohibited"
    elif "VI" in annexes:
        status = "uv_filter"
    elif "V" in annexes:
        status = "preservative"
    elif "IV" in annexes:
        status = "colorant"
    elif "III" in annexes:
        status = "restricted"
    else:
        status = "none"
    return AnnexInfo(status, annexes, refs, "\n".join(limits), allergen, note, cas)


def _annex_extras(known_keys: set[str]) -> list[dict]:
    """Annex IV colorants, V preservatives, VI UV filters and III labelled allergens not in the files."""
    out: list[dict] = []
    reg = _register()
    rows = annex_rows()
    for e in reg.entries:
        if e.annex not in {"IV", "V", "VI", "III"}:
            continue
        rec = rows.get((e.annex, e.reference), {})
        if e.annex == "III" and not _ALLERGEN_RE.search(" ".join((rec.get("Other") or "").split())):
            continue
        glossary = (
            rec.get("Colour index Number / Name of Common Ingredients Glossary")
            or rec.get("Name of Common Ingredients Glossary")
            or ""
        )
        names = [n.strip() for n in re.split(r"[;/]|,(?= [A-Za-z])", glossary) if n.strip() not in {"", "-", "--"}]
        names = [n for n in names if "(" not in n]
        if e.annex == "IV":
            ci = re.findall(r"CI \d{5}", glossary + " " + (rec.get("Identified INGREDIENTS or substances e.g.") or ""))
            names = [ci[0]] if ci else names[:1]
        cas_list = [c.strip() for c in re.split(r"[;/]", rec.get("CAS Number") or "")]
        for i, name in enumerate(names):
            if len(name) > 80 or len(name) < 3:
                continue
            pretty = name if name.upper().startswith("CI ") else _title(name)
            k = inci.key(pretty)
            if k in known_keys:
                continue
            known_keys.add(k)
            func = {"IV": "colorant", "V": "preservative", "VI": "uv filter", "III": "perfuming"}[e.annex]
            cas = cas_list[i] if i < len(cas_list) else ""
            cas = re.sub(r"\[\d+\]", "", cas).strip().strip("-")
            out.append(
                {
                    "file": f"annex_{e.annex}",
                    "inci_name": pretty,
                    "synonyms": [],
                    "cas_number": cas if re.match(r"^\d+-\d+-\d$", cas) else "",
                    "functions": [func],
                    "comedogenic_rating": None,
                    "irritancy": None,
                    "tags": {"f": True, "a": True} if e.annex == "III" else {},
                    "from_annex": e.annex,
                    "color": (rec.get("Color") or "").strip(),
                    "chemical_name": " ".join(e.chemical_name.split())[:200],
                }
            )
    return out


_ACRONYM = re.compile(r"^(PEG|PPG|EDTA|PABA|MEA|DEA|TEA|CI|HCL|BHT|BHA|DMDM|MIPA|PVP|HEDP|DHHB)(?=$|-|\b)", re.I)


def _title(name: str) -> str:
    words = []
    for w in name.split():
        m = _ACRONYM.match(w)
        if m:
            rest = w[m.end() :]
            words.append(m.group(1).upper() + "-".join(p[:1].upper() + p[1:].lower() for p in rest.split("-")))
        else:
            words.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(words)


# --- records ------------------------------------------------------------------------------------


def _description(row: dict) -> str:
    if row["tags"].get("d"):
        return row["tags"]["d"]
    if row.get("from_annex") == "IV":
        color = f" ({row['color'].lower()})" if row.get("color") else ""
        return f"A colorant{color} allowed in EU cosmetics (Annex IV): {row.get('chemical_name', '')}.".replace(
            ": .", "."
        )
    if row.get("from_annex") == "V":
        return "A preservative allowed in EU cosmetics within the limits of Annex V."
    if row.get("from_annex") == "VI":
        return "A UV filter allowed in EU sunscreens within the limits of Annex VI."
    if row.get("from_annex") == "III":
        return "A fragrance ingredient that the EU requires to be named on the label (Annex III)."
    funcs = row["functions"]
    if not funcs:
        return ""
    main = funcs[0]
    text = FUNCTION_TEXT.get(main)
    label = ", ".join(f.capitalize() if i == 0 else f for i, f in enumerate(funcs[:3]))
    label = re.sub(r"\b[Uu]v\b", "UV", label)
    return f"{label}: it {text}." if text else f"{label}."


def _benefits(active_class: str, targets: list[str]) -> str:
    parts = []
    if active_class in actives.ACTIVE_BY_KEY:
        parts.append(actives.ACTIVE_BY_KEY[active_class].benefit)
    if targets:
        parts.append("Used for: " + ", ".join(t.replace("_", " ") for t in targets) + ".")
    return " ".join(parts)


def build_records() -> list[dict]:
    curated = read_curated()
    known = set()
    for r in curated:
        known.add(inci.key(r["inci_name"]))
        for s in r["synonyms"]:
            known.add(inci.key(s))
    rows = curated + _annex_extras(known)
    records = []
    for row in rows:
        tags = row["tags"]
        annex_src = row.get("from_annex")
        names = [row["inci_name"], *row["synonyms"]]
        info = annex_info(names)
        targets = [t for t in _split(tags.get("t", ""), ",") if t in vocab.CONCERN_KEYS]
        suits = [t for t in _split(tags.get("s", ""), ",") if t in vocab.SKIN_TYPE_KEYS]
        bothers = [t for t in _split(tags.get("b", ""), ",") if t in vocab.SKIN_TYPE_KEYS]
        active_class = actives.active_class_of(*names) or (actives.ANNEX_VI_CLASS if annex_src == "VI" else "")
        pregnancy_rule = actives.pregnancy_rule(*names, active_class=active_class)
        pregnancy = pregnancy_rule.level
        is_allergen = bool(tags.get("a")) or bool(info and info.allergen)
        is_fragrance = bool(tags.get("f")) or is_allergen
        eu_status = info.status if info else "none"
        cas = row["cas_number"] or (info.cas if info and re.match(r"^\d+-\d+-\d$", info.cas or "") else "")
        curated_src = SRC_ANNEX if annex_src else SRC_CURATED
        sources = {
            "inci_name": SRC_ANNEX if annex_src else "CosIng",
            "synonyms": curated_src,
            "functions": SRC_ANNEX if annex_src else SRC_FUNCTIONS,
            "description": curated_src,
            "eu_status": SRC_ANNEX,
            "hazard_score": SRC_RULES,
        }
        if cas:
            sources["cas_number"] = SRC_CAS if row["cas_number"] else SRC_ANNEX
        if row["comedogenic_rating"] is not None:
            sources["comedogenic_rating"] = SRC_FULTON
        if row["irritancy"] is not None:
            sources["irritancy"] = SRC_IRRITANCY
        if targets:
            sources["targets"] = SRC_CURATED
        if suits or bothers:
            sources["skin_types"] = SRC_CURATED
        if active_class:
            cls = actives.ACTIVE_BY_KEY[active_class]
            sources["active_class"] = (
                f"{SRC_ANNEX} (Annex VI)" if annex_src == "VI" and not actives.active_class_of(*names) else SRC_DOMAIN
            )
            if cls.source is not actives.S.KB_EDITORS:
                sources["active_class"] += f"; {cls.source.citation}"
        if pregnancy != "none":
            sources["pregnancy_caution"] = f"{SRC_DOMAIN}: {pregnancy_rule.source.citation}"
        if is_allergen:
            sources["is_allergen"] = SRC_ANNEX if info and info.allergen else "DOMAIN.md (EU 26 + Regulation 2023/1545)"
        if is_fragrance:
            sources["is_fragrance"] = SRC_FUNCTIONS
        if info and info.limits:
            sources["eu_limits"] = SRC_ANNEX
        allergen_note = ""
        if is_allergen:
            allergen_note = (info.allergen_note if info and info.allergen_note else "") or (
                "EU labelled fragrance allergen: must be named on the label above 0.001% (leave-on) "
                "or 0.01% (rinse-off)."
            )
        hazard = rules.hazard_score(
            eu_status=eu_status,
            eu_annexes=info.annexes if info else set(),
            irritancy=row["irritancy"],
            comedogenic_rating=row["comedogenic_rating"],
            is_allergen=is_allergen,
            is_fragrance=is_fragrance,
            pregnancy_caution=pregnancy,
        )
        records.append(
            {
                "inci_name": row["inci_name"][:255],
                "synonyms": row["synonyms"],
                "cas_number": cas[:120],
                "functions": row["functions"],
                "description": _description(row),
                "benefits": _benefits(active_class, targets),
                "targets": targets,
                "comedogenic_rating": row["comedogenic_rating"],
                "irritancy": row["irritancy"],
                "is_fragrance": is_fragrance,
                "is_allergen": is_allergen,
                "allergen_note": allergen_note[:255],
                "eu_status": eu_status,
                "eu_annex_ref": ", ".join(info.refs)[:60] if info else "",
                "eu_limits": info.limits if info else "",
                "pregnancy_caution": pregnancy,
                "suits_skin_types": suits,
                "bothers_skin_types": bothers,
                "active_class": active_class,
                "hazard_score": hazard,
                "sources": sources,
            }
        )
    return records


RECORD_FIELDS = INGREDIENT_FACT_FIELDS


def load(*, force: bool = False, records: list[dict] | None = None) -> dict:
    """Create or update Ingredient rows from the data files. Idempotent: a second run changes nothing."""
    from django.db import transaction

    from .matching import reset_index
    from .models import Ingredient

    records = records if records is not None else build_records()
    existing = {i.inci_name: i for i in Ingredient.objects.all()}
    to_create, to_update, skipped = [], [], 0
    for rec in records:
        obj = existing.get(rec["inci_name"])
        if obj is None:
            to_create.append(Ingredient(**rec))
            continue
        if (obj.sources or {}).get("_edited") and not force:
            skipped += 1
            continue
        changed = False
        for f in RECORD_FIELDS:
            if getattr(obj, f) != rec[f]:
                setattr(obj, f, rec[f])
                changed = True
        if changed:
            to_update.append(obj)
    with transaction.atomic():
        Ingredient.objects.bulk_create(to_create, batch_size=200)
        readcache.shared_changed()
        if to_update:
            from django.utils import timezone

            now = timezone.now()
            for o in to_update:
                o.updated_at = now
            Ingredient.objects.bulk_update(to_update, [*RECORD_FIELDS, "updated_at"], batch_size=200)
    reset_index()
    return {"created": len(to_create), "updated": len(to_update), "skipped_staff_edits": skipped, "total": len(records)}
