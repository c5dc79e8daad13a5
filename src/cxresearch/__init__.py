"""cxresearch: customer-journey and employee-journey research in Jupyter.

Instruments as code (:mod:`cxresearch.instrument`), journeys (:mod:`cxresearch.journey`),
and the ``cxresearch`` command. ``import cxresearch`` stays light: plotting, widget and
modelling libraries are imported only by the functions that need them.
"""

from __future__ import annotations

from .errors import CxResearchError, InstrumentError, MissingExtraError, Problem
from .instrument import (
    Instrument, InterviewGuide, Survey, check_file, dump_instrument, export_instrument,
    load_instrument, loads_instrument, save_instrument, validate_instrument,
)

__version__ = "0.1.0"

__all__ = [
    "CxResearchError",
    "Instrument",
    "InstrumentError",
    "InterviewGuide",
    "MissingExtraError",
    "Problem",
    "Survey",
    "__version__",
    "check_file",
    "dump_instrument",
    "export_instrument",
    "load_instrument",
    "loads_instrument",
    "save_instrument",
    "validate_instrument",
]
