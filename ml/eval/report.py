"""Render the evaluation report (``ml/EVALUATION.md``) from the JSON of one run, beside a baseline run."""

from __future__ import annotations

from typing import Any

from ml.eval.faces import TONE_GROUPS
from ml.types import CONCERN_KEYS

TARGETS = {
    "specificity": ">= 0.90 of clear faces score acne >= 70",
    "inflamed": "median <= 1 inflamed lesion per clear face",
    "recall": ">= 0.8 in every tone group",
    "false_boxes": "<= 1 false box per face",
    "order": "every medium-dark/dark face >= 10° ITA below every light face",
    "light28": "light faces above 28° ITA",
    "same_person_ita": "the same person within 8° ITA",
    "repeat": "each concern's score within 8 points (SD) on re-encoded/rescaled/exposed/rotated copies",
    "same_person_scores": "the same person's photos within 10 points (SD)",
    "gap": "each concern's mean on clear faces within 10 points between tone groups",
}


def _f(v: Any, digits: int = 2, pct: bool = False) -> str:
    if v is None:
        return "–"
    if pct:
        return f"{100 * v:.0f}%"
    if isinstance(v, float):
        return f"{v:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{v:.0f}"
    return str(v)


def headline_rows(rep: dict[str, Any]) -> list[list[str]]:
    rows = []
    gap = rep["gaps"]["largest"]
    gap_txt = f"{_f(gap['gap'], 1)} ({gap['concern']})" if gap else "–"
    for g in (*TONE_GROUPS, "all"):
        r = rep["all"] if g == "all" else rep["groups"].get(g)
        if not r:
            continue
        rows.append(
            [
                g,
                f"{r['accepted']}/{r['faces']}",
                f"{_f(r['specificity'], pct=True)} (n={r['clear_faces']})",
                _f(r["inflamed_per_clear_face_median"], 1),
                f"{_f(r['recall'], pct=True)} (n={r['lesions_placed']})",
                _f(r["false_boxes_per_face_mean"], 2),
                f"{_f(r['ita_min'], 0)} … {_f(r['ita_max'], 0)}" if r["ita_min"] is not None else "–",
                f"{_f(r['worst_repeat_sd'], 1)} ({r['worst_repeat_concern'] or '–'})",
                gap_txt if g == "all" else "",
            ]
        )
    return rows


HEAD = [
    "tone group",
    "accepted",
    "specificity (acne ≥ 70)",
    "inflamed / clear face (median)",
    "recall of synthetic lesions",
    "false boxes / face (mean)",
    "ITA° range",
    "worst repeatability SD (concern)",
    "largest between-group gap",
]


