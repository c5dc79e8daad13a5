"""Markdown that documents the example data: ``data/raw/README.md`` and the "True effects
in the example data" section of a study's README."""

from __future__ import annotations

from typing import Any, Sequence

from ._people import CUSTOMER_META, EMPLOYEE_META
from ._simulate import SimulatedStudy

__all__ = ["raw_readme", "truth_section"]

_FORMATS = {
    ".csv-dutch": (
        "Dutch Excel CSV export: `;` between fields, decimal comma (`534,21`), UTF-8 "
        "**with BOM**, CRLF line ends. Single choices and Likert points hold their "
        "**Dutch labels** (e.g. `Tevreden`, `Ja`, `Via de website`; an *other* answer is "
        "`Anders`); 0-10 ratings and numbers are numbers; multiple choices and rankings "
        "hold their **codes**, separated by spaces (several Dutch labels contain a comma, "
        "so the platform exports codes there); dates are `dd-mm-yyyy`; `start` and `end` "
        "are `dd-mm-yyyy hh:mm` (no seconds); the id column is `Respondent ID`."),
    ".csv": (
        "CSV of codes: `,` between fields, decimal point, UTF-8 without BOM, LF line "
        "ends; choices and scale points as codes, multiple choices and rankings as codes "
        "separated by spaces; dates `yyyy-mm-dd`; timestamps `yyyy-mm-dd hh:mm:ss`; "
        "booleans `true`/`false`."),
    ".xlsx": (
        "Excel workbook, one sheet `responses`: codes as text, scale points and numbers "
        "as numbers, multiple choices and rankings as codes separated by spaces, "
        "timestamps and dates as Excel date cells."),
}


def _format_of(name: str) -> str:
    if name.startswith("customers-wave"):
        return _FORMATS[".csv-dutch"]
    return _FORMATS[".xlsx"] if name.endswith(".xlsx") else _FORMATS[".csv"]


def _rows_of(sim: SimulatedStudy, name: str) -> int:
    if name.startswith("customers-wave"):
        wave = sim.spec.waves[int(name[len("customers-wave")]) - 1].name
        return int((sim.customers["wave"] == wave).sum())
    if name.startswith("employees"):
        return len(sim.employees) if sim.employees is not None else 0
    if name.startswith("contacts"):
        return len(sim.contacts) if sim.contacts is not None else 0
    return len(sim.customers)


def _columns(sim: SimulatedStudy, name: str) -> str:
    if name.startswith("contacts"):
        return ("`contact_id` (C000001, ...), `timestamp`, `channel`, `category` (kind of "
                "question), `team` (who handled it), `handling_minutes`, "
                "`resolved_first_contact` (true when this contact settled the question), "
                "`repeat_contact` (true when the customer came back about an unresolved "
                "question). One row per contact; no customer data.")
    if name.startswith("employees"):
        staff = sim.employee_survey
        asks_team = staff is not None and "team" in staff.field_ids()
        shown = ", ".join(f"`{c}`" for c in (*EMPLOYEE_META, *(() if asks_team else ("team",))))
        return (f"{shown}, then the answer fields of the employee survey in instrument "
                "order. " + ("`team` is the answer to the team question. " if asks_team else
                             "`team` is the employee's team. ")
                + "Employee ids are `M` and four digits; `duration_s` is seconds with two "
                "decimals.")
    meta = list(CUSTOMER_META)
    if name.startswith("customers-wave"):
        meta = ["Respondent ID" if c == "respondent_id" else c for c in meta]
    survey = sim.customer_survey
    return (", ".join(f"`{c}`" for c in meta) + f", then the {len(survey.field_ids())} "
            f"answer fields of `instruments/customer-survey.yaml` ({survey.id}) in "
            "instrument order (matrix rows and `<id>_other` fields included). `wave` is "
            f"`{sim.spec.waves[0].name}` or `{sim.spec.waves[1].name}`, `team` the team that "
            "handled the customer, `language` the survey language (`nl`/`en`), "
            "`duration_s` seconds with two decimals. Skipped questions are empty.")


def raw_readme(sim: SimulatedStudy, files: Sequence[Any]) -> str:
    """``data/raw/README.md`` of an example study."""
    q = sim.spec.quality
    flags = sim.truth.flags
    lines = [
        f"# Raw data of the {sim.name} example (simulated)",
        "",
        "These files are **simulated** with `cxresearch.datasets` from this study's own "
        "instruments and journey, with known true effects (see *True effects in the "
        "example data* in the study's README). They are written as a researcher receives "
        "them from the fielding platform and the contact-centre system: treat them as raw "
        "data, never edit them; cleaned data goes to `data/clean/`.",
        "",
        "Regenerate them (byte-identical) with:",
        "",
        "```python",
        "from cxresearch.datasets import write_example_data",
        f'write_example_data("{sim.name}")  # seed {sim.seed}',
        "```",
        "",
        "| file | what | rows |",
        "|---|---|---|",
    ]
    for spec in files:
        lines.append(f"| `{spec.name}` | {spec.describes} | {_rows_of(sim, spec.name)} |")
    lines += ["", "## Formats and columns", ""]
    for spec in files:
        lines += [f"### `{spec.name}`", "", _format_of(spec.name), "",
                  "Columns: " + _columns(sim, spec.name), ""]
    lines += [
        "## Known data-quality problems",
        "",
        "The customer data hold the problems real data hold, at known rates:",
        "",
        f"- item non-response: {q.missing:.0%} of answers to optional closed questions "
        "left empty (required questions are always answered; open questions are "
        "answered by about half of those asked);",
        f"- speeders: {q.speeders:.0%} of respondents "
        f"({int(flags['speeder'].sum())} rows here) take 15-35 % of the usual time and "
        f"answer {q.speeder_random:.0%} of closed questions at random;",
        f"- straight-liners: {q.straightliners:.0%} ({int(flags['straightliner'].sum())} "
        "rows) give the same answer on every row of every matrix;",
        f"- duplicate submissions: {q.duplicates:.1%} "
        f"({int(flags['duplicate'].sum())} rows): the same respondent id and answers sent "
        "again 2-30 minutes later;",
        f"- personal data in open answers: {q.pii:.0%} of written long answers end with a "
        "fake phone number (06-12345678 and variants) or e-mail address (at example.nl, "
        f"example.com or example.org) ({int(flags['has_pii'].sum())} rows): scrub "
        "before reporting.",
        "",
        f"The panel: {len(sim.panel)} respondent ids answer in both waves.",
        "",
    ]
    return "\n".join(lines)


