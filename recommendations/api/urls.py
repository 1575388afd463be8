from skincare.core.routes import both

from . import views

urlpatterns = [
    *both("recommendations", views.RecommendationListView.as_view(), name="recommendations-list"),
    *both("recommendations/interactions", views.InteractionCreateView.as_view(), name="recommendations-interaction"),
]
