"""Ingredient scanner pages (session auth) and the public batch page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.selectors import profile_for_user
from skincare.core import intake
from skincare.core.errors import DomainError, NotFound

from . import selectors, services
from .forms import ProductSearchForm, ScanForm
from .messages import result_rendered
from .models import Scan

RATING_LABELS = {
    "green": pgettext_lazy("rating", "Low concern"),
    "yellow": pgettext_lazy("rating", "Some concern"),
    "red": pgettext_lazy("rating", "High concern"),
    None: pgettext_lazy("rating", "Not rated"),
}


def _scan_for_user(user, scan_id) -> Scan:
    try:
        return Scan.objects.get(pk=scan_id, user=user)
    except (Scan.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


@login_required
@require_http_methods(["GET", "POST"])
def scan(request):
    form = ScanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        profile = profile_for_user(user=request.user)
        try:
            if form.cleaned_data.get("photo"):
                result = services.scan_photo(
                    user=request.user,
                    image_bytes=intake.image_bytes(upload=form.cleaned_data["photo"]),
                    profile=profile,
                )
                return redirect("ingredients:scan_result", scan_id=result["scan_id"])
            text = form.cleaned_data["text"]
            result = services.assess_ingredients(text=text, profile=profile)
            saved = services.scan_create(user=request.user, text=text, result=result)
            return redirect("ingredients:scan_result", scan_id=saved.id)
        except DomainError as exc:
            form.add_error(None, exc.detail)
    recent = Scan.objects.filter(user=request.user).only("id", "created_at", "source", "result")[:5]
    return render(request, "ingredients/scan.html", {"form": form, "recent": recent})


@login_required
@require_GET
def scan_result(request, scan_id):
    obj = _scan_for_user(request.user, scan_id)
    return render(
        request,
        "ingredients/result.html",
        {"scan": obj, "result": result_rendered(obj.result), "labels": RATING_LABELS},
    )


@login_required
@require_GET
def ingredient_detail(request, pk):
    try:
        ing = selectors.ingredient_get(ingredient_id=pk)
    except NotFound as exc:
        raise Http404 from exc
    products = ing.products.all().order_by("brand", "name")[:12]
    sources = {k: v for k, v in (ing.sources or {}).items() if not k.startswith("_")}
    return render(request, "ingredients/ingredient.html", {"ing": ing, "products": products, "sources": sources})


@login_required
@require_GET
def search(request):
    q = request.GET.get("q", "").strip()[:100]
    ingredients = list(selectors.ingredient_search(q=q)[:30]) if q else []
    products = list(selectors.product_search(q=q)[:30]) if q else []
    return render(request, "ingredients/search.html", {"q": q, "ingredients": ingredients, "products": products})


@login_required
@require_GET
def suggest(request):
    return JsonResponse({"results": selectors.search_suggestions(q=request.GET.get("q", "")[:100])})


@login_required
@require_GET
def product_list(request):
    form = ProductSearchForm(request.GET or None)
    q = category = ""
    if form.is_valid():
        q, category = form.cleaned_data["q"], form.cleaned_data["category"]
    page = Paginator(selectors.product_search(q=q, category=category), 24).get_page(request.GET.get("page"))
    favs = selectors.favorite_product_ids(user=request.user)
    return render(request, "ingredients/products.html", {"form": form, "page": page, "favs": favs, "q": q})


@login_required
@require_GET
def product_detail(request, pk):
    try:
        product = selectors.product_get(product_id=pk)
    except NotFound as exc:
        raise Http404 from exc
    result = result_rendered(services.assess_product(product=product, profile=profile_for_user(user=request.user)))
    is_fav = product.pk in selectors.favorite_product_ids(user=request.user)
    return render(
        request,
        "ingredients/product.html",
        {"product": product, "result": result, "is_fav": is_fav, "labels": RATING_LABELS},
    )


@login_required
@require_GET
def favorites(request):
    favs = selectors.favorites_for(user=request.user)
    return render(request, "ingredients/favorites.html", {"favorites": favs})


@login_required
@require_POST
def favorite_toggle(request, pk):
    try:
        if pk in selectors.favorite_product_ids(user=request.user):
            services.favorite_remove(user=request.user, product_id=pk)
            messages.success(request, gettext("Removed from favorites."))
        else:
            services.favorite_add(user=request.user, product_id=pk)
            messages.success(request, gettext("Saved to favorites."))
    except NotFound as exc:
        raise Http404 from exc
    if request.POST.get("next") == "favorites":
        return redirect("ingredients:favorites")
    return redirect("ingredients:product", pk=pk)


@require_GET
def batch_public(request, public_id):
    """Public (no login): the batch's freshness and the product's ingredient analysis. Reached by QR."""
    try:
        batch = selectors.batch_get_public(public_id=public_id)
    except NotFound as exc:
        raise Http404 from exc
    product = selectors.product_get(product_id=batch.product_id)
    freshness = services.batch_freshness(batch=batch)
    result = result_rendered(services.assess_product(product=product, profile=None))
    qr_svg = services.batch_qr_svg(batch=batch, base_url=request.build_absolute_uri("/"))
    response = render(
        request,
        "ingredients/batch.html",
        {
            "batch": batch,
            "product": product,
            "freshness": freshness,
            "result": result,
            "qr_svg": qr_svg,
            "labels": RATING_LABELS,
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response
