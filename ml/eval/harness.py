"""Run the engine on the evaluation faces and compute the figures of ml/EVALUATION.md.

Only the engine's public API is used (``ml.vision.analyze``), so the same harness measures any version
of it. Every figure is computed per tone group (labels by eye, see the TSVs) and carries its sample size.
"""

from __future__ import annotations

import statistics
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ml.eval import synth
from ml.eval.faces import DARKER, TONE_GROUPS, Face
from ml.types import CONCERN_KEYS, AnalysisResult, QualityError

SYNTH_SEEDS = 2  # synthetic copies per accepted face (each with one lesion per region)
HIT_PAD_MM = 1.0  # a box counts as finding a lesion when its centre lies within the box grown by this

Analyzer = Callable[[np.ndarray], AnalysisResult]


def _default_analyzer() -> Analyzer:
    from ml.vision import analyze

    return analyze


@dataclass
class Run:
    result: AnalysisResult | None
    codes: list[str]
    ms: float


def run_engine(analyze: Analyzer, image: np.ndarray) -> Run:
    t = time.perf_counter()
    try:
        res = analyze(image)
        return Run(res, [], (time.perf_counter() - t) * 1000)
    except QualityError as exc:
        return Run(None, [i.code for i in exc.report.issues] or [exc.code], (time.perf_counter() - t) * 1000)


def _answer_ok(face: Face, run: Run) -> bool:
    exp = face.expected_codes
    if run.result is not None:
        return "accept" in exp
    codes = set(run.codes)
    aliases = {"no_face": "no_face_found"}
    exp = {aliases.get(c, c) for c in exp}
    return bool(codes & exp) or ("gate" in exp and bool(codes))


def _scores(res: AnalysisResult) -> dict[str, int | None]:
    return {c.key: c.score for c in res.concerns}


def _inflamed(res: AnalysisResult) -> int:
    return sum(1 for le in res.lesions if le.kind == "inflamed")


def _hit(box: tuple[int, int, int, int], centre: tuple[float, float], pad: float) -> bool:
    x, y, w, h = box
    return x - pad <= centre[0] <= x + w + pad and y - pad <= centre[1] <= y + h + pad


def _face_record(face: Face, run: Run) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "key": face.key,
        "source": face.source,
        "kind": face.kind,
        "tone": face.tone,
        "acne_label": face.acne,
        "occlusion": face.occlusion,
        "person": face.person,
        "expect": face.expect,
        "answer": "accept" if run.result is not None else (run.codes[0] if run.codes else "?"),
        "codes": run.codes,
        "answer_ok": _answer_ok(face, run),
        "ms": round(run.ms, 1),
        "size": [int(face.image.shape[1]), int(face.image.shape[0])],
    }
    res = run.result
    if res is not None:
        rec.update(
            {
                "scores": _scores(res),
                "confidence": {c.key: c.confidence for c in res.concerns},
                "inflamed": _inflamed(res),
                "dark_spots": sum(1 for le in res.lesions if le.kind == "dark_spot"),
                "ita": res.skin_tone_ita,
                "skin_type": res.skin_type.value,
                "overall": res.overall_score,
                "pupil_px": res.extras.get("source_pupil_distance_px"),
                "region_notes": _region_notes(res),
            }
        )
    return rec


def _region_notes(res: AnalysisResult) -> dict[str, str]:
    """Regions the engine reports as not measurable (newer engines: ``region_quality``), else {}."""
    rq = getattr(res, "region_quality", None) or {}
    return {k: v.get("reason", "") for k, v in rq.items() if isinstance(v, dict) and v.get("reason")}


