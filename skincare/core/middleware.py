"""Keeps Django's own error pages out of the API: every /api/ answer is the JSON envelope."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.core.exceptions import RequestDataTooBig
from django.utils.functional import SimpleLazyObject, empty
from django.utils.translation import gettext_lazy as _

from .errors import is_api_path, is_dependency_failure, json_error_response, service_unavailable_response
from .i18n import activate_for_request, profile_language

logger = logging.getLogger(__name__)

_MESSAGES = {
    400: (_("Bad request."), "bad_request"),
    403: (_("You are not allowed to do this."), "permission_denied"),
    404: (_("Not found."), "not_found"),
    405: (_("Method not allowed."), "method_not_allowed"),
    413: (_("The request body is too large."), "payload_too_large"),
    500: (_("Something went wrong on our side. It has been logged."), "server_error"),
}


class ProfileLanguageMiddleware:
    """After LocaleMiddleware (cookie, Accept-Language) and authentication: a signed-in person's profile wins.

    The API's JWT users are authenticated later, by DRF: `accounts.authentication` does the same there. A request
    without a session cookie has no session user (signed in through a session means a session cookie), so its lazy
    `request.user` is left unevaluated: resolving it (an empty session, AnonymousUser) was 2-3% of the server's
    samples on every API request under load.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.session_cookie = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        if self.session_cookie not in request.COOKIES:
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = profile_language(user)
            if language:
                activate_for_request(request, language)
        return self.get_response(request)


class LazyMessageMiddleware(MessageMiddleware):
    """Django's MessageMiddleware with the request's message storage made when it is first used.

    Django makes the storage (a cookie store and a session store behind a fallback) for every request, and the API
    never uses it: 2% of the server's samples for a cached GET /auth/me under load. A storage that was never used has
    nothing to store (Django's `update` returns at once for it), so a request that used none skips the update too;
    one that added or read messages is Django's, unchanged.
    """

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        messages = request.__dict__.get("_messages")
        if type(messages) is SimpleLazyObject and messages._wrapped is empty:
            return response
        return super().process_response(request, response)


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_api_path(request.path) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        detail, code = _MESSAGES.get(response.status_code, (_("Error."), "error"))
        return json_error_response(response.status_code, detail, code)

    def process_exception(self, request, exception):
        if is_dependency_failure(exception):
            logger.warning("Dependency unavailable on %s: %s: %s", request.path, type(exception).__name__, exception)
            return service_unavailable_response(request)
        if not is_api_path(request.path):
            return None
        if isinstance(exception, RequestDataTooBig):
            return json_error_response(413, *_MESSAGES[413])
        if isinstance(exception, json.JSONDecodeError | UnicodeDecodeError):
            return json_error_response(400, _("The body is not valid JSON."), "parse_error")
        logger.exception("Unhandled error on %s", request.path)
        return json_error_response(500, *_MESSAGES[500])
