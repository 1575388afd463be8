"""When a trained model may be used: its held-out metrics must beat a trivial baseline measured in the same
run, on the same held-out images, and carry their sample size. Pure Python (no torch): the admin and the
activation service call it, and ``Predictor`` uses it to silence heads that fail.

Baselines (computed by ``ml.models.training.baselines``):

* class heads (skin type, condition): always answering the training split's majority class —
  ``baseline_<head>_accuracy`` and ``baseline_<head>_macro_f1``; the head must beat the baseline's macro-F1
  (accuracy alone rewards the majority class);
* age: always answering the training split's mean age — ``baseline_age_mae``; the head's MAE must be lower.

Each head also needs ``n_val_<head>`` ≥ ``MIN_VAL`` held-out images with its label.
"""

from __future__ import annotations

from typing import Any

MIN_VAL = 5  # held-out images a head needs before its metrics mean anything
HEADS: tuple[str, ...] = ("skin_type", "condition", "age")


def _num(metrics: dict[str, Any], key: str) -> float | None:
    v = metrics.get(key)
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def head_problem(metrics: dict[str, Any], head: str) -> str | None:
    """Why ``head`` may not be used (None: it beats its baseline), or "absent" when the model has no such head."""
    if head == "age":
        value, base, better = _num(metrics, "age_mae"), _num(metrics, "baseline_age_mae"), "lower"
        name, unit = "age MAE", " years"
    else:
        value, base, better = _num(metrics, f"{head}_macro_f1"), _num(metrics, f"baseline_{head}_macro_f1"), "higher"
        name, unit = f"{head.replace('_', ' ')} macro-F1", ""
    if value is None:
        return "absent"
    n = _num(metrics, f"n_val_{head}")
    if base is None:
        return f"{name} has no baseline measured in the same run (retrain with this version to get one)"
    if n is None:
        return f"{name} has no held-out sample size"
    if n < MIN_VAL:
        return f"{name} was measured on {int(n)} held-out image(s); at least {MIN_VAL} are needed"
    beats = value < base if better == "lower" else value > base
    if not beats:
        what = "mean age" if head == "age" else "majority class"
        return f"{name} {value:.3g}{unit} does not beat the {what} baseline {base:.3g}{unit} (n={int(n)})"
    return None


def activation_problems(metrics: dict[str, Any] | None) -> list[str]:
    """Reasons a model with these metrics may not be activated; empty when every head it has beats its
    baseline with enough held-out images."""
    metrics = metrics or {}
    problems = []
    present = 0
    for head in HEADS:
        problem = head_problem(metrics, head)
        if problem == "absent":
            continue
        present += 1
        if problem:
            problems.append(problem)
    if not present:
        problems.append("the model has no evaluated head (no held-out metrics)")
    return problems


def usable_heads(metrics: dict[str, Any] | None) -> set[str]:
    """The heads whose held-out metrics beat their baselines (the others predict None)."""
    return {h for h in HEADS if head_problem(metrics or {}, h) is None}
