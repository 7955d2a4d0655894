"""URL map (DECISIONS §1): each app at its original's prefix, plus admin and the docs."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from common.pages import OfflineRedocView, OfflineSwaggerView, RootView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", OfflineSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", OfflineRedocView.as_view(url_name="schema"), name="redoc"),
    # The start page, and the browsable API's log-in link (DRF's session log-in).
    path("", RootView.as_view(), name="root"),
    path("api-auth/", include("rest_framework.urls")),
    path("account/", include("accounts.urls")),
    path("routes/", include("routes.urls")),
    path("formula/", include("calculations.urls")),
    path("api/", include("terminals.urls")),
    path("", include("passports.urls")),
]

handler400 = "common.views.bad_request"
handler403 = "common.views.permission_denied"
handler404 = "common.views.page_not_found"
handler500 = "common.views.server_error"
