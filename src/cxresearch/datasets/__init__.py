"""Example studies and a seeded simulator with known ground truth.

Students use the example data to see methods recover effects that are known: the
simulator draws customers' and employees' answers to a study's own instruments from a
latent model (a disposition per customer, an experience per touchpoint, a peak-end
overall judgement, team enablement that moves customer experience) and returns the data
with the truth behind it.

- :func:`simulate_study` simulates any study (a folder or objects) with a seed.
- :func:`example_study` simulates one of the example studies with its preset.
- :func:`example_path` finds an example study's files; :func:`write_example_data`
  (re)writes the raw files shipped in ``surveys/<study>/data/raw``.
"""

from ._contacts import ANYTIME_HOURS, CONTACT_COLUMNS, OFFICE_HOURS
from ._files import write_example_data
from ._paths import EXAMPLE_STUDIES, StudyObjects, example_path
from ._people import CUSTOMER_META, EMPLOYEE_META
from ._presets import PRESETS, example_study
from ._simulate import SimulatedStudy, simulate_study
from ._spec import (
    ContactCategory, ContactSpec, DatasetError, DaysBefore, Derived, Driver, Likert, Multi,
    Number, NumberDriver, Ordered, Probs, QualityRates, Rating, StudySpec, TextRule, Wave,
)
from ._text import PII_EMAILS, PII_PHONES
from ._truth import METHOD as TRUTH_METHOD
from ._truth import TRUTH_N, TRUTH_SEED, Truth

__all__ = [
    "ANYTIME_HOURS",
    "CONTACT_COLUMNS",
    "CUSTOMER_META",
    "EMPLOYEE_META",
    "EXAMPLE_STUDIES",
    "OFFICE_HOURS",
    "PII_EMAILS",
    "PII_PHONES",
    "PRESETS",
    "TRUTH_METHOD",
    "TRUTH_N",
    "TRUTH_SEED",
    "ContactCategory",
    "ContactSpec",
    "DatasetError",
    "DaysBefore",
    "Derived",
    "Driver",
    "Likert",
    "Multi",
    "Number",
    "NumberDriver",
    "Ordered",
    "Probs",
    "QualityRates",
    "Rating",
    "SimulatedStudy",
    "StudyObjects",
    "StudySpec",
    "TextRule",
    "Truth",
    "Wave",
    "example_path",
    "example_study",
    "simulate_study",
    "write_example_data",
]
