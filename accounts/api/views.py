"""Accounts API views: thin; validate with a serializer, call a service or selector, render."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.clientip import client_ip
from skincare.core import readcache
from skincare.core.throttling import SCOPED_THROTTLES

from . import serializers as s


def _auth_result(user) -> dict:
    user = selectors.user_with_profile(user_id=user.pk)
    return {"user": s.UserSerializer(user).data, **services.tokens_for_user(user)}


# --- auth --------------------------------------------------------------------------------------------
class RegisterView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = SCOPED_THROTTLES
    throttle_scope = "login"

    @extend_schema(request=s.RegisterSerializer, responses={201: s.AuthResultSerializer}, tags=["auth"])
    def post(self, request):
        data = _valid(s.RegisterSerializer, request)
        # The language the app asked in (Accept-Language) becomes the profile's: emails and reminders use it.
        user = services.user_create(**data, ip=client_ip(request), language=request.LANGUAGE_CODE)
        return Response(_auth_result(user), status=status.HTTP_201_CREATED)


class LoginView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = SCOPED_THROTTLES
    throttle_scope = "login"

    @extend_schema(request=s.LoginSerializer, responses={200: s.AuthResultSerializer}, tags=["auth"])
    def post(self, request):
        data = _valid(s.LoginSerializer, request)
        user = services.user_authenticate(
            email=data["email"], password=data["password"], ip=client_ip(request), request=request._request
        )
        return Response(_auth_result(user))


class RefreshView(APIView):
    """Rotate: the given refresh token is blacklisted and a new pair is returned."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=s.LogoutSerializer, responses={200: s.TokenPairSerializer}, tags=["auth"])
    def post(self, request):
        serializer = s.RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data)


class LogoutView(APIView):
    """Kill one refresh token. Holding the token is proof enough, so no access token is needed."""

    permission_classes = [AllowAny]
    authentication_classes: list = []  # an expired access token must not stop a logout

    @extend_schema(request=s.LogoutSerializer, responses={204: None}, tags=["auth"])
    def post(self, request):
        data = _valid(s.LogoutSerializer, request)
        services.refresh_token_revoke(refresh=data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    @extend_schema(responses=s.UserSerializer, tags=["auth"])
    @readcache.cached_get()
    def get(self, request):
        selectors.profile_for_user(user=request.user)  # read with the user by the authentication; made if missing
        return Response(s.UserSerializer(request.user).data)

    @extend_schema(
        request=s.UserUpdateSerializer,
        responses=s.UserSerializer,
        tags=["auth"],
        description="Names change at once. A new `phone` is not used until confirmed: it shows as `phone_pending` "
        "and a code is sent to it by SMS (POST auth/phone/confirm). The answer is the same whether or not the number "
        "is another account's.",
    )
    def patch(self, request):
        data = _valid(s.UserUpdateSerializer, request, partial=True)
        services.user_update(user=request.user, data=data, ip=client_ip(request))
        selectors.profile_for_user(user=request.user)
        return Response(s.UserSerializer(selectors.user_with_profile(user_id=request.user.pk)).data)


class ProfileView(APIView):
    @extend_schema(responses=s.ProfileSerializer, tags=["auth"])
    def get(self, request):
        return Response(s.ProfileSerializer(selectors.profile_for_user(user=request.user)).data)

    @extend_schema(request=s.ProfileSerializer, responses=s.ProfileSerializer, tags=["auth"])
    def put(self, request):
        return self._update(request, partial=False)

    @extend_schema(request=s.ProfileSerializer, responses=s.ProfileSerializer, tags=["auth"])
    def patch(self, request):
        return self._update(request, partial=True)

    def _update(self, request, *, partial: bool):
        profile = selectors.profile_for_user(user=request.user)
        serializer = s.ProfileSerializer(profile, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        profile = services.profile_update(user=request.user, data=serializer.validated_data)
        return Response(s.ProfileSerializer(profile).data)


class PasswordResetView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = SCOPED_THROTTLES
    throttle_scope = "password_reset"

    @extend_schema(request=s.PasswordResetSerializer, responses={202: s.MessageSerializer}, tags=["auth"])
    def post(self, request):
        data = _valid(s.PasswordResetSerializer, request)
        services.password_reset_request(email=data["email"])
        return Response(
            {"detail": "If an account uses this address, an email with a reset link is on its way."},
            status=status.HTTP_202_ACCEPTED,
        )


class PasswordConfirmView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = SCOPED_THROTTLES
    throttle_scope = "password_reset"

    @extend_schema(request=s.PasswordConfirmSerializer, responses={200: s.MessageSerializer}, tags=["auth"])
    def post(self, request):
        data = _valid(s.PasswordConfirmSerializer, request)
        services.password_reset_confirm(uidb64=data["uid"], token=data["token"], new_password=data["new_password"])
        return Response({"detail": "Your password was changed. Sign in again on every device."})


class PasswordChangeView(APIView):
    throttle_classes = SCOPED_THROTTLES
    throttle_scope = "password_reset"

    @extend_schema(request=s.PasswordChangeSerializer, responses={200: s.AuthResultSerializer}, tags=["auth"])
    def post(self, request):
        """Change the password; every refresh token dies, and a fresh pair for this device is returned."""
        data = _valid(s.PasswordChangeSerializer, request)
        services.password_change(
            user=request.user, old_password=data["old_password"], new_password=data["new_password"]
        )
        return Response(_auth_result(request.user))


class EmailVerifySendView(APIView):
    @extend_schema(request=None, responses={202: s.MessageSerializer}, tags=["auth"])
    def post(self, request):
        sent = services.email_verification_send(user=request.user)
        detail = "A confirmation link is on its way." if sent else "Your email address is already confirmed."
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)


class EmailVerifyConfirmView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=s.EmailConfirmSerializer, responses={200: s.MessageSerializer}, tags=["auth"])
    def post(self, request):
        data = _valid(s.EmailConfirmSerializer, request)
        services.email_verification_confirm(uidb64=data["uid"], token=data["token"])
        return Response({"detail": "Your email address is confirmed."})


