"""Benchmark: how well and how fast :mod:`cxresearch.data.scrub` removes personal data.

Run with ``.venv/bin/python benchmarks/bench_scrubber.py`` (add ``--errors`` to list
every missed and every wrong finding). Exit status 1 when a file misses the target.

Quality is measured on two hand-labelled files in ``tests/data/scrub/``:

* ``sentences.jsonl``: the development set, used while writing the patterns;
* ``heldout.jsonl``: written before the patterns were finalised and not looked at while
  tuning them (see ``tests/data/scrub/README.md`` for how far that goes).

Per file the table gives, per kind and overall, the scores of :func:`evaluate`:
entity-level recall (a labelled entity is *found* when findings of its kind cover at
least half of its characters), *any-kind recall* (the same with findings of any kind:
the personal text is gone, whatever the placeholder) and precision (a finding is
*correct* when it overlaps a labelled entity of its kind). Target from the issue:
overall recall >= 0.95 on both files. ``tests/test_scrub.py`` imports :func:`evaluate`
from here, so the figures printed and the figures CI checks are the same.

Speed: ``scrub_series`` on 100,000 generated short answers (the number of distinct
answers is printed: ``scrub_series`` scrubs each distinct answer once).
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path
from typing import Callable, Iterable, Mapping

import pandas as pd

from cxresearch.data.scrub import KINDS, Finding, ScrubError, find_personal_data, scrub_series

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "scrub"
FILES = {"development (sentences.jsonl)": DATA / "sentences.jsonl",
         "held-out (heldout.jsonl)": DATA / "heldout.jsonl"}
N_ANSWERS = 100_000
TARGET_RECALL = 0.95
COLUMNS: tuple[str, ...] = ("kind", "n_gold", "n_found", "recall", "n_any_kind",
                            "any_kind_recall", "n_predicted", "n_correct", "precision")
"""Columns of :func:`evaluate`'s table: one row per kind of ``KINDS``, then ``overall``."""

Finder = Callable[[str], list[Finding]]


