"""The base view of the formula API: the formula style, JSON bodies, the body it read."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from common.api_styles import formula
from common.drf import StyledAPIView
from common.parsers import JSONParser  # a too deeply nested body is a 400, not a RecursionError

STYLE = formula.STYLE


class FormulaAPIView(StyledAPIView):
    """Base of every calculations view: errors in the formula style."""

    # ``body()`` remembers which serializer read the body and what it validated to: the style
    # names a service's field errors by that serializer's wire names, and the list's paginator
    # takes its page parameters from the validated body.

    api_style = STYLE
    api_tag = "calculations"
    # The formula API speaks JSON bodies only (DECISIONS §1); forms would turn null into "null".
    parser_classes = [JSONParser]
    body_serializer_class = None
    validated_body = None

    def body(self, serializer_class, **kwargs):
        self.body_serializer_class = serializer_class
        self.validated_body = super().body(serializer_class, **kwargs)
        return self.validated_body


GUID_PARAM = OpenApiParameter("guid", OpenApiTypes.UUID, required=True, description="The calculation's GUID.")
