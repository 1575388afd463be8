from django.urls import path

from . import views

app_name = "ingredients"

urlpatterns = [
    path("", views.scan, name="scan"),
    path("scans/<uuid:scan_id>/", views.scan_result, name="scan_result"),
    path("search/", views.search, name="search"),
    path("suggest/", views.suggest, name="suggest"),
    path("products/", views.product_list, name="products"),
    path("products/<uuid:pk>/", views.product_detail, name="product"),
    path("products/<uuid:pk>/favorite/", views.favorite_toggle, name="favorite_toggle"),
    path("favorites/", views.favorites, name="favorites"),
    path("i/<uuid:pk>/", views.ingredient_detail, name="ingredient"),
    path("batch/<str:public_id>/", views.batch_public, name="batch"),
]
