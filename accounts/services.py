"""Writes of the accounts app: `<entity>_<action>(*, ...)`, atomic, raising DomainError on bad input."""

from __future__ import annotations

import io
import json
import logging
import secrets
import zipfile
from datetime import timedelta

from asgiref.sync import async_to_sync
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from skincare.core import readcache
from skincare.core.errors import DomainError
from skincare.core.i18n import recipient_language, speaks_to, supported_language

from . import security, tasks, usercache
from .models import Consent, Notification, OtpCode, Profile, User
from .sms import send_sms
from .tokens import email_verification_token, password_reset_token, uid_decode
from .validators import validate_phone

logger = logging.getLogger(__name__)


# --- notifications ------------------------------------------------------------------------------
def notification_group(user_id) -> str:
    """The channel group a user's open inbox sockets listen on."""
    return f"notifications.{user_id}"


def notification_payload(notification: Notification) -> dict:
    return {
        "id": str(notification.id),
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "data": notification.data,
        "url": notification.url,
        "created_at": notification.created_at.isoformat(),
        "read_at": notification.read_at.isoformat() if notification.read_at else None,
    }


def _push(group: str, event: dict) -> None:
    """Send to a channel group; a missing or broken channel layer never fails the caller."""
    try:
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        if layer is None:
            return
        async_to_sync(layer.group_send)(group, event)
    except Exception:  # noqa: BLE001 - live push is best effort; the inbox row is the truth
        logger.warning("Could not push to channel group %s", group, exc_info=True)


@transaction.atomic
def notification_create(
    *,
    user: User,
    kind: str,
    title: str,
    body: str = "",
    data: dict | None = None,
    url: str = "",
) -> Notification:
    """Write an inbox row and push it live to the user's sockets once the transaction commits."""
    notification = Notification.objects.create(
        user=user,
        kind=kind[:40],
        title=title[:200],
        body=body,
        data=data or {},
        url=url[:300],
    )
    event = {"type": "notification.new", "notification": notification_payload(notification)}
    group = notification_group(user.pk)
    transaction.on_commit(lambda: _push(group, event))
    return notification


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
        readcache.changed(notification.user_id)
    return notification


def notification_mark_all_read(*, user: User) -> int:
    count = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    readcache.changed(user.pk)
    return count


# --- users and tokens ------------------------------------------------------------------------------
TERMS_VERSION = getattr(settings, "TERMS_VERSION", "1")
PRIVACY_VERSION = getattr(settings, "PRIVACY_VERSION", "1")


def _password_errors(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise DomainError(
            " ".join(exc.messages), code="weak_password", errors={"password": list(exc.messages)}
        ) from exc


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    accept_terms: bool = True,
    ip: str | None = None,
    language: str = "",
) -> User:
    """Create an account with its profile and the recorded terms and privacy consents.

    `language` is the one the person signed up in (the page's or the app's); their emails and reminders use it.
    """
    email = User.objects.normalize_email(email).strip().lower()
    if not accept_terms:
        raise DomainError(
            _("You must accept the terms of use and the privacy policy."),
            code="terms_not_accepted",
            errors={"accept_terms": [_("Accept the terms to create an account.")]},
        )
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(
            _("An account with this email already exists."),
            code="email_taken",
            errors={"email": [_("An account with this email already exists.")]},
        )
    _password_errors(password, User(email=email, first_name=first_name, last_name=last_name))
    user = User.objects.create_user(email=email, password=password, first_name=first_name, last_name=last_name)
    Profile.objects.create(user=user, language=supported_language(language) or "")
    Consent.objects.bulk_create(
        [
            Consent(user=user, kind="terms", version=TERMS_VERSION, granted=True, ip_address=ip),
            Consent(user=user, kind="privacy", version=PRIVACY_VERSION, granted=True, ip_address=ip),
        ]
    )
    transaction.on_commit(lambda: _verification_email_best_effort(str(user.pk)))
    return user


def _verification_email_best_effort(user_id: str) -> None:
    """After the account is committed, a broker outage must not turn the 201 into an error (a retry would then answer
    email_taken): the link can be asked for again from the profile."""
    try:
        tasks.send_verification_email.delay(user_id)
    except Exception:  # noqa: BLE001 - kombu/redis errors: the account exists, the email is what is missing
        logger.exception("Could not queue the verification email of user %s", user_id)


