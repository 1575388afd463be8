"""The one way a stored image reaches a screen: a signed, expiring link made for a viewer, checked again and
recorded when it is served.

    from privacy.media import Viewer, media_url

    media_url(analysis.image.name, viewer=Viewer.owner(request.user), request=request)
    media_url(name, viewer=Viewer.share(share))                         # the public share page
    media_url(name, viewer=Viewer.staff(request.user, grant))           # the admin, under an approved grant
    media_url(name, viewer=Viewer(kind="dermatologist", user_id=doctor.pk, ref=str(consultation.pk)))

A link carries (name, viewer kind, viewer id, ref) under Django's signing key and expires after
SIGNED_URL_MAX_AGE seconds. Serving it (privacy.views.serve_media at /media/s/<token>) checks, at that moment, that the
viewer may still see that file — the owner is its owner, the share link is live and shows it, the support grant
is approved and unexpired — then writes a `MediaAccess` row the person sees on their privacy page, and only then
decrypts. A kind without a registered check is refused (fail closed).

Apps that show images to someone new register a check for their kind in their AppConfig.ready():

    register_viewer_check("dermatologist", check, name=lambda viewer: "Dr …", words=describe, same_session=True)

`check(viewer, media) -> bool` gets the Viewer and a MediaInfo (name, owner_id, kind, created_at); `same_session`
also requires the signed-in user of the request to be the viewer (for kinds that only see images in a browser).

An access record keeps who saw the image by *name* (`name(viewer)`: a dermatologist's name, a staff email — the
same in every language, and kept if that account goes) and is put in words when it is read, in the reader's
language (`words(name)`; a fixed `label` text instead is looked up in the catalogs then; default: the kind's
ViewerKind label). So the privacy page, the API and the export speak the person's language of the day, not the
language of whichever process served the image.
Code that uses an image's pixels on the server for someone (a share card, the export archive) calls
`media_read(name, viewer=..., via=...)`, which checks and records the same way and returns the plaintext.
"""

from __future__ import annotations

import datetime
import mimetypes
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext

from .models import MediaAccess, StoredMedia, SupportGrant, ViewerKind

SALT = "skincare.media.v2"
LINK_BUCKET_SECONDS = 60  # links made within the same minute are the same URL, so a browser's cache works


@dataclass(frozen=True)
class Viewer:
    kind: str
    user_id: str | None = None  # who; None for an anonymous visitor of a share link
    ref: str = ""  # what lets them: a share link, a consultation, a support grant

    def __post_init__(self) -> None:  # ids may be given as UUIDs: the link carries text
        object.__setattr__(self, "kind", str(self.kind))
        object.__setattr__(self, "user_id", None if self.user_id is None else str(self.user_id))
        object.__setattr__(self, "ref", str(self.ref or ""))

    @classmethod
    def owner(cls, user) -> Viewer:
        return cls(kind=ViewerKind.OWNER, user_id=str(user.pk))

    @classmethod
    def share(cls, share) -> Viewer:
        return cls(kind=ViewerKind.SHARE, ref=str(share.pk))

    @classmethod
    def staff(cls, user, grant: SupportGrant) -> Viewer:
        return cls(kind=ViewerKind.STAFF, user_id=str(user.pk), ref=str(grant.pk))

    def as_token_payload(self, name: str) -> dict:
        return {"n": name, "k": str(self.kind), "u": self.user_id, "r": self.ref}


@dataclass(frozen=True)
class MediaInfo:
    name: str
    owner_id: uuid.UUID
    kind: str
    created_at: datetime.datetime | None
    row: StoredMedia | None = None  # with its data key: read once per serving


@dataclass(frozen=True)
class _Check:
    allows: Callable[[Viewer, MediaInfo], bool]
    name: Callable[[Viewer], str]  # who, kept on the record (language-neutral)
    words: Callable[[str], str]  # the record in the reader's words, from that name
    same_session: bool


_CHECKS: dict[str, _Check] = {}


