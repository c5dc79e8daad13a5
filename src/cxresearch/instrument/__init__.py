"""Surveys and interview guides as version-controlled text: model, item bank, logic, exports."""

from .io import EXPORT_FORMATS, check_file, export_instrument, load_instrument, save_instrument
from .model import (
    Block, Choice, ChoiceList, Instrument, InterviewGuide, MatrixItem, Question, Scale, Survey,
)
from .validate import validate_instrument
from .dump import dump_instrument
from .yamlio import loads_instrument

__all__ = [
    "EXPORT_FORMATS",
    "Block",
    "Choice",
    "ChoiceList",
    "Instrument",
    "InterviewGuide",
    "MatrixItem",
    "Question",
    "Scale",
    "Survey",
    "check_file",
    "dump_instrument",
    "export_instrument",
    "load_instrument",
    "loads_instrument",
    "save_instrument",
    "validate_instrument",
]
