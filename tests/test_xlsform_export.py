"""XLSForm exports: every bundled and generated instrument converts with pyxform."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
from conftest import bundled_instruments, java_available

import cxresearch as cx
from cxresearch.instrument.xlsform import check_xlsform, write_xlsform, xlsform_sheets

pytest.importorskip("pyxform")


@pytest.mark.parametrize("path", bundled_instruments(), ids=lambda p: p.stem)
def test_bundled_instrument_converts_with_pyxform(path: Path, tmp_path: Path) -> None:
    inst = cx.load_instrument(path)
    out = write_xlsform(inst, tmp_path / f"{inst.id}.xlsx")
    check_xlsform(out)
    # the file on disk reads back with the language columns XLSForm expects
    import openpyxl

    sheet = openpyxl.load_workbook(out)["survey"]
    header = [c.value for c in sheet[1]]
    assert "label::Dutch (nl)" in header and "label::English (en)" in header
    names = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(inst.field_ids()) <= names


def test_bundled_instruments_exist() -> None:
    assert {p.stem for p in bundled_instruments()} >= {
        "customer-survey", "employee-survey", "interview-guide"}


@pytest.mark.java
@pytest.mark.skipif(not java_available(), reason="ODK Validate needs Java")
@pytest.mark.parametrize("path", bundled_instruments(), ids=lambda p: p.stem)
def test_odk_validate_accepts_every_bundled_instrument(path: Path, tmp_path: Path) -> None:
    inst = cx.load_instrument(path)
    check_xlsform(write_xlsform(inst, tmp_path / "form.xlsx"), odk_validate=True)


@pytest.mark.java
@pytest.mark.skipif(not java_available(), reason="ODK Validate needs Java")
def test_odk_validate_catches_what_pyxform_lets_through(tmp_path: Path) -> None:
    """An incomplete expression passes pyxform but not ODK Validate: the check is real."""
    from cxresearch.errors import InstrumentError

    sheets = {"survey": [{"type": "text", "name": "postcode", "label": "Postcode",
                          "constraint": ". > "}],
              "settings": [{"form_id": "broken"}]}
    check_xlsform(sheets)
    path = tmp_path / "broken.xlsx"
    from cxresearch.instrument.xlsform import xlsform_bytes

    path.write_bytes(xlsform_bytes(sheets))
    with pytest.raises(InstrumentError, match="ODK Validate rejects"):
        check_xlsform(path, odk_validate=True)


def test_sheets_translate_every_feature(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml("""\
metadata: [start, end]
choice_lists:
  kanaal:
    - {value: phone, label: {nl: Telefoon, en: Phone}}
    - {value: web, label: {nl: Website, en: Website}}
    - {value: shop, label: {nl: Winkel, en: Shop}}
blocks:
  - id: b1
    title: {nl: Blok, en: Block}
    intro: {nl: Welkom, en: Welcome}
    questions:
      - use: nps
      - id: ch
        type: multiple_choice
        choices: kanaal
        randomize: true
        other: true
        max_selected: 2
        required: true
        label: {nl: Kanaal, en: Channel}
      - id: age
        type: number
        min: 16
        max: 120
        label: {nl: Leeftijd, en: Age}
      - id: why
        type: text
        length: long
        max_length: 500
        relevant: ${nps} <= 6 and selected(${ch}, 'phone')
        label: {nl: Waarom?, en: Why?}
      - use: enablement
        id: en
        subject: {nl: het gesprek, en: the call}
      - id: rank_it
        type: ranking
        choices: kanaal
        label: {nl: Volgorde, en: Order}
