from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="signup"),  # TODO(accounts)
    path(
        "profile/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="profile"
    ),  # TODO(accounts)
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications-read-all"),
    path("notifications/<uuid:pk>/read/", views.notification_read, name="notification-read"),
]
