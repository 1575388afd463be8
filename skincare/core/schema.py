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
