"""Pages (session auth): the routine builder, a routine (reasons, edit, start), today's checklist with
one-tap completion, and the shelf with freshness badges. Same services as the API."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from domain import routine as routine_rules
from domain import vocabulary as vocab
from skincare.core.errors import DomainError, NotFound

from . import messages as routine_messages
from . import selectors, services
from .builder import WEEKDAYS
from .models import STEP_CATEGORIES


def _budget_choices() -> list[tuple[str, str]]:
    """The domain's budgets with their per-product caps (domain.vocabulary.BUDGETS)."""
    out = [("", gettext("From my profile"))]
    for b in vocab.BUDGETS:
        if b.cap is not None:
            label = gettext("%(budget)s (≤ %(cap)s per product)") % {"budget": gettext(b.label), "cap": f"{b.cap:g}"}
        else:
            label = gettext(b.label)
        out.append((b.key, label))
    return out


class BuilderForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[("both", _("Morning and evening")), ("am", _("Morning only")), ("pm", _("Evening only"))],
        initial="both",
    )
    budget = forms.ChoiceField(label=_("Budget"), choices=_budget_choices, required=False)
    max_steps = forms.IntegerField(
        label=_("Max steps"),
        min_value=1,
        max_value=12,
        required=False,
        help_text=_("How many steps you have time for (optional)."),
    )


class ShelfForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("product", "Name"), max_length=255)
    brand = forms.CharField(label=_("Brand"), max_length=120, required=False)
    opened_on = forms.DateField(label=_("Opened on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    pao_months = forms.IntegerField(
        min_value=1,
        max_value=120,
        required=False,
        label=_("Period after opening (months)"),
        help_text=_("The open-jar symbol: 6M, 12M…"),
    )
    best_before = forms.DateField(
        label=_("Best before"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _routine(request, pk):
    try:
        return selectors.routine_get_for_user(user=request.user, routine_id=pk)
    except NotFound as exc:
        raise Http404(gettext("Routine not found.")) from exc


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
def today(request):
    day = selectors.local_today(request.user)
    return render(
        request,
        "routines/today.html",
        {
            "day": day,
            "weekday": capfirst(gettext(WEEKDAYS[day.weekday()])),  # a heading: es/fr write "lunes"
            "checklist": selectors.today_checklist(user=request.user, day=day),
        },
    )


@login_required
def builder(request):
    form = BuilderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            routines = services.routine_generate(
                user=request.user,
                period=form.cleaned_data["period"],
                budget=form.cleaned_data["budget"] or None,
                max_steps=form.cleaned_data["max_steps"],
            )
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, gettext("Here is your proposed routine. Edit it if you like, then start it."))
            return redirect("routines:proposal", pks=",".join(str(r.pk) for r in routines))
    routines = selectors.routines_for_user(user=request.user)[:10]
    return render(request, "routines/builder.html", {"form": form, "routines": routines})


@login_required
def proposal(request, pks: str):
    routines = [_routine(request, pk) for pk in pks.split(",")[:2]]
    zone, today_ = selectors.user_zone(request.user), selectors.local_today(request.user)
    for routine in routines:
        routine.week_view = selectors.routine_week(routine=routine, day=today_, zone=zone)
    basis = routines[0].basis if routines else {}
    return render(
        request,
        "routines/proposal.html",
        {
            "routines": routines,
            "skin_word": routine_messages.word("skin_type", basis["skin_type"]) if basis.get("skin_type") else "",
            "budget_word": routine_messages.word("budget", basis.get("budget") or vocab.DEFAULT_BUDGET),
        },
    )


@login_required
def detail(request, pk):
    routine = _routine(request, pk)
    adherence = selectors.routine_adherence(routine=routine, days=30)
    return render(
        request,
        "routines/detail.html",
        {
            "routine": routine,
            "weekdays": [(d, gettext(name)) for d, name in enumerate(routine_rules.WEEKDAY_SHORT)],
            "categories": STEP_CATEGORIES,
            "adherence": adherence,
            "week": selectors.routine_week(routine=routine),
        },
    )


@login_required
@require_POST
def edit(request, pk):
    routine = _routine(request, pk)
    steps = []
    for step in routine.steps.all():
        if request.POST.get(f"remove-{step.id}"):
            continue
        days = [int(d) for d in request.POST.getlist(f"days-{step.id}") if d.isdigit()]
        steps.append(
            {
                "id": step.id,
                "category": step.category,
                "order": step.order,
                "product_name": request.POST.get(f"product_name-{step.id}", step.product_name),
                "instructions": request.POST.get(f"instructions-{step.id}", step.instructions),
                "days": days or None,
            }
        )
    try:
        services.routine_update(routine=routine, name=request.POST.get("name") or None, steps=steps)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, gettext("Routine saved."))
    return redirect("routines:detail", pk=routine.pk)


@login_required
@require_POST
def start(request, pk):
    routine = _routine(request, pk)
    services.routine_start(routine=routine)
    messages.success(request, gettext("Started. Reminders will arrive at your reminder time."))
    return redirect("routines:today")


@login_required
@require_POST
def stop(request, pk):
    services.routine_stop(routine=_routine(request, pk))
    messages.success(request, gettext("Paused: no more reminders for this routine."))
    return redirect("routines:detail", pk=pk)


@login_required
@require_POST
def delete(request, pk):
    services.routine_delete(routine=_routine(request, pk))
    messages.success(request, gettext("Routine deleted."))
    return redirect("routines:builder")


@login_required
@require_POST
def complete(request, pk):
    """One-tap completion: JSON for the page's fetch(), a redirect for the plain form fallback."""
    routine = _routine(request, pk)
    day = None
    if request.POST.get("date"):
        try:
            day = date.fromisoformat(request.POST["date"])
        except ValueError:
            day = None
    try:
        result = services.step_complete(routine=routine, step_id=request.POST.get("step"), day=day)
    except DomainError as exc:
        if _wants_json(request):
            return JsonResponse({"detail": exc.detail, "code": exc.code}, status=exc.status_code)
        messages.error(request, exc.detail)
        return redirect("routines:today")
    if _wants_json(request):
        return JsonResponse(result)
    return redirect("routines:today")


@login_required
def shelf(request):
    form = ShelfForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.shelf_item_create(user=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, gettext("Added to your shelf."))
            return redirect("routines:shelf")
    today_ = selectors.local_today(request.user)
    items = [
        {"item": item, "fresh": selectors.shelf_item_freshness(item, today=today_)}
        for item in selectors.shelf_for_user(user=request.user)[:200]
    ]
    return render(request, "routines/shelf.html", {"form": form, "items": items})


@login_required
@require_POST
def shelf_delete(request, pk):
    try:
        item = selectors.shelf_item_get_for_user(user=request.user, item_id=pk)
    except NotFound as exc:
        raise Http404(gettext("Not found.")) from exc
    services.shelf_item_delete(item=item)
    messages.success(request, gettext("Removed from your shelf."))
    return redirect("routines:shelf")
