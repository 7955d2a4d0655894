"""HTTP interface of the passports app: thin views over services and selectors."""

from common.api_styles import feecc
from common.drf import StyledAPIView


class PassportsAPIView(StyledAPIView):
    """Base of every passports view: errors in the feecc style."""

    api_style = feecc.STYLE
    api_tag = "passports"
