from skincare.core.routes import both

from . import views

urlpatterns = [
    *both("consultations", views.ConsultationListView.as_view(), name="consultation-list"),
    *both("consultations/dermatologists", views.DermatologistListView.as_view(), name="consultation-dermatologists"),
    *both("consultations/slots", views.SlotListView.as_view(), name="consultation-slots"),
    *both("consultations/schedule", views.ScheduleView.as_view(), name="consultation-schedule"),
    *both("consultations/schedule/slots", views.PublishView.as_view(), name="consultation-schedule-publish"),
    *both("consultations/schedule/<uuid:pk>", views.ScheduleDetailView.as_view(), name="consultation-schedule-detail"),
    *both("consultations/<uuid:pk>", views.ConsultationDetailView.as_view(), name="consultation-detail"),
    *both("consultations/<uuid:pk>/cancel", views.ConsultationCancelView.as_view(), name="consultation-cancel"),
    *both(
        "consultations/<uuid:pk>/reschedule", views.ConsultationRescheduleView.as_view(), name="consultation-reschedule"
    ),
]
