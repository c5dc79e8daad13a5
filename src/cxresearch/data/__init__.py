"""Responses: reading, typing, quality checks and privacy.

Public names that users' notebooks depend on are re-exported here. Reading response
files (``read_responses``) and the quality report are being built; the privacy tools
(pseudonymisation, scrubbing open text, small-cell suppression) are complete.
"""

from .quality import QualityReport, quality_report
from .read import read_responses
from .privacy import PrivacyError, mask_identifiers, new_key, pseudonymise, suppress_small_cells
from .responses import Responses
from .spss import write_sav
from .scrub import find_personal_data, scrub_series, scrub_text

__all__ = [
    "PrivacyError",
    "QualityReport",
    "Responses",
    "find_personal_data",
    "mask_identifiers",
    "new_key",
    "pseudonymise",
    "quality_report",
    "read_responses",
    "scrub_series",
    "scrub_text",
    "suppress_small_cells",
    "write_sav",
]