def _synth_record(face: Face, clean: AnalysisResult, analyze: Analyzer) -> dict[str, Any]:
    mm = clean.mm_per_pixel or 0.3
    pad = HIT_PAD_MM / mm
    placed_all, found_kind, found_any, false_boxes, drops, runs = 0, 0, 0, [], [], 0
    by_size: dict[str, list[int]] = {"1.5-3 mm": [0, 0], "3-5 mm": [0, 0]}
    by_kind: dict[str, list[int]] = {"inflamed": [0, 0], "dark_spot": [0, 0]}
    refused = 0
    for seed in range(SYNTH_SEEDS):
        rng = np.random.default_rng(zlib.crc32(f"{face.key}#{seed}".encode()))
        img, placed = synth.add_lesions(face.image, clean.landmarks, clean.regions, mm, rng)
        if not placed:
            continue
        run = run_engine(analyze, img)
        if run.result is None:
            refused += 1
            continue
        runs += 1
        res = run.result
        for p in placed:
            placed_all += 1
            kind_hit = any(le.kind == p.kind and _hit(le.box, p.centre, pad) for le in res.lesions)
            any_hit = any(_hit(le.box, p.centre, pad) for le in res.lesions)
            found_kind += kind_hit
            found_any += any_hit
            bucket = "1.5-3 mm" if p.size_mm < 3 else "3-5 mm"
            by_size[bucket][0] += kind_hit
            by_size[bucket][1] += 1
            by_kind[p.kind][0] += kind_hit
            by_kind[p.kind][1] += 1
        fb = 0
        for le in res.lesions:
            if any(_hit(le.box, p.centre, pad) for p in placed):
                continue
            if le.kind == "dark_spot" and face.marks:
                continue  # freckles, moles, age spots: real dark spots, not false boxes
            if le.kind == "inflamed" and not face.clear:
                continue  # a face with real breakouts: an unplaced red spot may be real
            fb += 1
        false_boxes.append(fb)
        n_pap = sum(1 for p in placed if p.kind == "inflamed")
        if n_pap:
            drops.append(int(_scores(res)["acne"] or 0) < int(_scores(clean)["acne"] or 0))
    return {
        "copies": runs,
        "refused": refused,
        "placed": placed_all,
        "found": found_kind,
        "found_any_kind": found_any,
        "false_boxes": false_boxes,
        "acne_dropped": drops,
        "by_size": by_size,
        "by_kind": by_kind,
    }


def _repeat_record(face: Face, clean: AnalysisResult, analyze: Analyzer) -> dict[str, Any]:
    scores = [_scores(clean)]
    types = [clean.skin_type.value]
    itas = [clean.skin_tone_ita]
    refused: list[str] = []
    for name, fn in synth.VARIANTS:
        run = run_engine(analyze, fn(face.image))  # type: ignore[operator]
        if run.result is None:
            refused.append(f"{name}:{run.codes[0] if run.codes else '?'}")
            continue
        scores.append(_scores(run.result))
        types.append(run.result.skin_type.value)
        itas.append(run.result.skin_tone_ita)
    sd: dict[str, float | None] = {}
    for k in CONCERN_KEYS:
        vals = [float(v) for s in scores if (v := s.get(k)) is not None]
        sd[k] = round(float(np.std(vals)), 2) if len(vals) >= 3 else None
    valid = {k: v for k, v in sd.items() if v is not None}
    worst = max(valid, key=lambda k: valid[k]) if valid else None
    ita_vals = [v for v in itas if v is not None]
    return {
        "n": len(scores),
        "refused": refused,
        "sd": sd,
        "worst_sd": valid[worst] if worst else None,
        "worst_concern": worst,
        "skin_type_same": round(types.count(types[0]) / len(types), 3),
        "ita_sd": round(float(np.std(ita_vals)), 2) if len(ita_vals) >= 3 else None,
    }


def evaluate(
    faces: Iterable[Face],
    analyze: Analyzer | None = None,
    *,
    repeatability: bool = True,
    synthetic: bool = True,
    log: Callable[[str], Any] = print,
) -> dict[str, Any]:
    """Run everything; return the JSON-able report (per-face records, per-group and headline figures)."""
    analyze = analyze or _default_analyzer()
    records = []
    t0 = time.perf_counter()
    for face in faces:
        run = run_engine(analyze, face.image)
        rec = _face_record(face, run)
        if run.result is not None and face.kind in ("single", "crop"):
            if synthetic:
                rec["synthetic"] = _synth_record(face, run.result, analyze)
            if repeatability:
                rec["repeat"] = _repeat_record(face, run.result, analyze)
        log(
            f"{face.key:<48} {rec['answer']:<18} acne={rec.get('scores', {}).get('acne')} "
            f"inflamed={rec.get('inflamed')} ita={rec.get('ita')} "
            f"found={rec.get('synthetic', {}).get('found')}/{rec.get('synthetic', {}).get('placed')} "
            f"sd={rec.get('repeat', {}).get('worst_sd')}"
        )
        records.append(rec)
    report = summarise(records)
    report["seconds"] = round(time.perf_counter() - t0, 1)
    return report


