from django.urls import path

from . import views

urlpatterns = [
    path("media/s/<str:token>", views.serve_media, name="media"),
    path("privacy/", views.privacy_page, name="privacy"),
    path("privacy/retention/", views.retention_update, name="privacy-retention"),
    path("privacy/photos/delete/", views.photos_delete_all, name="privacy-photos-delete"),
    path("privacy/grants/<uuid:pk>/<str:decision>/", views.grant_decide, name="privacy-grant-decide"),
]