def user_authenticate(*, email: str, password: str, ip: str | None, request=None) -> User:
    """Check credentials behind the per-account+IP lockout. 401 `invalid_credentials` on failure."""
    security.lockout_check(email=email, ip=ip)
    user = authenticate(request, email=(email or "").strip().lower(), password=password)
    if user is None:
        security.lockout_register_failure(email=email, ip=ip)
        raise DomainError(_("The email or password is not correct."), code="invalid_credentials", status_code=401)
    security.lockout_reset(email=email, ip=ip)
    update_last_login(User, user)
    return user


def tokens_for_user(user: User) -> dict[str, str]:
    refresh = RefreshToken.for_user(user)  # recorded as an OutstandingToken
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def refresh_token_revoke(*, refresh: str, user: User | None = None) -> None:
    """Logout: blacklist one refresh token (which must belong to `user` when given)."""
    try:
        token = RefreshToken(refresh)  # type: ignore[arg-type]  # simplejwt accepts the encoded str
    except TokenError as exc:
        raise DomainError(_("This refresh token is invalid or already used."), code="token_not_valid") from exc
    if user is not None and str(token.get(api_settings.USER_ID_CLAIM)) != str(user.pk):
        raise DomainError(_("This refresh token is invalid or already used."), code="token_not_valid")
    token.blacklist()


def user_tokens_revoke_all(*, user: User) -> int:
    """Blacklist every outstanding refresh token of the user. Returns how many were newly revoked."""
    pending = OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False)
    revoked = [BlacklistedToken(token=t) for t in pending]
    BlacklistedToken.objects.bulk_create(revoked, ignore_conflicts=True)
    return len(revoked)


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise DomainError(
            _("The current password is not correct."),
            code="invalid_password",
            errors={"old_password": [_("The current password is not correct.")]},
        )
    _password_set(user=user, new_password=new_password)


