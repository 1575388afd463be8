"""Accounts pages (session auth): thin views over the same services and selectors as the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from skincare.core.errors import NotFound

from . import selectors, services


@login_required
def notifications(request):
    """The notification centre: the inbox, newest first, with live updates over a WebSocket."""
    page = Paginator(selectors.notification_list(user=request.user), 20).get_page(request.GET.get("page"))
    unread = selectors.notification_unread_count(user=request.user)
    return render(request, "accounts/notifications.html", {"page": page, "unread": unread})


@login_required
@require_POST
def notification_read(request, pk):
    try:
        notification = selectors.notification_get_for_user(user=request.user, notification_id=pk)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    services.notification_mark_read(notification=notification)
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("accounts:notifications")


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notification_mark_all_read(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} as read.")
    return redirect("accounts:notifications")
