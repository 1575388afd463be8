"""Page forms. They parse form input, reuse the validators of the API and call the same services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from skincare.core.errors import DomainError
from skincare.core.i18n import supported_language

from . import selectors, services, validators
from .clientip import client_ip
from .models import BUDGETS, CONCERN_LABELS, PREFERENCE_LABELS, SKIN_TONE_CHOICES, SKIN_TYPES, User, _iana_zones


class NoColonForm(forms.Form):
    """Labels without Django's trailing colon (cleaner for screen readers and tests by label)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _apply_domain_error(form: forms.Form, exc: DomainError) -> None:
    placed = False
    for field, messages in (exc.errors or {}).items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, exc.detail)


class SignupForm(NoColonForm):
    email = forms.EmailField(label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    accept_terms = forms.BooleanField(
        label=_("I accept the terms of use and the privacy policy"),
        error_messages={"required": _("Accept the terms of use and the privacy policy to create an account.")},
    )

    def __init__(self, *args, ip: str | None = None, language: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.ip = ip
        self.language = language
        self.user: User | None = None

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data

    def save(self) -> User | None:
        data = self.cleaned_data
        try:
            self.user = services.user_create(
                email=data["email"],
                password=data["password1"],
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                accept_terms=data["accept_terms"],
                ip=self.ip,
                language=self.language,
            )
        except DomainError as exc:
            if exc.errors and "password" in exc.errors:
                exc.errors["password1"] = exc.errors.pop("password")
            _apply_domain_error(self, exc)
            return None
        return self.user


class LoginForm(AuthenticationForm):
    """Django's sign-in form behind the same lockout as the API."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The email or password is not correct."),
    }

    def __init__(self, request=None, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Email")
        self.fields["password"].label = _("Password")
        self.fields["username"].widget = forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
        self.retry_after: int | None = None

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email and password:
            try:
                self.user_cache = services.user_authenticate(
                    email=email, password=password, ip=client_ip(self.request), request=self.request
                )
            except DomainError as exc:
                if exc.code == "account_locked":
                    self.retry_after = int(exc.headers.get("Retry-After", "0"))
                    minutes = max(1, round(self.retry_after / 60))
                    raise ValidationError(
                        ngettext(
                            "Too many failed attempts. Try again in about %(minutes)d minute, or reset your password.",
                            "Too many failed attempts. Try again in about %(minutes)d minutes, or reset your password.",
                            minutes,
                        )
                        % {"minutes": minutes},
                        code="account_locked",
                    ) from exc
                raise ValidationError(self.error_messages["invalid_login"], code="invalid_login") from exc
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


def _timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(_iana_zones())]


def _language_choices() -> list[tuple[str, str]]:
    return [("", _("The language of my browser")), *settings.LANGUAGES]


class ProfileForm(NoColonForm):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        help_text=_(
            "International format, e.g. +33612345678. We text it a code to confirm it is yours; then you can "
            "sign in with a code by SMS."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    skin_type = forms.ChoiceField(
        label=_("Skin type"),
        choices=[("", _("I don't know yet")), *SKIN_TYPES],
        required=False,
        help_text=_("A skin analysis can suggest one."),
    )
    skin_tone = forms.ChoiceField(
        label=_("Skin tone"),
        choices=[("", _("Not set")), *SKIN_TONE_CHOICES],
        required=False,
        help_text=_(
            "Your own skin tone (ITA° scale). A skin analysis measures one from the photo; if it is wrong, "
            "set yours here: it is kept beside what was measured to make the measurement better."
        ),
    )
    concerns = forms.MultipleChoiceField(
        label=_("Concerns"),
        choices=list(CONCERN_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    allergies = forms.CharField(
        label=_("Allergies"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ingredient names, separated by commas (e.g. limonene, lanolin)."),
    )
    pregnant_or_nursing = forms.BooleanField(label=_("Pregnant or nursing"), required=False)
    birth_year = forms.IntegerField(
        label=_("Birth year"), required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    budget = forms.ChoiceField(label=_("Budget"), choices=BUDGETS)
    preferences = forms.MultipleChoiceField(
        label=_("Preferences"),
        choices=list(PREFERENCE_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    timezone = forms.ChoiceField(
        label=_("Timezone"), choices=_timezone_choices, help_text=_("Reminders follow this time zone.")
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=_language_choices,
        required=False,
        help_text=_("Pages, emails and reminders use this language."),
    )
    reminder_am = forms.TimeField(
        label=_("Morning reminder"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    reminder_pm = forms.TimeField(
        label=_("Evening reminder"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    max_steps = forms.IntegerField(
        label=_("Most steps per routine"),
        required=False,
        min_value=1,
        max_value=12,
        help_text=_("Leave empty for no limit."),
    )
    photo_analysis_consent = forms.BooleanField(
        label=_("I agree that my selfies are analysed on this server"),
        required=False,
        help_text=_("Needed for skin analysis. Photos never leave this server; you can withdraw at any time."),
    )

    def __init__(self, *args, user: User, ip: str | None = None, **kwargs):
        self.user = user
        self.ip = ip
        self.profile = selectors.profile_for_user(user=user)
        self.consent_before = selectors.consent_given(user=user, kind="photo_analysis")
        self.reminders = selectors.reminder_times(profile=self.profile)
        if "initial" not in kwargs:
            p = self.profile
            kwargs["initial"] = {
                "first_name": user.first_name,
                "last_name": user.last_name,
                "phone": user.phone_pending or user.phone or "",
                "skin_type": p.skin_type or "",
                "skin_tone": p.skin_tone or "",
                "concerns": p.concerns,
                "allergies": ", ".join(p.allergies or []),
                "pregnant_or_nursing": p.pregnant_or_nursing,
                "birth_year": p.birth_year,
                "budget": p.budget,
                "preferences": p.preferences,
                "timezone": p.timezone,
                "language": supported_language(p.language) or "",
                "reminder_am": self.reminders["am"].time,
                "reminder_pm": self.reminders["pm"].time,
                "max_steps": p.max_steps,
                "photo_analysis_consent": self.consent_before,
            }
        super().__init__(*args, **kwargs)
        self._describe_reminders()

    def _describe_reminders(self) -> None:
        """Help text with the site's default, its reminder window, and when a time outside it is really sent."""
        for period in ("am", "pm"):
            reminder = self.reminders[period]
            times = {
                "default": f"{reminder.default:%H:%M}",
                "earliest": f"{reminder.window[0]:%H:%M}",
                "latest": f"{reminder.window[1]:%H:%M}",
                "sends_at": f"{reminder.sends_at:%H:%M}",
            }
            text = _("This site's default is %(default)s; reminders are sent between %(earliest)s and %(latest)s.")
            text = text % times
            if reminder.moved:
                text += " " + _("Yours is outside that window, so it comes at %(sends_at)s.") % times
            self.fields[f"reminder_{period}"].help_text = text

    def _run(self, validator, value):
        try:
            result = validator(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages, code=getattr(exc, "code", None)) from exc
        return value if result is None else result

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "").strip()
        return self._run(validators.validate_phone, value) if value else None

    def clean_allergies(self):
        raw = self.cleaned_data.get("allergies", "")
        items = [part.strip() for part in raw.replace("\n", ",").split(",") if part.strip()]
        return self._run(validators.validate_allergies, items)

    def clean_birth_year(self):
        return self._run(validators.validate_birth_year, self.cleaned_data.get("birth_year"))

    def clean_timezone(self):
        return self._run(validators.validate_timezone, self.cleaned_data.get("timezone"))

    def _reminder_times(self, am, pm) -> dict:
        """The site's defaults, left as they are, are not a choice: the person keeps following them."""
        chosen = {"am": am.strftime("%H:%M"), "pm": pm.strftime("%H:%M")}
        defaults = {period: f"{self.reminders[period].default:%H:%M}" for period in ("am", "pm")}
        return {} if chosen == defaults else chosen

    def save(self) -> bool:
        data = self.cleaned_data
        profile_data = {
            "skin_type": data["skin_type"] or None,
            "skin_tone": data["skin_tone"] or None,
            "concerns": validators.validate_concerns(data["concerns"]),
            "allergies": data["allergies"],
            "pregnant_or_nursing": data["pregnant_or_nursing"],
            "birth_year": data["birth_year"],
            "budget": data["budget"],
            "preferences": validators.validate_preferences(data["preferences"]),
            "timezone": data["timezone"],
            "language": data["language"],
            "reminder_times": self._reminder_times(data["reminder_am"], data["reminder_pm"]),
            "max_steps": data["max_steps"],
        }
        try:
            with transaction.atomic():
                services.user_update(
                    user=self.user,
                    data={"first_name": data["first_name"], "last_name": data["last_name"], "phone": data["phone"]},
                    ip=self.ip,
                )
                services.profile_update(user=self.user, data=profile_data)
        except DomainError as exc:
            _apply_domain_error(self, exc)
            return False
        if data["photo_analysis_consent"] != self.consent_before:
            services.consent_record(
                user=self.user, kind="photo_analysis", granted=data["photo_analysis_consent"], ip=self.ip
            )
        return True


class PasswordResetRequestForm(NoColonForm):
    email = forms.EmailField(label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def save(self, **kwargs) -> None:
        services.password_reset_request(email=self.cleaned_data["email"])


class AccountDeleteForm(NoColonForm):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Deleting removes your account, photos and history for good."),
    )
