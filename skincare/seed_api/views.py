"""The seed client's calls (SEED_CLIENT.md) as thin views over our services and selectors.

Shared paths subclass our own view and only add the seed's fields (our contract stays as it is). Seed-only paths
call the same services as our endpoints. Every `user_id` the client sends (path, body or query) must be the
caller's own: another one answers 404, as any other user's object does.
"""

from __future__ import annotations

import asyncio
import time

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.views import APIView

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.api import serializers as account_serializers
from accounts.api import views as account_views
from analysis import selectors as analysis_selectors
from analysis.api import views as analysis_views
from analysis.api.serializers import AnalysisSerializer
from analysis.services import DISCLAIMER, QUALITY_PRIORITY
from consultations import selectors as consultation_selectors
from consultations.api import views as consultation_views
from consultations.api.serializers import ConsultationSerializer
from ingredients.api import views as ingredient_views
from progress.api import views as progress_views
from progress.api.serializers import MetricRecordSerializer
from routines import selectors as routine_selectors
from routines.api import views as routine_views
from routines.api.serializers import RoutineCreateSerializer, RoutineSerializer
from skincare.core.errors import DomainError, NotFound

from . import mapping
from . import serializers as s

ERROR = OpenApiResponse(description="Error envelope {detail, code, errors?}")
USER_ID = OpenApiParameter("user_id", OpenApiTypes.STR, description="Your own user id; another one answers 404")
SEED = ["seed client"]
ROUTINES_LIST_MAX = 100
SLOTS_LIST_MAX = 200


def check_user_id(request, value) -> None:
    """The caller's own id (or none at all) passes; any other value is someone else's: 404."""
    if value in (None, "") or str(value) == str(request.user.pk):
        return
    raise NotFound(_("No such user."), code="user_not_found")


def valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- J1: register and login --------------------------------------------------------------------------
def _with_tokens(response: Response, message: str) -> Response:
    data = response.data
    if isinstance(data, dict) and "access" in data and "user" in data:
        data.update(
            mapping.auth_fields(
                user_id=data["user"]["id"], access=data["access"], refresh=data["refresh"], message=message
            )
        )
    return response


class RegisterView(account_views.RegisterView):
    @extend_schema(
        request=account_serializers.RegisterSerializer, responses={201: s.SeedAuthSerializer, 400: ERROR}, tags=["auth"]
    )
    def post(self, request):
        return _with_tokens(super().post(request), _("Your account is created."))


class LoginView(account_views.LoginView):
    @extend_schema(
        request=account_serializers.LoginSerializer,
        responses={200: s.SeedAuthSerializer, 400: ERROR, 401: ERROR},
        tags=["auth"],
    )
    def post(self, request):
        return _with_tokens(super().post(request), _("Signed in."))


