"""The API's JWT authentication, speaking the person's profile language once it knows who they are.

LocaleMiddleware already chose from `Accept-Language` (an app sends its device language); a profile language
the person chose wins, as on the pages (skincare.core.i18n). `code` values never depend on it.
"""

from __future__ import annotations

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication

from skincare.core.i18n import activate_for_request, profile_language


class _UsersWithProfile:
    """What simplejwt's get_user uses of the user model (objects, DoesNotExist), with the profile in one query."""

    def __init__(self, model):
        self.objects = model.objects.select_related("profile")
        self.DoesNotExist = model.DoesNotExist


class LanguageJWTAuthentication(JWTAuthentication):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_model = _UsersWithProfile(self.user_model)

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
