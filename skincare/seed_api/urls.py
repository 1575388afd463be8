"""The seed client's paths (SEED_CLIENT.md). Included before the apps' API urls in skincare/api_v1.py: where a
path is also ours (auth/login, auth/register, ingredients/scan, routine/create, progress/metrics, notifications),
the view here is a subclass of ours that only adds the seed's fields, and it is the one Django serves."""

from skincare.core.routes import both

from . import views

urlpatterns = [
    # shared with our API: subclasses of our views
    *both("auth/register", views.RegisterView.as_view(), name="seed-auth-register"),
    *both("auth/login", views.LoginView.as_view(), name="seed-auth-login"),
    *both("ingredients/scan", views.ScanView.as_view(), name="seed-ingredients-scan"),
    *both("routine/create", views.RoutineCreateView.as_view(), name="seed-routine-create"),
    *both("progress/metrics", views.MetricsView.as_view(), name="seed-progress-metrics"),
    *both("notifications", views.NotificationListView.as_view(), name="seed-notification-list"),
    # the seed's own paths
    *both("users/<str:user_id>", views.UserView.as_view(), name="seed-user"),
    *both("analysis/analyze", views.analyze, name="seed-analysis-analyze"),
    *both("routine/user/<str:user_id>", views.RoutineUserListView.as_view(), name="seed-routine-user"),
    *both("progress/update", views.ProgressUpdateView.as_view(), name="seed-progress-update"),
    *both("notifications/push", views.NotificationPushView.as_view(), name="seed-notifications-push"),
    *both("dermatologist/available", views.DermatologistAvailableView.as_view(), name="seed-dermatologist-available"),
    *both("dermatologist/book", views.DermatologistBookView.as_view(), name="seed-dermatologist-book"),
]