def _no_name(viewer: Viewer) -> str:
    return ""


def kind_words(kind: str) -> str:
    """The kind of viewer in the active language ("Someone with your share link"), or the kind itself."""
    label = dict(ViewerKind.choices).get(kind)
    return str(label) if label is not None else kind.replace("_", " ")


def register_viewer_check(
    kind: str,
    check: Callable[[Viewer, MediaInfo], bool],
    *,
    name: Callable[[Viewer], str] | None = None,
    words: Callable[[str], str] | None = None,
    label: Callable[[Viewer], str] | str | None = None,
    same_session: bool = False,
) -> None:
    """Say who of `kind` may see which image (see the module's docstring). A second registration replaces.

    `label` is the older, shorter form: a fixed text (looked up in the catalogs when read), or a callable whose
    text is kept on the record and shown as it is."""
    if callable(label) and name is None:
        name, words = label, words or _as_stored
    elif label is not None and not callable(label) and words is None:  # a text, lazy or not
        words = _fixed_words(label)
    _CHECKS[kind] = _Check(
        allows=check, name=name or _no_name, words=words or _kind_words_of(kind), same_session=same_session
    )


def _as_stored(name: str) -> str:
    return name


def _fixed_words(text) -> Callable[[str], str]:
    """A fixed text, put in the reader's language when read: a lazy text as it is, a plain one looked up in the
    catalogs (its msgid is there when it is one of ViewerKind's labels)."""

    def words(name: str) -> str:
        return str(text) if isinstance(text, Promise) else gettext(text)

    return words


def _kind_words_of(kind: str) -> Callable[[str], str]:
    def words(name: str) -> str:
        return kind_words(kind)

    return words


def viewer_words(kind: str, name: str) -> str:
    """An access record's viewer in the active language (see the module's docstring)."""
    check = _CHECKS.get(kind)
    if check is None:
        return name or kind_words(kind)
    return str(check.words(name or ""))


def registered_kinds() -> list[str]:
    return sorted(_CHECKS)


def _owner_may_see(viewer: Viewer, media: MediaInfo) -> bool:
    return viewer.user_id is not None and str(media.owner_id) == str(uuid.UUID(viewer.user_id))


def _staff_may_see(viewer: Viewer, media: MediaInfo) -> bool:
    try:
        grant_id = uuid.UUID(viewer.ref)
    except ValueError:
        return False
    return SupportGrant.objects.active().filter(pk=grant_id, user_id=media.owner_id, staff_id=viewer.user_id).exists()


def _staff_name(viewer: Viewer) -> str:
    grant = SupportGrant.objects.filter(pk=viewer.ref).only("staff_email").first() if viewer.ref else None
    return grant.staff_email if grant and grant.staff_email else ""


def _staff_words(name: str) -> str:
    if not name:
        return gettext("Support staff, under a request you approved")
    return gettext("Support staff (%(name)s), under a request you approved") % {"name": name}


def _operator_words(name: str) -> str:
    if not name:
        return gettext("The server's operators (a command run on the server)")
    return gettext("The server's operators (%(name)s)") % {"name": name}


def _operator_may_see(viewer: Viewer, media: MediaInfo) -> bool:
    """Server-side jobs run by the operators (a management command): never a link, only media_read."""
    return viewer.user_id is None and bool(viewer.ref)


def register_builtin_checks() -> None:
    register_viewer_check(ViewerKind.OWNER, _owner_may_see)
    register_viewer_check(ViewerKind.STAFF, _staff_may_see, name=_staff_name, words=_staff_words, same_session=True)
    register_viewer_check(ViewerKind.OPERATOR, _operator_may_see, name=lambda viewer: viewer.ref, words=_operator_words)


# --- links ---------------------------------------------------------------------------------------
class _MinuteSigner(signing.TimestampSigner):
    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) // LINK_BUCKET_SECONDS * LINK_BUCKET_SECONDS)


def _signer() -> _MinuteSigner:
    return _MinuteSigner(salt=SALT)


