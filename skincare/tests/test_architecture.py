"""The architecture holds: one home for the domain's rules, `ml/` free of Django, apps away from each
other's views.

1. import-linter contracts (`[tool.importlinter]` in pyproject.toml), run as `lint-imports`:
   `domain/` imports nothing of Django, Celery or the project; `ml/` and the pure modules (the routine
   builder, the recommender core, the ingredient rules) import no Django; no app imports another app's
   views or API views.
2. No second definition: no module outside `domain/` spells out the vocabulary again (a list, tuple or
   set of three or more concern keys, skin types or active classes, both pregnancy levels, or a table
   mapping them to words or to each other). Such a copy is how the rules drifted apart before.
3. `import ml` (and the engine's public API) in a fresh interpreter loads neither Django nor Celery.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from domain import actives, vocabulary

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", "node_modules", "migrations", "tests", "var", "staticfiles", "static", "domain", ".git"}
VOCABULARIES = {
    "concern keys": set(vocabulary.CONCERN_KEYS),
    "skin types": set(vocabulary.SKIN_TYPE_KEYS),
    "active classes": set(actives.ACTIVE_KEYS),
}
PREGNANCY = {"avoid", "caution"}
# Literals that are not a copy of the vocabulary, each for a reason:
ALLOWED = {
    # the engine's measure definitions: one calibration and one unit per measure it computes
    ("ml/vision/measures.py", "MAPPINGS"),
    ("ml/vision/measures.py", "UNITS"),
    ("ml/vision/measures.py", "FINE_SCALE"),  # the measures that need fine detail (less sure at low resolution)
    ("ml/vision/measures.py", "CONCERN_REGIONS"),  # the face regions each measure reads
    ("ml/vision/measures.py", "EXPLANATIONS"),  # what each measure is, in one English sentence (its message id)
    ("analysis/messages.py", "EXPLANATIONS"),  # the same sentences marked for translation (a test holds them equal)
    # the simulated ground truth of the synthetic population (what each made-up active does in it)
    ("recommendations/synthetic.py", "ACTIVES"),
    # a measuring script that must run unchanged on the code before this change (its own fixed yardstick)
    ("scripts/new_user_report.py", "ACIDS"),
    ("scripts/new_user_report.py", "PAIRS"),
}
# Data builders: product lines of the fictional demo catalogue, named after what is in them.
DATA_DIRS = ("ingredients/data/",)


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if set(rel.parts[:-1]) & SKIP_DIRS or rel.parts[0] in {"bench", "scripts"} and "tests" in rel.parts:
            continue
        if rel.name in {"conftest.py"} or rel.name.startswith("test_") or str(rel).startswith(DATA_DIRS):
            continue
        yield rel, path.read_text(encoding="utf-8")


def _strings(nodes) -> list[str]:
    return [n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _target_name(node: ast.AST, parents: dict) -> str:
    parent = parents.get(node)
    while parent is not None and not isinstance(parent, ast.Assign | ast.AnnAssign):
        parent = parents.get(parent)
    if isinstance(parent, ast.Assign) and isinstance(parent.targets[0], ast.Name):
        return parent.targets[0].id
    if isinstance(parent, ast.AnnAssign) and isinstance(parent.target, ast.Name):
        return parent.target.id
    return ""


def second_definitions(rel: Path, text: str) -> list[str]:
    tree = ast.parse(text)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            values = set(_strings(node.elts))
            enumeration = True
        elif isinstance(node, ast.Dict):
            values = set(_strings([k for k in node.keys if k is not None]))
            enumeration = False
        else:
            continue
        if (str(rel), _target_name(node, parents)) in ALLOWED:
            continue
        for what, keys in VOCABULARIES.items():
            if len(values & keys) >= 3:
                found.append(f"{rel}:{node.lineno}: {len(values & keys)} {what} {sorted(values & keys)[:4]}…")
        if enumeration and PREGNANCY <= values:
            found.append(f"{rel}:{node.lineno}: the pregnancy levels {sorted(PREGNANCY)}")
    return found


def test_no_module_outside_domain_defines_the_vocabulary_again():
    found = [f for rel, text in _sources() for f in second_definitions(rel, text)]
    assert not found, "A second definition of the domain's vocabulary (import it from domain/ instead):\n" + "\n".join(
        found
    )


def test_the_scan_finds_a_second_definition():
    """The check can fail: the old builder's own copy of concern words is found."""
    copy = 'CONCERN_WORDS = {"acne": "breakouts", "redness": "redness", "pores": "visible pores"}\n'
    assert second_definitions(Path("routines/builder.py"), copy)
    assert second_definitions(Path("x.py"), 'PREGNANCY_BLOCKED = frozenset({"avoid", "caution"})\n')
    assert not second_definitions(Path("x.py"), 'WORDS = {"acne": vocab.concern_phrase("acne")}\n')


def test_import_linter_contracts_hold():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "Contracts: " in result.stdout and " broken" in result.stdout


@pytest.mark.parametrize("module", ["ml", "ml.types", "ml.vision", "domain.actives", "routines.builder"])
def test_pure_modules_load_no_django_or_celery(module):
    code = (
        f"import sys, {module}; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'celery', 'kombu', 'rest_framework'}); "
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, f"{module} pulled in: {result.stdout} {result.stderr[-1500:]}"
