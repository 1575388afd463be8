"""Progress pages: dashboard, log, before/after comparison, share management and the public shared page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from domain import vocabulary as vocab
from privacy.media import MediaDenied, Viewer, access_record, media_info, media_read, media_url
from skincare.core import intake
from skincare.core.errors import DomainError, NotFound

from . import charts, selectors, services
from .forms import LogForm, MetricForm, ShareReportForm
from .throttling import ShareReportThrottle

ANALYSIS_CHOICES = 60
CARD_CACHE_SECONDS = 600  # drawing a card takes ~0.2 s: a shared link's preview is drawn once


def _recent_analyses(user):
    return list(selectors.done_analyses(user=user).order_by("-created_at")[:ANALYSIS_CHOICES])


def _label(key: str) -> str:
    return gettext(vocab.concern_label(key))


@login_required
@require_GET
def dashboard(request):
    from analysis.services import photo_consent_given

    try:
        days = max(7, min(int(request.GET.get("days", 90)), 365))
    except ValueError:
        days = 90
    data = selectors.progress_stats(user=request.user, days=days)
    start, end = data["period"]["start"], data["period"]["end"]
    trends = [
        {**t, "label": _label(t["key"]), "svg": charts.trend_svg(t, start, end)}
        for t in [data["overall"], *data["trends"]]
        if t["points"]
    ]
    metric_charts = [
        {**series, "label": _label(series["metric"]), "svg": charts.metric_svg(series, start, end)}
        for series in data["metrics"]
    ]
    entries = list(selectors.entry_list(user=request.user)[:10])
    day_map = selectors.day_analyses(user=request.user, days=[e.date for e in entries if not e.analysis_id])
    metrics_by_day = selectors.day_metrics(user=request.user, days=[e.date for e in entries])
    for entry in entries:
        own = entry.analysis if entry.analysis_id and entry.analysis and entry.analysis.status == "done" else None
        entry.day_analysis = own or day_map.get(entry.date)
        entry.day_metrics = [{**m, "label": _label(m["metric"])} for m in metrics_by_day.get(entry.date, [])]
    analyses = _recent_analyses(request.user)
    return render(
        request,
        "progress/dashboard.html",
        {
            "stats": data,
            "days": days,
            "trends": trends,
            "calendar": charts.calendar_svg(data["adherence"]["calendar"]),
            "entries": entries,
            "milestones": list(selectors.milestone_list(user=request.user)[:10]),
            "form": LogForm(
                analyses=analyses,
                consent_given=photo_consent_given(request.user),
                initial={"date": selectors.user_today(request.user)},
            ),
            "can_compare": len(analyses) >= 2,
            "metric_charts": metric_charts,
            "metric_form": MetricForm(initial={"date": selectors.user_today(request.user)}),
        },
    )


@login_required
@require_POST
def log_metric(request):
    form = MetricForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            gettext("Not saved: %(errors)s") % {"errors": "; ".join(e for errs in form.errors.values() for e in errs)},
        )
        return redirect("progress:dashboard")
    try:
        metric = services.metric_record(
            user=request.user,
            name=form.cleaned_data["metric"],
            value=form.cleaned_data["value"],
            notes=form.cleaned_data.get("notes") or "",
            date=form.cleaned_data.get("date"),
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("progress:dashboard")
    messages.success(
        request,
        gettext("Logged %(metric)s: %(value)s.")
        % {"metric": _label(metric.name).lower(), "value": f"{metric.value:g}"},
    )
    return redirect("progress:dashboard")


@login_required
@require_POST
def log_entry(request):
    from analysis.services import photo_consent_given, photo_consent_record

    analyses = _recent_analyses(request.user)
    consent_given = photo_consent_given(request.user)
    form = LogForm(request.POST, request.FILES, analyses=analyses, consent_given=consent_given)
    if not form.is_valid():
        messages.error(
            request,
            gettext("The entry was not saved: %(errors)s")
            % {"errors": "; ".join(e for errs in form.errors.values() for e in errs)},
        )
        return redirect("progress:dashboard")
    photo = form.cleaned_data.get("photo")
    if photo and not consent_given:
        if not form.cleaned_data.get("consent"):
            messages.error(request, gettext("Please agree to the photo analysis before adding a photo."))
            return redirect("progress:dashboard")
        photo_consent_record(user=request.user, ip_address=request.META.get("REMOTE_ADDR"))
    try:
        services.entry_create(
            user=request.user,
            date=form.cleaned_data.get("date"),
            analysis_id=form.cleaned_data.get("analysis") or None,
            photo=intake.image_bytes(upload=photo) if photo else None,
            rating=form.cleaned_data.get("rating"),
            notes=form.cleaned_data.get("notes") or "",
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("progress:dashboard")
    messages.success(request, gettext("Logged. Your photo is being analysed.") if photo else gettext("Logged."))
    return redirect("progress:dashboard")


@login_required
@require_GET
def compare(request):
    analyses = _recent_analyses(request.user)
    before_id = request.GET.get("before")
    after_id = request.GET.get("after")
    if not (before_id and after_id) and len(analyses) >= 2:
        before_id, after_id = str(analyses[-1].pk), str(analyses[0].pk)
    context = {"analyses": analyses, "before_id": before_id, "after_id": after_id, "payload": None}
    if before_id and after_id:
        try:
            payload = services.compare(user=request.user, before_id=before_id, after_id=after_id)
        except NotFound as exc:
            raise Http404 from exc
        except DomainError as exc:
            context["error"] = exc.detail
        else:
            context["payload"] = _compare_context(payload, Viewer.owner(request.user))
    return render(request, "progress/compare.html", context)


def _compare_context(payload: dict, viewer: Viewer) -> dict:
    """Links for `viewer` (the owner, or a share link's visitor); a deleted photo has none and a face map."""
    from analysis.facemap import face_map_svg

    comparison = payload["comparison"]
    aligned = comparison.aligned_image.name if comparison.aligned_image else None
    before, after = payload["before"], payload["after"]
    return {
        **payload,
        "before_url": media_url(before.image.name, viewer=viewer) if before.has_photo else None,
        "after_url": media_url(after.image.name, viewer=viewer) if after.has_photo else None,
        "aligned_url": media_url(aligned, viewer=viewer) if aligned else None,
        "before_map": None if before.has_photo else face_map_svg(before, width=240),
        "after_map": None if after.has_photo else face_map_svg(after, width=240),
        "concern_rows": [{**d, "label": _label(d["key"])} for d in payload["concerns"]],
    }


@login_required
@require_http_methods(["GET", "POST"])
def shares(request):
    if request.method == "POST":
        try:
            share = services.share_create(
                user=request.user,
                analysis_id=request.POST.get("analysis") or None,
                before_id=request.POST.get("before") or None,
                after_id=request.POST.get("after") or None,
                expires_in_days=int(request.POST.get("expires_in_days") or services.SHARE_DEFAULT_DAYS),
            )
        except NotFound:
            messages.error(request, gettext("That analysis was not found."))
        except (DomainError, ValueError) as exc:
            messages.error(request, getattr(exc, "detail", None) or gettext("Check the form."))
        else:
            url = request.build_absolute_uri(reverse("progress:public", kwargs={"token": share.token}))
            messages.success(request, gettext("Share link created: %(url)s") % {"url": url})
        return redirect("progress:shares")
    links = list(selectors.share_list(user=request.user)[:100])
    for link in links:
        link.public_url = request.build_absolute_uri(reverse("progress:public", kwargs={"token": link.token}))
    return render(
        request,
        "progress/shares.html",
        {"links": links, "analyses": _recent_analyses(request.user), "max_days": services.SHARE_MAX_DAYS},
    )


@login_required
@require_POST
def share_revoke(request, pk):
    try:
        services.share_revoke(share=selectors.share_get(user=request.user, share_id=pk))
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, gettext("The link is revoked: it no longer opens."))
    return redirect("progress:shares")


