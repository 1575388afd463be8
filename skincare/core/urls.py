from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("media/s/<str:token>", views.signed_media, name="media"),
]
