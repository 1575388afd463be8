"""Every page of the site, in one place: the accessibility audit (axe-core in Chromium) visits all of them, and
the Spanish-page test visits those marked `translated`.

A page's entry has `translated=True` once its strings are marked and in the catalogs; the Spanish test then fails
while any English sentence of the app is left on it. Every page is translated now (phase 2b). The routine,
analysis, ingredient and progress pages show stored sentences rendered in the reader's language from their
messages (routines/analysis/ingredients/progress messages.py).
A new page route must get an entry in PAGES (or in NOT_PAGES with the reason): `test_every_page_is_listed`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone


@dataclass(frozen=True)
class Page:
    name: str  # the URL name, e.g. "accounts:login"
    path: Callable[[SimpleNamespace], str]
    signed_in: bool
    translated: bool = False
    variant: str = ""  # several states of one page: "pending", "failed", "with errors"...
    post: dict | None = None  # submit this form data instead of a plain GET (form-error states)
    heading: str = ""  # part of the page's h1 the keyboard/browser tests can wait for
    tags: frozenset = field(default_factory=frozenset)

    @property
    def label(self) -> str:
        who = "signed in" if self.signed_in else "signed out"
        return f"{self.name}{' (' + self.variant + ')' if self.variant else ''} [{who}]"


def _r(name: str, *args) -> Callable[[SimpleNamespace], str]:
    return lambda w: reverse(name, args=[a(w) if callable(a) else a for a in args])


PAGES: list[Page] = [
    # --- signed out ------------------------------------------------------------------------------------------
    Page("home", _r("home"), signed_in=False, translated=True),
    Page("accounts:login", _r("accounts:login"), signed_in=False, translated=True),
    Page(
        "accounts:login",
        _r("accounts:login"),
        signed_in=False,
        translated=True,
        variant="with errors",
        post={"username": "nobody@example.com", "password": "wrong-password"},
    ),
    Page("accounts:signup", _r("accounts:signup"), signed_in=False, translated=True),
    Page(
        "accounts:signup",
        _r("accounts:signup"),
        signed_in=False,
        translated=True,
        variant="with errors",
        post={"email": "not-an-email", "password1": "short", "password2": "other"},
    ),
    Page("accounts:password-reset", _r("accounts:password-reset"), signed_in=False, translated=True),
    Page("accounts:password-reset-done", _r("accounts:password-reset-done"), signed_in=False, translated=True),
    Page(
        "accounts:password-reset-confirm",
        lambda w: reverse("accounts:password-reset-confirm", args=[w.reset_uid, w.reset_token]),
        signed_in=False,
        translated=True,
    ),
    Page(
        "accounts:password-reset-confirm",
        _r("accounts:password-reset-confirm", "bm9wZQ", "expired-token"),
        signed_in=False,
        translated=True,
        variant="invalid link",
    ),
    Page("accounts:password-reset-complete", _r("accounts:password-reset-complete"), signed_in=False, translated=True),
    Page(
        "accounts:verify-email",
        lambda w: reverse("accounts:verify-email", args=[w.verify_uid, w.verify_token]),
        signed_in=False,
        translated=True,
    ),
    Page(
        "ingredients:batch",
        lambda w: reverse("ingredients:batch", args=[w.batch.public_id]),
        signed_in=False,
        translated=True,
    ),
    Page(
        "progress:public", lambda w: reverse("progress:public", args=[w.share.token]), signed_in=False, translated=True
    ),
    Page("not-found", lambda w: "/no-such-page/", signed_in=False, translated=True, variant="404"),
    # --- signed in ---------------------------------------------------------------------------------------------
    Page("home", _r("home"), signed_in=True, translated=True, variant="next step"),
    Page("accounts:profile", _r("accounts:profile"), signed_in=True, translated=True),
    Page(
        "accounts:profile",
        _r("accounts:profile"),
        signed_in=True,
        translated=True,
        variant="with errors",
        post={"birth_year": "1700", "timezone": "Mars/Olympus", "budget": "medium"},
    ),
    Page("accounts:password-change", _r("accounts:password-change"), signed_in=True, translated=True),
    Page("accounts:notifications", _r("accounts:notifications"), signed_in=True, translated=True),
    Page("analysis:capture", _r("analysis:capture"), signed_in=True, translated=True),
    Page("analysis:history", _r("analysis:history"), signed_in=True, translated=True),
    Page(
        "analysis:detail", lambda w: reverse("analysis:detail", args=[w.analysis.pk]), signed_in=True, translated=True
    ),
    Page(
        "analysis:detail",
        lambda w: reverse("analysis:detail", args=[w.pending.pk]),
        signed_in=True,
        translated=True,
        variant="pending",
    ),
    Page(
        "analysis:detail",
        lambda w: reverse("analysis:detail", args=[w.failed.pk]),
        signed_in=True,
        translated=True,
        variant="failed",
    ),
    Page("ingredients:scan", _r("ingredients:scan"), signed_in=True, translated=True),
    Page(
        "ingredients:scan_result",
        lambda w: reverse("ingredients:scan_result", args=[w.scan.pk]),
        signed_in=True,
        translated=True,
    ),
    Page(
        "ingredients:search", lambda w: reverse("ingredients:search") + "?q=glycerin", signed_in=True, translated=True
    ),
    Page("ingredients:products", _r("ingredients:products"), signed_in=True, translated=True),
    Page(
        "ingredients:product",
        lambda w: reverse("ingredients:product", args=[w.product.pk]),
        signed_in=True,
        translated=True,
    ),
    Page("ingredients:favorites", _r("ingredients:favorites"), signed_in=True, translated=True),
    Page(
        "ingredients:ingredient",
        lambda w: reverse("ingredients:ingredient", args=[w.ingredient.pk]),
        signed_in=True,
        translated=True,
    ),
    Page("routines:today", _r("routines:today"), signed_in=True, translated=True),
    Page("routines:builder", _r("routines:builder"), signed_in=True, translated=True),
    Page(
        "routines:proposal",
        lambda w: reverse("routines:proposal", args=[str(w.routine.pk)]),
        signed_in=True,
        translated=True,
    ),
    Page("routines:detail", lambda w: reverse("routines:detail", args=[w.routine.pk]), signed_in=True, translated=True),
    Page("routines:shelf", _r("routines:shelf"), signed_in=True, translated=True),
    Page("progress:dashboard", _r("progress:dashboard"), signed_in=True, translated=True),
    Page(
        "progress:compare",
        lambda w: reverse("progress:compare") + f"?before={w.before.pk}&after={w.analysis.pk}",
        signed_in=True,
        translated=True,
    ),
    Page("progress:shares", _r("progress:shares"), signed_in=True, translated=True),
    Page("recommendations:list", _r("recommendations:list"), signed_in=True, translated=True),
    # The person's consultations, and the same person as a dermatologist (their schedule, a booking shared with them).
    Page("consultations:list", _r("consultations:list"), signed_in=True, translated=True),
    Page(
        "consultations:book",
        lambda w: reverse("consultations:book") + f"?date={w.book_day.isoformat()}",
        signed_in=True,
        translated=True,
    ),
    Page(
        "consultations:book",
        lambda w: reverse("consultations:book") + f"?date={w.book_day.isoformat()}",
        signed_in=True,
        translated=True,
        variant="with errors",
        post={"reason": ""},
    ),
    Page(
        "consultations:detail",
        lambda w: reverse("consultations:detail", args=[w.consultation.pk]),
        signed_in=True,
        translated=True,
    ),
    Page("consultations:dermatologist", _r("consultations:dermatologist"), signed_in=True, translated=True),
    Page(
        "consultations:dermatologist",
        _r("consultations:dermatologist"),
        signed_in=True,
        translated=True,
        variant="with errors",
        post={"minutes": "5", "day_start": "12:00", "day_end": "09:00"},
    ),
    Page(
        "consultations:dermatologist-detail",
        lambda w: reverse("consultations:dermatologist-detail", args=[w.booked_with_me.pk]),
        signed_in=True,
        translated=True,
    ),
    Page("privacy", _r("privacy"), signed_in=True, translated=True),
]

# Routes that are not pages a person reads, and why.
NOT_PAGES = {
    "healthz": "health check (JSON)",
    "readyz": "readiness check (JSON)",
    "schema": "OpenAPI document",
    "api-docs": "Swagger UI for developers (third-party page)",
    "javascript-catalog": "the scripts' strings (JavaScript)",
    "core:media": "signed file links",
    "accounts:set-language": "POST: the language switcher",
    "accounts:logout": "POST: sign out",
    "accounts:verify-email-send": "POST: send the confirmation link again",
    "accounts:phone-confirm": "POST: the SMS code entered on the profile page",
    "accounts:phone-resend": "POST: send the SMS code again",
    "accounts:account-export": "the data export (zip)",
    "accounts:account-delete": "POST: delete the account",
    "accounts:notifications-read-all": "POST",
    "accounts:notification-read": "POST",
    "analysis:status_json": "polling endpoint (JSON)",
    "analysis:delete": "POST",
    "analysis:feedback": "POST",
    "ingredients:suggest": "autocomplete endpoint (JSON)",
    "ingredients:favorite_toggle": "POST",
    "routines:edit": "POST",
    "routines:start": "POST",
    "routines:stop": "POST",
    "routines:delete": "POST",
    "routines:complete": "POST",
    "routines:shelf_delete": "POST",
    "progress:log": "POST",
    "progress:share-revoke": "POST",
    "progress:public-card": "the share card (PNG image)",
    "progress:public-report": "POST: report a shared page",
    "progress:log-metric": "POST: log a measure (the progress page's form)",
    "analysis:photo-delete": "POST",
    "consultations:cancel": "POST",
    "consultations:reschedule": "POST",
    "consultations:slot-withdraw": "POST",
    "consultations:dermatologist-status": "POST",
    "media": "signed image links (privacy's one serving path)",
    "privacy-retention": "POST",
    "privacy-photos-delete": "POST",
    "privacy-grant-decide": "POST",
}


def translated_pages() -> list[Page]:
    return [p for p in PAGES if p.translated]


def build_world(user, *, with_catalog: bool = True, language: str = "") -> SimpleNamespace:
    """Everything the pages show for `user`: analyses (done, pending, failed), a scan, products, a routine, a shelf,
    progress entries, a share link, notifications. Real rows through the apps' services where there is one."""
    from accounts import services as account_services
    from accounts.models import Profile
    from accounts.tokens import email_verification_token, password_reset_token, uid_encode

    Profile.objects.get_or_create(user=user)
    Profile.objects.filter(user=user).update(concerns=["acne", "redness"], skin_type="combination", language=language)
    user.refresh_from_db()
    world = SimpleNamespace(user=user)
    world.reset_uid, world.reset_token = uid_encode(user), password_reset_token.make_token(user)
    world.verify_uid, world.verify_token = uid_encode(user), email_verification_token.make_token(user)
    account_services.password_changed_notify(user=user)  # an inbox notification, written in the person's language
    if not with_catalog:
        return world

    from analysis.tests.factories import LesionFactory, SkinAnalysisFactory
    from ingredients import services as ingredient_services
    from ingredients.tests.factories import BatchFactory
    from progress import services as progress_services
    from progress.tests.factories import ProgressEntryFactory, make_analysis
    from routines.tests.factories import RoutineFactory, RoutineStepFactory, ShelfItemFactory, product

    # Products with their ingredient lists (the catalog the scanner, the shelf and the recommendations use).
    serum = product(
        "Lumen", "Niacinamide Serum", "serum", 12.5, ["Aqua", "Niacinamide", "Glycerin", "Zinc PCA", "Phenoxyethanol"]
    )
    product("Lumen", "Gentle Cleanser", "cleanser", 9, ["Aqua", "Glycerin", "Coco-Glucoside", "Citric Acid"])
    product("Soleil", "Daily Sunscreen SPF 50", "sunscreen", 18, ["Aqua", "Zinc Oxide", "Glycerin", "Tocopherol"])
    world.product = serum
    world.ingredient = serum.ingredients.get(inci_name="Niacinamide")
    ingredient_services.favorite_add(user=user, product_id=serum.pk)
    text = "Ingredients: Aqua, Glycerin, Niacinamide, Parfum, Limonene."
    world.scan = ingredient_services.scan_create(
        user=user, text=text, result=ingredient_services.assess_ingredients(text=text)
    )
    world.batch = BatchFactory(product=serum)

    # Analyses: two finished ones ten days apart (trends, before/after), one waiting, one failed.
    world.before = make_analysis(user, scores=_scores(55), overall=55, days_ago=10)
    world.analysis = make_analysis(user, scores=_scores(68), overall=68)
    LesionFactory(analysis=world.analysis, kind="inflamed", region="left_cheek")
    LesionFactory(analysis=world.analysis, kind="comedone", region="forehead")
    world.pending = SkinAnalysisFactory(user=user)
    world.failed = SkinAnalysisFactory(
        user=user, status="failed", error_code="image_too_dark", error_detail="The photo is too dark."
    )

    # A routine that runs every day, and a shelf.
    # Its sentences are stored as the builder stores them: English text and message (rendered in the reader's
    # language).
    from domain import messages as M
    from routines import builder

    name = M.msg(builder.N_("Morning routine"))
    rule = M.msg(
        builder.N_("Sunscreen every morning: broad spectrum, SPF 30 or higher, reapplied every 2 hours outdoors.")
    )
    warning = M.msg(
        builder.N_("No %(noun)s within your %(budget)s budget is in the catalog; %(product)s is the closest match."),
        noun=M.word(builder.NOUNS["protect"]),
        budget=M.term("budget", "low"),
        product="Daily Sunscreen SPF 50",
    )
    world.routine = RoutineFactory(
        user=user,
        is_active=True,
        name=M.render(name),
        period="am",
        rules=[{"code": "sunscreen_daily", "text": M.render(rule), "msg": rule, "source": "AAD", "url": ""}],
        warnings=[M.render(warning)],
        msgs={"name": name, "warnings": {M.render(warning): warning}},
    )
    for category, product_name in (("cleanse", "Gentle Cleanser"), ("protect", "Daily Sunscreen SPF 50")):
        said = {"instructions": M.msg(builder.INSTRUCTIONS[category])}
        if category == "protect":
            said["reason"] = M.msg(
                builder.N_("SPF %(spf)s protects against UV, the main cause of dark spots and lines."), spf=50
            )
        else:
            said["reason"] = M.msg(
                builder.N_("A %(noun)s that %(does)s."),
                noun=M.word(builder.CATEGORY_NOUNS["cleanser"]),
                does=M.word(builder.BASICS["cleanse"]),
            )
        RoutineStepFactory(
            routine=world.routine,
            category=category,
            product_name=product_name,
            instructions=M.render(said["instructions"]),
            reason=M.render(said["reason"]),
            msgs=said,
        )
    ShelfItemFactory(user=user, name="Niacinamide Serum", brand="Lumen")

    today = timezone.localdate()
    for days in (0, 1, 2):
        ProgressEntryFactory(user=user, date=today - timedelta(days=days), rating=4)
    world.share = progress_services.share_create(user=user, analysis_id=world.analysis.pk)
    _consultations(world)
    _privacy(world)
    return world