# --- J2, J11: the user's profile ---------------------------------------------------------------------
class UserView(APIView):
    """GET the seed's flat user; PUT/PATCH a partial update of the caller's own profile (PUT is partial too, as
    the seed client sends only what changed)."""

    def _render(self, request, ignored: list[str] | None = None) -> Response:
        user = account_selectors.user_with_profile(user_id=request.user.pk)  # as saved, not the request's copy
        profile = account_selectors.profile_for_user(user=user)
        data = account_serializers.ProfileSerializer(profile).data
        times = account_selectors.reminder_times(profile=profile)
        body = mapping.user_payload(user, data, {k: t.time for k, t in times.items()})
        if ignored:
            body["ignored"] = ignored
        return Response(body)

    @extend_schema(operation_id="seed_user_retrieve", responses={200: s.SeedUserSerializer, 404: ERROR}, tags=SEED)
    def get(self, request, user_id):
        check_user_id(request, user_id)
        return self._render(request)

    @extend_schema(
        operation_id="seed_user_update",
        request=s.SeedUserUpdateSerializer,
        responses={200: s.SeedUserSerializer, 400: ERROR, 404: ERROR},
        tags=SEED,
    )
    def put(self, request, user_id):
        return self._update(request, user_id)

    @extend_schema(
        operation_id="seed_user_partial_update",
        request=s.SeedUserUpdateSerializer,
        responses={200: s.SeedUserSerializer, 400: ERROR, 404: ERROR},
        tags=SEED,
    )
    def patch(self, request, user_id):
        return self._update(request, user_id)

    def _update(self, request, user_id):
        check_user_id(request, user_id)
        data = valid(s.SeedUserUpdateSerializer, request.data)
        names = {k: data[k] for k in ("first_name", "last_name") if k in data}
        if names:
            account_services.user_update(user=request.user, data=names)
        profile_data, ignored = self._profile_fields(request, data)
        if profile_data:
            profile = account_selectors.profile_for_user(user=request.user)
            serializer = account_serializers.ProfileSerializer(profile, data=profile_data, partial=True)
            serializer.is_valid(raise_exception=True)  # the same validators as /auth/profile
            account_services.profile_update(user=request.user, data=serializer.validated_data)
        return self._render(request, ignored)

    def _profile_fields(self, request, data: dict) -> tuple[dict, list[str]]:
        out: dict = {}
        ignored: list[str] = []
        if "skin_type" in data:
            out["skin_type"] = mapping.snake(data["skin_type"]) if data["skin_type"] else None
        if "skin_concerns" in data:
            out["concerns"] = mapping.concern_keys(data["skin_concerns"])
        if data.get("age") is not None:
            from progress.selectors import user_today

            out["birth_year"] = mapping.birth_year_for_age(data["age"], user_today(request.user))
        if data.get("gender"):
            ignored.append("gender")
        prefs = data.get("preferences")
        if isinstance(prefs, list):
            out["preferences"] = prefs
        elif isinstance(prefs, dict):
            times = {}
            for key, value in prefs.items():
                if key in ("reminder_time", "morning_reminder_time"):
                    times["am"] = value
                elif key == "evening_reminder_time":
                    times["pm"] = value
                elif key in ("timezone", "language"):
                    out[key] = value
                elif key == "product_preferences":
                    out["preferences"] = value
                else:
                    ignored.append(f"preferences.{key}")
            if times:
                # Our profile sets both times or neither: the other one stays the time that applies now.
                profile = account_selectors.profile_for_user(user=request.user)
                applied = account_selectors.reminder_times(profile=profile)
                current = {period: t.time.strftime("%H:%M") for period, t in applied.items()}
                out["reminder_times"] = {**current, **times}
        elif prefs is not None:
            raise DomainError(
                _('preferences is an object such as {"reminder_time": "09:00"}.'),
                code="validation_error",
                errors={"preferences": [_("An object or a list.")]},
            )
        return out, ignored


# --- J3: the synchronous analysis --------------------------------------------------------------------
class AnalyzeView(analysis_views.UploadView):
    """The upload (same validation, quality gate, storage, consent and idempotency), answered synchronously by the
    async wrapper `analyze` below: a refused photo at once (200, nothing measured), else the analysis from the
    inference worker when it finishes within SEED_ANALYZE_WAIT_SECONDS, else 202 with where to follow it."""

    @extend_schema(
        operation_id="seed_analysis_analyze",
        request={"application/json": s.SeedAnalyzeSerializer, "multipart/form-data": s.SeedAnalyzeSerializer},
        responses={
            200: s.SeedAnalysisSerializer,
            202: s.SeedAnalysisPendingSerializer,
            400: ERROR,
            404: ERROR,
            413: ERROR,
            415: ERROR,
        },
        summary="Analyse a selfie and wait for the result (the original mobile client's call)",
        tags=SEED,
    )
    def post(self, request):
        body = request.data if hasattr(request.data, "get") else {}
        check_user_id(request, body.get("user_id"))
        try:
            response = super().post(request)
        except DomainError as exc:
            if exc.code not in QUALITY_PRIORITY:
                raise
            issues = (exc.errors or {}).get("quality", [])
            return Response(
                {**mapping.gate_result(code=exc.code, advice=exc.detail, issues=issues), "disclaimer": DISCLAIMER}
            )
        response.seed_pending = response.data["id"]  # the wrapper waits for the worker
        return response


_analyze_view = AnalyzeView.as_view()


def _status(analysis_id) -> str | None:
    from analysis.models import SkinAnalysis

    return SkinAnalysis.objects.filter(pk=analysis_id).values_list("status", flat=True).first()


async def wait_for_analysis(analysis_id, timeout: float) -> str | None:
    """Poll the row until the worker finishes it (done or failed) or `timeout` passes. Each poll is one indexed
    read; between polls the event loop serves other requests (no thread is held while waiting)."""
    deadline = time.monotonic() + timeout
    delay = 0.1
    state = await sync_to_async(_status)(analysis_id)
    while state not in ("done", "failed", None) and time.monotonic() < deadline:
        await asyncio.sleep(min(delay, max(0.0, deadline - time.monotonic())))
        delay = min(delay * 1.5, 0.5)
        state = await sync_to_async(_status)(analysis_id)
    return state


