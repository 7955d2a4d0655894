"""OpenAPI: describe the project's Bearer authentication for the terminals views.

drf-spectacular needs an extension per authenticator; the same one may be registered by
other apps too (identical definition), so each app's schema stands on its own.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TerminalsBearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "common.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
