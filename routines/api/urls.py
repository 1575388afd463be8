from skincare.core.routes import both

from . import views

urlpatterns = [
    *both("routine/create", views.RoutineCreateView.as_view(), name="routine-create"),
    *both("routine/my-routines", views.MyRoutinesView.as_view(), name="routine-list"),
    *both("routine/<uuid:pk>", views.RoutineDetailView.as_view(), name="routine-detail"),
    *both("routine/<uuid:pk>/start", views.RoutineStartView.as_view(), name="routine-start"),
    *both("routine/<uuid:pk>/complete", views.RoutineCompleteView.as_view(), name="routine-complete"),
    *both("shelf", views.ShelfView.as_view(), name="shelf-list"),
    *both("shelf/<uuid:pk>", views.ShelfItemView.as_view(), name="shelf-detail"),
]
