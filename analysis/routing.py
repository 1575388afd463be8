from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path("ws/analysis/<uuid:analysis_id>/", consumers.AnalysisStatusConsumer.as_asgi()),
]
