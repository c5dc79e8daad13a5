"""read_responses and study.yaml: the purpose of processing, the minimum group size."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest
from conftest import HEADER, ROOT

import cxresearch as cx
from cxresearch.data import read_responses
from cxresearch.errors import DataError

QUESTIONS = """\
blocks:
  - id: b
    title: {nl: Blok, en: Block}
    questions:
      - use: nps
      - id: age_band
        type: single_choice
        label: {nl: Leeftijd, en: Age}
        choices: [{value: young, label: {nl: Jong, en: Young}},
                  {value: old, label: {nl: Oud, en: Old}}]
        personal: indirect
      - id: remarks
        type: text
        label: {nl: Opmerkingen, en: Remarks}
"""
STUDY = "id: s\ntitle: {nl: S, en: S}\n"
PURPOSE = "purpose:\n  nl: Dienst verbeteren; 24 maanden bewaard.\n  en: Improve the service; kept 24 months.\n"


def make_study(root: Path, study_yaml: str | None, data: str = "respondent_id,nps\na,9\nb,3\n",
               instrument_header: str = HEADER) -> tuple[Path, Path]:
    """A study folder under root: study.yaml (unless None), an instrument, one raw file."""
    root.mkdir(parents=True, exist_ok=True)
    if study_yaml is not None:
        (root / "study.yaml").write_text(study_yaml, encoding="utf-8")
    (root / "instruments").mkdir(parents=True)
    inst = root / "instruments" / "survey.yaml"
    inst.write_text(instrument_header + QUESTIONS, encoding="utf-8")
    (root / "data" / "raw").mkdir(parents=True)
    raw = root / "data" / "raw" / "answers.csv"
    raw.write_text(data, encoding="utf-8")
    return raw, inst


def test_study_without_purpose_refuses_personal_data(tmp_path: Path) -> None:
    raw, inst = make_study(tmp_path, STUDY)
    with pytest.raises(DataError, match="purpose") as exc:
        read_responses(raw, inst)
    p = exc.value.problems[0]
    assert p.code.value == "CX210" and p.file == str(tmp_path / "study.yaml")
    text = str(exc.value)
    assert "study.yaml" in text and "purpose:" in text and "GDPR register of processing" in text
    assert "respondent id column" in text  # says why the data are personal
    assert "\n        nl: " in text and "\n        en: " in text  # an example to copy


def test_purpose_empty_for_one_language_names_it_and_its_line(tmp_path: Path) -> None:
    raw, inst = make_study(tmp_path, STUDY + "purpose:\n  nl: ''\n  en: Improve the service.\n")
    with pytest.raises(DataError, match="empty for nl") as exc:
        read_responses(raw, inst)
    assert exc.value.problems[0].line == 3  # the `purpose:` key


@pytest.mark.parametrize(("data", "why"), [
    ("age_band,nps\nyoung,9\nold,3\n", "answers marked personal (age_band)"),
    ("nps,remarks\n9,Snel geholpen\n3,\n", "open text (remarks)"),
])
def test_personal_questions_and_open_text_are_personal_data(tmp_path: Path, data: str,
                                                           why: str) -> None:
    raw, inst = make_study(tmp_path, STUDY, data)
    with pytest.raises(DataError, match=r"CX210") as exc:
        read_responses(raw, inst)
    assert why in str(exc.value)


def test_non_personal_data_read_without_purpose(tmp_path: Path) -> None:
    raw, inst = make_study(tmp_path, STUDY, "nps\n9\n3\n")  # no ids, no open text
    r = read_responses(raw, inst)
    assert list(r.data["nps"]) == [9, 3] and r.study == str(tmp_path.resolve())


def test_min_group_size_and_study_are_carried_over(tmp_path: Path) -> None:
    raw, inst = make_study(tmp_path, STUDY + PURPOSE + "min_group_size: 8\n")
    r = read_responses(raw, inst)
    assert r.min_group_size == 8 and r.study == str(tmp_path.resolve())
    assert r.with_data(r.data.head(1)).min_group_size == 8


def test_study_found_from_the_instrument_when_data_lie_elsewhere(tmp_path: Path) -> None:
    study = tmp_path / "study"
    _, inst = make_study(study, STUDY + PURPOSE + "min_group_size: 7\n")
    elsewhere = tmp_path / "download.csv"
    elsewhere.write_text("respondent_id,nps\na,9\n", encoding="utf-8")
    r = read_responses(elsewhere, inst)
    assert r.study == str(study.resolve()) and r.min_group_size == 7


def test_bad_min_group_size_names_file_and_line(tmp_path: Path) -> None:
    raw, inst = make_study(tmp_path, STUDY + PURPOSE + "min_group_size: five\n")
    with pytest.raises(DataError, match="min_group_size must be a whole number") as exc:
        read_responses(raw, inst)
    p = exc.value.problems[0]
    assert (p.code.value, p.file, p.line) == ("CX113", str(tmp_path / "study.yaml"), 6)


def test_invalid_study_yaml_is_a_data_error_with_its_line(tmp_path: Path) -> None:
    raw, inst = make_study(tmp_path, STUDY + "purpose: [unclosed\n")
    with pytest.raises(DataError) as exc:
        read_responses(raw, inst)
    p = exc.value.problems[0]
    assert p.code.value == "CX103" and p.file == str(tmp_path / "study.yaml") and p.line


def test_without_study_the_instrument_purpose_counts(tmp_path: Path) -> None:
    raw, inst_path = make_study(tmp_path, None, instrument_header=HEADER + "min_group_size: 6\n")
    r = read_responses(raw, inst_path)
    assert r.study is None and r.min_group_size == 6
    # an instrument without purpose (as an imported XLSForm): the same error
    bare = dataclasses.replace(cx.load_instrument(inst_path), purpose={})
    with pytest.raises(DataError, match="no study.yaml was found") as exc:
        read_responses(raw, bare)
    text = str(exc.value)
    assert exc.value.codes == ["CX210"] and "purpose:" in text and "or to the instrument" in text


def test_shipped_study_gives_its_settings() -> None:
    study = ROOT / "surveys" / "insurer-claims"
    r = read_responses(study / "data/raw/employees.csv",
                       study / "instruments/employee-survey.yaml")
    assert r.study == str(study.resolve()) and r.min_group_size == 5


def test_example_in_the_message_is_valid_study_yaml(tmp_path: Path) -> None:
    raw, inst = make_study(tmp_path, STUDY)
    with pytest.raises(DataError) as exc:
        read_responses(raw, inst)
    fix = exc.value.problems[0].fix or ""
    example = textwrap.dedent(fix[fix.index("\n") + 1:])
    (tmp_path / "study.yaml").write_text(STUDY + example + "\n", encoding="utf-8")
    assert len(read_responses(raw, inst)) == 2  # pasting the example makes it read


def test_reading_in_parts_checks_the_purpose_too(tmp_path: Path) -> None:
    raw, inst = make_study(tmp_path, STUDY)
    with pytest.raises(DataError, match="purpose"):
        list(cx.data.iter_responses(raw, inst))
    (tmp_path / "study.yaml").write_text(STUDY + PURPOSE + "min_group_size: 8\n",
                                         encoding="utf-8")
    parts = list(cx.data.iter_responses(raw, inst, chunk_rows=1))
    assert [len(p) for p in parts] == [1, 1]
    assert {p.min_group_size for p in parts} == {8}


def test_smallest_effects_are_read_and_checked(tmp_path: Path) -> None:
    from cxresearch.data._study import read_study_settings

    shipped = read_study_settings(ROOT / "surveys" / "insurer-claims" / "study.yaml")
    assert shipped.smallest_effects["nps"] == 5 and shipped.smallest_effects["sat_call"] == 0.3
    bad = tmp_path / "study.yaml"
    bad.write_text(STUDY + PURPOSE + "smallest_effects:\n  nps: five\n", encoding="utf-8")
    with pytest.raises(DataError, match="'nps' must be a number") as exc:
        read_study_settings(bad)
    assert exc.value.problems[0].line == 7
    bad.write_text(STUDY + PURPOSE + "smallest_effects: 5\n", encoding="utf-8")
    with pytest.raises(DataError, match="must map outcomes"):
        read_study_settings(bad)