def _consultations(world) -> None:
    """A booking of the person's with a dermatologist (sharing an analysis), a free slot on the booking page's day,
    and the same person as a dermatologist too, with someone's booking that shares an analysis with them."""
    from accounts.tests.factories import UserFactory
    from consultations import selectors as consultation_selectors
    from consultations import services as consultation_services
    from consultations.tests.factories import dermatologist, slot
    from progress.tests.factories import make_analysis

    user = world.user
    ana = dermatologist(name="Dr Ana Costa")
    world.consultation = consultation_services.consultation_book(
        user=user,
        slot_id=slot(ana, hours_ahead=72).pk,
        reason="Red patches on my cheeks since the summer.",
        share_analysis_id=world.analysis.pk,
    )
    free = slot(ana, hours_ahead=98)
    world.book_day = free.starts_at.astimezone(
        consultation_selectors.zone(consultation_selectors.person_zone_name(user))
    ).date()
    me = consultation_services.dermatologist_grant(
        user=user, display_name="Dr Lea Hoffmann", timezone_name="Europe/Berlin", credentials="MD, dermatologist"
    )
    slot(me, hours_ahead=120)
    person = UserFactory(first_name="Marta", last_name="Silva")
    world.booked_with_me = consultation_services.consultation_book(
        user=person,
        slot_id=slot(me, hours_ahead=50).pk,
        reason="Dark spots after acne.",
        share_analysis_id=make_analysis(person, scores=_scores(61), overall=61).pk,
    )


def _privacy(world) -> None:
    """Who saw the person's photos (they did, and their dermatologist), and a support request waiting for them."""
    from consultations.material import viewer_for
    from privacy import media
    from privacy import services as privacy_services
    from skincare.core.tests.factories import staff_user

    name = world.analysis.image.name
    media.media_read(name, viewer=media.Viewer.owner(world.user))
    media.media_read(name, viewer=viewer_for(world.consultation))
    privacy_services.grant_request(
        staff=staff_user(email="support@example.com"), user=world.user, reason="Checking a redness score.", hours=2
    )


def _scores(value: int) -> dict[str, int]:
    from progress.tests.factories import KEYS

    return {key: value + i for i, key in enumerate(KEYS)}
