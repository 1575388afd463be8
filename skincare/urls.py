from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from skincare.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    # The strings of the pages' scripts (gettext/ngettext in JS), in the page's language: locale/*/djangojs.po.
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("readyz", core_views.readyz, name="readyz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/v1/", include("skincare.api_v1")),
    path("admin/", admin.site.urls),
    path("", include("skincare.core.urls")),
    path("", include("privacy.urls")),
    path("", include("accounts.urls")),
    path("analysis/", include("analysis.urls")),
    path("ingredients/", include("ingredients.urls")),
    path("routines/", include("routines.urls")),
    path("progress/", include("progress.urls")),
    path("recommendations/", include("recommendations.urls")),
    path("consultations/", include("consultations.urls")),
]

handler400 = "skincare.core.views.handler400"
handler403 = "skincare.core.views.handler403"
handler404 = "skincare.core.views.handler404"
handler500 = "skincare.core.views.handler500"

admin.site.site_header = "Skincare control room"
admin.site.site_title = "Skincare admin"

if settings.DEBUG:
    pass