def _password_set(*, user: User, new_password: str) -> None:
    _password_errors(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    password_changed_notify(user=user)


@speaks_to("user")
def password_changed_notify(*, user: User) -> None:
    """After any password change (API or page): every refresh token dies and the inbox says so."""
    user_tokens_revoke_all(user=user)
    notification_create(
        user=user,
        kind="account.password_changed",
        title=_("Your password was changed"),
        body=_("All your devices were signed out. If this was not you, reset your password now."),
        url=reverse("accounts:password-reset"),
    )


def password_reset_request(*, email: str) -> None:
    """Queue the reset for this address; the worker looks the account up and mails it when there is one. The request
    does the same work whether an account uses the address or not: same answer, same time."""
    tasks.send_password_reset_to_address.delay((email or "").strip())


def _user_from_uid(uidb64: str) -> User | None:
    uid = uid_decode(uidb64)
    if not uid:
        return None
    try:
        return User.objects.get(pk=uid, is_active=True)
    except (User.DoesNotExist, ValueError, DjangoValidationError):
        return None


@transaction.atomic
def password_reset_confirm(*, uidb64: str, token: str, new_password: str) -> User:
    user = _user_from_uid(uidb64)
    if user is None or not password_reset_token.check_token(user, token):
        raise DomainError(_("This reset link is invalid or has expired. Ask for a new one."), code="invalid_token")
    _password_set(user=user, new_password=new_password)
    # The person proved they receive mail at this address.
    if not user.email_verified:
        User.objects.filter(pk=user.pk).update(email_verified=True)
        usercache.forget(user.pk)
    return user


def email_verification_send(*, user: User) -> bool:
    if user.email_verified:
        return False
    user_id = str(user.pk)
    transaction.on_commit(lambda: tasks.send_verification_email.delay(user_id))
    return True


@transaction.atomic
def email_verification_confirm(*, uidb64: str, token: str) -> User:
    user = _user_from_uid(uidb64)
    if user is None:
        raise DomainError(_("This verification link is invalid or has expired."), code="invalid_token")
    if user.email_verified:
        return user
    if not email_verification_token.check_token(user, token):
        raise DomainError(_("This verification link is invalid or has expired."), code="invalid_token")
    user.email_verified = True
    user.save(update_fields=["email_verified"])
    return user


# --- OTP phone sign-in, and confirming a phone number ---------------------------------------------------
# A number signs in only once its owner proved it is theirs (a code sent to it, entered back): `User.phone` holds
# verified numbers only; a new one waits in `phone_pending`. No answer says whether a number belongs to an account.
def _otp_hash(phone: str, code: str) -> str:
    return salted_hmac("accounts.otp", f"{phone}:{code}", algorithm="sha256").hexdigest()


def _sms_available(what: str) -> None:
    from skincare.core.config import feature_enabled

    if not feature_enabled("sms"):
        raise DomainError(
            f"{what} needs text messages, which are switched off on this server.",
            code="feature_disabled",
            status_code=403,
        )


def otp_code_issue(*, phone: str, purpose: str, user: User | None = None, ip: str | None = None) -> str:
    """A new 6-digit code for `phone` (earlier live ones of the same purpose die); returns the code to send."""
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        OtpCode.objects.filter(phone=phone, purpose=purpose, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        OtpCode.objects.create(
            phone=phone,
            purpose=purpose,
            user=user,
            code_hash=_otp_hash(phone, code),
            created_at=now,
            expires_at=now + timedelta(seconds=security.OTP_TTL_SECONDS),
            ip_address=ip,
        )
    return code


def otp_request(*, phone: str, ip: str | None) -> None:
    """Send a sign-in code by SMS to the account with this verified number. The request only validates, counts the
    limits and queues the work; the worker looks the number up (unknown: no SMS). Same answer, same time."""
    from skincare.core.config import feature_enabled

    if not (feature_enabled("otp_login") and feature_enabled("sms")):
        raise DomainError(
            _("Signing in with a text-message code is turned off on this server. Sign in with your email."),
            code="feature_disabled",
            status_code=403,
        )
    phone = _clean_phone(phone)
    security.otp_check_and_count(phone=phone, ip=ip)
    tasks.send_login_code.delay(phone, ip)


def otp_login_code_send(*, phone: str, ip: str | None = None) -> bool:
    """The worker's half of otp_request: a code by SMS, in the person's language, when an active account has this
    verified number."""
    user = User.objects.filter(phone=phone, is_active=True).select_related("profile").first()
    if user is None:
        logger.info("OTP requested for a number with no account")
        return False
    code = otp_code_issue(phone=phone, purpose=OtpCode.Purpose.LOGIN, ip=ip)
    minutes = security.OTP_TTL_SECONDS // 60
    with recipient_language(user):
        body = ngettext(
            "Your Skincare sign-in code is %(code)s. It expires in %(minutes)d minute.",
            "Your Skincare sign-in code is %(code)s. It expires in %(minutes)d minutes.",
            minutes,
        )
        send_sms(to=phone, body=body % {"code": code, "minutes": minutes})
    return True


def _otp_check(otp: OtpCode | None, phone: str, code: str, now) -> OtpCode:
    """The code's checks (expiry, attempts, the hash in constant time) and its one-time claim."""
    invalid = DomainError(_("The code is not correct."), code="invalid_code")
    if otp is None:
        raise invalid
    if otp.expires_at <= now:
        raise DomainError(_("This code has expired. Ask for a new one."), code="code_expired")
    if otp.attempts >= security.OTP_MAX_ATTEMPTS:
        raise DomainError(_("Too many wrong codes. Ask for a new one."), code="otp_attempts_exceeded")
    if not constant_time_compare(_otp_hash(phone, str(code).strip()), otp.code_hash):
        # Count the attempt with one conditional UPDATE: parallel guesses cannot exceed the limit.
        OtpCode.objects.filter(pk=otp.pk, attempts__lt=security.OTP_MAX_ATTEMPTS).update(attempts=F("attempts") + 1)
        otp.refresh_from_db(fields=["attempts"])
        if otp.attempts >= security.OTP_MAX_ATTEMPTS:
            raise DomainError(_("Too many wrong codes. Ask for a new one."), code="otp_attempts_exceeded")
        raise invalid
    # Claim the code: only one request can use it.
    if not OtpCode.objects.filter(pk=otp.pk, used_at__isnull=True).update(used_at=now):
        raise invalid
    return otp


def otp_verify(*, phone: str, code: str, ip: str | None) -> User:
    phone = _clean_phone(phone)
    now = timezone.now()
    otp = (
        OtpCode.objects.filter(phone=phone, purpose=OtpCode.Purpose.LOGIN, used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    _otp_check(otp, phone, code, now)
    user = User.objects.filter(phone=phone, is_active=True).first()
    if user is None:
        raise DomainError("The code is not correct.", code="invalid_code")
    update_last_login(User, user)
    return user


def phone_verification_send(*, user: User, ip: str | None = None) -> None:
    """Send a confirmation code to the user's pending number (resend: the same limits as sign-in codes)."""
    phone = user.phone_pending
    if not phone:
        raise DomainError("There is no phone number waiting for confirmation.", code="no_pending_phone")
    _sms_available("Confirming a phone number")
    security.otp_check_and_count(phone=phone, ip=ip)
    user_id = str(user.pk)
    transaction.on_commit(lambda: tasks.send_phone_confirmation_code.delay(user_id, phone, ip))


def phone_confirmation_code_send(*, user_id, phone: str, ip: str | None = None) -> bool:
    """The worker's half: the code, by SMS, to the number still pending on the account."""
    user = User.objects.filter(pk=user_id, is_active=True, phone_pending=phone).first()
    if user is None:
        return False  # changed or confirmed meanwhile
    code = otp_code_issue(phone=phone, purpose=OtpCode.Purpose.VERIFY, user=user, ip=ip)
    minutes = security.OTP_TTL_SECONDS // 60
    send_sms(to=phone, body=f"Your Skincare code to confirm this number is {code}. It expires in {minutes} minutes.")
    return True


@transaction.atomic
def phone_confirm(*, user: User, code: str) -> User:
    """The code sent to the pending number, entered back: the number is the user's. Receiving it proves ownership, so
    a number another account still lists (a recycled number) moves here; that account is told in its inbox."""
    phone = user.phone_pending
    if not phone:
        raise DomainError("There is no phone number waiting for confirmation.", code="no_pending_phone")
    otp = (
        OtpCode.objects.filter(phone=phone, purpose=OtpCode.Purpose.VERIFY, user=user, used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    _otp_check(otp, phone, code, timezone.now())
    for previous in User.objects.select_for_update().filter(phone=phone).exclude(pk=user.pk):
        User.objects.filter(pk=previous.pk).update(phone=None)
        usercache.forget(previous.pk)
        notification_create(
            user=previous,
            kind="account.phone_removed",
            title="Your phone number was removed",
            body="Another account confirmed this number with a code sent to it. Add your current number again.",
            url=reverse("accounts:profile"),
        )
    user.phone, user.phone_pending = phone, None
    user.save(update_fields=["phone", "phone_pending"])
    return user


def _clean_phone(phone: str) -> str:
    try:
        return validate_phone(phone)
    except DjangoValidationError as exc:
        raise DomainError(exc.messages[0], code="invalid_phone", errors={"phone": exc.messages}) from exc


# --- profile, consent --------------------------------------------------------------------------------
PROFILE_FIELDS = (
    "skin_type",
    "skin_tone",
    "concerns",
    "allergies",
    "pregnant_or_nursing",
    "birth_year",
    "budget",
    "preferences",
    "timezone",
    "language",
    "reminder_times",
    "max_steps",
    "quiet_hours",
    "notification_channels",
)


@transaction.atomic
def profile_update(*, user: User, data: dict) -> Profile:
    """Apply validated profile fields (the serializer/form validated types; full_clean re-checks)."""
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    changed = [name for name in PROFILE_FIELDS if name in data]
    tone_before = profile.skin_tone
    for name in changed:
        setattr(profile, name, data[name])
    try:
        profile.full_clean(exclude=["user"])
    except DjangoValidationError as exc:
        raise DomainError(_("Some fields are invalid."), code="validation_error", errors=exc.message_dict) from exc
    profile.save(update_fields=[*changed, "updated_at"] if changed else None)
    if profile.skin_tone and profile.skin_tone != tone_before:
        # the person's own tone beside what a photo measured: labelled data for the tone estimate
        from analysis.labels import skin_tone_label_record

        skin_tone_label_record(user=user, label=profile.skin_tone, source="profile")
    return profile


@transaction.atomic
def user_update(*, user: User, data: dict, ip: str | None = None) -> User:
    """Names change at once. A phone number is not taken on trust: a new one waits in `phone_pending` and a code is
    sent to it (phone_confirm makes it the account's); the answer is the same whether another account has it or not.
    An empty number removes both."""
    fields = [name for name in ("first_name", "last_name") if name in data]
    for name in fields:
        setattr(user, name, data[name] or "")
    if "phone" in data:
        phone = _clean_phone(data["phone"]) if data["phone"] else None
        if phone is None:
            user.phone = user.phone_pending = None
            fields += ["phone", "phone_pending"]
        elif phone == user.phone:
            if user.phone_pending:
                user.phone_pending = None
                fields.append("phone_pending")
        elif phone != user.phone_pending:
            user.phone_pending = phone
            fields.append("phone_pending")
            user.save(update_fields=fields)
            phone_verification_send(user=user, ip=ip)
            return user
    if fields:
        user.save(update_fields=fields)
    return user


def consent_record(*, user: User, kind: str, granted: bool, version: str = "1", ip: str | None = None) -> Consent:
    if kind not in dict(Consent.KINDS):
        raise DomainError(_("Unknown consent kind “%(kind)s”.") % {"kind": kind}, code="invalid_consent_kind")
    return Consent.objects.create(user=user, kind=kind, granted=granted, version=version, ip_address=ip)


# --- GDPR: export and erase ------------------------------------------------------------------------
def account_export(*, user: User) -> dict:
    """Everything stored about the user, from every app's gdpr.export(), with the list of their files."""
    from . import selectors

    data: dict = {"format": "skincare-export/1", "exported_at": timezone.now().isoformat(), "apps": {}, "files": []}
    for label, module in selectors.gdpr_providers():
        data["apps"][label] = module.export(user)
    for label, name in selectors.gdpr_files(user=user):
        try:
            size = default_storage.size(name)
        except (OSError, NotImplementedError):
            size = None
        data["files"].append({"app": label, "name": name, "size": size, "url": _file_url(name, user)})
    return data


def _file_url(name: str, user: User) -> str | None:
    """A short-lived signed link to the person's own file (opening it is recorded as their access)."""
    from privacy.media import owner_media_url

    return owner_media_url(name, user=user)


def account_export_zip(*, user: User) -> bytes:
    """The export as a zip: export.json plus every stored file of the user under files/<app>/."""
    from privacy.media import MediaDenied, Viewer, media_read

    data = account_export(user=user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in data["files"]:
            arcname = f"files/{entry['app']}/{entry['name']}"
            try:  # decrypted for the person, and recorded as their access (privacy.media)
                content, _ = media_read(entry["name"], viewer=Viewer.owner(user), via="export")
                archive.writestr(arcname, content)
                entry["archive_path"] = arcname
            except (OSError, MediaDenied):
                entry["archive_path"] = None
                entry["missing"] = True
        archive.writestr("export.json", json.dumps(data, indent=2, ensure_ascii=False, default=str))
    return buffer.getvalue()


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not delete stored file %s of a deleted account", name, exc_info=True)


def account_delete(*, user: User, password: str) -> int:
    """Erase the account: every app's files (after commit), every row (cascade), all tokens dead.

    Returns how many files were scheduled for deletion.
    """
    if not password or not user.check_password(password):
        raise DomainError(
            _("The password is not correct."),
            code="invalid_password",
            errors={"password": [_("The password is not correct.")]},
        )
    from . import selectors

    names = [name for _label, name in selectors.gdpr_files(user=user)]
    with transaction.atomic():
        user_tokens_revoke_all(user=user)
        # Keep the blacklist entries (the tokens stay dead) but drop the token text and the link.
        OutstandingToken.objects.filter(user=user).update(user=None, token="")
        if user.phone:
            OtpCode.objects.filter(phone=user.phone).delete()
        user_id = user.pk
        user.delete()
        # Staff audit entries keep who acted and when, but no longer what they recorded about this person.
        from skincare.core.audit import audit_forget_subject

        audit_forget_subject(user_id=user_id)
        transaction.on_commit(lambda: _delete_files(names))
    return len(names)


# --- housekeeping ------------------------------------------------------------------------------------
def otp_purge_expired(*, batch_size: int = 5000) -> int:
    cutoff = timezone.now() - timedelta(hours=1)
    ids = list(OtpCode.objects.filter(expires_at__lt=cutoff).values_list("pk", flat=True)[:batch_size])
    return OtpCode.objects.filter(pk__in=ids).delete()[0] if ids else 0


def tokens_flush_expired(*, batch_size: int = 5000) -> int:
    """Expired refresh tokens can never be used again: their outstanding and blacklist rows can go."""
    ids = list(OutstandingToken.objects.filter(expires_at__lt=timezone.now()).values_list("pk", flat=True)[:batch_size])
    if not ids:
        return 0
    BlacklistedToken.objects.filter(token_id__in=ids).delete()
    return OutstandingToken.objects.filter(pk__in=ids).delete()[0]
