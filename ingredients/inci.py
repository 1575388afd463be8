"""INCI list parsing: from the text printed on a pack (or read by OCR) to an ordered list of names.

Pure Python, no Django. Copes with what real labels look like:
- a header in one of several languages ("Ingredients:", "INCI:", "Ingrédients :", "Inhaltsstoffe/",
  "Ingredientes:", "Ingredienti:", "Składniki:"...) and text before and after the list
  (marketing copy, directions, warnings, "Made in ...");
- parentheses ("Aqua (Water)", "Titanium Dioxide (CI 77891)") and parentheses that are part of the name
  ("Butyrospermum Parkii (Shea) Butter"): the matcher gets every reading as a candidate;
- slashes ("Aqua/Water/Eau"), "may contain" / "+/-" / "[+/-: ...]" colorant blocks, CI numbers;
- percentages ("Niacinamide 10%"), footnote marks (*, **, °, ¹), bullets and dashes used as separators;
- line breaks and hyphenation ("Phenoxy-\\nethanol", "PEG-\\n100 Stearate"), one-name-per-line lists;
- OCR confusions (0/O, 1/l/I, rn/m, commas read as periods) — see `fold_ocr` used by the matcher.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

HEADER_WORDS = [
    "ingredients",
    "lngredients",
    "1ngredients",
    "|ngredients",
    "ingredient list",
    "ingredient",
    "inci",
    "ingrédients",
    "ingredients/ingrédients",
    "inhaltsstoffe",
    "bestandteile",
    "zutaten",
    "ingredientes",
    "ingredienti",
    "ingrediënten",
    "ingredienten",
    "bestanddelen",
    "składniki",
    "skladniki",
    "složení",
    "slozeni",
    "összetevők",
    "ingredienser",
    "ainesosat",
    "innholdsstoffer",
    "sastojci",
    "состав",
    "composition",
    "composición",
    "composizione",
    "contents",
    "ingr",
]
_HEADER_RE = re.compile(
    r"(?i)(?<![a-zà-ÿ])(?:" + "|".join(re.escape(w) for w in sorted(HEADER_WORDS, key=len, reverse=True)) + r")"
    r"\s*(?:\((?:inci|eu)\))?\s*(?:list)?\s*[:：/\-–—.]"
)
# Phrases that start the text after the list.
_STOP_RE = re.compile(
    r"(?i)(?:\b(?:directions?|how to use|to use|usage|mode d'emploi|mode d’emploi|anwendung|modo de uso|"
    r"modo d'uso|warnings?|caution|precautions?|avertissement|attention|achtung|advertencia|avvertenze|"
    r"made in|fabriqué en|hergestellt in|distributed by|manufactured (?:by|for)|imported by|"
    r"net wt|net weight|nettogewicht|contenu|keep out of|store (?:in|below|at)|for external use|"
    r"external use only|avoid contact|best before|exp(?:iry)?\.? ?date|batch|lot ?(?:no|n°|#)|www\.|https?://|"
    r"dermatologically tested|non-?comedogenic|cruelty[- ]free|recycl\w+|période après ouverture|"
    r"period after opening|pao\b|e-?mail)\b|℮)"
)
_MAY_CONTAIN_RE = re.compile(
    r"(?i)(?:\[\s*)?(?:\+\s*/\s*-|±|may contain|peut contenir|kann enthalten|puede contener|può contenere|"
    r"pode conter|kan bevatten|może zawierać)\s*[:.]?\s*"
)
_PERCENT_RE = re.compile(r"\(?\s*(?:<\s*)?\d+(?:[.,]\d+)?\s*%\s*\)?")
_FOOTNOTE_RE = re.compile(r"[*°¹²³†‡#™®©]+")
_BULLETS = "•·●▪■◦◆►▸‣∙"
_PROSE_WORDS = {
    "the",
    "to",
    "your",
    "you",
    "apply",
    "use",
    "avoid",
    "keep",
    "store",
    "for",
    "if",
    "this",
    "made",
    "of",
    "on",
    "eyes",
    "reach",
    "children",
    "contact",
    "our",
    "is",
    "are",
    "with",
    "skin",
    "from",
    "gently",
    "daily",
}


@dataclass
class ParsedItem:
    position: int
    raw: str
    name: str
    candidates: list[str] = field(default_factory=list)
    may_contain: bool = False


@dataclass
class ParsedList:
    items: list[ParsedItem]
    header_found: bool
    list_text: str


def normalize_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00ad", "")
    text = re.sub(r"[‐‑‒−]", "-", text)  # odd hyphens → ASCII (en/em dashes stay: they may be bullets)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return text


def _join_hyphenation(text: str) -> str:
    # "Phenoxy-\nethanol" → "Phenoxyethanol"; "PEG-\n100" / "Alpha-\nIsomethyl" keep the hyphen.
    text = re.sub(r"([A-Za-z])-[ \t]*\n[ \t]*([a-z])", r"\1\2", text)
    return re.sub(r"([A-Za-z0-9])-[ \t]*\n[ \t]*([A-Z0-9])", r"\1-\2", text)


def _find_header(text: str) -> tuple[str, bool]:
    m = _HEADER_RE.search(text)
    if not m:
        return text, False
    return text[m.end() :], True


def _looks_like_prose(segment: str) -> bool:
    words = re.findall(r"[a-zà-ÿ']+", segment.lower())
    if not words:
        return False
    hits = sum(1 for w in words if w in _PROSE_WORDS)
    return hits >= 2 or (hits >= 1 and "," not in segment and len(words) > 4)


def _cut_trailer(text: str) -> str:
    m = _STOP_RE.search(text)
    if m:
        text = text[: m.start()]
    # The list ends at a full stop followed by prose. A period followed by more comma-separated
    # names is an OCR'd comma and is kept.
    parts = re.split(r"(?<=[^\s\d])\.\s+(?=\S)", text)
    kept = [parts[0]]
    for part in parts[1:]:
        if _MAY_CONTAIN_RE.match(part.strip()):
            kept.append(part)
            continue
        if _looks_like_prose(part) or re.match(r"\s*[*°†‡¹²³]", part) or re.search(r"\w\s*:", part):
            break
        kept.append(part)
    return ", ".join(kept)


def _lines_are_separators(text: str) -> bool:
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if len(lines) < 3:
        return False
    commas = text.count(",") + text.count(";")
    return commas < len(lines) / 2


def _split_top_level(text: str) -> list[str]:
    """Split on commas/semicolons outside brackets; a comma between digits ("1,2-Hexanediol") stays."""
    out, depth, buf = [], 0, []
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        if ch in ",;" and depth == 0:
            prev = text[i - 1] if i else ""
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if ch == "," and prev.isdigit() and nxt.isdigit():
                buf.append(ch)
                continue
            out.append("".join(buf))
            buf = []
            continue
        buf.append(ch)
    out.append("".join(buf))
    return out


def _clean_token(token: str) -> str:
    token = _PERCENT_RE.sub(" ", token)
    token = _FOOTNOTE_RE.sub("", token)
    token = token.strip().strip(_BULLETS + "-–—.:;,_ \t\"'")
    token = re.sub(r"^(?:and|et|und|y|e)\s+", "", token, flags=re.I)
    token = re.sub(r"\s+", " ", token)
    # unbalanced brackets left by a split
    if token.count("(") > token.count(")"):
        token = token.replace("(", " ").strip()
    if token.count(")") > token.count("("):
        token = token.replace(")", " ").strip()
    token = token.strip("[]{} ")
    return re.sub(r"\s+", " ", token).strip()


_QUALIFIERS = re.compile(r"(?i)^(nano|organic|bio|natural|vegetable|plant|derived|non-gmo)$")


def candidates_for(token: str) -> list[str]:
    """Every reading of a printed name the matcher should try, best first."""
    seen: list[str] = []

    def add(value: str) -> None:
        value = re.sub(r"\s+", " ", value).strip(" /-.,")
        if value and value not in seen:
            seen.append(value)

    add(token)
    inner = re.findall(r"\(([^()]*)\)", token)
    outer = re.sub(r"\([^()]*\)", " ", token)
    add(outer)
    # "Aqua (Water)" → "Aqua", "Water"; "Butyrospermum Parkii (Shea) Butter" keeps the full name first.
    for piece in inner:
        for part in re.split(r"\s*/\s*|\s*,\s*", piece):
            if part and not _QUALIFIERS.match(part.strip()):
                add(part)
    for base in list(seen):
        if "/" in base:
            for part in re.split(r"\s*/\s*", base):
                add(part)
    return seen


def parse(text: str) -> ParsedList:
    """Parse a label's text into ordered items. Never raises on odd input; may return no items."""
    text = normalize_text(text)
    text = _join_hyphenation(text)
    text = re.sub(r"(?m)^\s*[*°†‡¹²³]+\s*[a-z].*$", "", text)  # footnote legends ("*organic")
    body, header_found = _find_header(text)
    if not header_found and _STOP_RE.search(body):
        # no header: the list is usually the part with the most commas
        chunks = re.split(r"\n\s*\n", body)
        body = max(chunks, key=lambda c: c.count(","))
    if _lines_are_separators(body):
        body = re.sub(r"\n+", ",", body)
    body = body.replace("\n", " ")
    for b in _BULLETS:
        body = body.replace(f" {b} ", ", ").replace(b, ",")
    body = re.sub(r"\s[|–—]\s", ", ", body)
    body = _cut_trailer(body)

    items: list[ParsedItem] = []
    may_contain = False
    pos = 0
    # "may contain" may start a bracketed block: [+/- CI 77491, CI 77492]
    pieces: list[tuple[str, bool]] = []
    last = 0
    for m in _MAY_CONTAIN_RE.finditer(body):
        pieces.append((body[last : m.start()], may_contain))
        may_contain = True
        last = m.end()
    pieces.append((body[last:], may_contain))
    for chunk, in_may in pieces:
        chunk = chunk.replace("[", "(").replace("]", ")")
        for raw in _split_top_level(chunk):
            name = _clean_token(raw)
            if not name or len(name) < 2 or not re.search(r"[A-Za-z]", name):
                continue
            if len(name) > 120:  # a run-on sentence, not a name
                continue
            pos += 1
            items.append(
                ParsedItem(
                    position=pos,
                    raw=raw.strip(),
                    name=name,
                    candidates=candidates_for(name),
                    may_contain=in_may,
                )
            )
    return ParsedList(items=items, header_found=header_found, list_text=body.strip())