# --- summaries -------------------------------------------------------------------------------------
def _median(vals: list[float]) -> float | None:
    return round(float(statistics.median(vals)), 2) if vals else None


def _mean(vals: list[float]) -> float | None:
    return round(float(statistics.fmean(vals)), 2) if vals else None


def _accepted(rec: dict[str, Any]) -> bool:
    return rec["answer"] == "accept" and rec["kind"] in ("single", "crop")


def _group_of(rec: dict[str, Any]) -> str | None:
    return rec["tone"] if rec["tone"] in TONE_GROUPS else None


@dataclass
class GroupFigures:
    faces: int = 0
    accepted: int = 0
    clear: int = 0
    clear_ok: int = 0  # acne score >= 70
    inflamed: list[int] = field(default_factory=list)
    placed: int = 0
    found: int = 0
    false_boxes: list[int] = field(default_factory=list)
    drops: list[bool] = field(default_factory=list)
    ita: list[float] = field(default_factory=list)
    worst_sd: list[tuple[float, str, str]] = field(default_factory=list)
    skin_type_same: list[float] = field(default_factory=list)


def summarise(records: list[dict[str, Any]]) -> dict[str, Any]:
    groups: dict[str, GroupFigures] = {g: GroupFigures() for g in TONE_GROUPS}
    total = GroupFigures()
    for rec in records:
        g = _group_of(rec)
        if g is None or rec["kind"] not in ("single", "crop"):
            continue
        expects_accept = "accept" in {c.strip() for c in rec["expect"].split("-or-")}
        for fig in (groups[g], total):
            if expects_accept:
                fig.faces += 1
                fig.accepted += rec["answer"] == "accept"
            if rec["answer"] != "accept":
                continue
            if rec["acne_label"] == "none":
                fig.clear += 1
                fig.clear_ok += (rec["scores"]["acne"] or 0) >= 70
                fig.inflamed.append(rec["inflamed"])
            if rec.get("ita") is not None:
                fig.ita.append(rec["ita"])
            s = rec.get("synthetic")
            if s:
                fig.placed += s["placed"]
                fig.found += s["found"]
                fig.false_boxes += s["false_boxes"]
                fig.drops += s["acne_dropped"]
            r = rec.get("repeat")
            if r and r["worst_sd"] is not None:
                fig.worst_sd.append((r["worst_sd"], r["worst_concern"], rec["key"]))
                fig.skin_type_same.append(r["skin_type_same"])

    def row(fig: GroupFigures) -> dict[str, Any]:
        worst = max(fig.worst_sd) if fig.worst_sd else None
        return {
            "faces": fig.faces,
            "accepted": fig.accepted,
            "accepted_share": round(fig.accepted / fig.faces, 3) if fig.faces else None,
            "clear_faces": fig.clear,
            "specificity": round(fig.clear_ok / fig.clear, 3) if fig.clear else None,
            "inflamed_per_clear_face_median": _median([float(v) for v in fig.inflamed]),
            "inflamed_per_clear_face_mean": _mean([float(v) for v in fig.inflamed]),
            "lesions_placed": fig.placed,
            "recall": round(fig.found / fig.placed, 3) if fig.placed else None,
            "false_boxes_per_face_mean": _mean([float(v) for v in fig.false_boxes]),
            "false_boxes_per_face_max": max(fig.false_boxes) if fig.false_boxes else None,
            "acne_dropped_share": round(sum(fig.drops) / len(fig.drops), 3) if fig.drops else None,
            "ita_min": round(min(fig.ita), 1) if fig.ita else None,
            "ita_max": round(max(fig.ita), 1) if fig.ita else None,
            "ita_n": len(fig.ita),
            "worst_repeat_sd": worst[0] if worst else None,
            "worst_repeat_concern": worst[1] if worst else None,
            "worst_repeat_face": worst[2] if worst else None,
            "median_face_worst_sd": _median([w[0] for w in fig.worst_sd]),
            "skin_type_same_mean": _mean(fig.skin_type_same),
        }

    per_group = {g: row(f) for g, f in groups.items() if f.faces or f.accepted}
    gaps = between_group_gaps(records)
    for g in per_group:
        per_group[g]["largest_gap"] = gaps["largest"]["gap"] if gaps["largest"] else None
    return {
        "groups": per_group,
        "all": row(total),
        "recall_by": recall_breakdown(records),
        "gaps": gaps,
        "tone": tone_checks(records),
        "same_person": same_person(records),
        "gate": gate_table(records),
        "records": records,
    }


