"""``SurveyDesigner``: build or edit a survey in a notebook, without writing YAML.

Every action calls :class:`cxresearch.instrument.edit.InstrumentDraft` (tested on its
own); this module only lays out the controls and shows what the draft says. The YAML file
stays the source of truth: each change is autosaved beside it as a draft, Save writes it
atomically and only when it has no errors, and reopening a file offers the draft of an
interrupted session.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Callable

from .._draft import ConflictError, DraftError
from ..errors import Severity
from ..instrument.model import QUESTION_TYPES
from ._common import ipywidgets, message_html, with_class

__all__ = ["SurveyDesigner", "QUESTION_TYPES"]


_W = {
    "en": {
        "title": "Survey designer", "path": "File", "open": "Open", "new": "New",
        "save": "Save", "undo": "Undo", "redo": "Redo", "overwrite": "Save anyway",
        "audience": "Audience", "customer": "customers", "employee": "employees",
        "restore": "Continue from draft", "discard": "Discard draft",
        "recovered": "An autosaved draft from an earlier session was found ({name}). "
                     "Continue from it, or discard it and go on with the file?",
        "questions": "Questions", "up": "Up", "down": "Down", "duplicate": "Duplicate",
        "delete": "Delete", "add": "Add", "bank": "From the item bank",
        "scratch": "From scratch", "block": "New block", "item": "Item",
        "subject_nl": "Subject (nl)", "subject_en": "Subject (en)", "in_block": "In block",
        "qid": "Id", "type": "Type", "label_nl": "Label (nl)", "label_en": "Label (en)",
        "choices": "Choices", "choices_hint": "one per line: value = Dutch label / English label",
        "scale": "Scale", "required": "Required", "add_question": "Add question",
        "add_item": "Add item", "add_block": "Add block", "block_id": "Block id",
        "title_nl": "Title (nl)", "title_en": "Title (en)", "stage": "Stage",
        "touchpoint": "Touchpoint", "link": "Link block", "edit": "Selected question",
        "rename": "Rename", "logic": "Show only when", "logic_q": "Question",
        "logic_op": "Test", "logic_value": "Value", "build": "Build", "apply": "Apply",
        "preview": "Preview", "export": "Export", "exports": "Export folder",
        "saved": "Saved {path}", "unsaved": "Unsaved changes (autosaved as a draft)",
        "clean": "No unsaved changes", "none_yet": "Open a file or start a new survey",
        "errors": "{n} error(s) to fix before saving", "no_errors": "No errors",
        "advice": "Advice", "exported": "Written: {path}", "checked": " (pyxform converted it)",
        "nothing": "(none)", "opened": "Opened {path}", "started": "New survey {path}",
        "id_taken": "the id '{id}' is already used in this survey",
        "id_bad": "an id is a letter or _, then letters, digits or _ (e.g. sat_call)",
        "empty_label": "the label is empty",
        "logic_ok": "valid logic", "ask": "Pick a question in the list first",
        "about": "About this survey", "purpose_nl": "Purpose (nl)",
        "purpose_en": "Purpose (en)", "moment": "Sent", "frequency": "To whom",
        "purpose_hint": "why the answers are collected, who sees them, how long they are kept",
    },
    "nl": {
        "title": "Vragenlijstontwerper", "path": "Bestand", "open": "Openen",
        "new": "Nieuw", "save": "Opslaan", "undo": "Ongedaan maken", "redo": "Opnieuw",
        "overwrite": "Toch opslaan", "audience": "Doelgroep", "customer": "klanten",
        "employee": "medewerkers", "restore": "Verder met concept",
        "discard": "Concept weggooien",
        "recovered": "Er is een automatisch bewaard concept van een eerdere sessie "
                     "gevonden ({name}). Wilt u daarmee verder, of het weggooien en met het "
                     "bestand verder gaan?",
        "questions": "Vragen", "up": "Omhoog", "down": "Omlaag", "duplicate": "Dupliceren",
        "delete": "Verwijderen", "add": "Toevoegen", "bank": "Uit de itembank",
        "scratch": "Zelf schrijven", "block": "Nieuw blok", "item": "Item",
        "subject_nl": "Onderwerp (nl)", "subject_en": "Onderwerp (en)",
        "in_block": "In blok", "qid": "Id", "type": "Soort", "label_nl": "Vraag (nl)",
        "label_en": "Vraag (en)", "choices": "Keuzes",
        "choices_hint": "één per regel: waarde = Nederlandse tekst / Engelse tekst",
        "scale": "Schaal", "required": "Verplicht", "add_question": "Vraag toevoegen",
        "add_item": "Item toevoegen", "add_block": "Blok toevoegen", "block_id": "Blok-id",
        "title_nl": "Titel (nl)", "title_en": "Titel (en)", "stage": "Fase",
        "touchpoint": "Contactmoment", "link": "Blok koppelen", "edit": "Gekozen vraag",
        "rename": "Hernoemen", "logic": "Alleen tonen als", "logic_q": "Vraag",
        "logic_op": "Toets", "logic_value": "Waarde", "build": "Maken",
        "apply": "Toepassen", "preview": "Voorbeeld", "export": "Exporteren",
        "exports": "Exportmap", "saved": "Opgeslagen: {path}",
        "unsaved": "Niet opgeslagen wijzigingen (automatisch bewaard als concept)",
        "clean": "Alles opgeslagen", "none_yet": "Open een bestand of begin een nieuwe "
        "vragenlijst", "errors": "{n} fout(en) op te lossen voor het opslaan",
        "no_errors": "Geen fouten", "advice": "Advies", "exported": "Geschreven: {path}",
        "checked": " (pyxform heeft het omgezet)", "nothing": "(geen)",
        "opened": "Geopend: {path}", "started": "Nieuwe vragenlijst {path}",
        "id_taken": "de id '{id}' wordt al gebruikt in deze vragenlijst",
        "id_bad": "een id is een letter of _, dan letters, cijfers of _ (bijv. sat_call)",
        "empty_label": "de vraag is leeg", "logic_ok": "geldige logica",
        "ask": "Kies eerst een vraag in de lijst",
        "about": "Over deze vragenlijst", "purpose_nl": "Doel (nl)",
        "purpose_en": "Doel (en)", "moment": "Verstuurd", "frequency": "Aan wie",
        "purpose_hint": "waarom de antwoorden worden verzameld, wie ze ziet, hoe lang ze "
                        "bewaard worden",
    },
}


def _problem_line(p: Any) -> tuple[str, str]:
    tone = "error" if p.severity is Severity.ERROR else "warning"
    where = f"line {p.line}: " if p.line else ""
    fix = f" ({p.fix})" if p.fix else ""
    return tone, f"{p.code.value} {where}{p.message}{fix}"


def parse_choices(text: str) -> list[tuple[str, dict[str, str]]]:
    """Choices typed one per line as ``value = Dutch / English`` (or ``value = label``).

    >>> parse_choices("phone = Telefoon / Phone\\nweb = Website")
    [('phone', {'nl': 'Telefoon', 'en': 'Phone'}), ('web', {'nl': 'Website', 'en': 'Website'})]
    """
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if "=" not in line:
            raise DraftError(f"choice line {number} ('{line.strip()}') needs 'value = label', "
                             "e.g. 'phone = Telefoon / Phone'")
        value, labels = (part.strip() for part in line.split("=", 1))
        nl, _, en = labels.partition("/")
        out.append((value, {"nl": nl.strip(), "en": (en or nl).strip()}))
    return out


class SurveyDesigner:
    """Build or edit a survey with widgets; the YAML file is the source of truth.

    Parameters
    ----------
    path : path
        The instrument file to open, or to create with *New*.
    lang : {"en", "nl"}
        Language of the designer (the survey itself is written in nl and en).
    audience : {"customer", "employee"}
        Audience of a new survey.
    export_dir : path, optional
        Where exports go (default: ``exports/`` beside the file).

    Attributes
    ----------
    draft : InstrumentDraft or None
        The document being edited (every button calls one of its methods).
    message : str
        The last message of the status line, as plain text.
    widget : ipywidgets.Widget
        The whole designer (displayed when the object is the last line of a cell).
    """

    def __init__(self, path: str | Path | None = None, *, lang: str = "en",
                 audience: str = "customer", export_dir: str | Path | None = None) -> None:
        from ..viz._common import check_lang

        self.lang = check_lang(lang)
        self.t = _W[self.lang]
        self.draft: Any = None
        self.selected: str | None = None
        self.message = ""
        self.export_dir = Path(export_dir) if export_dir is not None else None
        self._build(str(path or ""), audience)
        if path is not None and Path(path).exists():
            self.open()

    # -- layout -------------------------------------------------------------------------
    def _build(self, path: str, audience: str) -> None:
        w = ipywidgets()
        t = self.t
        full = w.Layout(width="98%")

        def button(key: str, cls: str, style: str = "", icon: str = "") -> Any:
            return with_class(w.Button(description=t[key], button_style=style, icon=icon,
                                       layout=w.Layout(width="auto", min_width="fit-content",
                                                       flex="0 0 auto")), cls)

        def text(key: str, cls: str, value: str = "", **kw: Any) -> Any:
            # grows to the room its row leaves (beside a button: the rest of the row)
            return with_class(w.Text(value=value, description=t[key],
                                     layout=w.Layout(flex="1 1 auto", width="auto"),
                                     style={"description_width": "110px"}, **kw), cls)

        def dropdown(key: str, cls: str, options: Any = ()) -> Any:
            return with_class(w.Dropdown(description=t[key], options=list(options),
                                         layout=full, style={"description_width": "110px"}),
                              cls)

        # file bar
        self.path = with_class(w.Text(value=path, description=t["path"],
                                      layout=w.Layout(width="420px")), "cx-sd-path")
        self.audience = with_class(w.ToggleButtons(
            options=[(t["customer"], "customer"), (t["employee"], "employee")],
            value=audience, description=t["audience"]), "cx-sd-audience")
        self.open_button = button("open", "cx-sd-open", icon="folder-open")
        self.new_button = button("new", "cx-sd-new", icon="file")
        self.save_button = button("save", "cx-sd-save", "primary", "save")
        self.undo_button = button("undo", "cx-sd-undo", icon="undo")
        self.redo_button = button("redo", "cx-sd-redo", icon="repeat")
        self.overwrite_button = button("overwrite", "cx-sd-overwrite", "danger")
        self.status = with_class(w.HTML(t["none_yet"]), "cx-sd-status")
        self.restore_button = button("restore", "cx-sd-restore", "warning")
        self.discard_button = button("discard", "cx-sd-discard")
        self.recovery_text = w.HTML()
        self.recovery = with_class(w.HBox([self.recovery_text, self.restore_button,
                                           self.discard_button]), "cx-sd-recovery")
        # the survey as a whole: title, purpose of processing, when it is sent
        from ..instrument.model import FIELDING_FREQUENCIES, FIELDING_MOMENTS

        self.title_nl = text("title_nl", "cx-sd-title-nl")
        self.title_en = text("title_en", "cx-sd-title-en")
        self.purpose = {lang: with_class(w.Textarea(
            description=t[f"purpose_{lang}"], placeholder=t["purpose_hint"],
            layout=w.Layout(width="98%", height="54px"), style={"description_width": "110px"}),
            f"cx-sd-purpose-{lang}") for lang in ("nl", "en")}
        self.moment = dropdown("moment", "cx-sd-moment", [""] + list(FIELDING_MOMENTS))
        self.frequency = dropdown("frequency", "cx-sd-frequency",
                                  [""] + list(FIELDING_FREQUENCIES))
        # question list and its buttons
        self.list = with_class(w.Select(options=[], rows=12, layout=full), "cx-sd-list")
        self.up_button = button("up", "cx-sd-up", icon="arrow-up")
        self.down_button = button("down", "cx-sd-down", icon="arrow-down")
        self.duplicate_button = button("duplicate", "cx-sd-duplicate", icon="copy")
        self.delete_button = button("delete", "cx-sd-delete", "danger", "trash")
        # adding
        self.add_mode = with_class(w.ToggleButtons(options=[
            (t["bank"], "bank"), (t["scratch"], "scratch"), (t["block"], "block")],
            value="bank"), "cx-sd-add-mode")
        self.block = dropdown("in_block", "cx-sd-block")
        self.item = dropdown("item", "cx-sd-item")
        self.guidance = with_class(w.HTML(), "cx-sd-guidance")
        self.subject_nl = text("subject_nl", "cx-sd-subject-nl")
        self.subject_en = text("subject_en", "cx-sd-subject-en")
        self.bank_id = text("qid", "cx-sd-bank-id")
        self.add_item_button = button("add_item", "cx-sd-add-item", "success", "plus")
        self.new_id = text("qid", "cx-sd-new-id")
        self.new_type = dropdown("type", "cx-sd-type", QUESTION_TYPES)
        self.new_nl = text("label_nl", "cx-sd-new-nl")
        self.new_en = text("label_en", "cx-sd-new-en")
        self.new_choices = with_class(w.Textarea(description=t["choices"], placeholder=t[
            "choices_hint"], layout=w.Layout(width="98%", height="70px"),
            style={"description_width": "110px"}), "cx-sd-choices")
        self.new_scale = dropdown("scale", "cx-sd-scale")
        self.new_required = with_class(w.Checkbox(description=t["required"]),
                                       "cx-sd-required")
        self.add_question_button = button("add_question", "cx-sd-add-question", "success",
                                          "plus")
        self.new_check = with_class(w.HTML(), "cx-sd-new-check")
        self.block_id = text("block_id", "cx-sd-block-id")
        self.block_nl = text("title_nl", "cx-sd-block-nl")
        self.block_en = text("title_en", "cx-sd-block-en")
        self.block_stage = dropdown("stage", "cx-sd-block-stage")
        self.block_touchpoint = dropdown("touchpoint", "cx-sd-block-touchpoint")
        self.add_block_button = button("add_block", "cx-sd-add-block", "success", "plus")
        self.link_button = button("link", "cx-sd-link", icon="link")
        self.bank_box = w.VBox([self.item, self.guidance, self.subject_nl, self.subject_en,
                                self.bank_id, self.add_item_button])
        self.scratch_box = w.VBox([self.new_id, self.new_type, self.new_nl, self.new_en,
                                   self.new_choices, self.new_scale, self.new_required,
                                   self.new_check, self.add_question_button])
        self.block_box = w.VBox([self.block_id, self.block_nl, self.block_en,
                                 self.block_stage, self.block_touchpoint,
                                 w.HBox([self.add_block_button, self.link_button])])
        # the selected question
        self.edit_id = text("qid", "cx-sd-edit-id")
        self.rename_button = button("rename", "cx-sd-rename")
        self.edit_nl = text("label_nl", "cx-sd-edit-nl")
        self.edit_en = text("label_en", "cx-sd-edit-en")
        self.edit_type = dropdown("type", "cx-sd-edit-type", QUESTION_TYPES)
        self.edit_scale = dropdown("scale", "cx-sd-edit-scale")
        self.edit_required = with_class(w.Checkbox(description=t["required"]),
                                        "cx-sd-edit-required")
        self.retype_button = button("apply", "cx-sd-retype", icon="check")
        self.logic_q = dropdown("logic_q", "cx-sd-logic-q")
        self.logic_op = dropdown("logic_op", "cx-sd-logic-op",
                                 ("=", "!=", "<", "<=", ">", ">=", "selected", "not selected"))
        self.logic_value = text("logic_value", "cx-sd-logic-value")
        self.build_button = button("build", "cx-sd-logic-build", icon="wrench")
        self.logic = text("logic", "cx-sd-logic")
        self.apply_button = button("apply", "cx-sd-logic-apply", "primary", "check")
        self.logic_check = with_class(w.HTML(), "cx-sd-logic-check")
        self.messages = with_class(w.HTML(), "cx-sd-messages")
        self.summary = with_class(w.HTML(), "cx-sd-summary")
        # preview and export
        self.preview_lang = with_class(w.ToggleButtons(options=["nl", "en"], value=self.lang),
                                       "cx-sd-preview-lang")
        self.preview = with_class(w.HTML(), "cx-sd-preview")
        self.export_buttons = {
            kind: with_class(w.Button(description=label, icon="download",
                                      layout=w.Layout(width="auto")), f"cx-sd-export-{kind}")
            for kind, label in (("xlsform", "XLSForm"), ("limesurvey", "LimeSurvey"),
                                ("html", "HTML"))}
        self.export_result = with_class(w.HTML(), "cx-sd-export-result")

        def section(title: str) -> Any:
            return w.HTML(f"<b>{html.escape(title)}</b>")

        left = w.VBox([
            section(t["questions"]), self.list,
            w.HBox([self.up_button, self.down_button, self.duplicate_button,
                    self.delete_button]),
            section(t["edit"]), w.HBox([self.edit_id, self.rename_button]),
            self.edit_nl, self.edit_en,
            w.HBox([self.edit_type, self.edit_scale, self.edit_required, self.retype_button]),
            self.messages,
            section(t["logic"]), w.HBox([self.logic_q, self.logic_op]),
            w.HBox([self.logic_value, self.build_button]),
            w.HBox([self.logic, self.apply_button]), self.logic_check,
            section(t["add"]), self.add_mode, self.block, self.bank_box, self.scratch_box,
            self.block_box, self.summary, section(t["about"]),
            w.HBox([self.title_nl, self.title_en]), *self.purpose.values(),
            w.HBox([self.moment, self.frequency])], layout=w.Layout(width="56%"))
        right = w.VBox([section(t["preview"]), self.preview_lang, self.preview,
                        section(t["export"]), w.HBox(list(self.export_buttons.values())),
                        self.export_result], layout=w.Layout(width="44%"))
        bar = w.HBox([self.path, self.open_button, self.new_button, self.save_button,
                      self.undo_button, self.redo_button, self.overwrite_button],
                     layout=w.Layout(flex_flow="row wrap"))
        self.widget = with_class(w.VBox([
            w.HTML(f"<h3 style='margin:4px 0'>{html.escape(t['title'])}</h3>"),
            bar, self.audience, self.status, self.recovery, w.HBox([left, right])]),
            "cx-survey-designer")
        self._wire()
        self._show_mode()
        self._refresh()

    def _wire(self) -> None:
        clicks: list[tuple[Any, Callable[[], Any]]] = [
            (self.open_button, self.open), (self.new_button, self.new),
            (self.save_button, self.save), (self.overwrite_button,
                                            lambda: self.save(force=True)),
            (self.undo_button, self.undo), (self.redo_button, self.redo),
            (self.restore_button, self.restore), (self.discard_button, self.discard),
            (self.up_button, lambda: self.move(-1)), (self.down_button, lambda: self.move(1)),
            (self.duplicate_button, self.duplicate), (self.delete_button, self.delete),
            (self.add_item_button, self.add_item), (self.add_question_button,
                                                    self.add_question),
            (self.add_block_button, self.add_block), (self.link_button, self.link),
            (self.rename_button, self.rename), (self.retype_button, self.retype),
            (self.build_button, self.build_condition),
            (self.apply_button, self.apply_logic)]
        for widget, action in clicks:
            widget.on_click(lambda _, act=action: act())
        for kind, widget in self.export_buttons.items():
            widget.on_click(lambda _, k=kind: self.export(k))
        self.list.observe(lambda change: self.select(change["new"]), names="value")
        self.add_mode.observe(lambda _: self._show_mode(), names="value")
        self.item.observe(lambda _: self._show_guidance(), names="value")
        self.preview_lang.observe(lambda _: self._refresh_preview(), names="value")
        self.edit_nl.observe(lambda c: self.type_label("nl", c["new"]), names="value")
        self.edit_en.observe(lambda c: self.type_label("en", c["new"]), names="value")
        for field in (self.new_id, self.bank_id, self.block_id, self.new_nl, self.new_en):
            field.observe(lambda _: self._check_new(), names="value")
        self.logic.observe(lambda _: self._check_logic(), names="value")
        self._about = [(self.title_nl, lambda v: self._type_top("title", "nl", v)),
                       (self.title_en, lambda v: self._type_top("title", "en", v)),
                       (self.purpose["nl"], lambda v: self._type_top("purpose", "nl", v)),
                       (self.purpose["en"], lambda v: self._type_top("purpose", "en", v)),
                       (self.moment, lambda v: self._fielding("moment", v)),
                       (self.frequency, lambda v: self._fielding("frequency", v))]
        self._listen_about(True)

    def _listen_about(self, on: bool) -> None:
        for widget, apply in self._about:
            if on:
                widget.observe(lambda c, a=apply: a(c["new"]), names="value")
            else:
                widget.unobserve_all("value")

    def _show_about(self) -> None:
        doc = self.draft.data
        fielding = doc.get("fielding") if isinstance(doc.get("fielding"), dict) else {}
        title = doc.get("title") if isinstance(doc.get("title"), dict) else {}
        purpose = doc.get("purpose") if isinstance(doc.get("purpose"), dict) else {}
        self._listen_about(False)
        try:
            self.title_nl.value = str(title.get("nl", ""))
            self.title_en.value = str(title.get("en", ""))
            for lang, field in self.purpose.items():
                field.value = str(purpose.get(lang, ""))
            self.moment.value = fielding.get("moment") or ""
            self.frequency.value = fielding.get("frequency") or ""
        finally:
            self._listen_about(True)

    def _type_top(self, key: str, lang: str, text: str) -> None:
        if self.draft is None:
            return
        try:
            with self.draft.grouped(f"{key}:{lang}"):
                self.draft.set_text(None, key, lang, text)
        except DraftError as exc:
            self._fail(exc)
            return
        self._refresh()

    def _fielding(self, key: str, value: str) -> None:
        if self.draft is None:
            return
        current = self.draft.data.get("fielding")
        fielding = dict(current) if isinstance(current, dict) else {}
        if value:
            fielding[key] = value
        else:
            fielding.pop(key, None)
        self._act(lambda: self.draft.set_field(None, "fielding", fielding or None))
        self.block_stage.observe(lambda _: self._stage_touchpoints(), names="value")

    # -- showing ------------------------------------------------------------------------
    def _show_mode(self) -> None:
        mode = self.add_mode.value
        for name, box in (("bank", self.bank_box), ("scratch", self.scratch_box),
                          ("block", self.block_box)):
            box.layout.display = "" if mode == name else "none"

    def _say(self, tone: str, text: str) -> None:
        self.message = text
        self.status.value = message_html([(tone, text)])

    def _fail(self, exc: Exception) -> None:
        """Say what went wrong where the user acted; never raise into the notebook."""
        self._say("error", str(exc))

    def _refresh(self) -> None:
        d = self.draft
        has = d is not None
        for widget in (self.save_button, self.undo_button, self.redo_button,
                       self.add_item_button, self.add_question_button, self.add_block_button,
                       self.link_button, *self.export_buttons.values()):
            widget.disabled = not has
        self.overwrite_button.layout.display = "none"
        self.recovery.layout.display = "none" if not has or d.recovered_draft is None else ""
        if not has:
            return
        if d.recovered_draft is not None:
            self.recovery_text.value = message_html([("warning", self.t["recovered"].format(
                name=d.recovered_draft.name))])
        self.undo_button.disabled = not d.can_undo
        self.redo_button.disabled = not d.can_redo
        problems = d.problems()
        bad = {p.question_id for p in problems if p.severity is Severity.ERROR}
        options = []
        for bid in d.blocks():
            for qid in d.questions(bid):
                q = d.question(qid)
                label = q.get("label") or {}
                words = (label.get(self.lang) or next(iter(label.values()), "")
                         if isinstance(label, dict) else str(label)) or \
                    (f"[{q['use']}]" if "use" in q else "")
                mark = "⚠ " if qid in bad else ""
                options.append((f"{mark}{bid} › {qid}  {words}"[:110], qid))
        keep = self.selected if self.selected in [v for _, v in options] else None
        self.list.unobserve_all("value")
        self.list.options = options
        self.list.value = keep
        self.list.observe(lambda change: self.select(change["new"]), names="value")
        blocks = d.blocks()
        current = self.block.value
        self.block.options = blocks
        if blocks:
            self.block.value = current if current in blocks else blocks[-1]
        if not self.item.options:
            from ..instrument import itembank

            self.item.options = [(f"{name}: {item.title.get(self.lang, name)}", name)
                                 for name, item in itembank.items().items()]
            self.new_scale.options = [("", "")] + [(name, name) for name in itembank.scales()]
            self.edit_scale.options = self.new_scale.options
        stages = [("", "")] + [(f"{name} ({sid})", sid) for sid, name in d.stages(self.lang)]
        if list(self.block_stage.options) != stages:
            self.block_stage.options = stages
        self._stage_touchpoints()
        errors = [p for p in problems if p.severity is Severity.ERROR]
        advice = d.advice(self.lang)
        lines = [("error" if errors else "ok", self.t["errors"].format(n=len(errors))
                  if errors else self.t["no_errors"])]
        lines += [_problem_line(p) for p in errors if p.question_id not in
                  [v for _, v in options]][:5]
        lines += [("info", f"{self.t['advice']}: {a}") for a in advice if a.question_id is None]
        self.summary.value = message_html(lines)
        self._show_selected(problems, advice)
        self._show_about()
        self._refresh_preview()

    def _stage_touchpoints(self) -> None:
        if self.draft is None:
            return
        stage = self.block_stage.value or None
        try:
            tps = self.draft.touchpoints(stage, self.lang)
        except DraftError:
            tps = []
        options = [("", "")] + [(f"{name} ({tid})", tid) for tid, name in tps]
        if list(self.block_touchpoint.options) != options:
            self.block_touchpoint.options = options

    def _show_selected(self, problems: list[Any] | None = None,
                       advice: list[Any] | None = None) -> None:
        d, qid = self.draft, self.selected
        if d is None or qid is None or qid not in d.questions():
            self.messages.value = ""
            return
        q = d.question(qid)
        label = q.get("label") if isinstance(q.get("label"), dict) else {}
        for field, lang in ((self.edit_nl, "nl"), (self.edit_en, "en")):
            value = (label or {}).get(lang, "")
            if field.value != value:
                field.unobserve_all("value")
                field.value = value
                field.observe(lambda c, lg=lang: self.type_label(lg, c["new"]), names="value")
            field.disabled = "use" in q and not label
        self.edit_id.value = qid
        kind = q.get("type")
        self.edit_type.value = kind if kind in QUESTION_TYPES else None
        scale = q.get("scale")
        names = [v for _, v in self.edit_scale.options]
        self.edit_scale.value = scale if isinstance(scale, str) and scale in names else ""
        self.edit_required.value = bool(q.get("required"))
        for widget in (self.edit_type, self.edit_scale, self.edit_required, self.retype_button):
            widget.disabled = "use" in q  # an item bank question keeps the bank's form
        earlier = []
        for bid in d.blocks():
            for other in d.questions(bid):
                if other == qid:
                    break
                earlier.append(other)
            else:
                continue
            break
        self.logic_q.options = earlier
        relevant = q.get("relevant") or ""
        if self.logic.value != relevant:
            self.logic.value = relevant
        mine = [p for p in (problems if problems is not None else d.problems())
                if p.question_id in (qid, *self._fields(qid))]
        hints = [a for a in (advice if advice is not None else d.advice(self.lang))
                 if a.question_id in (qid, *self._fields(qid))]
        self.messages.value = message_html(
            [_problem_line(p) for p in mine] +
            [("info", f"{self.t['advice']}: {a.message} {a.fix}") for a in hints])

    def _fields(self, qid: str) -> list[str]:
        q = self.draft.question(qid)
        return [str(row.get("id")) for row in q.get("items", []) if isinstance(row, dict)]

    def _refresh_preview(self) -> None:
        if self.draft is None:
            self.preview.value = ""
            return
        try:
            page = self.draft.preview_html(self.preview_lang.value)
        except Exception as exc:  # an unfinished survey may not render yet
            self.preview.value = message_html([("warning", str(exc))])
            return
        self.preview.value = (f"<iframe class='cx-sd-preview-frame' srcdoc=\"{html.escape(page)}\" "
                              "style='width:100%;height:560px;border:1px solid #ccc;"
                              "background:white'></iframe>")

    def _show_guidance(self) -> None:
        from ..instrument import itembank

        name = self.item.value
        if not name:
            self.guidance.value = ""
            return
        item = itembank.get_item(name)
        text = itembank.item_guidance(name, self.lang)
        self.guidance.value = (f"<div style='max-width:640px;color:#333'>{html.escape(text)}"
                               f"<br><i>{html.escape(item.definition.get(self.lang, ''))}</i>"
                               "</div>")
        if not self.bank_id.value:
            self.bank_id.placeholder = name

    # -- live checks (as the user types) ------------------------------------------------
    def _taken(self) -> set[str]:
        d = self.draft
        ids = set(d.blocks())
        for qid in d.questions():
            ids.add(qid)
            ids.update(self._fields(qid))
        return ids

    def _check_new(self) -> None:
        from ..instrument.validate import ID_PATTERN

        if self.draft is None:
            return
        lines = []
        for field in (self.new_id, self.bank_id, self.block_id):
            ident = field.value.strip()
            if not ident:
                continue
            if not ID_PATTERN.fullmatch(ident):
                lines.append(("error", f"{ident}: {self.t['id_bad']}"))
            elif ident in self._taken():
                lines.append(("error", self.t["id_taken"].format(id=ident)))
        if self.new_id.value.strip() and not (self.new_nl.value.strip()
                                              and self.new_en.value.strip()):
            lines.append(("warning", self.t["empty_label"]))
        self.new_check.value = message_html(lines)

    def _check_logic(self) -> None:
        from ..instrument import logic

        text = self.logic.value.strip()
        if not text:
            self.logic_check.value = ""
            return
        try:
            logic.parse(text)
        except logic.LogicError as exc:
            self.logic_check.value = message_html([("error", f"column {exc.column}: "
                                                              f"{exc.message}")])
            return
        self.logic_check.value = message_html([("ok", self.t["logic_ok"])])

    # -- actions (each calls one draft method) ------------------------------------------
    def _act(self, action: Callable[[], Any], done: str | None = None) -> bool:
        try:
            action()
        except (DraftError, ValueError, KeyError) as exc:
            self._fail(exc)
            self._refresh()
            return False
        self._refresh()
        self._say("ok" if done else "info", done or (self.t["unsaved"] if self.draft.dirty
                                                     else self.t["clean"]))
        return True

    def open(self) -> None:
        """Open the file named in the path box."""
        from ..instrument.edit import InstrumentDraft

        try:
            self.draft = InstrumentDraft.open(self.path.value.strip())
        except DraftError as exc:
            self._fail(exc)
            return
        self.selected = None
        self.audience.value = self.draft.data.get("audience", self.audience.value)
        self._refresh()
        self._say("ok", self.t["opened"].format(path=self.draft.path))

    def new(self) -> None:
        """Start a new survey at the path in the path box (nothing is written yet)."""
        from ..instrument.edit import InstrumentDraft

        path = Path(self.path.value.strip() or "survey.yaml")
        journey = path.parent.parent / "journey.yaml"
        try:
            self.draft = InstrumentDraft.new(
                path.stem.replace(" ", "-") or "survey", self.audience.value, path=path,
                journey="../journey.yaml" if journey.exists() else None)
        except DraftError as exc:
            self._fail(exc)
            return
        self.selected = None
        self._refresh()
        self._say("ok", self.t["started"].format(path=path))

    def save(self, force: bool = False) -> None:
        """Save the file (refused while it has errors or changed on disk)."""
        try:
            path = self.draft.save(force=force)
        except ConflictError as exc:
            self._fail(exc)
            self.overwrite_button.layout.display = ""
            return
        except DraftError as exc:
            self._fail(exc)
            if exc.where and exc.where in self.draft.questions():
                self.select(exc.where)
            return
        self._refresh()
        self._say("ok", self.t["saved"].format(path=path))

    def undo(self) -> None:
        self._act(self.draft.undo)

    def redo(self) -> None:
        self._act(self.draft.redo)

    def restore(self) -> None:
        self._act(self.draft.restore_draft)

    def discard(self) -> None:
        self._act(self.draft.discard_draft)

    def select(self, qid: str | None) -> None:
        """Show question ``qid`` in the edit fields (and in the list)."""
        self.selected = qid
        if qid is not None and self.list.value != qid:
            self.list.value = qid
        self._show_selected()

    def _need_selection(self) -> str:
        if self.selected is None:
            raise DraftError(self.t["ask"])
        return self.selected

    def move(self, offset: int) -> None:
        self._act(lambda: self.draft.move(self._need_selection(), offset))

    def duplicate(self) -> None:
        def copy() -> None:
            qid = self._need_selection()
            taken, n = self._taken(), 2
            while f"{qid}_{n}" in taken:
                n += 1
            self.draft.duplicate(qid, f"{qid}_{n}")
            self.selected = f"{qid}_{n}"

        self._act(copy)

    def delete(self) -> None:
        def remove() -> None:
            self.draft.delete(self._need_selection())
            self.selected = None

        self._act(remove)

    def rename(self) -> None:
        def go() -> None:
            old, new = self._need_selection(), self.edit_id.value.strip()
            self.draft.rename(old, new)
            self.selected = new

        self._act(go)

    def retype(self) -> None:
        """Apply the type, scale and required shown for the selected question (one step)."""
        def go() -> None:
            qid = self._need_selection()
            values: dict[str, Any] = {"type": self.edit_type.value,
                                      "required": True if self.edit_required.value else None}
            if self.edit_type.value in ("likert", "likert_matrix"):
                values["scale"] = self.edit_scale.value or "agree5"
            self.draft.set_fields(qid, values)

        self._act(go)

    def type_label(self, lang: str, text: str) -> None:
        """Write the selected question's label in ``lang`` as it is typed (one undo step
        per run of typing)."""
        qid = self.selected
        if self.draft is None or qid is None:
            return
        try:
            with self.draft.grouped(f"label:{qid}:{lang}"):
                self.draft.set_text(qid, "label", lang, text)
        except DraftError as exc:
            self.messages.value = message_html([("error", str(exc))])
            return
        self._refresh()

    def _block_for_new(self) -> str:
        if not self.block.value:
            raise DraftError("add a block first (New block), then questions into it")
        return str(self.block.value)

    def add_item(self) -> None:
        def go() -> None:
            subject = {"nl": self.subject_nl.value.strip(), "en": self.subject_en.value.strip()}
            qid = self.bank_id.value.strip() or None
            self.draft.add_from_bank(self.item.value, self._block_for_new(), qid=qid,
                                     subject=subject if any(subject.values()) else None)
            self.selected = qid or self.item.value
            self.bank_id.value = ""

        self._act(go)

    def add_question(self) -> None:
        def go() -> None:
            qid = self.new_id.value.strip()
            kind = self.new_type.value
            choices = parse_choices(self.new_choices.value) \
                if kind in ("single_choice", "multiple_choice", "ranking") else None
            scale = self.new_scale.value or None if kind in ("likert", "likert_matrix") \
                else None
            self.draft.add_question(self._block_for_new(), qid, kind,
                                    {"nl": self.new_nl.value.strip(),
                                     "en": self.new_en.value.strip()},
                                    choices=choices, scale=scale,
                                    required=self.new_required.value)
            self.selected = qid
            for field in (self.new_id, self.new_nl, self.new_en, self.new_choices):
                field.value = ""

        self._act(go)

    def add_block(self) -> None:
        def go() -> None:
            bid = self.block_id.value.strip()
            self.draft.add_block(bid, {"nl": self.block_nl.value.strip(),
                                       "en": self.block_en.value.strip()},
                                 stage=self.block_stage.value or None,
                                 touchpoint=self.block_touchpoint.value or None)
            for field in (self.block_id, self.block_nl, self.block_en):
                field.value = ""
            self.block.options = self.draft.blocks()
            self.block.value = bid

        self._act(go)

    def link(self) -> None:
        self._act(lambda: self.draft.link(self._block_for_new(),
                                          stage=self.block_stage.value or None,
                                          touchpoint=self.block_touchpoint.value or None))

    def build_condition(self) -> None:
        """Turn the chosen question, test and value into logic text (not applied yet)."""
        try:
            self.logic.value = self.draft.condition(self.logic_q.value, self.logic_op.value,
                                                    self.logic_value.value.strip())
        except (DraftError, TypeError) as exc:
            self.logic_check.value = message_html([("error", str(exc))])

    def apply_logic(self) -> None:
        self._act(lambda: self.draft.set_logic(self._need_selection(), self.logic.value))

    def export(self, kind: str) -> None:
        """Write the XLSForm (converted by pyxform first), LimeSurvey or HTML file."""
        suffix = {"xlsform": ".xlsx", "limesurvey": ".txt", "html": ".html"}[kind]
        try:
            base = self.export_dir or (self.draft.path.parent / "exports"
                                       if self.draft.path else Path("exports"))
            base.mkdir(parents=True, exist_ok=True)
            out = self.draft.export(kind, base / f"{self.draft.data.get('id', 'survey')}{suffix}")
        except (DraftError, OSError) as exc:
            self.export_result.value = message_html([("error", str(exc))])
            return
        note = self.t["checked"] if kind == "xlsform" else ""
        self.export_result.value = message_html([("ok", self.t["exported"].format(path=out)
                                                  + note)])

    def _ipython_display_(self) -> None:  # pragma: no cover - display in a notebook
        from IPython.display import display

        display(self.widget)
