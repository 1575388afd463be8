"""A per-address throttle for reports on public shared pages (anyone may report; nobody may flood)."""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle

REPORT_RATE = "10/hour"


class ShareReportThrottle(SimpleRateThrottle):
    """10 reports an hour per client address, signed in or not. Works on DRF and plain Django requests."""

    scope = "share_report"
    rate = REPORT_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
