"""Accounts tasks: emails are sent by the worker (never while a request waits, and the same time
whether an account exists or not). Tasks take ids and are safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from skincare.celery import RETRY_KWARGS
from skincare.core.i18n import recipient_language

from .models import User
from .tokens import email_verification_token, password_reset_token, uid_encode

logger = logging.getLogger(__name__)


def _send(user: User, template: str, context: dict) -> None:
    """Render and send in the recipient's language, whichever process or request language runs this."""
    context = {"user": user, "site_url": settings.SITE_URL, **context}
    with recipient_language(user):
        subject = " ".join(render_to_string(f"accounts/email/{template}_subject.txt", context).split())
        body = render_to_string(f"accounts/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@shared_task(acks_late=True, **RETRY_KWARGS)
def send_password_reset_email(user_id: str) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).select_related("profile").first()
    if user is None:
        return False
    uid, token = uid_encode(user), password_reset_token.make_token(user)
    link = settings.SITE_URL + reverse("accounts:password-reset-confirm", kwargs={"uidb64": uid, "token": token})
    _send(user, "password_reset", {"link": link, "uid": uid, "token": token})
    return True


@shared_task(acks_late=True, **RETRY_KWARGS)
def send_password_reset_to_address(email: str) -> bool:
    """A reset link to the active account with this address, if any: the lookup happens here, in the worker, so the
    request answers in the same time whether an account exists or not."""
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).only("pk").first()
    if user is None:
        return False
    return send_password_reset_email(str(user.pk))


@shared_task(acks_late=True, **RETRY_KWARGS)
def send_login_code(phone: str, ip: str | None = None) -> bool:
    """A sign-in code by SMS to the account with this verified number, if any (looked up here, not in the request)."""
    from .services import otp_login_code_send

    return otp_login_code_send(phone=phone, ip=ip)


@shared_task(acks_late=True, **RETRY_KWARGS)
def send_phone_confirmation_code(user_id: str, phone: str, ip: str | None = None) -> bool:
    from .services import phone_confirmation_code_send

    return phone_confirmation_code_send(user_id=user_id, phone=phone, ip=ip)


@shared_task(acks_late=True, **RETRY_KWARGS)
def send_verification_email(user_id: str) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True, email_verified=False).select_related("profile").first()
    if user is None:
        return False  # already verified (a second delivery) or gone
    uid, token = uid_encode(user), email_verification_token.make_token(user)
    link = settings.SITE_URL + reverse("accounts:verify-email", kwargs={"uidb64": uid, "token": token})
    _send(user, "verify_email", {"link": link, "uid": uid, "token": token})
    return True


@shared_task(acks_late=True, **RETRY_KWARGS)
def purge_expired_otp_codes(batch_size: int = 5000) -> int:
    """Delete OTP rows an hour past expiry, in bounded batches (their hashes are useless by then)."""
    from .services import otp_purge_expired

    return otp_purge_expired(batch_size=batch_size)


@shared_task(acks_late=True, **RETRY_KWARGS)
def flush_expired_tokens(batch_size: int = 5000) -> int:
    """Drop outstanding/blacklisted refresh tokens that expired (simplejwt's flushexpiredtokens, batched)."""
    from .services import tokens_flush_expired

    return tokens_flush_expired(batch_size=batch_size)
