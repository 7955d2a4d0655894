"""Serializers of the Feecc API, one module per area."""

from passports.serializers.people import *  # noqa: F403
from passports.serializers.tcd import *  # noqa: F403
from passports.serializers.units import *  # noqa: F403
