"""OpenAPI extension: the project's Bearer JWT as a security scheme.

Lives in the passports app (loaded by its ``ready()``) so the schema validates with zero
warnings; it only describes ``common.auth.BearerTokenAuthentication``.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "common.auth.BearerTokenAuthentication"
    name = "BearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
