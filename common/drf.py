"""The glue that binds an app's views to its API style (STYLE.md: one base view per app)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.core.validators import ProhibitNullCharactersValidator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.views import APIView

from common import presenters
from common.api_styles.base import ApiStyle
from common.compiled import CompiledCount, CompiledValues, Window
from common.renderers import PlainList


@cache
def representation(serializer_class: type[serializers.BaseSerializer]) -> Callable[[Any], Any]:
    """``serializer_class().to_representation``, the serializer built once per process.

    Building a serializer deep-copies its declared fields (and its nested serializers'), on
    every request, for the same result each time; an output serializer that reads no
    ``context`` keeps no state between calls, so one instance can present every row. Its
    per-field steps are planned once too (``common.presenters.plan``: the same answer).
    """
    serializer = serializer_class()
    return presenters.plan(serializer) or serializer.to_representation


@cache
def _compiled_page(build, serializer_class, arguments: tuple) -> tuple[CompiledValues, CompiledCount]:
    columns = presenters.columns(serializer_class)
    return (
        CompiledValues(lambda: build(**dict(arguments)).values(*columns), []),
        CompiledCount(lambda: build(**dict(arguments)), []),
    )


class StyledViewMixin:
    """Binds a view to its ``api_style``: errors, pages, input and schema tag (``api_tag``).

    * every error of the view is answered by the style's one pipeline;
    * ``pagination_class`` is the style's paginator unless the view sets its own (``None`` for
      a view that answers a whole list), used through DRF's ``paginate_queryset`` and
      ``get_paginated_response`` (borrowed from ``GenericAPIView``) or ``self.page(...)``;
    * ``self.query(...)``/``self.body(...)`` read input with the style's input policy, and a
      NUL in a path value is refused before the handler runs when the policy says so.
    """

    api_style: ApiStyle
    api_tag: str = ""

    def get_exception_handler(self):
        return self.api_style.exception_handler

    @property
    def pagination_class(self):
        return self.api_style.pagination_class

    paginator = GenericAPIView.paginator
    paginate_queryset = GenericAPIView.paginate_queryset
    get_paginated_response = GenericAPIView.get_paginated_response

    def page(self, queryset, build=None, *, plain: bool = False):
        """One page of ``queryset`` in the style's envelope; ``build`` turns a row into its body.

        A ``build`` whose bodies hold only ``str``, ``int``, ``bool`` and ``None`` leaves (``plain``,
        or a planned serializer's ``plain``: ``common.presenters.plan``) gives a ``PlainList``,
        which the renderer does not walk for floats (the tests walk it anyway and fail the
        answer if the promise is broken: ``JSON_VERIFY_PLAIN_LISTS``)."""
        rows = self.paginate_queryset(queryset)
        if build is None:
            return self.get_paginated_response(rows)
        bodies = [build(row) for row in rows]
        return self.get_paginated_response(PlainList(bodies) if plain or getattr(build, "plain", False) else bodies)

    def page_values(self, queryset, serializer_class):
        """``page`` of ``queryset`` read as ``.values()`` of the columns ``serializer_class``
        presents (``presenters.columns``): the same body, without a model instance per row."""
        return self.page(queryset.values(*presenters.columns(serializer_class)), representation(serializer_class))

    def page_values_of(self, build: Callable[..., Any], serializer_class, **arguments):
        """``page_values(build(**arguments), serializer_class)`` from SQL compiled once per process
        (the page's and its count's, per ``build``, ``arguments`` and serializer: ``common.compiled``);
        ``build`` is a selector whose ordered queryset depends on nothing but ``arguments``."""
        rows, count = _compiled_page(build, serializer_class, tuple(sorted(arguments.items())))
        return self.page(Window(rows, counted=count), representation(serializer_class))

    def query(self, serializer_class, **context):
        return self.api_style.parse_query(self.request, serializer_class, view=self, **context)

    def body(self, serializer_class, **kwargs):
        return self.api_style.parse_body(self.request, serializer_class, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.api_style.check_path(kwargs)

    def throttled(self, request, wait):
        from common.metrics import record_throttled  # the throttled_requests_total counter

        record_throttled(request, self)
        super().throttled(request, wait)


class StyledAPIView(StyledViewMixin, APIView):
    pass


NO_NUL_PATTERN = r"^[^\x00]*$"
# A trimmed, non-blank string: some character that is neither NUL nor whitespace as
# ``str.strip`` sees it (spelt out: ``\s`` differs between regex engines, e.g. on ``\x1c-\x1f``).
_SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NON_BLANK_PATTERN = rf"^[^\x00]*[^\x00{_SPACE}][^\x00]*$"


class TaggedAutoSchema(AutoSchema):
    """One OpenAPI tag per app (DECISIONS §1), taken from the view's ``api_tag``."""

    def get_tags(self) -> list[str]:
        tag = getattr(self.view, "api_tag", "")
        return [tag] if tag else super().get_tags()

    def _get_paginator(self):
        """The view's paginator, bound to the view (a page's schema may depend on it)."""
        paginator = super()._get_paginator()
        if paginator is not None:
            paginator.view = self.view
        return paginator

    def _get_request_body(self, direction="request"):
        """A POST/PUT body whose serializer has a required field is itself required: without a
        body the API answers its 4xx for the missing fields. A view whose body
        is a raw schema says so with ``request_body_required = True``."""
        body = super()._get_request_body(direction)
        if body and getattr(self.view, "request_body_required", False):  # a body given as a raw schema
            body["required"] = True
        if body and not body.get("required") and self.method in ("POST", "PUT"):
            serializer = force_instance(self.get_request_serializer())
            fields = getattr(serializer, "fields", None) if isinstance(serializer, serializers.Serializer) else None
            if fields and any(field.required and not field.read_only for field in fields.values()):
                body["required"] = True
        return body

    def _map_basic_serializer(self, serializer, direction):
        """A serializer with ``openapi_closed = True`` answers exactly its fields: say so.

        Used where a response is one of several shapes and one shape's fields are a subset of
        another's: ``additionalProperties: false`` keeps the ``oneOf`` branches exclusive.
        """
        outer, self._direction = getattr(self, "_direction", None), direction
        try:
            schema = super()._map_basic_serializer(serializer, direction)
        finally:
            self._direction = outer
        if direction == "response" and getattr(serializer, "openapi_closed", False):
            schema["additionalProperties"] = False
        return schema

    def _insert_field_validators(self, field, schema):
        """Also state two rules DRF applies that drf-spectacular leaves out.

        * Every ``CharField`` carries ``ProhibitNullCharactersValidator`` (PostgreSQL text
          cannot hold ``\\x00``): a string without a pattern of its own gets one that refuses
          NUL (the fields' own patterns already do) and, when DRF trims it and refuses blanks,
          whitespace-only values.
        * A ``ListField``/``many=True`` with ``allow_empty=False`` refuses ``[]``: ``minItems: 1``.

        A field's own ``openapi_constraints`` (a dict) is applied first.
        """
        super()._insert_field_validators(field, schema)
        if getattr(self, "_direction", None) != "request":
            return  # rules of what the server accepts, not of what it answers
        # A field may state rules its validators apply that drf-spectacular cannot read.
        schema.update(getattr(field, "openapi_constraints", None) or {})
        if (
            schema.get("type") == "string"
            and "pattern" not in schema
            and "enum" not in schema
            and any(isinstance(v, ProhibitNullCharactersValidator) for v in getattr(field, "validators", ()))
        ):
            # DRF trims before its blank check: "  " is as blank as "".
            non_blank = getattr(field, "trim_whitespace", False) and not getattr(field, "allow_blank", True)
            schema["pattern"] = NON_BLANK_PATTERN if non_blank else NO_NUL_PATTERN
        if (
            schema.get("type") == "array"
            and getattr(field, "allow_empty", True) is False
            and not schema.get("minItems")
        ):
            schema["minItems"] = 1
