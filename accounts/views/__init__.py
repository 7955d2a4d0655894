"""HTTP interface of the accounts app (the VRt.Account API): thin views over services and selectors."""

from accounts.views.auth import InfoView, PasswordChangeView, TokenGenerationView, TokenValidationView
from accounts.views.base import AccountsAPIView
from accounts.views.system import SystemCheckView, SystemFileView, SystemVersionView
from accounts.views.usage import AuditView, DataView, QuotaView, ReportView, StatisticsView

__all__ = [
    "AccountsAPIView",
    "AuditView",
    "DataView",
    "InfoView",
    "PasswordChangeView",
    "QuotaView",
    "ReportView",
    "StatisticsView",
    "SystemCheckView",
    "SystemFileView",
    "SystemVersionView",
    "TokenGenerationView",
    "TokenValidationView",
]
