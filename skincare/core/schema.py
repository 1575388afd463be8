"""drf-spectacular hooks."""


def drop_trailing_slash_duplicates(endpoints):
    """Every API path is routed with and without a trailing slash (API.md); document it once."""
    paths = {path for path, *_ in endpoints}
    return [e for e in endpoints if not (e[0].endswith("/") and e[0].rstrip("/") in paths)]
