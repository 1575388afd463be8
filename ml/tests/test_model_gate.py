"""The model-activation gate: held-out metrics must beat the trivial baseline of the same run, with n."""

from __future__ import annotations

from ml.model_gate import activation_problems, usable_heads

GOOD = {
    "skin_type_accuracy": 0.8,
    "skin_type_macro_f1": 0.78,
    "baseline_skin_type_accuracy": 0.4,
    "baseline_skin_type_macro_f1": 0.19,
    "n_val_skin_type": 40,
    "age_mae": 6.1,
    "baseline_age_mae": 11.3,
    "n_val_age": 40,
    "condition_accuracy": None,
    "condition_macro_f1": None,
    "n_val": 40,
}


def test_a_model_that_beats_its_baselines_may_be_activated() -> None:
    assert activation_problems(GOOD) == []
    assert usable_heads(GOOD) == {"skin_type", "age"}


def test_an_age_head_worse_than_the_mean_age_is_refused_with_the_numbers() -> None:
    # seen: a one-epoch model with an age MAE of 36.6 years answered "skin_age: 0"
    bad = {**GOOD, "age_mae": 36.6}
    problems = activation_problems(bad)
    assert len(problems) == 1 and "36.6" in problems[0] and "11.3" in problems[0] and "n=40" in problems[0]
    assert usable_heads(bad) == {"skin_type"}


def test_a_class_head_must_beat_the_majority_class_macro_f1() -> None:
    majority_only = {**GOOD, "skin_type_accuracy": 0.4, "skin_type_macro_f1": 0.19}
    assert any("majority class" in p for p in activation_problems(majority_only))


def test_metrics_without_baseline_or_sample_size_are_refused() -> None:
    assert activation_problems({}) == ["the model has no evaluated head (no held-out metrics)"]
    no_base = {k: v for k, v in GOOD.items() if not k.startswith("baseline_")}
    assert all("no baseline" in p for p in activation_problems(no_base)) and len(activation_problems(no_base)) == 2
    no_n = {k: v for k, v in GOOD.items() if not k.startswith("n_val_")}
    assert all("sample size" in p for p in activation_problems(no_n))
    tiny = {**GOOD, "n_val_skin_type": 2, "n_val_age": 2}
    assert all("2 held-out" in p for p in activation_problems(tiny))
    assert usable_heads(tiny) == set()