# --- keys for matching -----------------------------------------------------------------------


def key(name: str) -> str:
    """Comparison key: case-folded, accents dropped, punctuation → spaces ("Alcohol Denat." = "alcohol denat")."""
    name = unicodedata.normalize("NFKD", name or "")
    name = "".join(c for c in name if not unicodedata.combining(c)).casefold()
    name = re.sub(r"[^a-z0-9]+", " ", name)
    return re.sub(r"\s+", " ", name).strip()


def key_without_parens(name: str) -> str:
    return key(re.sub(r"\([^()]*\)", " ", name or ""))


def fold_ocr(k: str) -> str:
    """Fold characters tesseract confuses, on an already `key()`-ed string, the same way on both sides.

    Digits inside letter runs become letters (0→o, 1→l, 5→s, 8→b), o between digits becomes 0,
    i/1/l all become l, "rn" becomes "m", "vv" becomes "w", and spaces vanish (OCR splits and joins words)."""
    k = re.sub(r"(?<=[a-z])0|0(?=[a-z])", "o", k)
    k = re.sub(r"(?<=[a-z])1(?!\d)|^1(?=[a-z]{2})|(?<= )1(?=[a-z]{2})", "l", k)
    k = re.sub(r"(?<=[a-z])5(?=[a-z])", "s", k)
    k = re.sub(r"(?<=[a-z])8(?=[a-z])", "b", k)
    k = re.sub(r"(?<=\d)o|o(?=\d)", "0", k)
    k = k.replace("i", "l").replace("j", "l")
    k = k.replace("rn", "m").replace("vv", "w").replace("cl", "d")
    return k.replace(" ", "")
