"""Which language a person is spoken to in: one home for the rule, used by pages, the API and every message.

- A page or an API call: the person's profile language when they chose one, else the language cookie set by
  the switcher, else `Accept-Language`, else the site default (`LANGUAGE_CODE`). Django's LocaleMiddleware does
  cookie → Accept-Language → default; `ProfileLanguageMiddleware` (pages) and `accounts.authentication`
  (the API's JWT) put the profile first.
- A message built for someone else (an email, an SMS, a reminder, an inbox notification), often in a worker
  with no request: `recipient_language(user)` around the code that builds it, or `@speaks_to("user")` on a
  function that takes the recipient as a keyword argument.
- A Celery task runs in the language of the request that queued it (a message header set at publish time),
  so a result written by the worker (an analysis' error sentence) reads like the page that asked for it.
- A sentence stored without a request as a message (msgid + params): `translated_message` says it when read.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

logger = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])


def supported_language(code: str | None) -> str | None:
    """The configured language for a code such as "pt-BR", "es-MX" or "de" (None when none fits)."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code.strip().lower().replace("_", "-"))
    except LookupError:
        return None


def profile_language(user: Any) -> str | None:
    """The language the person chose in their profile (None: they follow their browser)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        code = user.profile.language
    except Exception:  # noqa: BLE001 - staff accounts made with createsuperuser have no profile
        return None
    return supported_language(code)


def user_language(user: Any) -> str:
    """The language to write to this person in when no request is there to ask: the profile's, else the site's."""
    return profile_language(user) or settings.LANGUAGE_CODE


@contextmanager
def recipient_language(user: Any) -> Iterator[str]:
    """Build what is inside for `user`: translations, dates and numbers in their language."""
    language = user_language(user)
    with translation.override(language):
        yield language


def speaks_to(argument: str = "user") -> Callable[[F], F]:
    """Decorator: run the function in the language of the recipient passed as keyword `argument`."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with recipient_language(kwargs.get(argument)):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def activate_for_request(request, language: str) -> None:
    """Switch the current request to `language` (after LocaleMiddleware chose from the cookie / header)."""
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()


def is_rtl(language: str | None = None) -> bool:
    return translation.get_language_info(language or translation.get_language() or settings.LANGUAGE_CODE)["bidi"]


# --- Celery: a task speaks the language of the request that queued it ---------------------------------------
TASK_HEADER = "language"
_previous: dict[str, str | None] = {}


def _task_publish(sender=None, headers=None, **kwargs) -> None:
    language = translation.get_language()
    if headers is not None and language and TASK_HEADER not in headers:
        headers[TASK_HEADER] = language


def _task_prerun(task_id=None, task=None, **kwargs) -> None:
    language = supported_language(getattr(task.request, TASK_HEADER, None)) if task is not None else None
    if language and task_id:
        _previous[task_id] = translation.get_language()
        translation.activate(language)


def _task_postrun(task_id=None, **kwargs) -> None:
    if task_id in _previous:
        previous = _previous.pop(task_id)
        translation.activate(previous) if previous else translation.deactivate()


def connect_celery_signals() -> None:
    from celery import signals

    signals.before_task_publish.connect(_task_publish, weak=False, dispatch_uid="skincare-i18n-publish")
    signals.task_prerun.connect(_task_prerun, weak=False, dispatch_uid="skincare-i18n-prerun")
    signals.task_postrun.connect(_task_postrun, weak=False, dispatch_uid="skincare-i18n-postrun")


def translated_message(msgid: str, params: Mapping | None = None) -> str | None:
    """`gettext(msgid) % params` in the active language: the one way stored messages (msgid + params) are said.

    A translation whose placeholders do not fit the params (a catalog mistake, an old row) gives the English
    instead, logged; None when even the English does not fit (the caller shows its stored text then).
    """
    values = dict(params or {})
    try:
        return gettext(msgid) % values if values else gettext(msgid)
    except (KeyError, TypeError, ValueError):
        logger.warning("Message %r does not fit its params %r", msgid[:40], params)
    try:
        return msgid % values if values else msgid
    except (KeyError, TypeError, ValueError):
        return None


def catalog_gettext(text: str) -> str:
    """gettext for a word or template that may be empty (gettext("") is the catalog's header)."""
    return gettext(text) if text else text


def translated_msg(message) -> str:
    """A `domain.messages` message (the builder's and the recommender's sentences: msgid, params, words by key) in
    the active language; its English when a translation's placeholders do not fit (logged)."""
    from domain import messages as M

    try:
        return M.render(message, catalog_gettext)
    except (KeyError, TypeError, ValueError):
        logger.warning("Message %r does not fit its params", str(message.get("msgid", ""))[:40])
        return M.render(message)
