"""Pages (session auth): the recommendations list, with the same selector as the API."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from domain import messages as M
from domain import vocabulary as vocab
from skincare.core.errors import DomainError

from . import selectors


def _budget_word(key: str | None) -> str:
    return M.render_param(M.term("budget", key), gettext) if key in vocab.BUDGET_KEYS else ""


@login_required
@require_GET
def recommendation_list(request):
    from ingredients.models import PRODUCT_CATEGORIES

    category = request.GET.get("category", "")
    include_owned = request.GET.get("include_owned") in {"1", "true", "on"}
    error = None
    try:
        result = selectors.recommendations_for(
            user=request.user, category=category, limit=selectors.DEFAULT_LIMIT, include_owned=include_owned
        )
    except DomainError as exc:
        error = exc.detail
        result = selectors.Result(items=[], basis={})
    status = 400 if error else 200
    return render(
        request,
        "recommendations/list.html",
        {
            "result": result,
            "items": result.items,
            "basis": result.basis,
            "categories": PRODUCT_CATEGORIES,
            "category": category,
            "include_owned": include_owned,
            "error": error,
            "budget_word": _budget_word(result.basis.get("budget")),
        },
        status=status,
    )
