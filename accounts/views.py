"""HTTP interface of the accounts app: thin views over services and selectors."""

from common.api_styles import vrt_account
from common.drf import StyledAPIView


class AccountsAPIView(StyledAPIView):
    """Base of every accounts view: errors in the vrt_account style."""

    api_style = vrt_account.STYLE
    api_tag = "accounts"
