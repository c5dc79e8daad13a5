"""Studies: a folder with a plan, a journey, instruments and data; scaffolding and runs."""

from .runner import RunResult, run_study
from .scaffold import new_study

__all__ = ["RunResult", "new_study", "run_study"]
