from django.urls import path

from . import views

app_name = "progress"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("log/", views.log_entry, name="log"),
    path("metrics/", views.log_metric, name="log-metric"),
    path("compare/", views.compare, name="compare"),
    path("shares/", views.shares, name="shares"),
    path("shares/<uuid:pk>/revoke/", views.share_revoke, name="share-revoke"),
    path("s/<str:token>", views.public, name="public"),
    path("s/<str:token>/card.png", views.public_card, name="public-card"),
    path("s/<str:token>/report", views.public_report, name="public-report"),
]
