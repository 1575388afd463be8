"""The single error envelope of the API: {"detail", "code", "errors"?}.

Services raise `DomainError` subclasses with a stable `code`; DRF's own exceptions and Django's
404/405/413/500 are mapped to the same shape here, so a client always branches on `code`.
`detail` is a sentence in the request's language (marked for translation where it is written, evaluated
when the response is rendered); `code` never changes with the language.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """A client-caused failure with a stable code. Subclass or instantiate with code/detail."""

    status_code = 400
    code = "invalid"
    detail: Any = _("The request could not be processed.")

    def __init__(
        self,
        detail: Any = None,
        *,
        code: str | None = None,
        status_code: int | None = None,
        errors: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.detail = detail or self.detail
        self.code = code or self.code
        self.status_code = status_code or self.status_code
        self.errors = errors
        self.headers = headers or {}
        super().__init__(self.detail)


class NotFound(DomainError):
    status_code = 404
    code = "not_found"
    detail = _("Not found.")


class Throttled(DomainError):
    status_code = 429
    code = "throttled"
    detail = _("Too many requests. Try again later.")

    def __init__(self, detail: Any = None, *, wait: int, code: str | None = None) -> None:
        super().__init__(detail, code=code, headers={"Retry-After": str(max(1, int(wait)))})
        self.wait = wait


_DEFAULT_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "throttled",
    503: "service_unavailable",
}


def _flatten(detail: Any) -> dict[str, list[str]]:
    """DRF's nested error detail → {"field": ["message", ...]} (nested fields joined with dots)."""
    out: dict[str, list[str]] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, list):
            if all(not isinstance(v, (dict, list)) for v in value):
                out.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in value)
            else:
                for i, sub in enumerate(value):
                    walk(f"{prefix}.{i}" if prefix else str(i), sub)
        else:
            out.setdefault(prefix or "non_field_errors", []).append(str(value))

    walk("", detail)
    return out


def _first_code(detail: Any) -> str | None:
    if isinstance(detail, exceptions.ErrorDetail):
        return detail.code
    if isinstance(detail, dict):
        for value in detail.values():
            code = _first_code(value)
            if code:
                return code
    if isinstance(detail, list):
        for value in detail:
            code = _first_code(value)
            if code:
                return code
    return None


def envelope(status_code: int, detail: Any, code: str, errors: dict | None = None) -> dict:
    body: dict[str, Any] = {"detail": str(detail), "code": code}
    if errors:
        body["errors"] = errors
    return body


# --- a dependency down -------------------------------------------------------------------------------------
RETRY_AFTER_SECONDS = 5
UNAVAILABLE_DETAIL = "The service is briefly unavailable. Try again in a few seconds."


def _dependency_errors() -> tuple[type[BaseException], ...]:
    from django.db import InterfaceError, OperationalError
    from kombu.exceptions import OperationalError as BrokerError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    # OperationalError covers PostgreSQL down, "too many clients" and psycopg's PoolTimeout (no free connection).
    return (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError, BrokerError)


def is_dependency_failure(exc: BaseException | None) -> bool:
    """The database, the cache/Redis or the broker could not be reached or had no capacity: 503, not 500."""
    return exc is not None and isinstance(exc, _dependency_errors())


def service_unavailable_response(request=None) -> HttpResponse:
    """503 `service_unavailable` with Retry-After: the envelope on /api/, a page that needs nothing elsewhere
    (no template, no session, no database: the failing dependency may be any of them)."""
    if request is None or is_api_path(request.path):
        response: HttpResponse = json_error_response(503, UNAVAILABLE_DETAIL, "service_unavailable")
    else:
        response = HttpResponse(
            "<!doctype html><meta charset=utf-8><title>Briefly unavailable</title>"
            "<h1>Briefly unavailable</h1><p>The service is busy or restarting. Try again in a few seconds.</p>",
            status=503,
            content_type="text/html; charset=utf-8",
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if is_dependency_failure(exc):
        logger.warning("Dependency unavailable: %s: %s", type(exc).__name__, exc)
        return Response(
            envelope(503, UNAVAILABLE_DETAIL, "service_unavailable"),
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
        )
    if isinstance(exc, DomainError):
        return Response(
            envelope(exc.status_code, exc.detail, exc.code, exc.errors),
            status=exc.status_code,
            headers=exc.headers,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, RequestDataTooBig):
        return Response(envelope(413, _("The request body is too large."), "payload_too_large"), status=413)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        return None  # a real server error: let Django log it and answer 500 (JSON via handler500)

    status_code = response.status_code
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(data)
        code = _first_code(data) or "invalid"
        # Field-level codes like "required"/"blank" are generic; keep the envelope's code stable.
        if code in {
            "required",
            "blank",
            "null",
            "invalid",
            "min_value",
            "max_value",
            "max_length",
            "min_length",
            "invalid_choice",
            "not_a_list",
            "does_not_exist",
            "unique",
            "incorrect_type",
            "date",
            "datetime",
            "empty",
            "not_a_dict",
            "max_digits",
        }:
            code = "validation_error"
        first = next(iter(errors.values()))[0] if errors else _("Invalid input.")
        detail = first if list(errors) == ["non_field_errors"] else _("Some fields are invalid.")
        body = envelope(status_code, detail, code, errors)
    else:
        detail_obj = data.get("detail", "") if isinstance(data, dict) else data
        code = getattr(detail_obj, "code", None) or _DEFAULT_CODES.get(status_code, "error")
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            status_code = 401
            code = "token_not_valid" if code == "token_not_valid" else code
        if isinstance(exc, exceptions.Throttled):
            code = "throttled"
            detail_obj = Throttled.detail
        body = envelope(status_code, str(detail_obj) or str(_("Error.")), str(code))
    response.data = body
    response.status_code = status_code
    return response


def json_error_response(status_code: int, detail: Any, code: str | None = None) -> JsonResponse:
    return JsonResponse(
        envelope(status_code, detail, code or _DEFAULT_CODES.get(status_code, "error")),
        status=status_code,
    )


def is_api_path(path: str) -> bool:
    return path.startswith("/api/")


__all__ = [
    "DomainError",
    "NotFound",
    "Throttled",
    "api_exception_handler",
    "json_error_response",
    "is_api_path",
    "is_dependency_failure",
    "service_unavailable_response",
    "status",
]
