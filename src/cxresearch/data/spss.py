"""The way out for colleagues who work in SPSS: cleaned answers as ``.sav`` with labels.

Variable labels are the question labels, value labels the choice and scale labels (in
one language of the instrument); choice questions get codes 1..n in list order, scales
keep their own codes. :func:`cxresearch.data.read_responses` reads such a file back to
the same answers.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from .._i18n import t, ui_language
from .._optional import import_optional
from .responses import Responses

__all__ = ["write_sav"]


def write_sav(responses: Responses, path: str | Path, *, lang: str | None = None) -> Path:
    """Write ``responses`` to an SPSS ``.sav`` file, atomically.

    Parameters
    ----------
    responses : Responses
        Typed answers.
    path : path
        The ``.sav`` file to write (never a raw data file).
    lang : str, optional
        Language of variable and value labels (default: the instrument's default).
    """
    pyreadstat = import_optional("pyreadstat", "data", "Writing SPSS .sav files")
    inst = responses.survey
    lang = lang or inst.language
    if lang not in inst.languages:
        raise ValueError(f"lang={lang!r} is not a language of '{inst.id}'; allowed: "
                         f"{', '.join(inst.languages)}")
    out = pd.DataFrame(index=responses.data.index)
    labels: dict[str, str] = {}
    value_labels: dict[str, dict[float, str]] = {}
    measure: dict[str, str] = {}
    for col in responses.meta_columns:
        series = responses.data[col]
        out[col] = series if str(series.dtype).startswith(("datetime", "Float", "Int")) \
            else series.astype("string").astype(object)
        measure[col] = "scale" if col == "duration_s" else "nominal"
    for fid in responses.answer_columns:
        q = inst.question(fid)
        series = responses.data[fid]
        label = next((it.label for it in q.items if it.id == fid), q.label)
        labels[fid] = (label.get(lang) or fid)[:255]
        if fid == f"{q.id}_other" or q.type in ("text", "multiple_choice", "ranking"):
            out[fid] = series.astype("string").astype(object)
            measure[fid] = "nominal"
        elif q.type == "single_choice":
            choices = list(series.cat.categories)
            out[fid] = series.cat.codes.where(series.notna()).astype("float64") + 1
            names = {c.value: c.label.get(lang, c.value) for c in inst.choice_list(q).choices}
            value_labels[fid] = {float(i + 1): names.get(v, t("other", ui_language(lang)) if v == "other" else v)
                                 for i, v in enumerate(choices)}
            measure[fid] = "nominal"
        elif q.type in ("likert", "likert_matrix", "rating"):
            out[fid] = pd.to_numeric(series.astype("Float64"), errors="coerce").astype("float64")
            if q.scale is not None:
                value_labels[fid] = {float(v): lab.get(lang, str(v))
                                     for v, lab in zip(q.scale.values(), q.scale.labels)}
            measure[fid] = "ordinal"
        elif q.type == "number":
            out[fid] = series.astype("Float64").astype("float64")
            measure[fid] = "scale"
        else:  # date
            out[fid] = series
            measure[fid] = "scale"
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".sav", dir=target.parent)
    os.close(fd)
    try:
        pyreadstat.write_sav(out, tmp, column_labels=labels, variable_value_labels=value_labels,
                             variable_measure=measure)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
