"""The formula API, mounted at ``formula/``: exact seed paths, no trailing slashes."""

from django.urls import path

from calculations import views

app_name = "calculations"

urlpatterns = [
    path("catalogs/users/current", views.CurrentUserView.as_view(), name="user-current"),
    path("catalogs/users/access-role", views.AccessRoleView.as_view(), name="user-access-role"),
    *(
        path(f"catalogs/list/{name}", view.as_view(), name=f"catalog-{name}")
        for name, view in views.CATALOG_VIEWS.items()
    ),
    path("calculations/list", views.CalculationListView.as_view(), name="calculation-list"),
    path("calculations/write", views.CalculationDetailWriteView.as_view(), name="calculation-write"),
    path("calculations/writeOnlist", views.CalculationWriteOnListView.as_view(), name="calculation-write-on-list"),
    path("calculations/delete", views.CalculationDeleteView.as_view(), name="calculation-delete"),
]