def _final(request, analysis_id, pending: Response):
    """The 200 seed result for a finished analysis, or the 202 pending answer."""
    drf_request = pending.renderer_context["request"]  # DRF's request: its user is the token's
    analysis = analysis_selectors.analysis_get(user=drf_request.user, analysis_id=analysis_id)
    if analysis.status not in ("done", "failed"):
        data = {
            "analysis_id": str(analysis.pk),
            "status": analysis.status,
            "status_url": pending.data["status_url"],
            "websocket_url": pending.data["websocket_url"],
            "retry_after": 2,
        }
        response = JsonResponse(data, status=202, encoder=JSONEncoder)
        response["Retry-After"] = "2"
        response["Location"] = pending["Location"] if pending.has_header("Location") else pending.data["status_url"]
        return response
    ours = AnalysisSerializer(analysis, context={"request": drf_request}).data
    data = {
        **mapping.analysis_result(analysis, list(analysis.lesions.all())),
        "analysis": ours,
        "status_url": pending.data["status_url"],
        "disclaimer": DISCLAIMER,
    }
    return JsonResponse(data, status=200, encoder=JSONEncoder)


async def analyze(request, *args, **kwargs):
    """POST /api/v1/analysis/analyze. An async view so that waiting for the worker holds no server thread."""
    response = await sync_to_async(_analyze_view)(request, *args, **kwargs)
    analysis_id = getattr(response, "seed_pending", None)
    if analysis_id is None:
        return response  # refused by the gate (200), an error (4xx) or not a POST: DRF's answer as it is
    await wait_for_analysis(analysis_id, float(settings.SEED_ANALYZE_WAIT_SECONDS))
    return await sync_to_async(_final)(request, analysis_id, response)


# drf-spectacular and the CSRF middleware read these from the callback, as for any DRF view.
analyze.cls = AnalyzeView  # type: ignore[attr-defined]
analyze.initkwargs = {}  # type: ignore[attr-defined]
analyze.csrf_exempt = True  # type: ignore[attr-defined]


# --- J4: ingredient scan -----------------------------------------------------------------------------
class ScanView(ingredient_views.ScanView):
    @extend_schema(
        request={"application/json": s.SeedScanInputSerializer, "multipart/form-data": s.SeedScanInputSerializer},
        responses={200: s.SeedScanResultSerializer, 400: ERROR, 413: ERROR},
        summary="Scan a label photo, or assess a list of ingredient names (common names resolve through synonyms)",
        tags=["ingredients"],
    )
    def post(self, request):
        response = super().post(request)
        body = request.data if hasattr(request.data, "get") else {}
        response.data.update(mapping.scan_fields(response.data, product_name=body.get("product_name")))
        return response


# --- J5: routines ------------------------------------------------------------------------------------
class RoutineCreateView(routine_views.RoutineCreateView):
    @extend_schema(
        request=s.SeedRoutineCreateSerializer,
        responses={200: s.SeedRoutineCreateResponseSerializer, 400: ERROR, 404: ERROR},
        summary="Generate personalised routine(s); the seed's skin_type is saved to the profile first",
    )
    def post(self, request):
        data = valid(s.SeedRoutineCreateSerializer, request.data)
        check_user_id(request, data.get("user_id"))
        if data.get("skin_type"):
            # The person says what their skin is: the profile (which the builder reads) records it.
            profile = account_selectors.profile_for_user(user=request.user)
            serializer = account_serializers.ProfileSerializer(
                profile, data={"skin_type": mapping.snake(data["skin_type"])}, partial=True
            )
            serializer.is_valid(raise_exception=True)
            account_services.profile_update(user=request.user, data=serializer.validated_data)
        options = {k: data[k] for k in ("period", "budget", "max_steps") if k in data}
        if "time_commitment" in data and "max_steps" not in data:
            try:
                options["max_steps"] = mapping.max_steps_for(data["time_commitment"])
            except mapping.BadTimeCommitment as exc:
                raise DomainError(
                    _("time_commitment is minutes (e.g. 10) or quick, moderate or extensive."),
                    code="invalid_time_commitment",
                    errors={"time_commitment": [_("Minutes, or quick / moderate / extensive.")]},
                ) from exc
        options = valid(RoutineCreateSerializer, options)
        routines = [mapping.routine_payload(r) for r in routine_views.generate_routines(request, options)]
        first = routines[0] if routines else {"routine_id": None, "steps": []}
        return Response({"routine_id": first["routine_id"], "steps": first["steps"], "routines": routines})


class RoutineUserListView(APIView):
    @extend_schema(
        operation_id="seed_routine_user_list",
        responses={200: s.SeedRoutineSerializer(many=True), 404: ERROR},
        summary=f"The user's routines, newest first, as a plain list (at most {ROUTINES_LIST_MAX})",
        tags=SEED,
    )
    def get(self, request, user_id):
        check_user_id(request, user_id)
        routines = routine_selectors.routines_for_user(user=request.user)[:ROUTINES_LIST_MAX]
        context = routine_selectors.week_context(user=request.user)
        serialized = RoutineSerializer(routines, many=True, context=context).data
        return Response([mapping.routine_payload(r) for r in serialized])


