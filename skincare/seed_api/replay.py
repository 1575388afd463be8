"""The original mobile client's end-to-end test (SEED_CLIENT.md), replayed over plain HTTP.

Standard library only, JSON bodies, no cookies: exactly what a new client sees. Each of the twelve
journeys (J1-J12) runs in order, later ones using the token and `user_id` from J1, and passes when every
call in it answered as SEED_CLIENT.md says. `python -m skincare.seed_api.replay http://127.0.0.1:8000`
prints the result against any running server; the live test runs it against ours.
"""

from __future__ import annotations

import base64
import json
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

# The seed test's image: a 1x1 transparent PNG (no face in it).
TRANSPARENT_PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect would turn a POST into a GET: report it
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)  # no cookie processor: nothing is remembered


@dataclass
class Call:
    method: str
    path: str
    status: int
    body: object


@dataclass
class Journey:
    name: str
    passed: bool = False
    failures: list[str] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)


class Client:
    def __init__(self, base_url: str, timeout: float = 60) -> None:
        self.base = base_url.rstrip("/") + "/api/v1"
        self.timeout = timeout
        self.token: str | None = None
        self.user_id: str | None = None

    def call(self, method: str, path: str, body: dict | None = None) -> Call:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)  # noqa: S310 - http(s) only
        request.add_header("Content-Type", "application/json")
        request.add_header("Accept", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw[:300].decode(errors="replace")
        return Call(method, path, status, parsed)


def _expect(journey: Journey, call: Call, status: int, check: Callable[[object], str | None] | None = None) -> None:
    journey.calls.append(call)
    if call.status != status:
        journey.failures.append(f"{call.method} {call.path}: {call.status}, expected {status}: {str(call.body)[:300]}")
        return
    problem = check(call.body) if check else None
    if problem:
        journey.failures.append(f"{call.method} {call.path}: {problem}")


def _has(*keys: str) -> Callable[[object], str | None]:
    def check(body: object) -> str | None:
        if not isinstance(body, dict):
            return f"not a JSON object: {str(body)[:200]}"
        missing = [k for k in keys if k not in body]
        return f"missing {missing} in {sorted(body)}" if missing else None

    return check


def _login_check(body: object) -> str | None:
    problem = _has("access_token", "user_id")(body)
    if problem:
        return problem
    assert isinstance(body, dict)
    if not isinstance(body["access_token"], str) or len(body["access_token"]) < 20:
        return "access_token is not a string of 20 characters or more"
    if not isinstance(body["user_id"], str):
        return f"user_id is a {type(body['user_id']).__name__}, not a string"
    return None


def _analysis_check(body: object) -> str | None:
    problem = _has("skin_condition", "severity", "recommendations")(body)
    if problem:
        return problem
    assert isinstance(body, dict)
    recs = body["recommendations"]
    if not isinstance(recs, list) or not all(isinstance(r, str) for r in recs):
        return f"recommendations is not a list of strings: {recs!r}"
    return None


def _list_check(key: str | None = None) -> Callable[[object], str | None]:
    def check(body: object) -> str | None:
        if not isinstance(body, list):
            return f"not a JSON list: {str(body)[:200]}"
        if key and body and not all(isinstance(item, dict) and key in item for item in body):
            return f"an item has no {key!r}"
        return None

    return check


def run(base_url: str, *, slot_date: date | None = None, face_image_b64: str | None = None) -> list[Journey]:
    """Replay J1-J12 in order against `base_url`. `slot_date`: the day J8 asks for free slots (today by default).

    With `face_image_b64`, J3 also sends a real selfie, which must come back analysed (status done).
    """
    client = Client(base_url)
    email = f"seed-{uuid.uuid4().hex[:12]}@example.com"
    password = "Seed-client-pass-42!"  # noqa: S105 - a throwaway account the replay creates
    journeys: list[Journey] = []

    def journey(name: str) -> Journey:
        j = Journey(name)
        journeys.append(j)
        return j

    # J1: register, then log in; later journeys use the token and user_id.
    j = journey("J1 register and login")
    _expect(
        j,
        client.call(
            "POST", "/auth/register", {"email": email, "password": password, "first_name": "Seed", "last_name": "User"}
        ),
        201,
    )
    login = client.call("POST", "/auth/login", {"email": email, "password": password})
    _expect(j, login, 200, _login_check)
    if isinstance(login.body, dict):
        client.token = login.body.get("access_token") if isinstance(login.body.get("access_token"), str) else None
        client.user_id = str(login.body.get("user_id"))
    uid = client.user_id

    # J2: profile update and read-back.
    j = journey("J2 profile")
    profile = {"skin_type": "combination", "skin_concerns": ["acne", "dryness"], "age": 28, "gender": "female"}
    _expect(j, client.call("PUT", f"/users/{uid}", profile), 200)
    _expect(j, client.call("GET", f"/users/{uid}"), 200, _has("skin_type"))

    # J3: analysis of a photo with no face: a 200 result saying so, not a 4xx.
    j = journey("J3 analyze")
    _expect(
        j,
        client.call("POST", "/analysis/analyze", {"image_data": TRANSPARENT_PNG_B64, "user_id": uid}),
        200,
        _analysis_check,
    )
    if face_image_b64:

        def analysed(body: object) -> str | None:
            problem = _analysis_check(body)
            if problem:
                return problem
            assert isinstance(body, dict)
            if body.get("status") != "done" or not body.get("skin_condition"):
                return f"the selfie was not analysed: status {body.get('status')!r}"
            return None

        _expect(
            j,
            client.call("POST", "/analysis/analyze", {"image_data": face_image_b64, "user_id": uid}),
            200,
            analysed,
        )

    # J4: ingredient scan from an already split list with common names.
    j = journey("J4 ingredient scan")
    scan = {"product_name": "Bright serum", "ingredients": ["Water", "Vitamin C", "Hyaluronic Acid", "Fragrance"]}
    _expect(j, client.call("POST", "/ingredients/scan", scan), 200, _has("safety_rating", "benefits", "warnings"))

    # J5: routine creation (200, not 201) and the user's routines as a list.
    j = journey("J5 routine")
    body = {"user_id": uid, "skin_type": "combination", "time_commitment": "moderate"}
    _expect(j, client.call("POST", "/routine/create", body), 200, _has("routine_id", "steps"))
    _expect(j, client.call("GET", f"/routine/user/{uid}"), 200, _list_check())

    # J6: a named progress metric, then the logged metrics.
    j = journey("J6 progress metrics")
    metric = {"user_id": uid, "metric": "skin_clarity", "value": 7, "notes": "Fewer spots this week"}
    _expect(j, client.call("POST", "/progress/update", metric), 200)
    _expect(j, client.call("GET", f"/progress/metrics?user_id={uid}"), 200)

    # J7: a notification into the user's own inbox, then the inbox.
    j = journey("J7 notifications")
    push = {"user_id": uid, "title": "Routine time", "body": "Your evening routine is due", "type": "reminder"}
    _expect(j, client.call("POST", "/notifications/push", push), 200)
    _expect(j, client.call("GET", f"/notifications?user_id={uid}"), 200)

    # J8: free dermatologist slots on a day, then a booking of the first one.
    j = journey("J8 dermatologist")
    day = (slot_date or date.today()).isoformat()  # noqa: DTZ011 - the client's own calendar day
    slots = client.call("GET", f"/dermatologist/available?date={day}")
    _expect(j, slots, 200, _list_check("slot_id"))
    if isinstance(slots.body, list) and slots.body:
        slot_id = slots.body[0]["slot_id"]
        book = {"user_id": uid, "slot_id": slot_id, "reason": "Persistent redness on the cheeks"}
        _expect(j, client.call("POST", "/dermatologist/book", book), 200, _has("consultation_id"))
    elif slots.status == 200:
        j.failures.append("no free slot was offered, so nothing could be booked")

    # J9, J10: login errors.
    j = journey("J9 wrong password")
    saved, client.token = client.token, None
    _expect(
        j, client.call("POST", "/auth/login", {"email": email, "password": "wrong-" + password}), 401, _has("detail")
    )
    j = journey("J10 no password")
    _expect(j, client.call("POST", "/auth/login", {"email": email}), 400)
    client.token = saved

    # J11: a partial update with only a preference.
    j = journey("J11 preferences")
    _expect(j, client.call("PUT", f"/users/{uid}", {"preferences": {"reminder_time": "09:00"}}), 200)

    # J12: the whole workflow in one go.
    j = journey("J12 workflow")
    _expect(j, client.call("PUT", f"/users/{uid}", {"skin_type": "oily", "skin_concerns": ["acne"]}), 200)
    _expect(
        j,
        client.call("POST", "/analysis/analyze", {"image_data": TRANSPARENT_PNG_B64, "user_id": uid}),
        200,
        _analysis_check,
    )
    _expect(j, client.call("POST", "/routine/create", {"user_id": uid, "skin_type": "oily"}), 200)
    _expect(j, client.call("POST", "/progress/update", {"user_id": uid, "metric": "oiliness_feel", "value": 4}), 200)
    _expect(j, client.call("POST", "/ingredients/scan", {"product_name": "Gel", "ingredients": ["Niacinamide"]}), 200)

    for j in journeys:
        j.passed = not j.failures
    return journeys


def summary(journeys: list[Journey]) -> str:
    lines = [f"{sum(j.passed for j in journeys)} of {len(journeys)} journeys pass"]
    for j in journeys:
        lines.append(f"  {'PASS' if j.passed else 'FAIL'} {j.name}")
        lines.extend(f"       {f}" for f in j.failures)
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: python -m skincare.seed_api.replay BASE_URL [SLOT_DATE] [FACE_IMAGE]", file=sys.stderr)
        return 2
    slot_date = date.fromisoformat(argv[2]) if len(argv) > 2 and argv[2] else None
    face = base64.b64encode(open(argv[3], "rb").read()).decode() if len(argv) > 3 else None  # noqa: SIM115
    journeys = run(argv[1], slot_date=slot_date, face_image_b64=face)
    print(summary(journeys))
    return 0 if all(j.passed for j in journeys) else 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv))
