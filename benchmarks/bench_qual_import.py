"""Benchmark: reading a folder of interview transcripts into turns and into sentences.

Run with ``.venv/bin/python benchmarks/bench_qual_import.py [transcripts] [--words W]
[--keep DIR]`` (default 500 transcripts of about 10,000 words; target well under 30 s
with sentences).

The transcripts are written once (seed 1) to a temporary folder (``--keep DIR`` writes
them there and leaves them): a fifth each of ``.txt`` (``[h:mm:ss] Speaker: ...``, some
turns wrapped over several lines), ``.md`` (a heading, ``**Speaker:** (mm:ss) ...``),
``.docx`` (a paragraph per turn, ``Speaker [h:mm:ss]: ...``), ``.vtt`` (a cue per 8-20
words, ``<v Speaker>`` when the speaker changes) and ``.srt`` (the same with ``Speaker:``),
Dutch and English sentences with abbreviations (``bijv.``, ``e.g.``, ``Mr.``), numbers
(``3.5``) and ellipses, and a ``cases.csv`` with a row per transcript. Each measurement
runs in a fresh process (limited to 8 GB of address space) and times one
``read_transcripts(folder, segment=...)`` call: reading, hashing, decoding (or unzipping
the ``.docx``), segmenting. The files are in the page cache (just written), so the disk
is not measured. ``MB/s`` is the files' bytes per second (the ``.docx`` files are
zipped), ``M chars`` the decoded text; the seconds per format come from a second pass
over the same files with :func:`read_transcript`. The numbers are printed, not asserted.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _child import run_child

LIMIT_BYTES = 8 << 30
FORMATS = ("txt", "md", "docx", "vtt", "srt")
WORDS = ("de klant belde twee keer over de schade en niemand wist wat er met de melding "
         "gebeurd was het formulier op de website was duidelijk maar de bonnen uploaden "
         "lukte niet the claims handler called back the same day and explained the cover "
         "in plain words we waited three weeks for the decision letter which was unclear "
         "about the deductible").split()
EXTRAS = ("bijv.", "o.a.", "e.g.", "i.e.", "d.w.z.", "ca.", "3.5", "1.250", "Mr. Jansen",
          "Dr. Smit", "mevr. De Boer")
ENDS = (".", ".", ".", ".", "?", "!", "...")


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(4, 22))
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), rng.choice(EXTRAS))
    return " ".join(words).capitalize() + rng.choice(ENDS)


def _turns(rng: random.Random, n_words: int) -> list[tuple[str, float, str]]:
    """(speaker, start in seconds, text) until about ``n_words`` words."""
    out: list[tuple[str, float, str]] = []
    count, clock = 0, 3.0
    respondent = rng.choice(("Klant", "Respondent", "Customer", "Medewerker"))
    while count < n_words:
        speaker = "Interviewer" if len(out) % 2 == 0 else respondent
        text = " ".join(_sentence(rng) for _ in range(rng.randint(1, 2) if speaker ==
                                                      "Interviewer" else rng.randint(2, 8)))
        out.append((speaker, clock, text))
        n = len(text.split())
        count += n
        clock += n * 0.4 + rng.uniform(0.5, 2.0)
    return out


def _hms(seconds: float, sep: str = ".", millis: bool = False) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    if millis:
        return f"{int(h):02d}:{int(m):02d}:{int(s):02d}{sep}{int(s % 1 * 1000):03d}"
    return f"{int(h)}:{int(m):02d}:{int(s):02d}"


def _cues(turns: list[tuple[str, float, str]], rng: random.Random
          ) -> list[tuple[float, float, str | None, str]]:
    """Subtitle cues of 8-20 words; the speaker only where it changes."""
    cues: list[tuple[float, float, str | None, str]] = []
    for speaker, start, text in turns:
        words, first, clock = text.split(), True, start
        while words:
            k = rng.randint(8, 20)
            chunk, words = words[:k], words[k:]
            cues.append((clock, clock + len(chunk) * 0.4, speaker if first else None,
                         " ".join(chunk)))
            clock += len(chunk) * 0.4
            first = False
    return cues


def write_transcript(path: Path, fmt: str, turns: list[tuple[str, float, str]],
                     rng: random.Random) -> None:
    if fmt == "txt":
        lines = []
        for speaker, start, text in turns:
            body = text
            if rng.random() < 0.3:  # wrapped over lines, as some transcribers deliver
                words = text.split()
                body = "\n".join(" ".join(words[i:i + 12]) for i in range(0, len(words), 12))
            lines.append(f"[{_hms(start)}] {speaker}: {body}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif fmt == "md":
        lines = [f"# Interview {path.stem}", ""]
        for speaker, start, text in turns:
            lines += [f"**{speaker}:** ({int(start // 60):02d}:{int(start % 60):02d}) {text}", ""]
        path.write_text("\n".join(lines), encoding="utf-8")
    elif fmt == "docx":
        import docx

        document = docx.Document()
        for speaker, start, text in turns:
            document.add_paragraph(f"{speaker} [{_hms(start)}]: {text}")
        document.save(str(path))
    else:
        blocks = ["WEBVTT", ""] if fmt == "vtt" else []
        sep = "." if fmt == "vtt" else ","
        for k, (t0, t1, who, text) in enumerate(_cues(turns, rng), 1):
            label = "" if who is None else (f"<v {who}>" if fmt == "vtt" else f"{who}: ")
            head = [] if fmt == "vtt" else [str(k)]
            blocks += head + [f"{_hms(t0, sep, True)} --> {_hms(t1, sep, True)}",
                              label + text, ""]
        path.write_text("\n".join(blocks), encoding="utf-8")


def make_folder(folder: Path, n: int, n_words: int) -> None:
    rng = random.Random(1)
    rows = ["transcript,respondent_type,segment,team,wave,language"]
    for i in range(n):
        fmt = FORMATS[i % len(FORMATS)]
        turns = _turns(rng, n_words)
        write_transcript(folder / f"r{i:04d}.{fmt}", fmt, turns, rng)
        kind = "employee" if turns[1][0] == "Medewerker" else "customer"
        rows.append(f"r{i:04d},{kind},burglary,desk_{'north' if i % 2 else 'south'},"
                    f"{1 + i % 3},{'nl' if i % 2 else 'en'}")
    (folder / "cases.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def child(folder: str, segment: str) -> dict[str, object]:
    """Run one measurement in this (fresh, memory-limited) process."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))
    import docx  # noqa: F401  (imports are not part of any timing)

    from cxresearch.qual.transcripts import read_transcript, read_transcripts

    start = time.perf_counter()
    transcripts = read_transcripts(folder, segment=segment)
    seconds = time.perf_counter() - start
    per_format: dict[str, float] = {}
    for t in transcripts:
        t0 = time.perf_counter()
        read_transcript(t.source, segment=segment)
        per_format[t.format] = per_format.get(t.format, 0.0) + time.perf_counter() - t0
    return {"status": "ok", "seconds": seconds,
            "mb": sum(Path(t.source).stat().st_size for t in transcripts) / 1e6,
            "chars": sum(len(t.text) for t in transcripts),
            "words": sum(len(t.text.split()) for t in transcripts),
            "segments": sum(len(t.segments) for t in transcripts),
            "per_format": per_format,
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main(argv: list[str]) -> None:
    n, n_words, keep = 500, 10_000, None
    args = iter(argv)
    for arg in args:
        if arg == "--words":
            n_words = int(next(args))
        elif arg == "--keep":
            keep = Path(next(args))
        else:
            n = int(arg.replace(",", "").replace("_", ""))
    with tempfile.TemporaryDirectory() as tmp:
        folder = keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        make_folder(folder, n, n_words)
        print(f"transcript import benchmark: {n} transcripts of about {n_words:,} words "
              f"({', '.join(FORMATS)}), written in {time.perf_counter() - t0:.1f} s; each "
              f"line a fresh process, address space limited to {LIMIT_BYTES >> 30} GB")
        print(f"{'segment':<9} {'seconds':>8} {'MB':>6} {'MB/s':>6} {'M chars':>7} "
              f"{'words':>10} {'segments':>9} {'segments/s':>10} {'peak RSS MB':>11}  "
              "seconds per format (second pass)")
        for segment in ("turn", "sentence"):
            r: dict[str, Any] = run_child(__file__, folder, segment)
            if r["status"] != "ok":
                print(f"{segment:<9} {r['status']}")
                continue
            s, mb, segments = r["seconds"], r["mb"], r["segments"]
            per_format = r["per_format"]
            print(f"{segment:<9} {s:8.2f} {mb:6.1f} {mb / s:6.1f} {r['chars'] / 1e6:7.1f} "
                  f"{r['words']:>10,} {segments:>9,} {segments / s:>10,.0f} "
                  f"{r['peak_mb']!s:>11}  "
                  + ", ".join(f"{k} {v:.2f}" for k, v in sorted(per_format.items())),
                  flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], sys.argv[3])))
    else:
        main(sys.argv[1:])
