"""drf-spectacular hooks."""


def drop_trailing_slash_duplicates(endpoints):
    """Every API path is routed with and without a trailing slash (API.md); document it once."""
    paths = {path for path, *_ in endpoints}
    return [e for e in endpoints if not (e[0].endswith("/") and e[0].rstrip("/") in paths)]


def drop_shadowed_routes(endpoints):
    """Django serves the first route that matches a path; where two apps route the same path and method (the seed
    client's subclasses in skincare/seed_api come first), document the one that answers."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for endpoint in endpoints:
        path, _, method, _ = endpoint
        if (path, method) in seen:
            continue
        seen.add((path, method))
        kept.append(endpoint)
    return kept


# --- the error envelope on every operation ---------------------------------------------------------------------------
ERROR_COMPONENT = {
    "type": "object",
    "description": "The error envelope of every API error (API.md): a sentence, a stable code, and for invalid input "
    "the messages per field.",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "required": ["detail", "code"],
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before trying again."}}
_ALWAYS = {
    "400": "Bad input (with `errors` per field), or a body that is not valid JSON.",
    "401": "No token, or a token that is invalid or expired (`not_authenticated`, `token_not_valid`).",
    "403": "Not allowed (`permission_denied`), or the feature is switched off on this server (`feature_disabled`).",
    "404": "Not found, or not yours.",
    "405": "Method not allowed.",
    "429": "Too many requests (`throttled`); see Retry-After.",
    "503": "A dependency (database, cache, broker) is down or busy (`service_unavailable`); see Retry-After.",
}
_WITH_BODY = {
    "413": "The request body is too large.",
    "415": "Unsupported media type.",
}


def add_error_responses(result, generator, request, public):
    """Every operation can answer the error envelope: document it, so a client generated from the schema knows the
    shape of each error it may meet, and a schema fuzzer holds the server to it. Responses an operation already
    documents keep their description; ones declared without a body get the envelope."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorEnvelope"] = ERROR_COMPONENT
    ref = {"$ref": "#/components/schemas/ErrorEnvelope"}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            _json_body_once(operation)
            responses = operation.setdefault("responses", {})
            wanted = dict(_ALWAYS)
            if "requestBody" in operation:
                wanted.update(_WITH_BODY)
            for code, description in wanted.items():
                response = responses.setdefault(code, {"description": description})
                if "content" not in response:
                    response["content"] = {"application/json": {"schema": ref}}
                if code in ("429", "503"):
                    response.setdefault("headers", RETRY_AFTER)
    return result


def _json_body_once(operation: dict) -> None:
    """DRF accepts JSON, form and multipart bodies on every view, and drf-spectacular documents all three with the same
    schema. The contract is JSON (API.md), and a generated client cannot tell three identical bodies apart (its
    request code breaks): document the JSON one. Uploads, whose multipart and JSON bodies differ, keep both."""
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content or len(content) < 2:
        return
    json_schema = content["application/json"].get("schema")
    for media_type in [m for m in content if m != "application/json"]:
        if content[media_type].get("schema") == json_schema:
            del content[media_type]
