from django.urls import path  # noqa: F401 - the project's own pages go here; stored images: privacy.urls

app_name = "core"
urlpatterns: list = []
