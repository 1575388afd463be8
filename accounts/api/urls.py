"""Accounts API: full paths under /api/v1/ (see API.md), each with and without a trailing slash."""

from skincare.core.routes import both

from . import views

urlpatterns = [
    *both("auth/register", views.RegisterView.as_view(), name="auth-register"),
    *both("auth/login", views.LoginView.as_view(), name="auth-login"),
    *both("auth/refresh", views.RefreshView.as_view(), name="auth-refresh"),
    *both("auth/logout", views.LogoutView.as_view(), name="auth-logout"),
    *both("auth/me", views.MeView.as_view(), name="auth-me"),
    *both("auth/profile", views.ProfileView.as_view(), name="auth-profile"),
    *both("auth/password/reset", views.PasswordResetView.as_view(), name="auth-password-reset"),
    *both("auth/password/confirm", views.PasswordConfirmView.as_view(), name="auth-password-confirm"),
    *both("auth/password/change", views.PasswordChangeView.as_view(), name="auth-password-change"),
    *both("auth/email/verify", views.EmailVerifySendView.as_view(), name="auth-email-verify"),
    *both("auth/email/confirm", views.EmailVerifyConfirmView.as_view(), name="auth-email-confirm"),
    *both("auth/otp/request", views.OtpRequestView.as_view(), name="auth-otp-request"),
    *both("auth/otp/verify", views.OtpVerifyView.as_view(), name="auth-otp-verify"),
    *both("auth/phone/confirm", views.PhoneConfirmView.as_view(), name="auth-phone-confirm"),
    *both("auth/phone/resend", views.PhoneResendView.as_view(), name="auth-phone-resend"),
    *both("account", views.AccountView.as_view(), name="account"),
    *both("account/export", views.AccountExportView.as_view(), name="account-export"),
    *both("account/consents", views.ConsentView.as_view(), name="account-consents"),
    *both("notifications", views.NotificationListView.as_view(), name="notification-list"),
    *both("notifications/read-all", views.NotificationReadAllView.as_view(), name="notification-read-all"),
    *both("notifications/<uuid:pk>/read", views.NotificationReadView.as_view(), name="notification-read"),
]
