"""URL helper: API.md says every path answers with and without a trailing slash, with no redirect
(a redirect would turn a POST into a GET)."""

from django.urls import path


def both(route: str, view, name: str | None = None) -> list:
    """`route` without a trailing slash, plus the same route with one."""
    route = route.rstrip("/")
    return [path(route, view, name=name), path(route + "/", view)] if route else [path("", view, name=name)]
