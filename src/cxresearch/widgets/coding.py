"""``CodingWidget``: code interview transcripts in a notebook, segment by segment.

Pick a transcript, read it turn by turn (speaker, time, text), select a segment, tick the
codes that apply (the codebook's tree, indented by depth) and write a memo. Every action
calls a plain function of :mod:`cxresearch.qual.coding` (tested on its own); this module
only lays out the controls and shows what they say.

The coder file (``<study>/coding/<coder>.yaml``) stays the source of truth, and it is
**written at once on every change** (a tick, an untick, a memo), atomically, through
:func:`~cxresearch.qual.coding.save_coder_file`: there is no draft beside it, so closing
the notebook loses nothing, and Save writes the file again (with the memo being typed).
A file that could not be read is never written; a file changed on disk since it was
read (another notebook open on it) is written only after *Save anyway*.
"""

from __future__ import annotations

import dataclasses
import html
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from .._draft import _sha256 as _digest  # the file's sha256, None when it is not there
from ..qual.model import Codebook, Coding, QualError, Segment, Transcript
from ._common import ipywidgets, message_html, with_class

__all__ = ["CodingWidget", "segment_time"]

_W = {
    "en": {
        "title": "Coding", "transcript": "Transcript", "segments": "Segments",
        "previous": "Previous", "next": "Next", "codes": "Codes", "memo": "Memo",
        "memo_hint": "your memo on this segment (saved with its codes)",
        "transcript_memo": "Interview memo",
        "transcript_memo_hint": "your memo on the interview as a whole",
        "save": "Save", "overwrite": "Save anyway",
        "saved": "Saved {path} (every change is written at once)",
        "opened": "Coding as {coder}: {path} ({n} transcript(s) coded so far)",
        "new_file": "Coding as {coder}: {path} is written at the first code",
        "not_read": "The coder file could not be read, so nothing will be written to it: "
                    "{error}",
        "changed_on_disk": "{path} changed on disk since it was read (another notebook open "
                           "on it?); not saved. Reopen the widget to see those changes, or "
                           "Save anyway to overwrite them.",
        "blocked": "This transcript cannot be coded here: {error}",
        "pick": "Select a segment first", "memo_first": "Tick a code first: a memo belongs "
        "to a coded segment (it is saved with the first code you tick)",
        "coded": "{n} of {total} segments coded", "no_segments": "(no segments)",
        "wrong_coder": "the file is named after coder '{stem}', but you code as '{coder}': "
                       "open coding/{coder}.yaml instead",
    },
    "nl": {
        "title": "Coderen", "transcript": "Transcript", "segments": "Segmenten",
        "previous": "Vorige", "next": "Volgende", "codes": "Codes", "memo": "Memo",
        "memo_hint": "uw memo bij dit segment (bewaard bij de codes ervan)",
        "transcript_memo": "Memo interview",
        "transcript_memo_hint": "uw memo bij het interview als geheel",
        "save": "Opslaan", "overwrite": "Toch opslaan",
        "saved": "Opgeslagen: {path} (elke wijziging wordt meteen geschreven)",
        "opened": "Coderen als {coder}: {path} ({n} transcript(en) tot nu toe gecodeerd)",
        "new_file": "Coderen als {coder}: {path} wordt geschreven bij de eerste code",
        "not_read": "Het codeerbestand kon niet worden gelezen; er wordt dus niets naar "
                    "geschreven: {error}",
        "changed_on_disk": "{path} is op schijf gewijzigd sinds het werd gelezen (staat het "
                           "ook in een ander notebook open?); niet opgeslagen. Open de widget "
                           "opnieuw om die wijzigingen te zien, of kies Toch opslaan om ze te "
                           "overschrijven.",
        "blocked": "Dit transcript kan hier niet worden gecodeerd: {error}",
        "pick": "Kies eerst een segment", "memo_first": "Vink eerst een code aan: een memo "
        "hoort bij een gecodeerd segment (het wordt bewaard bij de eerste code die u "
        "aanvinkt)",
        "coded": "{n} van {total} segmenten gecodeerd", "no_segments": "(geen segmenten)",
        "wrong_coder": "het bestand hoort bij codeur '{stem}', maar u codeert als "
                       "'{coder}': open coding/{coder}.yaml",
    },
}


