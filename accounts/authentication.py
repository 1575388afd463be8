"""The API's JWT authentication, speaking the person's profile language once it knows who they are.

LocaleMiddleware already chose from `Accept-Language` (an app sends its device language); a profile language
the person chose wins, as on the pages (skincare.core.i18n). `code` values never depend on it.
"""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.core.signals import setting_changed
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.utils import aware_utcnow

from skincare.core.i18n import activate_for_request, profile_language
from skincare.core.throttling import count_at_authentication

from . import usercache


class _CachedUsers:
    """What simplejwt's get_user calls (`objects.get(id=...)`): the user and profile from accounts.usercache, read
    with `read` where given (usercache.user_get)."""

    def __init__(self, queryset, read=None):
        self.queryset = queryset
        self.read = read

    def get(self, *, id):  # noqa: A002 - simplejwt's USER_ID_FIELD
        return usercache.user_get(queryset=self.queryset, user_id=id, read=self.read)


class _UsersWithProfile:
    """What simplejwt's get_user uses of the user model (objects, DoesNotExist), with the profile in one query."""

    def __init__(self, model):
        self.objects = _CachedUsers(model.objects.select_related("profile"))
        self.DoesNotExist = model.DoesNotExist

    def reading_with(self, read) -> _UsersWithProfile:
        """The same, reading the cached person with `read` (one request's)."""
        users = object.__new__(_UsersWithProfile)
        users.objects = _CachedUsers(self.objects.queryset, read)
        users.DoesNotExist = self.DoesNotExist
        return users


@functools.lru_cache(maxsize=4096)
def _verified(raw_token: bytes):
    """simplejwt's validation of an access token (signature, claims, expiry), remembered per token (4,096, least
    recent out): the same bytes verify the same way every time, so only the expiry needs checking again. A token that
    fails raises, and failures are not remembered."""
    return JWTAuthentication.get_validated_token(None, raw_token)  # it uses nothing of the instance


def _forget_verified(*, setting, **kwargs) -> None:
    if setting == "SIMPLE_JWT":  # other claims rules (tests): what was verified under the old ones may not be. The
        _verified.cache_clear()  # signing key is simplejwt's, fixed at import (rest_framework_simplejwt.state)


setting_changed.connect(_forget_verified)


class LanguageJWTAuthentication(JWTAuthentication):
    _users = None  # _UsersWithProfile, made once: DRF makes an authenticator per request

    def __init__(self, *args, **kwargs):
        # Not simplejwt's __init__: all it does is get_user_model(), for every request (DRF makes an authenticator
        # per request); the user model is looked up once, here.
        users = type(self)._users
        if users is None:
            users = type(self)._users = _UsersWithProfile(get_user_model())
        self.user_model = users

    def get_validated_token(self, raw_token):
        """A token verified before (`_verified`) whose expiry has not passed since; else simplejwt's full check.

        The decode was 17% of a cached answer's CPU in the load bench's profile (HMAC, base64 checked a character
        at a time, JSON).
        """
        token = _verified(bytes(raw_token))
        try:
            token.check_exp(current_time=aware_utcnow())
        except TokenError:
            return super().get_validated_token(raw_token)  # expired since: simplejwt's own answer and message
        return token

    def authenticate(self, request):
        view = (getattr(request, "parser_context", None) or {}).get("view")
        if view is not None:  # an API view: the person is read in the round trip that counts the request
            self.user_model = self.user_model.reading_with(
                lambda user_id, key: count_at_authentication(request, view, user_id, key)
            )
        result = super().authenticate(request)
        if result is not None:
            language = profile_language(result[0])
            if language:
                activate_for_request(request, language)
        return result


class LanguageJWTScheme(SimpleJWTScheme):
    """The same OpenAPI security scheme as simplejwt's (drf-spectacular matches the exact class)."""

    target_class = "accounts.authentication.LanguageJWTAuthentication"
