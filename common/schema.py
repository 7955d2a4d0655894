"""OpenAPI: describe the project's Bearer authentication (common.auth) for every API.

drf-spectacular only knows the authenticators it has an extension for; importing this module
(CommonConfig.ready) registers it once for all five apps.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "common.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
