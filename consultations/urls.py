from django.urls import path

from . import views

app_name = "consultations"
urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("book/", views.book, name="book"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/cancel/", views.cancel, name="cancel"),
    path("<uuid:pk>/reschedule/", views.reschedule, name="reschedule"),
    path("dermatologist/", views.dermatologist_home, name="dermatologist"),
    path("dermatologist/slots/<uuid:pk>/withdraw/", views.dermatologist_slot_withdraw, name="slot-withdraw"),
    path("dermatologist/<uuid:pk>/", views.dermatologist_detail, name="dermatologist-detail"),
    path("dermatologist/<uuid:pk>/status/", views.dermatologist_status, name="dermatologist-status"),
]
