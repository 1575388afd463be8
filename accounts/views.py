"""Accounts pages (session auth): thin views over the same services and selectors as the API."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import i18n as i18n_views
from django.views.decorators.http import require_POST

from skincare.core.errors import DomainError, NotFound
from skincare.core.i18n import supported_language

from . import selectors, services
from .clientip import client_ip
from .forms import AccountDeleteForm, LoginForm, PasswordResetRequestForm, ProfileForm, SignupForm


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


# --- language ---------------------------------------------------------------------------------------
def _remember_language(response, language: str | None):
    """The language cookie, as Django's set_language writes it: the choice outlives the session (sign-out).

    No language ("the language of my browser"): the cookie goes, so Accept-Language decides again.
    """
    if not language:
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    else:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@require_POST
def language_set(request):
    """The switcher on every page: Django's set_language (cookie, safe redirect to `next`), plus the profile."""
    response = i18n_views.set_language(request)
    language = supported_language(request.POST.get("language"))
    if language and request.user.is_authenticated:
        services.profile_update(user=request.user, data={"language": language})
    return response


# --- sign up, sign in ------------------------------------------------------------------------------
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    # The language the page is shown in (switcher, else the browser's) becomes the profile's.
    form = SignupForm(request.POST or None, ip=client_ip(request), language=request.LANGUAGE_CODE)
    if request.method == "POST" and form.is_valid() and form.save():
        login(request, form.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, _("Welcome! Tell us a little about your skin. We sent you a link to confirm your email.")
        )
        return redirect("accounts:profile")
    return render(request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.retry_after:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


# --- profile -----------------------------------------------------------------------------------------
@login_required
def profile(request):
    form = ProfileForm(request.POST or None, user=request.user, ip=client_ip(request))
    if request.method == "POST" and form.is_valid() and form.save():
        language = supported_language(form.cleaned_data["language"])
        with translation.override(language or request.LANGUAGE_CODE):  # the next page speaks the new language
            messages.success(request, _("Your profile is saved."))
        return _remember_language(redirect("accounts:profile"), language)
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "delete_form": AccountDeleteForm()},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def phone_confirm(request):
    """The code texted to the pending number, entered on the profile page."""
    try:
        services.phone_confirm(user=request.user, code=(request.POST.get("code") or "").strip())
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Your phone number is confirmed. You can sign in with a code by SMS."))
    return redirect("accounts:profile")


@login_required
@require_POST
def phone_resend(request):
    try:
        services.phone_verification_send(user=request.user, ip=client_ip(request))
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("A new code is on its way by SMS."))
    return redirect("accounts:profile")


@login_required
@require_POST
def verify_email_send(request):
    if services.email_verification_send(user=request.user):
        messages.success(request, _("We sent a confirmation link to %(email)s.") % {"email": request.user.email})
    return redirect("accounts:profile")


def verify_email(request, uidb64: str, token: str):
    try:
        user = services.email_verification_confirm(uidb64=uidb64, token=token)
    except DomainError as exc:
        return render(request, "accounts/verify_email.html", {"ok": False, "detail": exc.detail}, status=400)
    return render(request, "accounts/verify_email.html", {"ok": True, "verified_user": user})


# --- password ---------------------------------------------------------------------------------------
class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed_notify(user=form.user)  # every app and device signs in again
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed_notify(user=form.user)
        messages.success(self.request, _("Your password is changed. Your apps will ask you to sign in again."))
        return response


# --- account: export, delete -----------------------------------------------------------------------------
@login_required
def account_export(request):
    data = services.account_export_zip(user=request.user)
    response = HttpResponse(data, content_type="application/zip")
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="skincare-export-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def account_delete(request):
    form = AccountDeleteForm(request.POST)
    if form.is_valid():
        try:
            services.account_delete(user=request.user, password=form.cleaned_data["password"])
        except DomainError as exc:
            form.add_error("password", exc.detail)
        else:
            logout(request)
            messages.success(request, _("Your account and all its data are deleted."))
            return redirect("home")
    profile_form = ProfileForm(user=request.user)
    return render(request, "accounts/profile.html", {"form": profile_form, "delete_form": form}, status=400)


# --- notifications ------------------------------------------------------------------------------------
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
    return redirect(_safe_next(request, "accounts:notifications"))


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notification_mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext("Marked %(count)d notification as read.", "Marked %(count)d notifications as read.", count)
        % {"count": count},
    )
    return redirect("accounts:notifications")
