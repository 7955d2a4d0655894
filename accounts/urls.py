"""The VRt.Account paths, exactly as the original (no trailing slashes); mounted at ``account/``."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("token/generation", views.TokenGenerationView.as_view(), name="token-generation"),
    path("token/validation", views.TokenValidationView.as_view(), name="token-validation"),
    path("password", views.PasswordChangeView.as_view(), name="password-change"),
    path("info", views.InfoView.as_view(), name="info"),
    path("statistics", views.StatisticsView.as_view(), name="statistics"),
    path("report", views.ReportView.as_view(), name="report"),
    path("quota", views.QuotaView.as_view(), name="quota"),
    path("audit", views.AuditView.as_view(), name="audit"),
    path("data/<str:process_code>", views.DataView.as_view(), name="data"),
    path("system/check", views.SystemCheckView.as_view(), name="system-check"),
    path("system/version", views.SystemVersionView.as_view(), name="system-version"),
    path("file/<str:filename>", views.SystemFileView.as_view(), name="file"),
    path(
        "schema",
        SpectacularAPIView.as_view(
            custom_settings={
                "TITLE": "VRt.Account API",
                "PREPROCESSING_HOOKS": ["accounts.schema.account_paths_only"],
            }
        ),
        name="schema",
    ),
]
