"""Privacy safeguards: keyed pseudonyms, direct identifiers, small-cell suppression."""

from __future__ import annotations

import hmac
import os
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxresearch.data import privacy
from cxresearch.data.privacy import (
    PrivacyError, default_key_path, mask_identifiers, new_key, pseudonymise, small_cell_mask,
    suppress_small_cells,
)
from cxresearch.data.responses import Responses
from cxresearch.errors import CxResearchError
from cxresearch.instrument.model import Block, Question, Survey

KEY = b"k" * 16
HEX_KEY = "00112233445566778899aabbccddeeff"  # 16 bytes when read as hex
# Outside truth, Python's stdlib reference implementation of RFC 2104:
#   hmac.new(b"k" * 16, b"123", "sha256").hexdigest()[:16]
HMAC_K16_123 = "70f651701837c049"
#   hmac.new(bytes.fromhex("00112233445566778899aabbccddeeff"), b"123", "sha256").hexdigest()[:16]
HMAC_HEX_123 = "8edab4a859396ee2"


@pytest.fixture(autouse=True)
def no_real_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Never touch the user's real key: home and config point into tmp_path."""
    monkeypatch.delenv(privacy.ENV_KEY, raising=False)
    monkeypatch.delenv(privacy.ENV_KEY_FILE, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def ids_frame() -> pd.DataFrame:
    return pd.DataFrame({"respondent_id": [123, 456, 789], "q1": [1, 2, 3]})


def make_responses() -> Responses:
    email = Question(id="email", type="text", label={"en": "E-mail"})
    setattr(email, "personal", "direct")  # the model may not have the field yet
    age = Question(id="age", type="number", label={"en": "Age"})
    setattr(age, "personal", "indirect")
    survey = Survey(id="s", title={"en": "S"}, version="1", audience="customer",
                    languages=["en"], blocks=[Block(id="b", title={"en": "B"},
                                                    questions=[email, age])])
    data = pd.DataFrame({"respondent_id": ["123", "456"], "team": ["a", "b"],
                         "name": ["Ann", "Bob"], "email": ["a@x.nl", None], "age": [30, 40]})
    coercions = pd.DataFrame({"row": [3, 4], "column": ["respondent_id", "email"],
                              "value": ["x9", "not-an-address"], "reason": ["bad", "bad"]})
    return Responses(data=data, survey=survey, meta_columns=["respondent_id", "team", "name"],
                     coercions=coercions)


# ------------------------------------------------------------------ pseudonymise


def test_pseudonym_matches_stdlib_hmac() -> None:
    out = pseudonymise(pd.DataFrame({"respondent_id": [123]}), key=KEY)
    assert out["respondent_id"].tolist() == ["r_" + HMAC_K16_123]
    assert hmac.new(KEY, b"123", "sha256").hexdigest()[:16] == HMAC_K16_123
    binary = bytes(range(200, 232))  # not UTF-8: used as it is
    out = pseudonymise(pd.DataFrame({"respondent_id": [123]}), key=binary)
    assert out["respondent_id"][0] == "r_" + hmac.new(binary, b"123", "sha256").hexdigest()[:16]


def test_same_text_same_pseudonym_whatever_the_dtype() -> None:
    df = pd.DataFrame({"rid": pd.Series([123, 123.0, " 123 ", "123"], dtype=object)})
    out = pseudonymise(df, "rid", key=KEY, prefix="p")
    assert set(out["rid"]) == {"p" + HMAC_K16_123}


def test_hex_key_is_decoded_the_same_from_every_source(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    df = pd.DataFrame({"respondent_id": ["123"]})
    expected = ["r_" + HMAC_HEX_123]
    assert pseudonymise(df, key=HEX_KEY).respondent_id.tolist() == expected
    assert pseudonymise(df, key=HEX_KEY.encode() + b"\n").respondent_id.tolist() == expected
    keyfile = tmp_path / "k.key"
    keyfile.write_text(HEX_KEY + "\n")
    assert pseudonymise(df, key_file=keyfile).respondent_id.tolist() == expected
    monkeypatch.setenv("CXRESEARCH_KEY", HEX_KEY)
    assert pseudonymise(df).respondent_id.tolist() == expected


def test_deterministic_across_waves_and_key_specific() -> None:
    wave1 = pseudonymise(pd.DataFrame({"respondent_id": [1, 2, 3]}), key=KEY)
    wave2 = pseudonymise(pd.DataFrame({"respondent_id": [3, 1]}), key=KEY)
    assert wave2.respondent_id.tolist() == wave1.respondent_id.iloc[[2, 0]].tolist()
    other = pseudonymise(pd.DataFrame({"respondent_id": [1, 2, 3]}), key=b"x" * 16)
    assert set(other.respondent_id).isdisjoint(wave1.respondent_id)


def test_missing_ids_stay_missing() -> None:
    df = pd.DataFrame({"respondent_id": pd.Series([None, np.nan, pd.NA, "", "  ", "7"],
                                                  dtype=object)})
    out = pseudonymise(df, key=KEY)
    assert out.respondent_id.isna().tolist() == [True] * 5 + [False]
    assert str(out.respondent_id.dtype) == "string"


def test_dataframe_input_is_not_changed() -> None:
    df = ids_frame()
    out = pseudonymise(df, key=KEY)
    assert df.respondent_id.tolist() == [123, 456, 789]
    assert out.q1.tolist() == [1, 2, 3] and out is not df
    assert out.respondent_id.str.match(r"^r_[0-9a-f]{16}$").all()


def test_responses_input_gives_new_responses() -> None:
    res = make_responses()
    out = pseudonymise(res, key=KEY)
    assert isinstance(out, Responses)
    assert out.data.respondent_id.tolist()[0] == "r_" + HMAC_K16_123
    assert res.data.respondent_id.tolist() == ["123", "456"]
    assert out.data is not res.data and out.survey is res.survey
    # the raw id kept in coercions is pseudonymised too; other coercions untouched
    assert out.coercions.value.tolist()[0].startswith("r_")
    assert out.coercions.value.tolist()[1] == "not-an-address"
    assert res.coercions.value.tolist()[0] == "x9"


def test_key_source_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    df = pd.DataFrame({"respondent_id": ["123"]})

    def pseud(**kw: object) -> str:
        return str(pseudonymise(df, **kw).respondent_id[0])  # type: ignore[call-overload]

    keys = {name: (name * 16).encode() for name in "ghijk"}  # not hex
    arg_file = tmp_path / "arg.key"
    arg_file.write_bytes(keys["h"])
    env_file = tmp_path / "env.key"
    env_file.write_bytes(keys["j"])
    default = default_key_path()
    assert default == tmp_path / "config" / "cxresearch" / "pseudonymisation.key"
    default.parent.mkdir(parents=True)
    default.write_bytes(keys["k"])
    monkeypatch.setenv("CXRESEARCH_KEY", keys["i"].decode())
    monkeypatch.setenv("CXRESEARCH_KEY_FILE", str(env_file))
    expect = {name: pseud(key=k) for name, k in keys.items()}
    assert len(set(expect.values())) == 5
    assert pseud(key=keys["g"], key_file=arg_file) == expect["g"]
    assert pseud(key_file=arg_file) == expect["h"]
    assert pseud() == expect["i"]
    monkeypatch.delenv("CXRESEARCH_KEY")
    assert pseud() == expect["j"]
    monkeypatch.delenv("CXRESEARCH_KEY_FILE")
    assert pseud() == expect["k"]


def test_default_path_without_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME")
    home = tmp_path / "home"
    assert default_key_path() == home / ".config" / "cxresearch" / "pseudonymisation.key"


def test_missing_key_says_where_it_looked_and_how_to_make_one() -> None:
    with pytest.raises(PrivacyError, match="No pseudonymisation key was found") as info:
        pseudonymise(ids_frame())
    text = str(info.value)
    for part in ("key argument", "CXRESEARCH_KEY ", "CXRESEARCH_KEY_FILE",
                 str(default_key_path()), "cxresearch key new", "new_key()"):
        assert part in text
    assert isinstance(info.value, CxResearchError)


def test_missing_key_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PrivacyError, match="does not exist"):
        pseudonymise(ids_frame(), key_file=tmp_path / "nope.key")


def test_key_inside_a_study_folder_is_refused(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    study = tmp_path / "surveys" / "claims"
    (study / "secrets").mkdir(parents=True)
    (study / "study.yaml").write_text("id: claims\n")
    keyfile = study / "secrets" / "pseudonymisation.key"
    keyfile.write_text(HEX_KEY)
    with pytest.raises(PrivacyError, match="inside the study folder .*Move it out") as info:
        pseudonymise(ids_frame(), key_file=keyfile)
    assert str(default_key_path()) in str(info.value)
    monkeypatch.setenv("CXRESEARCH_KEY_FILE", str(keyfile))
    with pytest.raises(PrivacyError, match="inside the study folder"):
        pseudonymise(ids_frame())
    # a study folder without study.yaml, named with study=
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "k.key").write_text(HEX_KEY)
    with pytest.raises(PrivacyError, match="inside the study folder"):
        pseudonymise(ids_frame(), key_file=bare / "k.key", study=bare)
    assert len(pseudonymise(ids_frame(), key_file=bare / "k.key", study=study)) == 3


@pytest.mark.parametrize("key", ["short", b"0123456789abcde", "00" * 15])
def test_short_key_is_refused(key: str | bytes) -> None:
    with pytest.raises(PrivacyError, match="at least 16 bytes are needed.*try every key"):
        pseudonymise(ids_frame(), key=key)


def test_key_of_another_type_is_refused() -> None:
    with pytest.raises(PrivacyError, match="must be bytes or str; given: int"):
        pseudonymise(ids_frame(), key=123)  # type: ignore[call-overload]


def test_collision_is_detected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(privacy, "_DIGEST_CHARS", 1)  # 16 possible pseudonyms
    df = pd.DataFrame({"respondent_id": range(40)})
    with pytest.raises(PrivacyError, match="got the same pseudonym.*new_key"):
        pseudonymise(df, key=KEY)


def test_errors_for_bad_input() -> None:
    with pytest.raises(PrivacyError, match="no id column 'rid'; the columns are respondent_id, q1"):
        pseudonymise(ids_frame(), "rid", key=KEY)
    done = pseudonymise(ids_frame(), key=KEY)
    with pytest.raises(PrivacyError, match="already looks like a pseudonym"):
        pseudonymise(done, key=KEY)
    with pytest.raises(PrivacyError, match="Responses or a pandas DataFrame; given: list"):
        pseudonymise([1, 2], key=KEY)


def test_new_key_writes_a_private_key_once(tmp_path: Path) -> None:
    path = new_key()
    assert path == default_key_path()
    content = path.read_text()
    assert len(content) == 65 and content.endswith("\n") and bytes.fromhex(content.strip())
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(PrivacyError, match="already exists.*force=True"):
        new_key()
    assert path.read_text() == content
    assert new_key(force=True) == path and path.read_text() != content
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # the default key is found without being named
    assert pseudonymise(ids_frame()).respondent_id.notna().all()


def test_new_key_refuses_a_study_folder(tmp_path: Path) -> None:
    (tmp_path / "study").mkdir()
    (tmp_path / "study" / "study.yaml").write_text("id: s\n")
    with pytest.raises(PrivacyError, match="inside the study folder"):
        new_key(tmp_path / "study" / "k.key")
    assert not (tmp_path / "study" / "k.key").exists()


# ------------------------------------------------------------------ mask_identifiers


def test_mask_identifiers_drops_direct_questions_and_named_columns() -> None:
    res = make_responses()
    out = mask_identifiers(res, "name")
    assert list(out.data.columns) == ["respondent_id", "team", "age"]
    assert out.meta_columns == ["respondent_id", "team"]
    assert out.coercions.value.tolist() == ["x9", None]
    assert "email" in res.data.columns and res.coercions.value.tolist()[1] == "not-an-address"
    assert list(mask_identifiers(res).data.columns) == ["respondent_id", "team", "name", "age"]


def test_mask_identifiers_errors_and_dataframes() -> None:
    res = make_responses()
    with pytest.raises(PrivacyError, match="no column 'phone'.*the columns are respondent_id"):
        mask_identifiers(res, ["phone"])
    with pytest.raises(PrivacyError, match="pseudonymise it"):
        mask_identifiers(res, ["respondent_id"])
    assert list(mask_identifiers(res.data, ["name", "email"]).columns) == [
        "respondent_id", "team", "age"]


# ------------------------------------------------------------------ small cells


def lines_with_one_hidden(table: pd.DataFrame) -> list[str]:
    """Rows and columns (each holding a margin) in which exactly one cell is hidden."""
    hidden = table.isna()
    rows = [f"row {r}" for r in table.index if hidden.loc[r].sum() == 1]
    cols = [f"column {c}" for c in table.columns if hidden[c].sum() == 1]
    return rows + cols


def with_margins(inner: pd.DataFrame, label: str = "Total") -> pd.DataFrame:
    table = inner.copy()
    table[label] = table.sum(axis=1)
    table.loc[label] = table.sum(axis=0)
    return table


def test_primary_suppression_keeps_zeros() -> None:
    table = pd.DataFrame({"x": [0, 4, 5], "y": [1, 12, 7]}, index=["a", "b", "c"])
    out = suppress_small_cells(table)
    assert out.isna().to_numpy().tolist() == [[False, True], [True, False], [False, False]]
    assert out.loc["a", "x"] == 0 and out.loc["c", "x"] == 5
    assert str(out.dtypes.iloc[0]) == "Int64"
    assert table.loc["b", "x"] == 4  # input unchanged


def test_subtraction_attack_is_blocked() -> None:
    inner = pd.DataFrame({"good": [2, 8], "ok": [10, 9], "bad": [12, 11]}, index=["nl", "be"])
    table = with_margins(inner)
    # primary suppression alone leaves the small cell recoverable from its row total
    primary_only = table.mask((table > 0) & (table < 5))
    assert lines_with_one_hidden(primary_only) == ["row nl", "column good"]
    recovered = primary_only.loc["nl", "Total"] - primary_only.loc["nl", ["ok", "bad"]].sum()
    assert recovered == 2
    out = suppress_small_cells(table)
    assert lines_with_one_hidden(out) == []
    assert out.loc["nl", "good"] is pd.NA
    assert out.loc["Total"].tolist() == [10, 19, 23, 52]  # margins are not small: shown
    assert small_cell_mask(table).equals(out.isna())


def test_small_group_hides_its_zeros_too() -> None:
    table = with_margins(pd.DataFrame({"yes": [0, 10, 8], "no": [3, 20, 9]},
                                      index=["tiny", "big", "mid"]))
    out = suppress_small_cells(table)
    assert out.loc["tiny"].isna().all()  # the group of 3 shows nothing, not even its zero
    assert lines_with_one_hidden(out) == []


@pytest.mark.parametrize("label", ["All", "Totaal", "total"])
def test_margin_labels_are_recognised(label: str) -> None:
    raw = pd.DataFrame({"team": list("aaaabbbbbbbbbb"), "answer": list("xyyyxxxxxyyyyy")})
    table = pd.crosstab(raw.team, raw.answer, margins=True)
    table = table.rename(index={"All": label}, columns={"All": label})
    out = suppress_small_cells(table)
    assert out.loc["a"].isna().tolist() == [True, True, True]  # a is 4 people
    assert lines_with_one_hidden(out) == []
    assert out.loc[label, label] == 14


def test_tidy_table_hides_value_columns_of_hidden_rows() -> None:
    tidy = pd.DataFrame({"team": ["a", "b", "c", "Total"], "n": [3, 10, 20, 33],
                         "mean": [4.0, 3.5, 3.9, 3.8], "pct": [9.1, 30.3, 60.6, 100.0]})
    out = suppress_small_cells(tidy, count="n")
    assert out.team.tolist() == tidy.team.tolist()
    assert out.n.isna().tolist() == [True, True, False, False]  # b is the complement
    assert out["mean"].isna().tolist() == [True, True, False, False]
    assert out.pct.isna().tolist() == [True, True, False, False]
    no_total = suppress_small_cells(tidy.iloc[:3], count="n")
    assert no_total.n.isna().tolist() == [True, False, False]
    assert suppress_small_cells(tidy.iloc[:3], count="n", total=33).n.isna().sum() == 2
    assert small_cell_mask(tidy, count="n").tolist() == [True, True, False, False]


def test_tidy_table_with_two_group_columns_needs_groups() -> None:
    inner = pd.DataFrame({"x": [3, 10], "y": [12, 11]}, index=["a", "b"])
    long = (with_margins(inner).rename_axis(index="team", columns="wave")
            .stack().rename("n").reset_index())
    with pytest.raises(PrivacyError, match=r"Pass groups=\[...\]"):
        suppress_small_cells(long.assign(wave=long.wave.astype(object)), count="n")
    out = suppress_small_cells(long, count="n", groups=["team", "wave"])
    wide = out.pivot(index="team", columns="wave", values="n")
    assert lines_with_one_hidden(wide) == []
    assert wide.isna().sum().sum() == 4


def test_series_with_total() -> None:
    counts = pd.Series([2, 9, 12, 0], index=["a", "b", "c", "d"], name="n")
    assert suppress_small_cells(counts).isna().tolist() == [True, False, False, False]
    out = suppress_small_cells(counts, total=23)
    assert out.isna().tolist() == [True, True, False, False]
    assert out.name == "n" and out.loc["d"] == 0
    with_margin = pd.concat([counts, pd.Series({"Totaal": 23})])
    assert suppress_small_cells(with_margin).isna().tolist() == [True, True, False, False, False]


def test_min_group_size_one_suppresses_nothing() -> None:
    table = with_margins(pd.DataFrame({"x": [1, 0], "y": [2, 3]}))
    out = suppress_small_cells(table, 1)
    assert out.notna().all().all()
    assert out.astype(int).equals(table.astype(int))


def test_already_missing_counts_are_protected() -> None:
    table = with_margins(pd.DataFrame({"x": [6.0, 7.0], "y": [8.0, 9.0]}))
    table.loc[0, "x"] = np.nan
    assert lines_with_one_hidden(suppress_small_cells(table)) == []


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"min_group_size": 0}, r"min_group_size must be a whole number ≥ 1 .*given: 0\."),
    ({"min_group_size": 2.5}, r"min_group_size must be a whole number ≥ 1 .*given: 2\.5"),
    ({"min_group_size": True}, r"given: True"),
    ({"total": -1}, r"total must be None or a whole number ≥ 0 .*given: -1"),
    ({"total": 5}, r"total=5 is smaller than the sum of the counts \(21\)"),
])
def test_argument_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(PrivacyError, match=message):
        suppress_small_cells(pd.Series([6, 7, 8]), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("values", "message"), [
    ([6, -1], r"whole numbers ≥ 0; the cell index 1 of the Series is -1\."),
    ([6, 2.5], r"the cell index 1 of the Series is 2\.5\..*small_cell_mask"),
    (["6", "7"], r"must hold counts .*dtype"),
])
def test_count_errors(values: list[object], message: str) -> None:
    with pytest.raises(PrivacyError, match=message):
        suppress_small_cells(pd.Series(values))


def test_tidy_errors() -> None:
    tidy = pd.DataFrame({"team": ["a", "b"], "n": [3, 10]})
    with pytest.raises(PrivacyError, match="no count column 'count'; the columns are team, n"):
        suppress_small_cells(tidy, count="count")
    with pytest.raises(PrivacyError, match="reset_index"):
        suppress_small_cells(tidy.set_index("team").rename({"b": "All"}), count="n")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.integers(0, 12), min_size=1, max_size=5), min_size=1, max_size=5),
       st.integers(1, 7))
def test_no_line_with_one_hidden_cell(rows: list[list[int]], m: int) -> None:
    width = min(len(r) for r in rows)
    inner = pd.DataFrame([r[:width] for r in rows])
    inner.columns = [f"c{j}" for j in range(width)]
    table = with_margins(inner, "All")
    out = suppress_small_cells(table, m)
    assert lines_with_one_hidden(out) == []
    shown = out.to_numpy(dtype=float, na_value=np.nan)
    assert not ((shown > 0) & (shown < m)).any()
    assert out.isna().equals(small_cell_mask(table, m))