# --- public ------------------------------------------------------------------------------------
def _public_share(token: str):
    try:
        return selectors.share_get_public(token=token)
    except NotFound as exc:
        raise Http404 from exc


def _public_context(share) -> dict:
    """Scores and images only: no name, email, user id or analysis id reaches the public page."""
    if share.kind == "analysis":
        a = share.analysis
        return {
            "kind": "analysis",
            "date": a.created_at.date(),
            "overall_score": a.overall_score,
            "concerns": [
                {"label": _label(c["key"]), "score": c.get("score"), "severity": c.get("severity")}
                for c in a.concerns or []
                if c.get("key")
            ],
            "image_url": media_url(a.image.name, viewer=Viewer.share(share)) if a.has_photo else None,
            "photo_deleted_at": a.photo_deleted_at,
        }
    payload = services.comparison_payload(user=share.user, before=share.before, after=share.after)
    ctx = _compare_context(payload, Viewer.share(share))
    return {
        "kind": "compare",
        "days_between": payload["days_between"],
        "overall": payload["overall"],
        "concern_rows": ctx["concern_rows"],
        "before_url": ctx["before_url"],
        "after_url": ctx["aligned_url"] or ctx["after_url"],
        "aligned": bool(ctx["aligned_url"]),
        "before_map": ctx["before_map"],
        "after_map": ctx["after_map"],
        "before_deleted": share.before.photo_deleted_at,
        "after_deleted": share.after.photo_deleted_at,
    }


