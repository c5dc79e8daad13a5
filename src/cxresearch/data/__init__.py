"""Responses: reading, typing, quality checks and privacy.

The path from the files researchers receive to data a report may use:

- ``read_responses`` reads CSV, XLSX, SPSS ``.sav``, Parquet and KoboToolbox/ODK or
  LimeSurvey exports as typed answers to an instrument; ``iter_responses`` reads CSV
  and Parquet files of any size in parts. Both refuse personal data unless the study
  states its purpose of processing.
- ``quality_report`` flags unreadable and out-of-range answers, missing required and
  not-asked answers, duplicate ids, speeders, straight-lining and junk text; exclusion
  happens only when asked, and is recorded.
- ``pseudonymise``, ``mask_identifiers``, ``scrub_text`` / ``scrub_series`` and
  ``suppress_small_cells`` protect the people behind the answers.
- ``write_clean`` / ``read_clean`` keep cleaned data in ``data/clean/`` with a sidecar
  naming the raw file's sha256; ``write_sav`` hands them to SPSS users with labels.
"""

from .clean import read_clean, write_clean
from .quality import QualityReport, quality_report
from .read import read_responses
from .privacy import PrivacyError, mask_identifiers, new_key, pseudonymise, suppress_small_cells
from .responses import Responses
from .spss import write_sav
from .stream import iter_responses
from .scrub import find_personal_data, scrub_series, scrub_text

__all__ = [
    "PrivacyError",
    "QualityReport",
    "Responses",
    "find_personal_data",
    "iter_responses",
    "mask_identifiers",
    "new_key",
    "pseudonymise",
    "quality_report",
    "read_clean",
    "read_responses",
    "scrub_series",
    "scrub_text",
    "suppress_small_cells",
    "write_clean",
    "write_sav",
]
