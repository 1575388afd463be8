"""`manage.py setup_project` calls setup_app(stdout): load the knowledge base, then the demo catalog."""

from __future__ import annotations

from . import demo, knowledge


def setup_app(stdout) -> None:
    kb = knowledge.load()
    stdout.write(
        f"ingredients: knowledge base {kb['total']} ({kb['created']} new, {kb['updated']} updated, "
        f"{kb['skipped_staff_edits']} staff edits kept)\n"
    )
    cat = demo.load_demo_catalog()
    stdout.write(f"ingredients: demo catalog {cat['created']} new, {cat['updated']} updated, {cat['total']} in all\n")
