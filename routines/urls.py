from django.urls import path

from . import views

app_name = "routines"
urlpatterns = [
    path("", views.today, name="today"),
    path("build/", views.builder, name="builder"),
    path("proposal/<str:pks>/", views.proposal, name="proposal"),
    path("shelf/", views.shelf, name="shelf"),
    path("shelf/<uuid:pk>/delete/", views.shelf_delete, name="shelf_delete"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/edit/", views.edit, name="edit"),
    path("<uuid:pk>/start/", views.start, name="start"),
    path("<uuid:pk>/stop/", views.stop, name="stop"),
    path("<uuid:pk>/delete/", views.delete, name="delete"),
    path("<uuid:pk>/complete/", views.complete, name="complete"),
]
