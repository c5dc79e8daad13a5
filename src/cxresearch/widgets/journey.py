"""``JourneyDesigner``: edit a journey's stages, touchpoints, both lanes and moments of
truth in a notebook, with the journey map redrawn beside the form.

Every action calls :class:`cxresearch.journey.edit.JourneyDraft` (tested on its own); the
map is :func:`cxresearch.viz.journey_map` of the current draft, as a planning canvas. The
file stays the source of truth: changes are autosaved beside it as a draft, and Save
writes ``journey.yaml`` atomically, only when it has no errors.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Callable

from .._draft import ConflictError, DraftError
from ..errors import Severity
from ._common import figure_png, ipywidgets, message_html, with_class

__all__ = ["JourneyDesigner"]

_W = {
    "en": {
        "title": "Journey designer", "path": "File", "open": "Open", "new": "New",
        "save": "Save", "undo": "Undo", "redo": "Redo", "overwrite": "Save anyway",
        "restore": "Continue from draft", "discard": "Discard draft",
        "recovered": "An autosaved draft from an earlier session was found ({name}). "
                     "Continue from it, or discard it?",
        "stages": "Stages", "stage": "Stage", "stage_id": "Stage id", "name_nl": "Name (nl)",
        "name_en": "Name (en)", "add_stage": "Add stage", "touchpoints": "Touchpoints",
        "up": "Up", "down": "Down", "delete": "Delete", "tp_id": "Touchpoint id",
        "channel": "Channel", "department": "Department", "mot": "Moment of truth",
        "add_touchpoint": "Add touchpoint", "selected": "Selected touchpoint",
        "lane_lang": "Texts in", "customer": "Customer lane", "employee": "Employee lane",
        "does": "Does", "thinks": "Thinks", "feels": "Feels", "valence": "Feeling (-2..+2)",
        "pain_points": "Pain points", "lines": "one per line", "role": "Role",
        "team": "Team", "information": "Information", "tools": "Tools",
        "authority": "Authority", "training": "Training", "map": "Journey map",
        "saved": "Saved {path}", "opened": "Opened {path}", "started": "New journey {path}",
        "unsaved": "Unsaved changes (autosaved as a draft)", "clean": "No unsaved changes",
        "errors": "{n} error(s) to fix before saving", "no_errors": "No errors",
        "ask": "Pick a touchpoint in the list first", "none_yet": "Open a journey file or "
        "start a new one",
    },
    "nl": {
        "title": "Klantreisontwerper", "path": "Bestand", "open": "Openen", "new": "Nieuw",
        "save": "Opslaan", "undo": "Ongedaan maken", "redo": "Opnieuw",
        "overwrite": "Toch opslaan", "restore": "Verder met concept",
        "discard": "Concept weggooien",
        "recovered": "Er is een automatisch bewaard concept van een eerdere sessie "
                     "gevonden ({name}). Daarmee verder, of weggooien?",
        "stages": "Fasen", "stage": "Fase", "stage_id": "Fase-id", "name_nl": "Naam (nl)",
        "name_en": "Naam (en)", "add_stage": "Fase toevoegen",
        "touchpoints": "Contactmomenten", "up": "Omhoog", "down": "Omlaag",
        "delete": "Verwijderen", "tp_id": "Contactmoment-id", "channel": "Kanaal",
        "department": "Afdeling", "mot": "Moment of truth",
        "add_touchpoint": "Contactmoment toevoegen", "selected": "Gekozen contactmoment",
        "lane_lang": "Teksten in", "customer": "Klantlaan", "employee": "Medewerkerslaan",
        "does": "Doet", "thinks": "Denkt", "feels": "Voelt", "valence": "Gevoel (-2..+2)",
        "pain_points": "Pijnpunten", "lines": "één per regel", "role": "Rol",
        "team": "Team", "information": "Informatie", "tools": "Middelen",
        "authority": "Bevoegdheid", "training": "Training", "map": "Klantreiskaart",
        "saved": "Opgeslagen: {path}", "opened": "Geopend: {path}",
        "started": "Nieuwe klantreis {path}",
        "unsaved": "Niet opgeslagen wijzigingen (automatisch bewaard als concept)",
        "clean": "Alles opgeslagen", "errors": "{n} fout(en) op te lossen voor het opslaan",
        "no_errors": "Geen fouten", "ask": "Kies eerst een contactmoment in de lijst",
        "none_yet": "Open een klantreisbestand of begin een nieuwe",
    },
}
_CUSTOMER_TEXTS = ("does", "thinks", "feels")
_EMPLOYEE_TEXTS = ("role", "does")


class JourneyDesigner:
    """Edit ``journey.yaml`` with widgets, with the journey map redrawn beside the form.

    Parameters
    ----------
    path : path
        The journey file to open, or to create with *New*.
    lang : {"en", "nl"}
        Language of the designer and of the map.

    Attributes
    ----------
    draft : JourneyDraft or None
        The document being edited.
    map_png : bytes
        The last drawn map (PNG).
    message : str
        The last message of the status line, as plain text.
    widget : ipywidgets.Widget
        The whole designer.
    """

    def __init__(self, path: str | Path | None = None, *, lang: str = "en") -> None:
        from ..viz._common import check_lang

        self.lang = check_lang(lang)
        self.t = _W[self.lang]
        self.draft: Any = None
        self.selected: str | None = None
        self.message = ""
        self.map_png = b""
        self._build(str(path or ""))
        if path is not None and Path(path).exists():
            self.open()

    # -- layout -------------------------------------------------------------------------
    def _build(self, path: str) -> None:
        from ..journey.model import CHANNELS, NEEDS

        w = ipywidgets()
        t = self.t
        full = w.Layout(width="98%")
        style = {"description_width": "120px"}

        def button(key: str, cls: str, kind: str = "", icon: str = "") -> Any:
            return with_class(w.Button(description=t[key], button_style=kind, icon=icon,
                                       layout=w.Layout(width="auto", min_width="fit-content",
                                                       flex="0 0 auto")), cls)

        def text(key: str, cls: str, commit: bool = False) -> Any:
            return with_class(w.Text(description=t[key], style=style,
                                     layout=w.Layout(flex="1 1 auto", width="auto"),
                                     continuous_update=not commit), cls)

        self.path = with_class(w.Text(value=path, description=t["path"],
                                      layout=w.Layout(width="420px")), "cx-jd-path")
        self.open_button = button("open", "cx-jd-open", icon="folder-open")
        self.new_button = button("new", "cx-jd-new", icon="file")
        self.save_button = button("save", "cx-jd-save", "primary", "save")
        self.undo_button = button("undo", "cx-jd-undo", icon="undo")
        self.redo_button = button("redo", "cx-jd-redo", icon="repeat")
        self.overwrite_button = button("overwrite", "cx-jd-overwrite", "danger")
        self.status = with_class(w.HTML(t["none_yet"]), "cx-jd-status")
        self.restore_button = button("restore", "cx-jd-restore", "warning")
        self.discard_button = button("discard", "cx-jd-discard")
        self.recovery_text = w.HTML()
        self.recovery = w.HBox([self.recovery_text, self.restore_button,
                                self.discard_button])
        # stages
        self.stage = with_class(w.Dropdown(description=t["stage"], layout=full, style=style),
                                "cx-jd-stage")
        self.stage_id = text("stage_id", "cx-jd-stage-id")
        self.stage_nl = text("name_nl", "cx-jd-stage-nl")
        self.stage_en = text("name_en", "cx-jd-stage-en")
        self.add_stage_button = button("add_stage", "cx-jd-add-stage", icon="plus")
        # touchpoints
        self.list = with_class(w.Select(rows=9, layout=full), "cx-jd-list")
        self.up_button = button("up", "cx-jd-up", icon="arrow-up")
        self.down_button = button("down", "cx-jd-down", icon="arrow-down")
        self.delete_button = button("delete", "cx-jd-delete", "danger", "trash")
        self.tp_id = text("tp_id", "cx-jd-tp-id")
        self.tp_nl = text("name_nl", "cx-jd-tp-nl")
        self.tp_en = text("name_en", "cx-jd-tp-en")
        self.tp_channel = with_class(w.Dropdown(description=t["channel"],
                                                options=[""] + list(CHANNELS), layout=full,
                                                style=style), "cx-jd-tp-channel")
        self.tp_mot = with_class(w.Checkbox(description=t["mot"]), "cx-jd-tp-mot")
        self.add_tp_button = button("add_touchpoint", "cx-jd-add-touchpoint", "success",
                                    "plus")
        # the selected touchpoint: fields commit on Enter or when the field is left
        self.sel_nl = text("name_nl", "cx-jd-sel-nl", commit=True)
        self.sel_en = text("name_en", "cx-jd-sel-en", commit=True)
        self.sel_channel = with_class(w.Dropdown(description=t["channel"],
                                                 options=[""] + list(CHANNELS), layout=full,
                                                 style=style), "cx-jd-sel-channel")
        self.sel_department = text("department", "cx-jd-sel-department", commit=True)
        self.sel_mot = with_class(w.Checkbox(description=t["mot"]), "cx-jd-sel-mot")
        self.lane_lang = with_class(w.ToggleButtons(options=["nl", "en"], value=self.lang,
                                                    description=t["lane_lang"]),
                                    "cx-jd-lane-lang")
        self.customer_fields = {k: text(k, f"cx-jd-customer-{k}", commit=True)
                                for k in _CUSTOMER_TEXTS}
        self.pain_points = with_class(w.Textarea(description=t["pain_points"],
                                                 placeholder=t["lines"], layout=full,
                                                 style=style, continuous_update=False),
                                      "cx-jd-pain-points")
        self.valence = with_class(w.IntSlider(description=t["valence"], min=-2, max=2,
                                              value=0, style=style, continuous_update=False),
                                  "cx-jd-valence")
        self.employee_fields = {k: text(k, f"cx-jd-employee-{k}", commit=True)
                                for k in _EMPLOYEE_TEXTS}
        self.team = text("team", "cx-jd-team", commit=True)
        self.need_fields = {k: text(k, f"cx-jd-need-{k}", commit=True) for k in NEEDS}
        self.messages = with_class(w.HTML(), "cx-jd-messages")
        self.summary = with_class(w.HTML(), "cx-jd-summary")
        self.map_lang = with_class(w.ToggleButtons(options=["nl", "en"], value=self.lang),
                                   "cx-jd-map-lang")
        self.map = with_class(w.Image(format="png", layout=w.Layout(width="100%")),
                              "cx-jd-map")

        def section(title: str) -> Any:
            return w.HTML(f"<b>{html.escape(title)}</b>")

        self.selected_box = w.VBox([
            section(t["selected"]), self.sel_nl, self.sel_en, self.sel_channel,
            self.sel_department, self.sel_mot, self.lane_lang, section(t["customer"]),
            *self.customer_fields.values(), self.valence, self.pain_points,
            section(t["employee"]), *self.employee_fields.values(), self.team,
            *self.need_fields.values(), self.messages])
        left = w.VBox([
            section(t["stages"]), self.stage, self.stage_id, self.stage_nl, self.stage_en,
            self.add_stage_button, section(t["touchpoints"]), self.list,
            w.HBox([self.up_button, self.down_button, self.delete_button]),
            self.tp_id, self.tp_nl, self.tp_en, self.tp_channel,
            w.HBox([self.tp_mot, self.add_tp_button]), self.selected_box, self.summary],
            layout=w.Layout(width="40%"))
        right = w.VBox([section(t["map"]), self.map_lang, self.map],
                       layout=w.Layout(width="60%"))
        bar = w.HBox([self.path, self.open_button, self.new_button, self.save_button,
                      self.undo_button, self.redo_button, self.overwrite_button],
                     layout=w.Layout(flex_flow="row wrap"))
        self.widget = with_class(w.VBox([
            w.HTML(f"<h3 style='margin:4px 0'>{html.escape(t['title'])}</h3>"), bar,
            self.status, self.recovery, w.HBox([left, right])]), "cx-journey-designer")
        self._wire()
        self._refresh()

    def _wire(self) -> None:
        clicks: list[tuple[Any, Callable[[], Any]]] = [
            (self.open_button, self.open), (self.new_button, self.new),
            (self.save_button, self.save),
            (self.overwrite_button, lambda: self.save(force=True)),
            (self.undo_button, lambda: self._act(self.draft.undo)),
            (self.redo_button, lambda: self._act(self.draft.redo)),
            (self.restore_button, lambda: self._act(self.draft.restore_draft)),
            (self.discard_button, lambda: self._act(self.draft.discard_draft)),
            (self.add_stage_button, self.add_stage), (self.add_tp_button, self.add_touchpoint),
            (self.up_button, lambda: self.move(-1)), (self.down_button, lambda: self.move(1)),
            (self.delete_button, self.delete)]
        for widget, action in clicks:
            widget.on_click(lambda _, act=action: act())
        self.list.observe(lambda c: self.select(c["new"]), names="value")
        self.map_lang.observe(lambda _: self._draw(), names="value")
        self.lane_lang.observe(lambda _: self._show_selected(), names="value")
        self._editors: list[tuple[Any, Callable[[Any], None]]] = [
            (self.sel_nl, lambda v: self._set_text(("name",), "nl", v)),
            (self.sel_en, lambda v: self._set_text(("name",), "en", v)),
            (self.sel_channel, lambda v: self._edit(
                lambda tid: self.draft.set_field(tid, "channel", v or None))),
            (self.sel_department, lambda v: self._edit(
                lambda tid: self.draft.set_field(tid, "department", v.strip() or None))),
            (self.sel_mot, lambda v: self._edit(
                lambda tid: self.draft.set_moment_of_truth(tid, bool(v)))),
            (self.valence, lambda v: self._edit(
                lambda tid: self.draft.set_customer(tid, "valence", int(v)))),
            (self.pain_points, self._set_pain_points),
            (self.team, lambda v: self._edit(
                lambda tid: self.draft.set_employee(tid, "team", v.strip() or None))),
            *[(f, lambda v, k=k: self._set_text(("customer", k), self.lane_lang.value, v))
              for k, f in self.customer_fields.items()],
            *[(f, lambda v, k=k: self._set_text(("employee", k), self.lane_lang.value, v))
              for k, f in self.employee_fields.items()],
            *[(f, lambda v, k=k: self._set_text(("employee", "needs", k),
                                                self.lane_lang.value, v))
              for k, f in self.need_fields.items()]]
        self._listen(True)

    def _listen(self, on: bool) -> None:
        for widget, apply in self._editors:
            if on:
                widget.observe(lambda c, a=apply: a(c["new"]), names="value")
            else:
                widget.unobserve_all("value")

    # -- showing ------------------------------------------------------------------------
    def _say(self, tone: str, text: str) -> None:
        self.message = text
        self.status.value = message_html([(tone, text)])

    def _refresh(self, redraw: bool = True) -> None:
        d = self.draft
        has = d is not None
        for widget in (self.save_button, self.undo_button, self.redo_button,
                       self.add_stage_button, self.add_tp_button, self.up_button,
                       self.down_button, self.delete_button):
            widget.disabled = not has
        self.overwrite_button.layout.display = "none"
        self.recovery.layout.display = "none" if not has or d.recovered_draft is None else ""
        self.selected_box.layout.display = "none" if self.selected is None else ""
        if not has:
            return
        if d.recovered_draft is not None:
            self.recovery_text.value = message_html([("warning", self.t["recovered"].format(
                name=d.recovered_draft.name))])
        self.undo_button.disabled = not d.can_undo
        self.redo_button.disabled = not d.can_redo
        names = {sid: self._name(d.stage(sid)) for sid in d.stages()}
        current = self.stage.value
        self.stage.options = [(f"{names[s]} ({s})", s) for s in d.stages()]
        if d.stages():
            self.stage.value = current if current in d.stages() else d.stages()[0]
        problems = d.problems()
        bad = {p.question_id for p in problems if p.severity is Severity.ERROR}
        options = [(f"{'⚠ ' if tid in bad else ''}{d.stage_of(tid)} › {tid}  "
                    f"{self._name(d.touchpoint(tid))}"[:100], tid) for tid in d.touchpoints()]
        self.list.unobserve_all("value")
        self.list.options = options
        self.list.value = self.selected if self.selected in d.touchpoints() else None
        self.list.observe(lambda c: self.select(c["new"]), names="value")
        errors = [p for p in problems if p.severity is Severity.ERROR]
        self.summary.value = message_html(
            [("error" if errors else "ok", self.t["errors"].format(n=len(errors))
              if errors else self.t["no_errors"])] +
            [("error" if p.severity is Severity.ERROR else "warning",
              f"{p.code.value} {p.message}") for p in problems
             if p.question_id not in d.touchpoints()][:6])
        self._show_selected(problems)
        if redraw:
            self._draw()

    def _name(self, entry: dict[str, Any]) -> str:
        name = entry.get("name")
        if isinstance(name, dict):
            return str(name.get(self.lang) or next(iter(name.values()), ""))
        return str(name or "")

    def _show_selected(self, problems: list[Any] | None = None) -> None:
        d, tid = self.draft, self.selected
        self.selected_box.layout.display = "none" if tid is None else ""
        if d is None or tid is None or tid not in d.touchpoints():
            return
        tp = d.touchpoint(tid)
        lang = self.lane_lang.value
        name = tp.get("name") if isinstance(tp.get("name"), dict) else {}
        customer = tp.get("customer") if isinstance(tp.get("customer"), dict) else {}
        employee = tp.get("employee") if isinstance(tp.get("employee"), dict) else {}
        found = employee.get("needs")
        needs: dict[str, Any] = found if isinstance(found, dict) else {}

        def txt(value: Any) -> str:
            return str(value.get(lang, "")) if isinstance(value, dict) else ""

        self._listen(False)
        try:
            self.sel_nl.value = str((name or {}).get("nl", ""))
            self.sel_en.value = str((name or {}).get("en", ""))
            self.sel_channel.value = tp.get("channel") or ""
            self.sel_department.value = str(tp.get("department") or "")
            self.sel_mot.value = bool(tp.get("moment_of_truth"))
            for key, field in self.customer_fields.items():
                field.value = txt(customer.get(key))
            self.valence.value = int(customer.get("valence") or 0)
            self.pain_points.value = "\n".join(txt(p) for p in customer.get("pain_points") or [])
            for key, field in self.employee_fields.items():
                field.value = txt(employee.get(key))
            self.team.value = str(employee.get("team") or "")
            for key, field in self.need_fields.items():
                field.value = txt(needs.get(key))
        finally:
            self._listen(True)
        mine = [p for p in (problems if problems is not None else d.problems())
                if p.question_id == tid]
        self.messages.value = message_html([
            ("error" if p.severity is Severity.ERROR else "warning",
             f"{p.code.value} {p.message}" + (f" ({p.fix})" if p.fix else "")) for p in mine])

    def _draw(self) -> None:
        """Redraw the map of the current draft (a planning canvas)."""
        from ..viz import journey_map

        if self.draft is None:
            return
        try:
            journey = self.draft.to_journey()
        except DraftError as exc:
            self.map.value = b""
            self.summary.value += message_html([("warning", str(exc))])
            return
        self.map_png = figure_png(journey_map(journey, lang=self.map_lang.value), dpi=80)
        self.map.value = self.map_png

    # -- actions ------------------------------------------------------------------------
    def _act(self, action: Callable[[], Any]) -> bool:
        try:
            action()
        except (DraftError, ValueError, KeyError, TypeError) as exc:
            self._say("error", str(exc))
            self._refresh(redraw=False)
            return False
        self._refresh()
        self._say("info", self.t["unsaved"] if self.draft.dirty else self.t["clean"])
        return True

    def _need(self) -> str:
        if self.selected is None:
            raise DraftError(self.t["ask"])
        return self.selected

    def _edit(self, change: Callable[[str], Any]) -> None:
        self._act(lambda: change(self._need()))

    def _set_text(self, path: tuple[str, ...], lang: str, value: str) -> None:
        self._edit(lambda tid: self.draft.set_text((tid, *path), lang, value))

    def _set_pain_points(self, value: str) -> None:
        lang = self.lane_lang.value

        def change(tid: str) -> None:
            customer = self.draft.touchpoint(tid).get("customer")
            old = customer.get("pain_points") if isinstance(customer, dict) else None
            old = old if isinstance(old, list) else []
            lines = [line.strip() for line in value.splitlines() if line.strip()]
            points = []
            for i in range(max(len(lines), len(old))):
                entry = dict(old[i]) if i < len(old) and isinstance(old[i], dict) else {}
                if i < len(lines):
                    entry[lang] = lines[i]
                    points.append(entry)
            self.draft.set_customer(tid, "pain_points", points or None)

        self._edit(change)

    def open(self) -> None:
        """Open the journey file named in the path box."""
        from ..journey.edit import JourneyDraft

        try:
            self.draft = JourneyDraft.open(self.path.value.strip())
        except DraftError as exc:
            self._say("error", str(exc))
            return
        self.selected = None
        self._refresh()
        self._say("ok", self.t["opened"].format(path=self.draft.path))

    def new(self) -> None:
        """Start a new journey (default stages) at the path in the path box."""
        from ..journey.edit import JourneyDraft

        path = Path(self.path.value.strip() or "journey.yaml")
        ident = path.parent.name or "journey"
        try:
            self.draft = JourneyDraft.new(ident, {"nl": ident, "en": ident}, path=path)
        except DraftError as exc:
            self._say("error", str(exc))
            return
        self.selected = None
        self._refresh()
        self._say("ok", self.t["started"].format(path=path))

    def save(self, force: bool = False) -> None:
        """Save ``journey.yaml`` (refused while it has errors or changed on disk)."""
        try:
            path = self.draft.save(force=force)
        except ConflictError as exc:
            self._say("error", str(exc))
            self.overwrite_button.layout.display = ""
            return
        except DraftError as exc:
            self._say("error", str(exc))
            return
        self._refresh(redraw=False)
        self._say("ok", self.t["saved"].format(path=path))

    def select(self, tid: str | None) -> None:
        """Show touchpoint ``tid`` in the form."""
        self.selected = tid
        if tid is not None and self.list.value != tid:
            self.list.value = tid
        self._show_selected()

    def add_stage(self) -> None:
        def go() -> None:
            sid = self.stage_id.value.strip()
            self.draft.add_stage(sid, {"nl": self.stage_nl.value.strip(),
                                       "en": self.stage_en.value.strip()})
            for field in (self.stage_id, self.stage_nl, self.stage_en):
                field.value = ""
            self.stage.options = self.draft.stages()
            self.stage.value = sid

        self._act(go)

    def add_touchpoint(self) -> None:
        def go() -> None:
            if not self.stage.value:
                raise DraftError("add a stage first, then touchpoints to it")
            tid = self.tp_id.value.strip()
            self.draft.add_touchpoint(self.stage.value, tid,
                                      {"nl": self.tp_nl.value.strip(),
                                       "en": self.tp_en.value.strip()},
                                      channel=self.tp_channel.value or None,
                                      moment_of_truth=bool(self.tp_mot.value))
            for field in (self.tp_id, self.tp_nl, self.tp_en):
                field.value = ""
            self.selected = tid

        self._act(go)

    def move(self, offset: int) -> None:
        self._act(lambda: self.draft.move_touchpoint(self._need(), offset))

    def delete(self) -> None:
        def go() -> None:
            self.draft.delete_touchpoint(self._need())
            self.selected = None

        self._act(go)

    def _ipython_display_(self) -> None:  # pragma: no cover - display in a notebook
        from IPython.display import display

        display(self.widget)
