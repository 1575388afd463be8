"""The API's JWT authentication, speaking the person's profile language once it knows who they are.

LocaleMiddleware already chose from `Accept-Language` (an app sends its device language); a profile language
the person chose wins, as on the pages (skincare.core.i18n). `code` values never depend on it.
"""

from __future__ import annotations

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication

from skincare.core.i18n import activate_for_request, profile_language

from . import usercache


class _CachedUsers:
    """What simplejwt's get_user calls (`objects.get(id=...)`): the user and profile from accounts.usercache."""

    def __init__(self, queryset):
        self.queryset = queryset

    def get(self, *, id):  # noqa: A002 - simplejwt's USER_ID_FIELD
        return usercache.user_get(queryset=self.queryset, user_id=id)


class _UsersWithProfile:
    """What simplejwt's get_user uses of the user model (objects, DoesNotExist), with the profile in one query."""

    def __init__(self, model):
        self.objects = _CachedUsers(model.objects.select_related("profile"))
        self.DoesNotExist = model.DoesNotExist


class LanguageJWTAuthentication(JWTAuthentication):
    _users = None  # _UsersWithProfile, made once: DRF makes an authenticator per request

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = type(self)._users
        if users is None:
            users = type(self)._users = _UsersWithProfile(self.user_model)
        self.user_model = users

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            language = profile_language(result[0])
            if language:
                activate_for_request(request, language)
        return result


class LanguageJWTScheme(SimpleJWTScheme):
    """The same OpenAPI security scheme as simplejwt's (drf-spectacular matches the exact class)."""

    target_class = "accounts.authentication.LanguageJWTAuthentication"
