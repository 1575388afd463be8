from skincare.core.routes import both

from . import views

urlpatterns = [
    *both("privacy", views.PrivacySettingsView.as_view(), name="privacy-settings"),
    *both("privacy/access", views.AccessListView.as_view(), name="privacy-access"),
    *both("privacy/grants", views.GrantListView.as_view(), name="privacy-grants"),
    *both("privacy/grants/<uuid:pk>/<str:decision>", views.GrantDecisionView.as_view(), name="privacy-grant-decision"),
    *both("privacy/photos/delete", views.PhotosDeleteView.as_view(), name="privacy-photos-delete-api"),
]
