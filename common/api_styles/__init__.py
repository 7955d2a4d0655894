"""One module per external API style; ``style_for_path`` finds one by the longest prefix."""

from __future__ import annotations

from common.api_styles import datawiz, feecc, formula, unit_routes, vrt_account
from common.api_styles.base import ApiStyle

STYLES: tuple[ApiStyle, ...] = (
    vrt_account.STYLE,
    unit_routes.STYLE,
    feecc.STYLE,
    formula.STYLE,
    datawiz.STYLE,
)

_BY_PREFIX = sorted(
    ((prefix, style) for style in STYLES for prefix in style.prefixes),
    key=lambda item: len(item[0]),
    reverse=True,
)


def style_for_path(path: str) -> ApiStyle | None:
    for prefix, style in _BY_PREFIX:
        if path.startswith(prefix) or path == prefix.rstrip("/"):
            return style
    return None


def render_exception(style: ApiStyle, exc: Exception, request):
    """Answer ``exc`` outside DRF (middleware, handler500) exactly as the style's views would."""
    from common.renderers import JSONRenderer  # the APIs' renderer, as in a view

    response = style.exception_handler(exc, {"request": request, "view": None})
    if response is None:
        return style.server_error(request)
    response.accepted_renderer = JSONRenderer()
    response.accepted_media_type = "application/json"
    response.renderer_context = {"request": request}
    return response.render()