""")
    inst = cx.load_instrument(path)
    sheets = xlsform_sheets(inst)
    rows: dict[str, dict[str, str]] = {}
    for r in sheets["survey"]:
        rows.setdefault(r["name"], r)  # a group's begin row, not its end row
    assert rows["start"]["type"] == "start"
    assert rows["ch"]["type"] == "select_multiple kanaal_or_other"
    assert rows["ch"]["parameters"] == "randomize=true"
    assert rows["ch"]["constraint"] == "count-selected(.) <= 2"
    assert rows["ch_other"]["relevant"] == "selected(${ch}, 'other')"
    assert rows["age"]["type"] == "integer"
    assert rows["age"]["constraint"] == "(. >= 16) and (. <= 120)"
    assert rows["age"]["constraint_message::English (en)"]
    assert rows["why"]["appearance"] == "multiline"
    assert rows["why"]["relevant"] == "${nps} <= 6 and selected(${ch}, 'phone')"
    assert rows["en"]["appearance"] == "table-list"
    assert rows["en_training"]["type"].startswith("select_one agree5")
    assert rows["rank_it"]["type"] == "rank kanaal"
    assert rows["nps"]["required"] == "yes"
    assert rows["b1__intro"]["type"] == "note"
    nps_list = [c for c in sheets["choices"] if c["list_name"] == rows["nps"]["type"].split()[1]]
    assert [c["name"] for c in nps_list] == [str(i) for i in range(11)]
    assert sheets["settings"][0]["default_language"] == "Dutch (nl)"
    check_xlsform(sheets)


def test_export_of_one_language(write_yaml: Callable[..., Path]) -> None:
    path = write_yaml("blocks:\n  - id: b\n    title: {nl: B, en: B}\n    questions:\n"
                      "      - use: csat\n")
    sheets = xlsform_sheets(cx.load_instrument(path), ["en"])
    assert not any("Dutch" in col for r in sheets["survey"] for col in r)
    assert sheets["settings"][0]["default_language"] == "English (en)"
    check_xlsform(sheets)


@pytest.mark.java
@pytest.mark.skipif(not java_available(), reason="ODK Validate needs Java")
def test_odk_validate_accepts_decimal_bounds_and_dates(write_yaml: Callable[..., Path],
                                                       tmp_path: Path) -> None:
    path = write_yaml("""\
blocks:
  - id: b1
    title: {nl: Blok, en: Block}
    questions:
      - id: share
        type: number
        decimals: true
        min: 0.0000001
        max: 1000000000000000
        constraint: . != 13
        constraint_message: {nl: Niet 13, en: Not 13}
        label: {nl: Aandeel, en: Share}
      - id: when
        type: date
        min: "2020-01-01"
        max: "2031-12-31"
        label: {nl: Wanneer?, en: When?}
""")
    inst = cx.load_instrument(path)
    rows = {r["name"]: r for r in xlsform_sheets(inst)["survey"]}
    assert rows["share"]["constraint"] == "(. != 13) and (. >= 0.0000001) and (. <= 1000000000000000)"
    assert rows["share"]["constraint_message::English (en)"].startswith("Not 13 Enter a number")
    assert rows["when"]["constraint_message::Dutch (nl)"] == "Tussen 01-01-2020 en 31-12-2031"
    write_xlsform(inst, tmp_path / "form.xlsx", check=True, odk_validate=True)


def test_a_form_pyxform_rejects_is_not_written(write_yaml: Callable[..., Path],
                                               tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from cxresearch.errors import InstrumentError
    from cxresearch.instrument import xlsform

    path = write_yaml("blocks:\n  - id: b\n    title: {nl: B, en: B}\n    questions:\n"
                      "      - {id: q, type: text, label: {nl: A, en: B}}\n")
    inst = cx.load_instrument(path)
    real = xlsform.xlsform_sheets

    def broken(*args: object, **kwargs: object) -> dict[str, list[dict[str, str]]]:
        sheets = real(*args, **kwargs)  # type: ignore[arg-type]
        sheets["survey"].append({"type": "select_one nowhere", "name": "bad"})
        return sheets

    monkeypatch.setattr(xlsform, "xlsform_sheets", broken)
    out = tmp_path / "form.xlsx"
    with pytest.raises(InstrumentError, match="pyxform rejects"):
        xlsform.write_xlsform(inst, out, check=True)
    assert not out.exists()