class OtpRequestView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = SCOPED_THROTTLES
    throttle_scope = "otp"

    @extend_schema(request=s.OtpRequestSerializer, responses={202: s.MessageSerializer}, tags=["auth"])
    def post(self, request):
        data = _valid(s.OtpRequestSerializer, request)
        services.otp_request(phone=data["phone"], ip=client_ip(request))
        return Response(
            {"detail": "If this number belongs to an account, a code is on its way by SMS."},
            status=status.HTTP_202_ACCEPTED,
        )


class PhoneConfirmView(APIView):
    throttle_classes = SCOPED_THROTTLES
    throttle_scope = "otp"

    @extend_schema(request=s.PhoneConfirmSerializer, responses={200: s.UserSerializer}, tags=["auth"])
    def post(self, request):
        """The code sent to `phone_pending`: the number becomes the account's verified `phone`."""
        data = _valid(s.PhoneConfirmSerializer, request)
        services.phone_confirm(user=request.user, code=data["code"])
        return Response(s.UserSerializer(selectors.user_with_profile(user_id=request.user.pk)).data)


class PhoneResendView(APIView):
    throttle_classes = SCOPED_THROTTLES
    throttle_scope = "otp"

    @extend_schema(request=None, responses={202: s.MessageSerializer}, tags=["auth"])
    def post(self, request):
        """Send the confirmation code to `phone_pending` again (the sign-in codes' cooldown and limits apply)."""
        services.phone_verification_send(user=request.user, ip=client_ip(request))
        return Response({"detail": "A new code is on its way by SMS."}, status=status.HTTP_202_ACCEPTED)


class OtpVerifyView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = SCOPED_THROTTLES
    throttle_scope = "otp"

    @extend_schema(request=s.OtpVerifySerializer, responses={200: s.AuthResultSerializer}, tags=["auth"])
    def post(self, request):
        data = _valid(s.OtpVerifySerializer, request)
        user = services.otp_verify(phone=data["phone"], code=data["code"], ip=client_ip(request))
        return Response(_auth_result(user))


# --- account ------------------------------------------------------------------------------------------
class ZipRenderer(BaseRenderer):
    media_type = "application/zip"
    format = "zip"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class AccountExportView(APIView):
    """Everything stored about the user. JSON by default; `?format=zip` (or Accept: application/zip)
    gives a zip with export.json and every stored file."""

    renderer_classes = [JSONRenderer, ZipRenderer]

    @extend_schema(
        parameters=[OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "zip"])],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The export (JSON) or a zip archive."),
        },
        tags=["account"],
    )
    def get(self, request):
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        if getattr(request.accepted_renderer, "format", "json") == "zip":
            response = HttpResponse(services.account_export_zip(user=request.user), content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="skincare-export-{stamp}.zip"'
        else:
            response = Response(services.account_export(user=request.user))
            response["Content-Disposition"] = f'attachment; filename="skincare-export-{stamp}.json"'
        response["Cache-Control"] = "no-store"
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are always the JSON envelope, even when a zip was asked for.
        if isinstance(response, Response) and getattr(response, "exception", False):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)


class AccountView(APIView):
    @extend_schema(request=s.AccountDeleteSerializer, responses={204: None}, tags=["account"])
    def delete(self, request):
        data = _valid(s.AccountDeleteSerializer, request)
        services.account_delete(user=request.user, password=data["password"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class ConsentView(APIView):
    @extend_schema(responses=s.ConsentStateSerializer(many=True), tags=["account"])
    def get(self, request):
        state = selectors.consent_state(user=request.user)
        return Response(s.ConsentStateSerializer([{"kind": k, **v} for k, v in state.items()], many=True).data)

    @extend_schema(request=s.ConsentInSerializer, responses={201: s.ConsentSerializer}, tags=["account"])
    def post(self, request):
        data = _valid(s.ConsentInSerializer, request)
        consent = services.consent_record(user=request.user, **data, ip=client_ip(request))
        return Response(s.ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


# --- notifications ------------------------------------------------------------------------------------
class NotificationListView(generics.ListAPIView):
    serializer_class = s.NotificationSerializer

    @extend_schema(
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread notifications")],
        responses=s.NotificationSerializer(many=True),
        tags=["notifications"],
    )
    @readcache.cached_get()
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        unread = self.request.query_params.get("unread", "").lower() in {"1", "true", "yes"}
        return selectors.notification_list(user=self.request.user, unread_only=unread)


class NotificationReadView(APIView):
    @extend_schema(request=None, responses=s.NotificationSerializer, tags=["notifications"])
    def post(self, request, pk):
        notification = selectors.notification_get_for_user(user=request.user, notification_id=pk)
        services.notification_mark_read(notification=notification)
        return Response(s.NotificationSerializer(notification).data)


class NotificationReadAllView(APIView):
    @extend_schema(request=None, responses=s.ReadAllSerializer, tags=["notifications"])
    def post(self, request):
        return Response({"updated": services.notification_mark_all_read(user=request.user)})


def _valid(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
