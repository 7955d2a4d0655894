"""The formula API, mounted at ``formula/``: exact seed paths, no trailing slashes."""

from django.urls import path

from calculations import views

app_name = "calculations"

urlpatterns = [
    path("catalogs/users/current", views.CurrentUserView.as_view(), name="user-current"),
    path("catalogs/users/access-role", views.AccessRoleView.as_view(), name="user-access-role"),
    *(path(f"catalogs/list/{name}", views.catalog_view(name), name=f"catalog-{name}") for name in views.CATALOGS),
    path("calculations/list", views.CalculationListView.as_view(), name="calculation-list"),
    path("calculations/write", views.CalculationWriteView.as_view(), name="calculation-write"),
    path("calculations/writeOnlist", views.CalculationWriteOnListView.as_view(), name="calculation-write-on-list"),
    path("calculations/delete", views.CalculationDeleteView.as_view(), name="calculation-delete"),
]
