"""Journeys: stages, touchpoints and the customer and employee lanes that cross at them."""

from .links import check_links, instrument_links
from .model import (
    CHANNELS, DEFAULT_STAGES, NEEDS, VALENCE_RANGE, CustomerLane, EmployeeLane, Journey, Stage,
    Text, Touchpoint, load_journey, loads_journey, validate_journey,
)

__all__ = [
    "CHANNELS",
    "DEFAULT_STAGES",
    "NEEDS",
    "VALENCE_RANGE",
    "CustomerLane",
    "EmployeeLane",
    "Journey",
    "Stage",
    "Text",
    "Touchpoint",
    "check_links",
    "instrument_links",
    "load_journey",
    "loads_journey",
    "validate_journey",
]
