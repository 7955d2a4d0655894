"""HTTP interface of the calculations app: thin views over services and selectors."""

from common.api_styles import formula
from common.drf import StyledAPIView


class FormulaAPIView(StyledAPIView):
    """Base of every calculations view: errors in the formula style."""

    api_style = formula.STYLE
    api_tag = "calculations"
