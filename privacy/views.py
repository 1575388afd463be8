"""Pages: the one serving path of stored images (/media/s/<token>) and the person's privacy page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from skincare.core.errors import DomainError, NotFound

from . import media, selectors, services


@require_GET
def serve_media(request, token: str):
    """Serve a stored image behind a valid, unexpired link made for a viewer who may still see it.

    Checked now (not when the link was made), recorded (MediaAccess), decrypted: in that order. Anything else
    is a 404, so a link reveals nothing about whether a file exists.
    """
    found = media.viewer_from_token(token)
    if found is None:
        raise Http404
    name, viewer = found
    try:
        data, _ = media.media_read(name, viewer=viewer, request=request)
    except media.MediaDenied as exc:
        raise Http404 from exc
    response = HttpResponse(data, content_type=media.content_type_of(name))
    response["Cache-Control"] = f"private, max-age={settings.SIGNED_URL_MAX_AGE}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    response["Content-Disposition"] = "inline"
    return response


@login_required
@require_GET
def privacy_page(request):
    return render(request, "privacy/privacy.html", selectors.privacy_overview(user=request.user, request=request))


@login_required
@require_POST
def retention_update(request):
    try:
        services.retention_set(
            user=request.user,
            policy=request.POST.get("photo_retention", ""),
            days=request.POST.get("retention_days") or None,
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Saved. Photos past your new limit are deleted within the next few minutes."))
    return redirect("privacy")


@login_required
@require_POST
def photos_delete_all(request):
    n = services.photos_delete_all(user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d photo deleted for good. Your scores and face maps are kept.",
            "%(count)d photos deleted for good. Your scores and face maps are kept.",
            n,
        )
        % {"count": n},
    )
    return redirect("privacy")


@login_required
@require_POST
def grant_decide(request, pk, decision: str):
    try:
        grant = selectors.grant_get(user=request.user, grant_id=pk)
        services.grant_decide(grant=grant, decision=decision)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, str(services.GRANT_MESSAGES.get(decision, _("Saved."))))
    return redirect("privacy")