@require_GET
@never_cache
def public(request, token: str):
    share = _public_share(token)
    services.share_record_view(share=share)
    response = render(
        request,
        "progress/public.html",
        {"share": _public_context(share), "token": token, "form": ShareReportForm()},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def public_card(request, token: str):
    share = _public_share(token)  # expiry, revocation and hiding are checked on every request
    key = f"progress:card:{share.pk}"
    cached = cache.get(key)
    if isinstance(cached, dict):
        png = cached["png"]
        # The card shows the photos: each serving of it is recorded, from the cache too.
        viewer = Viewer.share(share)
        for name in cached["names"]:
            info = media_info(name)
            if info is not None:
                access_record(media=info, viewer=viewer, via="card")
    else:
        used: list[str] = []
        png = _card_png(share, used)
        cache.set(key, {"png": png, "names": used}, CARD_CACHE_SECONDS)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


def _open_image(name: str | None, share, used: list[str]):
    """A photo the share shows, read for its card: checked and recorded like any serving (privacy.media)."""
    import io

    from PIL import Image, ImageOps

    if not name:
        return None
    try:
        data, _ = media_read(name, viewer=Viewer.share(share), via="card")
    except MediaDenied:
        return None
    used.append(name)
    img = Image.open(io.BytesIO(data))
    img.load()
    return ImageOps.exif_transpose(img)


def _card_png(share, used: list[str]) -> bytes:
    from .card import face_thumbnail, render_card

    if share.kind == "analysis":
        a = share.analysis
        photo = _open_image(a.image.name if a.has_photo else None, share, used)
        photos = [face_thumbnail(photo, a.face_box, (470, 560))] if photo else []
        concerns = sorted(
            ((_label(c["key"]), c.get("score"), None) for c in a.concerns or [] if c.get("key")),
            key=lambda c: (c[1] is None, c[1] if c[1] is not None else 0),
        )
        return render_card(
            title="Skin analysis",
            overall=a.overall_score,
            overall_label="Overall score",
            concerns=concerns,
            photos=photos,
        )
    payload = services.comparison_payload(user=share.user, before=share.before, after=share.after)
    comparison = payload["comparison"]
    before = _open_image(share.before.image.name if share.before.has_photo else None, share, used)
    aligned = comparison.aligned_image.name if comparison.aligned_image else None
    after = _open_image(aligned, share, used) or _open_image(
        share.after.image.name if share.after.has_photo else None, share, used
    )
    box_after = share.before.face_box if aligned else share.after.face_box
    photos = []
    if before is not None and after is not None:
        photos = [
            face_thumbnail(before, share.before.face_box, (230, 560)),
            face_thumbnail(after, box_after, (230, 560)),
        ]
    overall = payload["overall"]
    concerns = [(_label(d["key"]), d["after"], d["delta"]) for d in payload["concerns"]]
    concerns.sort(key=lambda c: -abs(c[2] or 0))
    delta = overall.get("delta")
    label = f"Overall, {payload['days_between']:g} days apart" + (f" ({delta:+g})" if delta is not None else "")
    return render_card(
        title="Before and after",
        overall=overall.get("after") if overall.get("after") is not None else None,
        overall_label=label,
        concerns=concerns,
        photos=photos,
    )


@require_POST
def public_report(request, token: str):
    share = _public_share(token)
    throttle = ShareReportThrottle()
    if not throttle.allow_request(request, None):
        return render(
            request,
            "progress/public.html",
            {"share": _public_context(share), "token": token, "form": ShareReportForm(), "throttled": True},
            status=429,
        )
    form = ShareReportForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "progress/public.html",
            {"share": _public_context(share), "token": token, "form": form},
            status=400,
        )
    services.share_report_create(token=token, reason=form.cleaned_data["reason"], details=form.cleaned_data["details"])
    return render(
        request,
        "progress/public.html",
        {"share": _public_context(share), "token": token, "form": None, "reported": True},
    )
