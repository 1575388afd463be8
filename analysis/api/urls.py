from skincare.core.routes import both

from . import views

urlpatterns = [
    *both("analysis/upload", views.UploadView.as_view(), name="analysis-upload"),
    *both("analysis/history", views.HistoryView.as_view(), name="analysis-history"),
    *both("analysis/<uuid:pk>", views.AnalysisDetailView.as_view(), name="analysis-detail"),
    *both("analysis/<uuid:pk>/feedback", views.FeedbackView.as_view(), name="analysis-feedback"),
    *both("analysis/<uuid:pk>/photo", views.PhotoView.as_view(), name="analysis-photo"),
    *both("analysis/<uuid:pk>/face-map", views.FaceMapView.as_view(), name="analysis-face-map"),
]