def table(head: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def target_rows(rep: dict[str, Any]) -> list[list[str]]:
    a = rep["all"]
    t = rep["tone"]
    sp = rep["same_person"]
    groups = [g for g in TONE_GROUPS if rep["groups"].get(g, {}).get("recall") is not None]
    recalls = {g: rep["groups"][g]["recall"] for g in groups}
    min_recall_g = min(recalls, key=lambda g: recalls[g]) if recalls else None
    worst_person_ita = max(((v["ita_spread"] or 0, p) for p, v in sp.items()), default=None)
    worst_person_sd = max(((v["worst_sd"], p, v["worst_concern"]) for p, v in sp.items()), default=None)
    gap = rep["gaps"]["largest"]
    rows = [
        ["specificity", TARGETS["specificity"], _f(a["specificity"], pct=True), _ok((a["specificity"] or 0) >= 0.9)],
        [
            "inflamed per clear face",
            TARGETS["inflamed"],
            _f(a["inflamed_per_clear_face_median"], 1),
            _ok((a["inflamed_per_clear_face_median"] or 0) <= 1),
        ],
        [
            "recall",
            TARGETS["recall"],
            f"lowest {_f(recalls[min_recall_g], pct=True)} ({min_recall_g})" if min_recall_g else "–",
            _ok(bool(recalls) and min(recalls.values()) >= 0.8),
        ],
        [
            "false boxes",
            TARGETS["false_boxes"],
            f"mean {_f(a['false_boxes_per_face_mean'])}, max {_f(a['false_boxes_per_face_max'])}",
            _ok((a["false_boxes_per_face_mean"] or 0) <= 1),
        ],
        ["acne score drops with papules", "the acne score drops", _f(a["acne_dropped_share"], pct=True), ""],
        [
            "tone order",
            TARGETS["order"],
            f"margin {_f(t['order_margin'], 1)}° (lightest darker face {_f(t['darker_max'], 1)}°, "
            f"darkest light face {_f(t['light_min'], 1)}°)",
            _ok(t["order_margin"] is not None and t["order_margin"] >= 10),
        ],
        [
            "light faces",
            TARGETS["light28"],
            _f(t["light_above_28_share"], pct=True),
            _ok(t["light_above_28_share"] == 1.0),
        ],
        [
            "same person, ITA",
            TARGETS["same_person_ita"],
            f"worst {_f(worst_person_ita[0], 1)}° ({worst_person_ita[1]})" if worst_person_ita else "–",
            _ok(worst_person_ita is not None and worst_person_ita[0] <= 8),
        ],
        [
            "repeatability",
            TARGETS["repeat"],
            f"worst {_f(a['worst_repeat_sd'], 1)} ({a['worst_repeat_concern']}, {a['worst_repeat_face']}); "
            f"median face {_f(a['median_face_worst_sd'], 1)}",
            _ok((a["worst_repeat_sd"] or 99) <= 8),
        ],
        [
            "same skin type on copies",
            "the same skin type",
            _f(a["skin_type_same_mean"], pct=True),
            _ok((a["skin_type_same_mean"] or 0) == 1.0),
        ],
        [
            "same person, scores",
            TARGETS["same_person_scores"],
            (
                f"worst {_f(worst_person_sd[0], 1)} ({worst_person_sd[1]}, {worst_person_sd[2]})"
                if worst_person_sd
                else "–"
            ),
            _ok(worst_person_sd is not None and worst_person_sd[0] <= 10),
        ],
        [
            "fairness",
            TARGETS["gap"],
            f"largest {_f(gap['gap'], 1)} ({gap['concern']})" if gap else "–",
            _ok(gap is not None and gap["gap"] <= 10),
        ],
    ]
    return rows


def _ok(flag: bool) -> str:
    return "met" if flag else "**missed**"


def gap_rows(rep: dict[str, Any]) -> list[list[str]]:
    rows = []
    for k in CONCERN_KEYS:
        c = rep["gaps"]["concerns"].get(k, {})
        cells = [k]
        for g in TONE_GROUPS:
            m = c.get("means", {}).get(g)
            cells.append(f"{_f(m, 1)} (n={c['n'][g]})" if m is not None else "–")
        cells.append(_f(c.get("gap"), 1))
        rows.append(cells)
    return rows


def face_rows(rep: dict[str, Any]) -> list[list[str]]:
    rows = []
    for r in rep["records"]:
        s = r.get("scores") or {}
        syn = r.get("synthetic") or {}
        rep_ = r.get("repeat") or {}
        rows.append(
            [
                r["key"],
                r["tone"],
                r["acne_label"],
                r["expect"],
                r["answer"] + ("" if r["answer_ok"] else " ✗"),
                " ".join(f"{k[:4]}={s[k]}" for k in CONCERN_KEYS if s.get(k) is not None) or "–",
                _f(r.get("inflamed")),
                _f(r.get("dark_spots")),
                _f(r.get("ita"), 1),
                f"{syn['found']}/{syn['placed']}" if syn else "–",
                _f(sum(syn["false_boxes"])) if syn else "–",
                f"{_f(rep_.get('worst_sd'), 1)} {rep_.get('worst_concern') or ''}" if rep_ else "–",
                ", ".join(f"{k}: {v}" for k, v in (r.get("region_notes") or {}).items()) or "",
                _f(r["ms"], 0),
            ]
        )
    return rows


FACE_HEAD = [
    "photo",
    "tone",
    "acne",
    "expected",
    "answer",
    "scores",
    "inflamed",
    "dark spots",
    "ITA°",
    "synthetic found",
    "false boxes",
    "worst SD",
    "regions not measured",
    "ms",
]


def render(
    current: dict[str, Any], baseline: dict[str, Any] | None, meta: dict[str, str], limits: str, notes: str = ""
) -> str:
    parts = [
        "# Evaluation of the skin-analysis engine on real faces",
        "",
        f"Produced by `{meta.get('command', 'make eval')}` ({meta.get('when', '')}; engine `{meta.get('engine', '')}`; "
        f"{current.get('seconds', '?')} s). The JSON beside it holds every figure and every face's numbers.",
        "",
        "## What the data can and cannot tell",
        "",
        limits.strip(),
        "",
        "## Headline per tone group",
        "",
    ]
    if baseline is not None:
        parts += [
            f"### Before ({baseline.get('meta', {}).get('engine', 'baseline')})",
            "",
            table(HEAD, headline_rows(baseline)),
            "",
            f"### After ({meta.get('engine', '')})",
            "",
        ]
    parts += [table(HEAD, headline_rows(current)), ""]
    parts += [
        "Accepted: photos the quality gate let through / photos labelled as acceptable. Specificity: share "
        "of accepted clear faces (acne = none) scoring acne ≥ 70. Recall: synthetic lesions (papules and dark "
        "spots, 1.5-5 mm, coloured relative to the person's own skin) found by a box of the right kind, "
        f"{2} copies per accepted face with one lesion per region. False boxes: boxes on those copies away "
        "from every placed lesion (dark spots on faces labelled with freckles/moles/age spots are not "
        "counted). Worst repeatability SD: the largest standard deviation of one concern's score over the "
        "photo and 8 copies (JPEG 70/95, scale 0.6/0.8, exposure ±15%, rotation ±5°). Gap: the largest "
        "difference between tone groups of one concern's mean score on clear faces.",
        "",
        "## Targets",
        "",
    ]
    head = ["measure", "target", "measured now", "status"]
    if baseline is not None:
        base_rows = {r[0]: r[2] for r in target_rows(baseline)}
        rows = [[r[0], r[1], base_rows.get(r[0], "–"), r[2], r[3]] for r in target_rows(current)]
        parts += [table(["measure", "target", "before", "after", "status"], rows), ""]
    else:
        parts += [table(head, target_rows(current)), ""]
    if notes.strip():
        parts += [notes.strip(), ""]
    cols = [
        "pupils >= 80 px",
        "pupils >= 80 px, 1.5-3 mm",
        "pupils >= 80 px, 3-5 mm",
        "pupils < 80 px",
        "pupils < 80 px, 1.5-3 mm",
        "pupils < 80 px, 3-5 mm",
    ]
    rb = current.get("recall_by", {})
    rows = []
    for g in (*TONE_GROUPS, "all"):
        if g not in rb:
            continue
        cells = [g]
        for c in cols:
            found, placed = rb[g].get(c, [0, 0])
            cells.append(f"{100 * found / placed:.0f}% (n={placed})" if placed else "–")
        rows.append(cells)
    parts += ["## Recall of synthetic lesions by photo resolution and spot size", "", table(["group", *cols], rows), ""]
    parts += [
        "## Mean score of clear faces per tone group (fairness)",
        "",
        table(["concern", *TONE_GROUPS, "gap"], gap_rows(current)),
        "",
        "## Skin tone",
        "",
        table(
            ["group", "median ITA°"],
            [[g, _f(v, 1)] for g, v in current["tone"]["group_medians"].items() if v is not None],
        ),
        "",
        "Same person across photos:",
        "",
        table(
            ["person", "photos", "ITA° spread", "worst score SD (concern)"],
            [
                [p, str(len(v["photos"])), _f(v["ita_spread"], 1), f"{_f(v['worst_sd'], 1)} ({v['worst_concern']})"]
                for p, v in current["same_person"].items()
            ],
        ),
        "",
        "## Quality gate",
        "",
        f"{current['gate']['agree']} of {current['gate']['n']} photos got an answer their label allows. "
        f"Not as labelled: {', '.join(current['gate']['disagree']) or 'none'}.",
        "",
        "## Every photo",
        "",
        table(FACE_HEAD, face_rows(current)),
        "",
    ]
    return "\n".join(parts)