def load(path: Path) -> list[dict[str, object]]:
    """The labelled sentences of a ``.jsonl`` file (one JSON object a line)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def gold_spans(example: Mapping[str, object], where: str) -> tuple[str, list[tuple[int, int, str]]]:
    """The text and its labelled ``(start, end, kind)`` spans; entities in order of appearance."""
    text, entities = example.get("text"), example.get("entities", [])
    if not isinstance(text, str) or not isinstance(entities, list):
        raise ScrubError(f"{where}: an example needs a str 'text' and a list 'entities' "
                         f"(given: {dict(example)!r}).\n    fix: write each line as "
                         '{"text": "...", "entities": [{"kind": "PHONE", "text": "..."}]}.')
    spans: list[tuple[int, int, str]] = []
    for entity in entities:
        kind = entity.get("kind") if isinstance(entity, dict) else None
        piece = entity.get("text") if isinstance(entity, dict) else None
        at = text.find(piece, spans[-1][1] if spans else 0) if isinstance(piece, str) else -1
        if kind not in KINDS or not piece or at < 0:
            raise ScrubError(
                f"{where}: entity {entity!r} needs a kind from {', '.join(KINDS)} and a text "
                f"that occurs in {text!r} after the previous entity.\n    fix: list entities "
                "by exact substring, in order of appearance.")
        spans.append((at, at + len(str(piece)), str(kind)))
    return text, spans


def evaluate(examples: Iterable[Mapping[str, object]],
             finder: Finder = find_personal_data) -> pd.DataFrame:
    """Entity-level recall and precision of ``finder`` on labelled sentences.

    Parameters
    ----------
    examples : iterable of mapping
        Each ``{"text": str, "entities": [{"kind": ..., "text": ...}, ...]}``, entities
        by kind and exact substring, in order of appearance.
    finder : callable, default :func:`cxresearch.data.scrub.find_personal_data`
        The detector to measure.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`: ``n_gold`` labelled entities, ``n_found`` of them
        found, ``recall``; ``n_any_kind`` removed under any placeholder,
        ``any_kind_recall``; ``n_predicted`` findings, ``n_correct`` of them right,
        ``precision``. A ratio with a zero denominator is NaN.

    Notes
    -----
    A labelled entity :math:`g` is *found* when findings of its kind cover at least half
    of its characters, :math:`|g \\cap \\bigcup_k f_k| \\ge |g|/2`; for *any kind* the
    union runs over all findings. A finding is *correct* when it shares at least one
    character with a labelled entity of its kind. Recall = found / labelled, precision
    = correct / predicted: entity-level scores with partial-match credit (cf. the
    "partial" criterion of the SemEval-2013 task 9 scorer), stricter for recall than for
    precision on purpose: a scrubber that removes half a phone number has not done its job.

    Examples
    --------
    >>> table = evaluate([{"text": "Bel 06-12345678",
    ...                    "entities": [{"kind": "PHONE", "text": "06-12345678"}]}])
    >>> table.set_index("kind").loc["PHONE", ["recall", "precision"]].tolist()
    [1.0, 1.0]
    """
    numbers = ("n_gold", "n_found", "n_any_kind", "n_predicted", "n_correct")
    counts = {k: dict.fromkeys(numbers, 0) for k in (*KINDS, "overall")}
    for i, example in enumerate(examples):
        text, gold = gold_spans(example, f"example {i}")
        found = finder(text)
        for a, b, kind in gold:
            def covered(fs: list[Finding]) -> bool:
                chars = {p for f in fs for p in range(max(a, f.start), min(b, f.end))}
                return 2 * len(chars) >= b - a
            same, any_kind = covered([f for f in found if f.kind == kind]), covered(found)
            for c in (counts[kind], counts["overall"]):
                c["n_gold"] += 1
                c["n_found"] += same
                c["n_any_kind"] += any_kind
        for f in found:
            hit = any(k == f.kind and a < f.end and f.start < b for a, b, k in gold)
            for c in (counts[f.kind], counts["overall"]):
                c["n_predicted"] += 1
                c["n_correct"] += hit
    table = pd.DataFrame([{"kind": k, **v} for k, v in counts.items()])
    for ratio, num, den in (("recall", "n_found", "n_gold"),
                            ("any_kind_recall", "n_any_kind", "n_gold"),
                            ("precision", "n_correct", "n_predicted")):
        table[ratio] = [n / d if d else float("nan") for n, d in zip(table[num], table[den])]
    return table[list(COLUMNS)]


def errors(examples: Iterable[Mapping[str, object]], finder: Finder = find_personal_data,
           ) -> list[str]:
    """One line per labelled entity not found exactly and per finding not labelled."""
    lines = []
    for i, example in enumerate(examples):
        text, gold = gold_spans(example, f"example {i}")
        want = {(k, text[a:b]) for a, b, k in gold}
        got = {(f.kind, f.text) for f in finder(text)}
        lines += [f"{i:4d} missed {k:8s} {t!r} in {text!r}" for k, t in sorted(want - got)]
        lines += [f"{i:4d} extra  {k:8s} {t!r} in {text!r}" for k, t in sorted(got - want)]
    return lines


_OPENERS = ["De bezorging ging prima", "Ik wacht nog steeds op mijn geld",
            "Het sollicitatiegesprek was fijn", "Slechte service", "Prima geholpen",
            "The delivery was late again", "Great interview experience",
            "Nobody answered my emails", "Claim afgehandeld binnen een week",
            "Het pakket was beschadigd", "Top!", "Geen opmerkingen", "Too slow",
            "Vriendelijke medewerker aan de telefoon", "I had to call three times"]
_TAILS = ["bel me op 06-{a:04d}{b:04d}", "mail naar klant{a}@voorbeeld.nl",
          "mijn naam is Sanne de Vries", "groet, Piet", "ordernummer {a}{b}",
          "op {d:02d}-03-2024 om 10:{d:02d}", "EUR {a},{d:02d} terug graag",
          "ik woon op Kerkstraat {d}, {a:04d} AB Utrecht", "BSN 123456782",
          "thanks to Emily from HR", "score {d}/10", "{p}% beter dan vorig jaar",
          "claim {a}-{b} loopt nog", "polisnummer AB-{a}{d}", "wachttijd {d} minuten"]


def generated_answers(n: int, seed: int = 20240611) -> list[str]:
    """Short survey answers; four in five carry a tail with personal data or numbers."""
    rng = random.Random(seed)
    answers = []
    for _ in range(n):
        text = rng.choice(_OPENERS)
        if rng.random() < 0.8:
            text += ", " + rng.choice(_TAILS).format(
                a=rng.randint(1000, 9999), b=rng.randint(0, 9999), d=rng.randint(1, 28),
                p=rng.randint(1, 99)) + "."
        answers.append(text)
    return answers


def quality(show_errors: bool = False) -> bool:
    """Print the table per file; whether every file meets the recall target."""
    met = True
    for label, path in FILES.items():
        examples = load(path)
        table = evaluate(examples)
        print(f"\n{label}: {len(examples)} sentences")
        print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
        recall = float(table.set_index("kind").loc["overall", "recall"])
        print(f"overall recall {recall:.3f} "
              f"{'meets' if recall >= TARGET_RECALL else 'MISSES'} the target {TARGET_RECALL}")
        met = met and recall >= TARGET_RECALL
        if show_errors:
            print("\n".join(errors(examples)) or "(no errors)")
    return met


def speed() -> None:
    """Time ``scrub_series`` on generated answers (every 50th missing)."""
    answers = pd.Series(generated_answers(N_ANSWERS), dtype="string")
    answers[::50] = pd.NA
    start = time.perf_counter()
    scrub_series(answers)
    seconds = time.perf_counter() - start
    print(f"\nthroughput: {N_ANSWERS:,} answers ({answers.nunique():,} distinct) in "
          f"{seconds:.2f} s = {N_ANSWERS / seconds:,.0f} sentences/s (scrub_series)")


if __name__ == "__main__":
    ok = quality(show_errors="--errors" in sys.argv[1:])
    speed()
    sys.exit(0 if ok else 1)
