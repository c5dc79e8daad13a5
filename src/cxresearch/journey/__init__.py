"""Journeys: stages, touchpoints and the customer and employee lanes that cross at them."""

from .model import Journey, Stage, Touchpoint, load_journey

__all__ = ["Journey", "Stage", "Touchpoint", "load_journey"]
