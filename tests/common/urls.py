"""A probe endpoint per API style, mounted beside the real URLconf for the foundation tests."""

from django.urls import include, path
from rest_framework.response import Response

from accounts.views import AccountsAPIView
from calculations.views import FormulaAPIView
from config.urls import urlpatterns as project_urlpatterns
from passports.views import PassportsAPIView
from routes.views import RoutesAPIView
from terminals.views import DatawizAPIView


def probe(base):
    class Probe(base):
        def get(self, request):
            return Response({"username": request.user.username})

    return Probe.as_view()


probe_patterns = [
    path("account/", probe(AccountsAPIView)),
    path("routes/", probe(RoutesAPIView)),
    path("passports/", probe(PassportsAPIView)),
    path("formula/", probe(FormulaAPIView)),
    path("terminals/", probe(DatawizAPIView)),
]

urlpatterns = [path("__probe__/", include(probe_patterns)), *project_urlpatterns]
handler404 = "common.views.page_not_found"
handler500 = "common.views.server_error"