@lru_cache(maxsize=8)
def _media_prefix(script_prefix: str) -> str:
    """`reverse("media")` up to the token, once per script prefix: a list of 20 analyses signs 40 links, and
    resolving the route each time was a tenth of the history endpoint's time (tokens are URL-safe as they are)."""
    return reverse("media", kwargs={"token": "t"})[:-1]


def media_url(name: str | None, *, viewer: Viewer, request=None) -> str | None:
    """A signed, expiring link to a stored image for `viewer` (absolute when a request is at hand)."""
    if not name:
        return None
    token = _signer().sign_object(viewer.as_token_payload(name), compress=True)
    url = _media_prefix(get_script_prefix()) + token
    return request.build_absolute_uri(url) if request is not None else url


def owner_media_url(name: str | None, *, user, request=None) -> str | None:
    """A link to the person's own image, for the person (None for anyone else, or nobody signed in)."""
    if not name or user is None or not getattr(user, "is_authenticated", False):
        return None
    return media_url(name, viewer=Viewer.owner(user), request=request)


def viewer_from_token(token: str) -> tuple[str, Viewer] | None:
    try:
        data = _signer().unsign_object(token, max_age=settings.SIGNED_URL_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("n"), str) or not data.get("k"):
        return None
    if data["k"] == ViewerKind.OPERATOR:
        return None  # server-side reads only, never served as a link
    return data["n"], Viewer(kind=str(data["k"]), user_id=data.get("u"), ref=str(data.get("r") or ""))


# --- checking and recording ----------------------------------------------------------------------
def media_info(name: str) -> MediaInfo | None:
    found = StoredMedia.objects.select_related("data_key").filter(name=name).first()
    if found is None:
        return None
    return MediaInfo(
        name=name, owner_id=found.data_key.user_id, kind=found.kind, created_at=found.created_at, row=found
    )


def authorised(viewer: Viewer, media: MediaInfo, *, request=None) -> bool:
    check = _CHECKS.get(viewer.kind)
    if check is None:
        return False
    if check.same_session:
        user = getattr(request, "user", None) if request is not None else None
        if not (user is not None and user.is_authenticated and str(user.pk) == str(viewer.user_id)):
            return False
    try:
        return bool(check.allows(viewer, media))
    except (ValueError, TypeError):
        return False


def access_record(*, media: MediaInfo, viewer: Viewer, via: str = "link") -> MediaAccess:
    check = _CHECKS.get(viewer.kind)
    name = check.name(viewer) if check else ""
    viewer_id = None
    if viewer.user_id:
        try:
            viewer_id = uuid.UUID(str(viewer.user_id))
        except ValueError:
            viewer_id = None
    return MediaAccess.objects.create(
        owner_id=media.owner_id,
        media_name=media.name,
        media_kind=media.kind,
        media_created_at=media.created_at,
        viewer_kind=viewer.kind,
        viewer_id=viewer_id,
        viewer_name=name[:200],
        ref=viewer.ref[:64],
        via=via[:20],
        created_at=timezone.now(),
    )


class MediaDenied(Exception):
    """Not this viewer, not (or no longer) allowed, or the file is gone: answered as 404."""


def media_read(name: str | None, *, viewer: Viewer, request=None, via: str = "link") -> tuple[bytes, MediaInfo]:
    """Check, record, decrypt: the plaintext of `name` for `viewer`. MediaDenied otherwise.

    The serving view uses it, and so does anything that shows an image's pixels another way (a share card, the
    export archive), so that every serving is recorded.
    """
    from .storage import media_storage

    media = media_info(name) if name else None
    if name is None or media is None or not authorised(viewer, media, request=request):
        raise MediaDenied(name)
    try:
        data = media_storage().read(name, row=media.row)
    except FileNotFoundError as exc:
        raise MediaDenied(name) from exc
    access_record(media=media, viewer=viewer, via=via)
    return data, media


def content_type_of(name: str) -> str:
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"
