"""OpenAPI: describe the project's Bearer authentication (routes views are the first to need it).

drf-spectacular only knows the authenticators it has an extension for; this one lives in the
routes app so that no shared module has to change. Any app may import it; it registers once.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "common.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
