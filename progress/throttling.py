"""A per-address throttle for reports on public shared pages (anyone may report; nobody may flood)."""

from __future__ import annotations

from skincare.core.throttling import AddressRateThrottle

REPORT_RATE = "10/hour"  # the default of THROTTLE_SHARE_REPORT


class ShareReportThrottle(AddressRateThrottle):
    """10 reports an hour per client address (THROTTLE_SHARE_REPORT), signed in or not. Works on DRF and plain Django
    requests."""

    scope = "share_report"