def _pct(x: float) -> str:
    return f"{x:.1%}"


def _num(x: float, digits: int = 2) -> str:
    return "n/a" if x != x else f"{x:.{digits}f}"


def truth_section(sim: SimulatedStudy) -> str:
    """The "True effects in the example data" section (Markdown, without its heading)."""
    t, spec = sim.truth, sim.spec
    w1, w2 = spec.waves[0].name, spec.waves[1].name
    effects = ", ".join(f"`{k}` {v:+.2f}" for k, v in t.effects.items()) or "none"
    lines = [
        f"The data in `data/raw/` are simulated by `cxresearch.datasets` "
        f"(`example_study(\"{sim.name}\")`, seed **{sim.seed}**) from this study's own "
        "instruments, so every effect below is known. Regenerate the files with "
        f"`write_example_data(\"{sim.name}\")`.",
        "",
        f"- **Sizes:** {spec.n_customers} customers per wave ({w1}: {spec.waves[0].first} "
        f"to {spec.waves[0].last}; {w2}: {spec.waves[1].first} to {spec.waves[1].last}); "
        f"{len(sim.panel)} of them ({spec.panel_share:.0%} of wave 1) answer both waves "
        f"(`panel`); {len(sim.customers)} customer rows including duplicates; "
        f"{t.sizes.get('employees', 0)} employees; {t.sizes.get('contacts', 0)} contacts.",
        f"- **Latent model:** experience at a touchpoint = disposition (sd "
        f"{spec.disposition_sd}) + touchpoint mean + {spec.enablement_slope} x the handling "
        f"team's enablement + the wave effect + noise (sd {spec.experience_sd}); answers "
        "come from thresholds on that scale. The overall judgement (NPS, overall "
        f"satisfaction, CES) is peak-end: {t.peak_end.get('peak', 0)} x the most extreme "
        f"touchpoint experienced + {t.peak_end.get('end', 0)} x the last one + "
        f"{t.peak_end.get('mean', 0)} x their mean.",
        f"- **True effects (wave {w2} vs {w1}, latent scale):** {effects}; no other "
        "touchpoint changes.",
    ]
    fx = t.wave_effects
    if not fx.empty:
        sat = fx[fx["metric"] == "touchpoint_satisfaction"]
        parts = [f"`{r['field']}` {r[w1]:.2f} -> {r[w2]:.2f} ({r['difference']:+.2f})"
                 for _, r in sat.iterrows() if abs(r["latent_effect"]) > 0]
        flat = sat[sat["latent_effect"] == 0]
        lines.append(
            "- **Expected touchpoint satisfaction (1-5):** " + "; ".join(parts)
            + f". Unaffected touchpoints move by at most "
            f"{flat['difference'].abs().max():.2f} (sampling error of the expectation).")
    if t.nps:
        lines.append(f"- **Expected NPS:** {w1} {t.nps[w1]:+.1f}, {w2} {t.nps[w2]:+.1f}.")
    if not t.enablement.empty:
        lines.append(
            "- **Enablement and customers:** team enablement levels (latent) "
            + ", ".join(f"`{k}` {v:+.2f}" for k, v in spec.team_enablement.items())
            + f"; each latent unit adds {spec.enablement_slope} to the experience of "
            "customers that team handles at the same touchpoint. Across teams within a "
            f"touchpoint, expected touchpoint satisfaction rises by {t.observed_slope:.2f} "
            "per point of mean enablement (both on their 1-5 scales): the sign is "
            "positive.")
    if t.fcr:
        lines.append("- **First-contact resolution** (contact log) follows enablement: "
                     "expected " + ", ".join(f"`{k}` {_pct(v)}" for k, v in t.fcr.items())
                     + f" (logit slope {t.fcr_slope} per enablement unit).")
    q = t.quality
    lines.append(
        f"- **Data quality:** item non-response {q.missing:.0%} on optional closed items, "
        f"speeders {q.speeders:.0%}, straight-liners {q.straightliners:.0%}, duplicate "
        f"submissions {q.duplicates:.1%}, fake personal data in {q.pii:.0%} of long open "
        f"answers. In these files: {t.realised['speeders']} speeders, "
        f"{t.realised['straightliners']} straight-liners, {t.realised['duplicates']} "
        f"duplicates, {t.realised['rows_with_pii']} rows with personal data; "
        f"`truth.flags` marks each.")
    for key, value in t.extras.items():
        if isinstance(value, float):
            lines.append(f"- `{key}`: {_num(value)}")
        elif isinstance(value, (int, str)):
            lines.append(f"- `{key}`: {value}")
    lines += ["", "Expected values are large-sample expectations: a clean simulation "
              "(no quality problems) of 40,000 customers per wave with a fixed seed, so "
              "they depend on the model only (Monte Carlo error about 0.005 on a 1-5 "
              "mean and 0.4 NPS points); employee item means and first-contact resolution "
              "are exact. `example_study(...).truth` holds all of them."]
    return "\n".join(lines)
