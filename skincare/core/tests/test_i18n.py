"""Which language a person gets, and that messages built for someone speak that person's language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation
from rest_framework.test import APIClient

from accounts.models import Profile, User
from accounts.tests.factories import UserFactory
from skincare.core import i18n

pytestmark = pytest.mark.django_db


def _lang(response) -> str:
    return response["Content-Language"]


def _profile_language(user, language: str) -> User:
    """Set the profile's language; the user as the next request or task reads it."""
    Profile.objects.update_or_create(user=user, defaults={"language": language})
    return User.objects.get(pk=user.pk)


# --- resolution: profile, else cookie, else Accept-Language, else the site default -------------------------------
def test_signed_out_page_follows_accept_language_then_the_default():
    assert _lang(Client(HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9,en;q=0.5").get("/login/")) == "fr"
    assert _lang(Client(HTTP_ACCEPT_LANGUAGE="pt-BR").get("/login/")) == "pt-br"
    assert _lang(Client(HTTP_ACCEPT_LANGUAGE="ja").get("/login/")) == settings.LANGUAGE_CODE
    assert _lang(Client().get("/login/")) == settings.LANGUAGE_CODE


def test_the_language_cookie_wins_over_accept_language():
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    response = client.get("/login/")
    assert _lang(response) == "hi"
    assert "साइन इन करें" in response.content.decode()


def test_the_profile_wins_over_cookie_and_accept_language(user):
    _profile_language(user, "de")
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    client.force_login(user)
    response = client.get("/profile/")
    assert _lang(response) == "de"
    assert '<html lang="de" dir="ltr">' in response.content.decode()
    assert "Dein Profil" in response.content.decode()


def test_a_profile_without_a_language_follows_the_browser(user):
    _profile_language(user, "")
    client = Client(HTTP_ACCEPT_LANGUAGE="es-ES")
    client.force_login(user)
    assert _lang(client.get("/profile/")) == "es"


def test_a_profile_language_the_site_lacks_falls_back(user):
    _profile_language(user, "pt-PT")  # a region the site has not: the Brazilian catalog serves Portuguese
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    assert _lang(client.get("/profile/")) == "pt-br"
    _profile_language(user, "sw")
    assert _lang(client.get("/profile/")) == "en"


def test_responses_vary_on_the_language_inputs():
    response = Client(HTTP_ACCEPT_LANGUAGE="es").get("/login/")
    vary = {v.strip() for v in response["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary


def test_arabic_pages_are_right_to_left():
    html = Client(HTTP_ACCEPT_LANGUAGE="ar").get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "انتقل إلى المحتوى" in html  # the skip link, from the partial Arabic catalog


def test_numbers_and_dates_are_localised():
    template = Template("{{ n }} · {{ d|date:'DATE_FORMAT' }}")
    import datetime

    context = Context({"n": 1234.5, "d": datetime.date(2026, 3, 5)})
    with translation.override("de"):
        assert template.render(context) == "1234,5 · 5. März 2026"
    with translation.override("en"):
        assert template.render(context) == "1234.5 · March 5, 2026"
    with translation.override("hi"):
        assert "मार्च" in template.render(context)


# --- the switcher ---------------------------------------------------------------------------------------------
def test_switcher_signed_out_sets_the_cookie_and_returns_to_the_page():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/signup/"})
    assert response.status_code == 302 and response["Location"] == "/signup/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert _lang(client.get("/signup/")) == "fr"


def test_switcher_refuses_a_foreign_next_and_an_unknown_language():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302 and not response["Location"].startswith("https://evil")
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies


def test_switcher_signed_in_saves_the_profile(user):
    client = Client()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "pt-br", "next": "/"})
    assert Profile.objects.get(user=user).language == "pt-br"


def test_every_page_has_the_switcher_with_native_names():
    html = Client().get("/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    for name in ("English", "Español", "Français", "Deutsch", "Português (Brasil)", "हिन्दी", "العربية"):
        assert name in html


def test_profile_form_saves_the_language_and_the_cookie(user, password):
    client = Client()
    client.force_login(user)
    page = client.get("/profile/")
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None and v != []}
    data.update(language="es", budget="medium", timezone="UTC", reminder_am="07:30", reminder_pm="21:30")
    response = client.post("/profile/", data, follow=True)
    assert Profile.objects.get(user=user).language == "es"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert "Tu perfil se ha guardado." in response.content.decode()
    data["language"] = ""  # the language of my browser: the cookie goes
    client.post("/profile/", data)
    assert Profile.objects.get(user=user).language == ""
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""


def test_sign_up_keeps_the_language_it_was_made_in():
    client = Client(HTTP_ACCEPT_LANGUAGE="hi")
    client.post(
        "/signup/",
        {"email": "asha@example.com", "password1": "a-Long-pass-9", "password2": "a-Long-pass-9", "accept_terms": "on"},
    )
    assert Profile.objects.get(user__email="asha@example.com").language == "hi"


# --- the API: detail in the request's language, code the same ------------------------------------------------------
def test_api_detail_follows_accept_language_and_the_code_stays(db):
    UserFactory(email="sam@example.com", password="right-Pass-1")
    body = {"email": "sam@example.com", "password": "wrong"}
    english = APIClient().post("/api/v1/auth/login", body, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    spanish = APIClient().post("/api/v1/auth/login", body, format="json", HTTP_ACCEPT_LANGUAGE="es").json()
    assert english["code"] == spanish["code"] == "invalid_credentials"
    assert english["detail"] == "The email or password is not correct."
    assert spanish["detail"] == "El correo electrónico o la contraseña no son correctos."


def test_api_follows_the_profile_of_the_token_holder(auth_client):
    _profile_language(auth_client.user, "fr")
    response = auth_client.patch("/api/v1/auth/profile", {"birth_year": 1700}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and response["Content-Language"] == "fr"
    body = response.json()
    assert body["code"] == "invalid_birth_year"
    assert body["detail"] == "Certains champs ne sont pas valides."
    assert "Saisissez une année de naissance" in body["errors"]["birth_year"][0]


def test_api_not_found_and_throttle_messages_are_translated(auth_client):
    response = APIClient().get("/api/v1/no-such-endpoint", HTTP_ACCEPT_LANGUAGE="de")
    assert response.json() == {"detail": "Nicht gefunden.", "code": "not_found"}


def test_api_register_keeps_the_apps_language(db):
    response = APIClient().post(
        "/api/v1/auth/register",
        {"email": "lea@example.com", "password": "a-Long-pass-9", "accept_terms": True},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr-FR",
    )
    assert response.status_code == 201
    assert Profile.objects.get(user__email="lea@example.com").language == "fr"


# --- messages for a recipient speak the recipient's language ------------------------------------------------------
def test_emails_are_written_in_the_recipients_language_whoever_asks(client, django_capture_on_commit_callbacks):
    person = _profile_language(UserFactory(first_name="Ana"), "es")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the requester's page speaks German
        client.post("/password/reset/", {"email": person.email}, HTTP_ACCEPT_LANGUAGE="de")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Restablece tu contraseña de Skincare"
    assert message.body.startswith("Hola, Ana:")
    assert "&" not in message.body.split("\n")[0]  # plain text: nothing HTML-escaped


def test_the_password_changed_notification_speaks_the_person_language():
    from accounts.services import password_changed_notify

    person = _profile_language(UserFactory(), "hi")
    with translation.override("en"):
        password_changed_notify(user=person)
    assert person.notifications.get().title == "आपका पासवर्ड बदल दिया गया"


def test_otp_sms_speaks_the_account_language(sms_outbox_local):
    from accounts.services import otp_request

    person = UserFactory(phone="+33612345678")
    _profile_language(person, "fr")
    otp_request(phone="+33612345678", ip="127.0.0.1")
    assert sms_outbox_local[-1].body.startswith("Votre code de connexion Skincare est ")


@pytest.fixture
def sms_outbox_local():
    from accounts import sms

    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def test_reminders_speak_the_person_language_not_the_workers():
    from datetime import date

    from routines.models import ReminderDelivery
    from routines.reminders import delivery_send
    from routines.tests.factories import RoutineFactory, RoutineStepFactory

    person = UserFactory()
    _profile_language(person, "pt-br")
    routine = RoutineFactory(user=person, is_active=True, period="am")
    RoutineStepFactory(routine=routine, category="cleanse")
    delivery = ReminderDelivery.objects.create(
        user=person,
        routine=routine,
        period="am",
        local_date=date.today(),
        kind=ReminderDelivery.Kind.ROUTINE,
        key=f"test:{routine.pk}",
        scheduled_for=timezone.now(),
    )
    with translation.override("de"):
        assert delivery_send(delivery_id=delivery.pk)
    note = person.notifications.get()
    assert note.title == "Hora da sua rotina da manhã"
    assert note.body.startswith("1 etapa hoje: ")


def test_a_recipient_without_a_language_gets_the_site_default():
    person = UserFactory()
    _profile_language(person, "")
    with translation.override("es"), i18n.recipient_language(person) as language:
        assert language == settings.LANGUAGE_CODE == translation.get_language()


def test_staff_without_a_profile_get_the_site_default_and_their_pages():
    staff = User.objects.create_superuser(email="root@example.com", password="x-Long-pass-9")
    assert i18n.user_language(staff) == settings.LANGUAGE_CODE
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(staff)
    assert _lang(client.get("/")) == "fr"  # no profile: the browser's language


# --- Celery: a task runs in the language of the request that queued it ------------------------------------------
def test_a_queued_task_carries_the_language_and_the_worker_speaks_it():
    class FakeTask:
        class request:  # noqa: N801 - the shape of celery's task.request
            language = "fr"

    headers: dict = {}
    with translation.override("es"):
        i18n._task_publish(headers=headers)
    assert headers["language"] == "es"
    with translation.override("en"):
        i18n._task_prerun(task_id="t1", task=FakeTask)
        assert translation.get_language() == "fr"
        i18n._task_postrun(task_id="t1")
        assert translation.get_language() == "en"


def test_a_request_without_a_session_cookie_does_not_resolve_the_session_user(rf):
    """The API's requests carry a token, not a session: their lazy `request.user` stays unevaluated here."""
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import SimpleLazyObject

    from skincare.core.middleware import ProfileLanguageMiddleware

    resolved = []
    middleware = ProfileLanguageMiddleware(lambda request: "answered")
    request = rf.get("/api/v1/auth/me", HTTP_AUTHORIZATION="Bearer x")
    request.user = SimpleLazyObject(lambda: resolved.append(1) or AnonymousUser())
    assert middleware(request) == "answered" and resolved == []
    request = rf.get("/profile/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "k"
    request.user = SimpleLazyObject(lambda: resolved.append(1) or AnonymousUser())
    middleware(request)
    assert resolved == [1]  # with a session cookie, the session user is looked up as before
