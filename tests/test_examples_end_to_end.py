"""Every shipped example study, end to end: raw file -> clean file, privacy kept.

For each response file in ``surveys/<study>/data/raw`` (found on disk, so a new file is
not missed): validate the instrument, read, check quality, exclude duplicates,
pseudonymise, scrub open text and write to ``data/clean`` of a copy of the study. No
raw respondent id may survive anywhere in the output, and no raw file may change.
``test_read.py`` checks the reading itself in more detail.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import cxresearch as cx
from cxresearch.data import (
    pseudonymise, quality_report, read_clean, read_responses, scrub_series, write_clean,
)
from cxresearch.data.clean import sidecar_path
from cxresearch.datasets import EXAMPLE_STUDIES, PII_EMAILS, example_path
from cxresearch.errors import Severity

KEY = "k" * 16  # a test key, passed explicitly: the user's real key is never read
NOT_RESPONSES = ("contacts.csv",)  # the contact-centre log: no instrument, no respondents


def instrument_for(raw: Path) -> str:
    """The instrument a raw file answers: employees*.* the employee survey, else customers."""
    return "employee-survey" if raw.name.startswith("employees") else "customer-survey"


def response_files() -> list[tuple[str, str]]:
    found = []
    for study in EXAMPLE_STUDIES:
        for path in sorted(example_path(study, "data", "raw").iterdir()):
            if path.suffix in (".csv", ".xlsx", ".sav", ".parquet") \
                    and path.name not in NOT_RESPONSES:
                found.append((study, path.name))
    return found


FILES = response_files()


def test_every_study_ships_customer_and_employee_answers() -> None:
    for study in EXAMPLE_STUDIES:
        kinds = {instrument_for(Path(f)) for s, f in FILES if s == study}
        assert kinds == {"customer-survey", "employee-survey"}, study


def hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def open_text_fields(inst: cx.Instrument, columns: pd.Index) -> list[str]:
    """Answers people write themselves: text questions and the "Other, namely" fields."""
    fields = []
    for q in inst.questions():
        if q.type == "text":
            fields += q.field_ids()
        elif q.other:
            fields.append(f"{q.id}_other")
    return [f for f in fields if f in columns]


@pytest.mark.parametrize(("study", "file"), FILES, ids=[f"{s}/{f}" for s, f in FILES])
def test_raw_to_clean(tmp_path: Path, study: str, file: str) -> None:
    shipped = example_path(study, "data", "raw")
    shipped_before = hashes(shipped)
    folder = Path(shutil.copytree(example_path(study), tmp_path / study))
    raw_folder = folder / "data" / "raw"
    before = hashes(raw_folder)

    inst_path = folder / "instruments" / f"{instrument_for(Path(file))}.yaml"
    inst, problems = cx.check_file(inst_path)
    assert inst is not None and not [p for p in problems if p.severity == Severity.ERROR]
    assert not [p for p in cx.validate_instrument(inst, base_dir=inst_path.parent)
                if p.severity == Severity.ERROR]

    r = read_responses(raw_folder / file, inst)
    assert r.study == str(folder.resolve()) and r.unmatched == []
    raw_ids = set(r.data[r.id_column].dropna().astype(str))
    assert len(raw_ids) > 50

    kept = quality_report(r).exclude(["duplicate_id"])
    private = pseudonymise(kept, key=KEY, study=folder)
    texts = open_text_fields(inst, private.data.columns)
    assert texts, "every example instrument has open questions"
    data = private.data.copy()
    for column in texts:
        data[column] = scrub_series(data[column])
    out = write_clean(private.with_data(data))
    assert out.parent == folder / "data" / "clean"

    back = read_clean(out)
    cells = {str(v) for column in back.data.columns
             if back.data[column].dtype == "string" or back.data[column].dtype == object
             for v in back.data[column].dropna()}
    assert not cells & raw_ids, "a raw respondent id survived in the clean data"
    assert not [c for c in cells if any(email in c for email in PII_EMAILS)]
    side_text = sidecar_path(out).read_text(encoding="utf-8")
    assert not [i for i in raw_ids if i in side_text], "a raw id survived in the sidecar"
    side = json.loads(side_text)
    assert side["ids_pseudonymised"] is True and side["rows"] == len(kept)
    assert side["raw"]["sha256"] == before[file]

    assert hashes(raw_folder) == before  # raw data are never written
    assert hashes(shipped) == shipped_before
