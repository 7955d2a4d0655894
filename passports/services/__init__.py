"""Writes of the Feecc API: each service owns its transaction and raises ``common.exceptions``."""

from passports.services.catalog import *  # noqa: F403
from passports.services.people import *  # noqa: F403
from passports.services.tcd import *  # noqa: F403
from passports.services.units import *  # noqa: F403