# --- J6: progress metrics ----------------------------------------------------------------------------
class ProgressUpdateView(APIView):
    @extend_schema(
        operation_id="seed_progress_update",
        request=s.SeedMetricInputSerializer,
        responses={200: s.SeedMetricSerializer, 400: ERROR, 404: ERROR},
        summary="Log a named metric with a value and notes (the original mobile client's call)",
        tags=SEED,
    )
    def post(self, request):
        data = valid(s.SeedMetricInputSerializer, request.data)
        check_user_id(request, data.get("user_id"))
        metric = progress_views.record_metric(request)
        return Response({"success": True, "metric_id": str(metric.pk), **MetricRecordSerializer(metric).data})


class MetricsView(progress_views.MetricsView):
    @extend_schema(
        operation_id="progress_metrics",
        parameters=[progress_views.MetricsQuerySerializer, USER_ID],
        responses={200: progress_views.MetricsSerializer, 400: ERROR, 404: ERROR},
        summary="The person's logged metrics as series (one per name, oldest point first) over the last `days`",
    )
    def get(self, request):
        check_user_id(request, request.query_params.get("user_id"))
        return super().get(request)


# --- J7: notifications -------------------------------------------------------------------------------
class NotificationListView(account_views.NotificationListView):
    @extend_schema(
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread notifications"), USER_ID],
        responses={200: account_serializers.NotificationSerializer(many=True), 404: ERROR},
        tags=["notifications"],
    )
    def get(self, request, *args, **kwargs):
        check_user_id(request, request.query_params.get("user_id"))
        return super().get(request, *args, **kwargs)


class NotificationPushView(APIView):
    @extend_schema(
        operation_id="seed_notifications_push",
        request=s.SeedPushSerializer,
        responses={200: s.SeedPushResultSerializer, 400: ERROR, 404: ERROR},
        summary="Put a notification into your own inbox (kind `client.<type>`); it is pushed live to your sockets",
        tags=SEED,
    )
    def post(self, request):
        data = valid(s.SeedPushSerializer, request.data)
        check_user_id(request, data.get("user_id"))
        notification = account_services.notification_create(
            user=request.user,
            kind=f"client.{data['type']}",
            title=data["title"],
            body=data.get("body", ""),
            data=data.get("data") or {},
        )
        body = account_serializers.NotificationSerializer(notification).data
        return Response({"success": True, "notification_id": str(notification.pk), **body})


# --- J8: dermatologist -------------------------------------------------------------------------------
class DermatologistAvailableView(APIView):
    @extend_schema(
        operation_id="seed_dermatologist_available",
        parameters=[s.SeedSlotQuerySerializer],
        responses={200: s.SeedSlotSerializer(many=True), 400: ERROR, 404: ERROR},
        summary=f"Free dermatologist slots on a day (your calendar day), as a plain list (at most {SLOTS_LIST_MAX})",
        tags=SEED,
    )
    def get(self, request):
        query = valid(s.SeedSlotQuerySerializer, request.query_params)
        check_user_id(request, query.get("user_id"))
        if query.get("tz"):
            valid(consultation_views.SlotQuerySerializer, {"date": query["date"], "tz": query["tz"]})
        slots, tz_name = consultation_views.free_slots_for(request, query)
        return Response([mapping.slot_payload(slot, tz_name) for slot in slots[:SLOTS_LIST_MAX]])


class DermatologistBookView(APIView):
    @extend_schema(
        operation_id="seed_dermatologist_book",
        request=s.SeedBookSerializer,
        responses={200: s.SeedBookingSerializer, 400: ERROR, 404: ERROR, 409: ERROR},
        summary="Book a slot with a reason (optionally sharing an analysis); 200 with consultation_id",
        tags=SEED,
    )
    def post(self, request):
        data = valid(s.SeedBookSerializer, request.data)
        check_user_id(request, data.get("user_id"))
        consultation = consultation_views.book(
            request,
            {
                "slot": data["slot_id"],
                "reason": data["reason"],
                "share_analysis": data.get("share_analysis") or data.get("analysis_id"),
                "share_before": data.get("share_before"),
                "share_after": data.get("share_after"),
            },
        )
        tz_name = consultation_selectors.person_zone_name(request.user)
        body = ConsultationSerializer(consultation, context={"tz": tz_name}).data
        return Response(mapping.booking_payload(consultation, body), status=status.HTTP_200_OK)
