"""JWT authentication for the API: simplejwt's, reading the user and their profile in one query.

Nearly every authenticated endpoint reads the profile (skin type, allergies, timezone, reminder times); fetching it with
the user saves a query on each of them (the load bench's profile of /auth/me: three queries, now one). The checks are
simplejwt's own (active user, revoked token on a password change).
"""

from __future__ import annotations

from rest_framework_simplejwt.authentication import JWTAuthentication as _JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.utils import get_md5_hash_password


class JWTAuthentication(_JWTAuthentication):
    def get_user(self, validated_token):
        try:
            user_id = validated_token[api_settings.USER_ID_CLAIM]
        except KeyError as exc:
            raise InvalidToken("Token contained no recognizable user identification") from exc
        try:
            user = self.user_model.objects.select_related("profile").get(**{api_settings.USER_ID_FIELD: user_id})
        except self.user_model.DoesNotExist as exc:
            raise AuthenticationFailed("User not found", code="user_not_found") from exc
        if api_settings.CHECK_USER_IS_ACTIVE and not user.is_active:
            raise AuthenticationFailed("User is inactive", code="user_inactive")
        if api_settings.CHECK_REVOKE_TOKEN and validated_token.get(
            api_settings.REVOKE_TOKEN_CLAIM
        ) != get_md5_hash_password(user.password):
            raise AuthenticationFailed("The user's password has been changed.", code="password_changed")
        return user


try:  # the schema names this scheme as it names simplejwt's own (bearer JWT)
    from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme

    class JWTScheme(SimpleJWTScheme):
        target_class = "accounts.authentication.JWTAuthentication"

except ImportError:  # pragma: no cover - drf-spectacular is a requirement
    pass
