"""``/api/v1/terminals/``: the company's cash terminals (seed sections 3 and 4)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from common.api_styles.datawiz import QUERY_ERRORS, STYLE
from common.exceptions import NotFoundError
from terminals import selectors, services
from terminals.links import ResourceLinks
from terminals.serializers import (
    TerminalListQuerySerializer,
    TerminalSerializer,
    UpsertResultSerializer,
    terminal_representation,
)
from terminals.views.base import LOCATION, DatawizUpsertMixin, DatawizViewSet, upsert_request

WRITE_ERRORS = STYLE.responses(400, 401, 404, 409, 415)


@extend_schema_view(
    create=extend_schema(
        operation_id="terminals_upsert",
        description="Insert or replace by `terminal_id`: one object, or a list (all or nothing).",
        request=upsert_request("TerminalUpsertRequest", TerminalSerializer),
        parameters=[LOCATION],
        responses={201: UpsertResultSerializer, **STYLE.responses(400, 401, 409, 415)},
    )
)
class TerminalViewSet(DatawizUpsertMixin, DatawizViewSet):
    """Cash terminals of the company's shops (seed sections 3 and 4)."""

    serializer_class = TerminalSerializer
    descriptions = {"List": "Terminals", "Instance": "my Terminal doc"}
    upsert_service = staticmethod(services.terminals_upsert)
    resource = "terminal"

    def get_queryset(self):
        return selectors.terminal_list(company=self.request.user.company)

    def get_object(self):
        """The terminal of the URL. DRF's callers of ``get_object`` (OPTIONS, the browsable
        forms) expect ``Http404`` for a missing one, so the selector's ``NotFoundError`` becomes it."""
        try:
            return selectors.terminal_get(company=self.request.user.company, terminal_id=self.kwargs["terminal_id"])
        except NotFoundError:
            raise Http404 from None

    @extend_schema(
        operation_id="terminals_list",
        parameters=[TerminalListQuerySerializer],
        responses={200: TerminalSerializer(many=True), 400: QUERY_ERRORS, **STYLE.responses(401, 404)},
    )
    def list(self, request, *args, **kwargs):
        rows = selectors.terminal_page_source(company=request.user.company, **self.query(TerminalListQuerySerializer))
        links = ResourceLinks(request)
        return self.page(rows, lambda row: terminal_representation(links, row), plain=True)  # text only

    @extend_schema(responses={200: TerminalSerializer, **STYLE.responses(401, 404)})
    def retrieve(self, request, *args, **kwargs):
        return Response(TerminalSerializer(self.get_object(), context={"request": request}).data)

    @extend_schema(
        description="Replace the terminal; a new `terminal_id` renames it in place (links kept, URL changes).",
        request={"application/json": TerminalSerializer},
        responses={200: TerminalSerializer, **WRITE_ERRORS},
    )
    def update(self, request, *args, **kwargs):
        partial = kwargs.get("partial", False)
        terminal = services.terminal_update(
            company=request.user.company, terminal=self.get_object(), data=request.data, partial=partial
        )
        return Response(TerminalSerializer(terminal, context={"request": request}).data)

    @extend_schema(
        request={"application/json": TerminalSerializer(partial=True)},
        responses={200: TerminalSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(responses={204: None, **STYLE.responses(401, 404, 409)})
    def destroy(self, request, *args, **kwargs):
        services.terminal_delete(terminal=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
