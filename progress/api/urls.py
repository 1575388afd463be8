from skincare.core.routes import both

from . import views

urlpatterns = [
    *both("progress/log", views.LogView.as_view(), name="progress-log"),
    *both("progress/timeline", views.TimelineView.as_view(), name="progress-timeline"),
    *both("progress/stats", views.StatsView.as_view(), name="progress-stats"),
    *both("progress/metrics", views.MetricsView.as_view(), name="progress-metrics"),
    *both("progress/compare", views.CompareView.as_view(), name="progress-compare"),
    *both("progress/milestone", views.MilestoneView.as_view(), name="progress-milestone"),
    *both("share", views.ShareView.as_view(), name="share"),
    *both("share/report", views.ShareReportView.as_view(), name="share-report"),
    *both("share/<uuid:pk>", views.ShareDetailView.as_view(), name="share-detail"),
]