def segment_time(seconds: float | None) -> str:
    """A time in the recording as ``m:ss`` or ``h:mm:ss`` ('' when unknown).

    >>> segment_time(83.4), segment_time(3723), segment_time(None)
    ('1:23', '1:02:03', '')
    """
    if seconds is None:
        return ""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class CodingWidget:
    """Code transcripts with widgets; the coder file is the source of truth.

    Parameters
    ----------
    transcripts : sequence or mapping of Transcript
        The transcripts to code (as read by :mod:`cxresearch.qual.transcripts`).
    codebook : Codebook or path
        The codebook, or its file (``<study>/codebook.yaml``).
    coder_file : path
        The coder's file, ``<study>/coding/<coder>.yaml``; read when it exists, written
        (atomically) on every change.
    coder : str
        The coder's name or initials: the file's name.
    lang : {"en", "nl"}
        Language of the widget and of the code names.

    Attributes
    ----------
    codings : dict of str to Coding
        The coder's codings by transcript id: those of the file, then those begun here.
    transcript, segment : str or None
        The transcript and the segment shown.
    blocked : dict of str to str
        Transcripts that cannot be coded here, and why: the file's coding was made for
        another version of the transcript, or its segments overlap.
    why_readonly : str or None
        Why nothing is written (the coder file could not be read, or is named after
        another coder); ``None`` normally.
    message : str
        The last message of the status line, as plain text.
    widget : ipywidgets.Widget
        The whole widget (displayed when the object is the last line of a cell).
    """

    def __init__(self, transcripts: Iterable[Transcript] | Mapping[str, Transcript],
                 codebook: Codebook | str | Path, coder_file: str | Path, *, coder: str,
                 lang: str = "en") -> None:
        from ..qual.codebook import load_codebook
        from ..viz._common import check_lang

        self.lang = check_lang(lang)
        self.t = _W[self.lang]
        self.transcripts: dict[str, Transcript] = dict(transcripts) if isinstance(
            transcripts, Mapping) else {tr.id: tr for tr in transcripts}
        self.codebook = codebook if isinstance(codebook, Codebook) else \
            load_codebook(codebook)
        self.path = Path(coder_file)
        self.coder = coder
        self.codings: dict[str, Coding] = {}
        self.blocked: dict[str, str] = {}
        self.why_readonly: str | None = None
        self.transcript: str | None = None
        self.segment: str | None = None
        self.message = ""
        self._quiet = False
        self._disk: str | None = None
        self._build()
        self._open()

    # -- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        from ..qual.codebook import code_tree

        w = ipywidgets()
        t = self.t

        def button(key: str, cls: str, style: str = "", icon: str = "") -> Any:
            return with_class(w.Button(description=t[key], button_style=style, icon=icon,
                                       layout=w.Layout(width="auto")), cls)

        self.picker = with_class(w.Dropdown(description=t["transcript"], options=[],
                                            layout=w.Layout(width="98%")), "cx-cw-transcript")
        self.transcript_message = with_class(w.HTML(), "cx-cw-transcript-message")
        self.progress = with_class(w.HTML(), "cx-cw-progress")
        self.segments = with_class(w.Select(options=[], rows=16, layout=w.Layout(width="98%")),
                                   "cx-cw-segments")
        self.previous_button = button("previous", "cx-cw-previous", icon="arrow-up")
        self.next_button = button("next", "cx-cw-next", icon="arrow-down")
        self.segment_view = with_class(w.HTML(), "cx-cw-segment")
        self.boxes: dict[str, Any] = {}
        rows = []
        for c, depth in code_tree(self.codebook):
            name = c.name.get(self.lang) or next(iter(c.name.values()), c.id)
            box = with_class(w.Checkbox(description=name, indent=False, value=False,
                                        tooltip=c.definition.get(self.lang, ""),
                                        layout=w.Layout(margin=f"0 0 0 {22 * depth}px",
                                                        width="auto")),
                             "cx-cw-code", f"cx-cw-code-{c.id}")
            self.boxes[c.id] = box
            rows.append(box)
        self.codes_box = with_class(w.VBox(rows, layout=w.Layout(
            max_height="460px", overflow="auto", width="98%")), "cx-cw-codes")
        self.messages = with_class(w.HTML(), "cx-cw-messages")
        self.memo = with_class(w.Textarea(description=t["memo"], placeholder=t["memo_hint"],
                                          continuous_update=False,
                                          layout=w.Layout(width="98%", height="70px")),
                               "cx-cw-memo")
        self.transcript_memo = with_class(w.Textarea(
            description=t["transcript_memo"], placeholder=t["transcript_memo_hint"],
            continuous_update=False, layout=w.Layout(width="98%", height="54px"),
            style={"description_width": "initial"}), "cx-cw-transcript-memo")
        self.save_button = button("save", "cx-cw-save", "primary", "save")
        self.overwrite_button = button("overwrite", "cx-cw-overwrite", "danger")
        self.overwrite_button.layout.display = "none"
        self.status = with_class(w.HTML(), "cx-cw-status")

        def section(title: str) -> Any:
            return w.HTML(f"<b>{html.escape(title)}</b>")

        left = w.VBox([section(t["segments"]), self.segments,
                       w.HBox([self.previous_button, self.next_button, self.progress]),
                       self.segment_view, self.transcript_memo],
                      layout=w.Layout(width="55%"))
        right = w.VBox([section(t["codes"]), self.codes_box, self.messages, self.memo],
                       layout=w.Layout(width="45%"))
        self.widget = with_class(w.VBox([
            w.HTML(f"<h3 style='margin:4px 0'>{html.escape(t['title'])}</h3>"),
            self.picker, self.transcript_message,
            w.HBox([self.save_button, self.overwrite_button, self.status]),
            w.HBox([left, right])]), "cx-coding-widget")
        self._wire()

    def _wire(self) -> None:
        clicks: list[tuple[Any, Callable[[], Any]]] = [
            (self.save_button, self.save), (self.overwrite_button, lambda: self.save(True)),
            (self.previous_button, lambda: self.step(-1)),
            (self.next_button, lambda: self.step(1))]
        for widget, action in clicks:
            widget.on_click(lambda _, act=action: act())
        self.picker.observe(lambda c: self._heard(self.show_transcript, c), names="value")
        self.segments.observe(lambda c: self._heard(self.select, c), names="value")
        for cid, box in self.boxes.items():
            box.observe(lambda c, cid=cid: self._heard(lambda v: self.tick(cid, v), c),
                        names="value")
        self.memo.observe(lambda c: self._heard(self.write_memo, c), names="value")
        self.transcript_memo.observe(lambda c: self._heard(self.write_transcript_memo, c),
                                     names="value")

    def _heard(self, action: Callable[[Any], Any], change: Mapping[str, Any]) -> None:
        """Pass a change the user made to ``action`` (not those the widget makes itself)."""
        if not self._quiet:
            action(change["new"])

    # -- opening ------------------------------------------------------------------------
    def _open(self) -> None:
        from ..qual.coding import check_coding, check_segmentation, load_coder_file

        if self.path.stem != self.coder:
            self.why_readonly = self.t["not_read"].format(error=self.t["wrong_coder"].format(
                stem=self.path.stem, coder=self.coder))
            self._say("error", self.why_readonly)
        elif self.path.exists():
            try:
                loaded = load_coder_file(self.path, codebook=self.codebook)
            except QualError as exc:
                self.why_readonly = self.t["not_read"].format(error=exc)
                self._say("error", self.why_readonly)
            else:
                self.codings = {c.transcript: c for c in loaded}
                self._disk = _digest(self.path)
                self._say("info", self.t["opened"].format(coder=self.coder, path=self.path,
                                                          n=len(loaded)))
        else:
            self._say("info", self.t["new_file"].format(coder=self.coder, path=self.path))
        for tid, transcript in self.transcripts.items():
            try:
                if tid in self.codings:
                    check_coding(self.codings[tid], transcript=transcript)
                else:
                    check_segmentation(transcript)
            except QualError as exc:
                self.blocked[tid] = str(exc)
        self._quiet = True
        try:
            self.picker.options = self._picker_options()
            self.picker.value = next(iter(self.transcripts), None)
        finally:
            self._quiet = False
        self.show_transcript(self.picker.value)

    def _picker_options(self) -> list[tuple[str, str]]:
        out = []
        for tid, tr in self.transcripts.items():
            coding = self.codings.get(tid)
            done = len({a.segment for a in coding.applied}) if coding else 0
            mark = "⚠ " if tid in self.blocked else ""
            out.append((f"{mark}{tid}  ({done}/{len(tr.segments)})", tid))
        return out

    # -- showing ------------------------------------------------------------------------
    def _say(self, tone: str, text: str) -> None:
        self.message = text
        self.status.value = message_html([(tone, text)])

    def _tell(self, tone: str, text: str) -> None:
        """A message beside the codes and the memo, where the user acts."""
        self.messages.value = message_html([(tone, text)]) if text else ""

    def _current(self) -> Transcript | None:
        return self.transcripts.get(self.transcript) if self.transcript else None

    def _segment_options(self, tr: Transcript) -> list[tuple[str, str]]:
        coding = self.codings.get(tr.id)
        out = []
        for s in tr.segments:
            mark = "● " if coding and coding.codes_of(s.id) else "○ "
            time = segment_time(s.time_start)
            words = " ".join(tr.text[s.start:s.end].split())
            who = f"{s.speaker}: " if s.speaker else ""
            out.append((f"{mark}{time + ' ' if time else ''}{who}{words}"[:120], s.id))
        return out

    def _refresh_lists(self) -> None:
        tr = self._current()
        self._quiet = True
        try:
            self.picker.options = self._picker_options()
            self.picker.value = self.transcript
            if tr is not None:
                self.segments.options = self._segment_options(tr)
                self.segments.value = self.segment
        finally:
            self._quiet = False
        if tr is not None:
            coding = self.codings.get(tr.id)
            done = len({a.segment for a in coding.applied}) if coding else 0
            self.progress.value = html.escape(self.t["coded"].format(
                n=done, total=len(tr.segments)))

    def show_transcript(self, tid: str | None) -> None:
        """Show transcript ``tid``, at its first segment."""
        self.transcript = tid
        tr = self._current()
        self.transcript_message.value = message_html(
            [("error", self.t["blocked"].format(error=self.blocked[tid]))]) \
            if tid in self.blocked else ""
        closed = tr is None or tid in self.blocked or self.why_readonly is not None
        for box in self.boxes.values():
            box.disabled = closed
        self.memo.disabled = self.transcript_memo.disabled = closed
        self.save_button.disabled = self.why_readonly is not None
        self.segment = tr.segments[0].id if tr is not None and tr.segments else None
        self._quiet = True
        try:
            coding = self.codings.get(tid or "")
            self.transcript_memo.value = coding.memo if coding else ""
        finally:
            self._quiet = False
        self._refresh_lists()
        self.select(self.segment)

    def select(self, sid: str | None) -> None:
        """Show segment ``sid``: its speaker, time and words, its codes and its memo."""
        self.segment = sid
        tr = self._current()
        seg: Segment | None = None
        if tr is not None and sid is not None:
            seg = next((s for s in tr.segments if s.id == sid), None)
        coding = self.codings.get(tr.id) if tr is not None else None
        codes = coding.codes_of(sid) if coding and sid else []
        memos = [a.memo for a in (coding.applied if coding else ()) if a.segment == sid
                 and a.memo]
        self._quiet = True
        try:
            if self.segments.value != sid:
                self.segments.value = sid
            for cid, box in self.boxes.items():
                box.value = cid in codes
            self.memo.value = memos[0] if memos else ""
        finally:
            self._quiet = False
        self._tell("", "")
        if tr is None or seg is None:
            self.segment_view.value = html.escape(self.t["no_segments"]) if tr else ""
            return
        head = " · ".join(html.escape(x) for x in (
            seg.id, seg.speaker or "", segment_time(seg.time_start) +
            (f"–{segment_time(seg.time_end)}" if seg.time_end is not None else "")) if x)
        words = html.escape(tr.text[seg.start:seg.end].strip()).replace("\n", "<br>")
        self.segment_view.value = (f"<div style='color:#555;font-size:90%'>{head}</div>"
                                   f"<div style='max-width:720px;margin:4px 0 8px 0'>"
                                   f"{words}</div>")

    def step(self, offset: int) -> None:
        """Go to the segment ``offset`` places on (``-1``: the one before)."""
        tr = self._current()
        if tr is None or not tr.segments:
            return
        ids = [s.id for s in tr.segments]
        at = ids.index(self.segment) if self.segment in ids else 0
        self.select(ids[max(0, min(len(ids) - 1, at + offset))])

    # -- acting (each calls one function of cxresearch.qual.coding) ---------------------
    def _change(self, make: Callable[[Coding], Coding], undo: Callable[[], None], *,
                segment: bool = True) -> bool:
        """Apply ``make`` to the shown transcript's coding and write the file; on a problem
        say it beside the codes and call ``undo`` (which puts the controls back)."""
        from ..qual.coding import new_coding

        tr = self._current()
        problem = self.why_readonly
        if problem is None and (tr is None or (segment and self.segment is None)):
            problem = self.t["pick"]
        elif problem is None and tr is not None and tr.id in self.blocked:
            problem = self.t["blocked"].format(error=self.blocked[tr.id])
        elif problem is None and tr is not None:
            try:
                self.codings[tr.id] = make(self.codings.get(tr.id) or
                                           new_coding(self.coder, tr))
            except QualError as exc:
                problem = str(exc)
        if problem is not None:
            self._quiet = True
            try:
                undo()
            finally:
                self._quiet = False
            self._tell("error", problem)
            return False
        self._tell("", "")
        self.save()
        self._refresh_lists()
        return True

    def tick(self, cid: str, on: bool) -> None:
        """Apply code ``cid`` to the shown segment (``on``), or remove it."""
        from ..qual.coding import code, uncode

        sid, memo = self.segment, self.memo.value.strip()

        def make(coding: Coding) -> Coding:
            if on:
                return code(coding, [sid or ""], cid, memo=memo, codebook=self.codebook,
                            transcript=self._current())
            return uncode(coding, [sid or ""], cid)

        def undo() -> None:
            self.boxes[cid].value = not on

        self._change(make, undo)

    def write_memo(self, text: str) -> None:
        """Keep ``text`` as the memo of the shown segment (on each of its codes)."""
        from ..qual.coding import set_memo

        tr, sid = self._current(), self.segment
        coding = self.codings.get(tr.id) if tr is not None else None
        if tr is not None and sid is not None and not (coding and coding.codes_of(sid)):
            if text.strip():
                self._tell("warning", self.t["memo_first"])
            return
        self._change(lambda c: set_memo(c, sid or "", text.strip()), lambda: None)

    def write_transcript_memo(self, text: str) -> None:
        """Keep ``text`` as the memo on the shown interview as a whole."""
        previous = self.codings.get(self.transcript or "")

        def undo() -> None:
            self.transcript_memo.value = previous.memo if previous else ""

        self._change(lambda c: dataclasses.replace(c, memo=text.strip()), undo, segment=False)

    def save(self, force: bool = False) -> None:
        """Write the coder file now (atomically), with the memo being typed."""
        from ..qual.coding import save_coder_file, set_memo

        if self.why_readonly is not None:
            self._say("error", self.why_readonly)
            return
        tr, sid = self._current(), self.segment
        coding = self.codings.get(tr.id) if tr is not None else None
        if coding is not None and sid is not None and coding.codes_of(sid):
            memo = self.memo.value.strip()
            if {a.memo for a in coding.applied if a.segment == sid} != {memo}:
                coding = set_memo(coding, sid, memo)
        if coding is not None and coding.memo != self.transcript_memo.value.strip():
            coding = dataclasses.replace(coding, memo=self.transcript_memo.value.strip())
        if coding is not None:
            self.codings[coding.transcript] = coding
        if not force and _digest(self.path) != self._disk:
            self.overwrite_button.layout.display = ""
            self._say("error", self.t["changed_on_disk"].format(path=self.path))
            return
        try:
            save_coder_file(list(self.codings.values()), self.path)
        except (QualError, OSError) as exc:
            self._say("error", str(exc))
            return
        self._disk = _digest(self.path)
        self.overwrite_button.layout.display = "none"
        self._say("ok", self.t["saved"].format(path=self.path))

    def _ipython_display_(self) -> None:  # pragma: no cover - display in a notebook
        from IPython.display import display

        display(self.widget)