SHARP_PUPILS = 80.0  # px between the pupils: "sharp" photos (about 0.8 mm per pixel or finer)


def recall_breakdown(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Recall per tone group split by the photo's resolution (pupils >= 80 px apart or not) and spot size."""
    out: dict[str, dict[str, list[int]]] = {}
    for rec in records:
        s = rec.get("synthetic")
        g = _group_of(rec)
        if not s or g is None or not _accepted(rec):
            continue
        res = "pupils >= 80 px" if (rec.get("pupil_px") or 0) >= SHARP_PUPILS else "pupils < 80 px"
        for bucket in (g, "all"):
            cells = out.setdefault(bucket, {})
            for key, (found, placed) in (
                (res, (s["found"], s["placed"])),
                *((f"{res}, {size}", tuple(v)) for size, v in s["by_size"].items()),
            ):
                cell = cells.setdefault(key, [0, 0])
                cell[0] += found
                cell[1] += placed
    return out


def between_group_gaps(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Per concern: the mean score of clear accepted faces per tone group, and max - min between groups."""
    by: dict[str, dict[str, list[int]]] = {k: {} for k in CONCERN_KEYS}
    for rec in records:
        g = _group_of(rec)
        if g is None or not _accepted(rec) or rec["acne_label"] != "none":
            continue
        for k in CONCERN_KEYS:
            v = rec["scores"].get(k)
            if v is not None:
                by[k].setdefault(g, []).append(v)
    out: dict[str, Any] = {"concerns": {}, "largest": None}
    best: tuple[float, str] | None = None
    for k, groups in by.items():
        means = {g: round(statistics.fmean(v), 1) for g, v in groups.items() if v}
        ns = {g: len(v) for g, v in groups.items()}
        gap = round(max(means.values()) - min(means.values()), 1) if len(means) >= 2 else None
        out["concerns"][k] = {"means": means, "n": ns, "gap": gap}
        if gap is not None and (best is None or gap > best[0]):
            best = (gap, k)
    if best:
        out["largest"] = {"gap": best[0], "concern": best[1]}
    return out


def tone_checks(records: list[dict[str, Any]]) -> dict[str, Any]:
    acc = [r for r in records if _accepted(r) and r.get("ita") is not None]
    light = [r["ita"] for r in acc if r["tone"] == "light"]
    darker = [r["ita"] for r in acc if r["tone"] in DARKER]
    margin = round(min(light) - max(darker), 1) if light and darker else None
    return {
        "light_n": len(light),
        "darker_n": len(darker),
        "light_min": round(min(light), 1) if light else None,
        "darker_max": round(max(darker), 1) if darker else None,
        "order_margin": margin,  # target >= 10
        "light_above_28_share": round(sum(v > 28 for v in light) / len(light), 3) if light else None,
        "group_medians": {g: _median([r["ita"] for r in acc if r["tone"] == g]) for g in TONE_GROUPS},
    }


def same_person(records: list[dict[str, Any]]) -> dict[str, Any]:
    """People with two or more accepted photos: the spread of ITA and the SD of each concern's score."""
    by: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        if r["answer"] == "accept" and r["kind"] in ("single", "crop"):
            by.setdefault(r["person"], []).append(r)
    out = {}
    for person, recs in by.items():
        if len(recs) < 2:
            continue
        itas = [r["ita"] for r in recs if r.get("ita") is not None]
        sds = {k: round(float(np.std([float(r["scores"][k] or 0) for r in recs])), 2) for k in CONCERN_KEYS}
        worst = max(sds, key=lambda k: sds[k])
        out[person] = {
            "photos": [r["key"] for r in recs],
            "ita_spread": round(max(itas) - min(itas), 1) if len(itas) >= 2 else None,
            "score_sd": sds,
            "worst_sd": sds[worst],
            "worst_concern": worst,
        }
    return out


def gate_table(records: list[dict[str, Any]]) -> dict[str, Any]:
    agree = [r for r in records if r["answer_ok"]]
    return {"n": len(records), "agree": len(agree), "disagree": [r["key"] for r in records if not r["answer_ok"]]}
