"""Accounts API: full paths under /api/v1/ (see API.md), each with and without a trailing slash."""

from skincare.core.routes import both

from . import views

urlpatterns = [
    *both("notifications", views.NotificationListView.as_view(), name="notification-list"),
    *both("notifications/<uuid:pk>/read", views.NotificationReadView.as_view(), name="notification-read"),
]
