"""Matching printed names to the knowledge base: exact INCI names, synonyms, OCR-folded keys, then
rapidfuzz with a confidence. Below the threshold a name stays unknown — never guessed into a match.

The index is built from the database once per process and rebuilt when the knowledge base changes (row count or
latest `updated_at` differ). That check is a query; it is skipped while the shared data's version in the cache
(skincare.core.readcache.shared_version, moved by every saved or deleted ingredient and by the bulk writers) is the
one it was last made under, so a request pays a cache read instead. The facts of the ingredients assessed are kept
beside the index under the same rule (`facts_memo`)."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from skincare.core import readcache

from . import inci

# Fuzzy acceptance: a normalised InDel ratio (0-100) at or above this, by folded key length.
FUZZY_MIN_LONG = 88  # keys of 12+ characters
FUZZY_MIN_SHORT = 92  # keys of 7-11 characters; shorter keys must match exactly
FUZZY_MIN_SPLIT = 93  # when OCR split or joined words


@dataclass(frozen=True)
class Match:
    ingredient_id: str | None
    inci_name: str | None
    confidence: float
    method: str  # exact, synonym, folded, fuzzy, none


class Index:
    def __init__(self, rows: list[tuple[str, str, list[str]]]):
        self.by_key: dict[str, tuple[str, float, str]] = {}
        self.by_folded: dict[str, str] = {}
        self.names: dict[str, str] = {}
        for pk, inci_name, synonyms in rows:
            pk = str(pk)
            self.names[pk] = inci_name
            self._add(inci.key(inci_name), pk, 1.0, "exact")
            self._add(inci.key_without_parens(inci_name), pk, 0.99, "exact")
            for syn in synonyms or []:
                self._add(inci.key(syn), pk, 0.98, "synonym")
        self.words_of: dict[str, list[str]] = {}
        for k, (pk, _, _) in list(self.by_key.items()):
            f = inci.fold_ocr(k)
            if f not in self.by_folded:
                self.by_folded[f] = pk
                self.words_of[f] = [inci.fold_ocr(w) for w in k.split()]
        self.folded_keys = list(self.by_folded)

    def _add(self, k: str, pk: str, conf: float, method: str) -> None:
        if k and (k not in self.by_key or self.by_key[k][1] < conf):
            self.by_key[k] = (pk, conf, method)

    def match_one(self, text: str, *, fuzzy: bool = True) -> Match:
        k = inci.key(text)
        if not k:
            return Match(None, None, 0.0, "none")
        hit = self.by_key.get(k)
        if hit:
            return Match(hit[0], self.names[hit[0]], hit[1], hit[2])
        f = inci.fold_ocr(k)
        pk = self.by_folded.get(f)
        if pk:
            return Match(pk, self.names[pk], 0.95, "folded")
        if not fuzzy or len(f) < 7:
            return Match(None, None, 0.0, "none")
        cutoff = FUZZY_MIN_LONG if len(f) >= 12 else FUZZY_MIN_SHORT
        words = [inci.fold_ocr(w) for w in k.split()]
        for choice, score, _ in process.extract(f, self.folded_keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3):
            if self._words_agree(words, self.words_of[choice], score):
                pk = self.by_folded[choice]
                return Match(pk, self.names[pk], round(0.95 * score / 100, 3), "fuzzy")
        return Match(None, None, 0.0, "none")

    @staticmethod
    def _words_agree(words: list[str], target: list[str], score: float) -> bool:
        """OCR damage is a letter or two per word; another word ("Lauroyl" vs "Stearoyl", "Stearate" vs
        "Distearate") is another ingredient. Same word count: each word within its edit budget (1 edit up to
        8 letters, 2 up to 14, then 3). Otherwise (OCR split or joined words) demand a higher overall score."""
        if len(words) == len(target):
            return all(
                Levenshtein.distance(a, b) <= (1 if len(b) <= 8 else 2 if len(b) <= 14 else 3)
                for a, b in zip(words, target, strict=True)
            )
        return score >= FUZZY_MIN_SPLIT

    def match(self, candidates: list[str]) -> Match:
        """Best match over a printed name's readings: exact on any reading beats fuzzy on the first.

        A reading that is one side of a slash ("Aqua/Water/Eau") counts only when the other sides agree (see
        `_slash_part_ok`), so "Styrene/Acrylates Copolymer" is not read as "Acrylates Copolymer"."""
        groups: dict[str, list[str]] = {}
        for cand in candidates:
            if "/" in cand:
                parts = [p for p in re.split(r"\s*/\s*", cand) if p]
                for p in parts:
                    groups.setdefault(p, parts)
        best = Match(None, None, 0.0, "none")
        for cand in candidates:
            m = self.match_one(cand, fuzzy=False)
            if m.ingredient_id and cand in groups and cand not in candidates[:2]:
                if not self._slash_part_ok(cand, groups[cand], m.ingredient_id):
                    continue
            if m.confidence > best.confidence:
                best = m
        if best.ingredient_id:
            return best
        for cand in candidates[:2]:
            m = self.match_one(cand, fuzzy=True)
            if m.confidence > best.confidence:
                best = m
        return best

    def _slash_part_ok(self, part: str, parts: list[str], pk: str) -> bool:
        """No other side names another ingredient, and either one does name this one or the sides look
        alike (same number of words: "Aqua/Watre")."""
        others = [self.match_one(p).ingredient_id for p in parts if p != part]
        if any(o and o != pk for o in others):
            return False
        return any(o == pk for o in others) or len({len(p.split()) for p in parts}) == 1

    def split_run_on(self, name: str) -> list[Match] | None:
        """OCR sometimes drops a comma: "Glycerin Niacinamide" → two exact matches, or None."""
        words = name.split()
        if len(words) < 2 or len(words) > 8:
            return None
        for cut in range(1, len(words)):
            left = self.match_one(" ".join(words[:cut]), fuzzy=False)
            right = self.match_one(" ".join(words[cut:]), fuzzy=False)
            if left.ingredient_id and right.ingredient_id:
                return [left, right]
        return None


_lock = threading.Lock()
# The index, the knowledge base's version it was built from, the shared data's version (a hint) the last check was
# made under, and the facts memo valid while that hint is current.
_cache: dict[str, object] = {"version": None, "index": None, "hint": None, "facts": None}


def _version() -> tuple:
    from .models import Ingredient

    agg = Ingredient.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (agg["n"], agg["last"])


def _hint():
    """The shared data's version now, if it can stand for the knowledge base's: None where the cache keeps none or
    inside a transaction (rows read there may be rolled back, and a rollback moves no version)."""
    if transaction.get_connection().in_atomic_block:
        return None
    return readcache.shared_version()


def get_index() -> Index:
    from .models import Ingredient

    hint = _hint()  # read before the check's query: a change after it moves the hint again
    index = _cache["index"]
    if hint is not None and index is not None and _cache["hint"] == hint:
        return index  # type: ignore[return-value]
    version = _version()
    with _lock:
        if _cache["version"] != version or _cache["index"] is None:
            rows = list(Ingredient.objects.values_list("id", "inci_name", "synonyms"))
            _cache["index"] = Index(rows)
            _cache["version"] = version
        if _cache["hint"] != hint or hint is None:
            _cache["facts"] = {} if hint is not None else None
            _cache["hint"] = hint
        return _cache["index"]  # type: ignore[return-value]


def facts_memo() -> dict | None:
    """Ingredient facts by id, to read and fill, valid while the shared data's version is the one the last
    `get_index()` checked under; None where there is no such version (read the rows)."""
    return _cache["facts"]  # type: ignore[return-value]


def reset_index() -> None:
    with _lock:
        _cache["version"] = None
        _cache["index"] = None
        _cache["hint"] = None
        _cache["facts"] = None
