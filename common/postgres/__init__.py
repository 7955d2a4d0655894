"""The project's PostgreSQL backend (``ENGINE = "common.postgres"``): Django's, with a health check
that costs no round trip on a connection the server has not closed (``base.DatabaseWrapper``)."""
