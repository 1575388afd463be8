from django.urls import path

from . import views

app_name = "analysis"
urlpatterns = [
    path("", views.capture, name="capture"),
    path("history/", views.history, name="history"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/status.json", views.status_json, name="status_json"),
    path("<uuid:pk>/delete/", views.delete, name="delete"),
    path("<uuid:pk>/photo/delete/", views.photo_delete, name="photo-delete"),
    path("<uuid:pk>/feedback/", views.feedback, name="feedback"),
]
