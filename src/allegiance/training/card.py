"""The model card (``docs/model.md``) from a model folder and the accuracy figures.

    python -m allegiance.training card --model src/allegiance/data/model \\
        --figures build/figures.json --candidates docs/model-candidates.json > docs/model.md
"""
from __future__ import annotations

import json
from pathlib import Path

__all__ = ["model_card"]


def _f(v) -> str:
    return f"{v:.3f}" if isinstance(v, (int, float)) else "–"


def model_card(model: Path, figures: dict | None = None, candidates: list[dict] | None = None,
               ece_test: dict | None = None) -> str:
    meta = json.loads((model / "model.json").read_text(encoding="utf-8"))
    from ..events.learned import _sha256

    tr = meta["training"]
    st = tr["settings"]
    cal = meta.get("calibration", {})
    lines = [
        "# The allegiance event model — model card",
        "",
        "The trained part of the hybrid coder (`--engine hybrid`, the default): it finds event triggers with",
        "their PLOVER type and mode, gives every actor mention of a sentence a role (source, target, party to a",
        "symmetric event, or none) for each trigger, and scores every proposal — its own and the rule coder's —",
        "with a calibrated `confidence`. Actor resolution, modality, attribution, places, dates and PLOVER's",
        "recoding conventions stay with the rules (`src/allegiance/events/conventions.py`).",
        "",
        "## Files",
        "",
        f"Folder `{model}`; `model.json` holds the labels, vocabularies, thresholds, calibration and this",
        "training record, and the sha256 of every other file, checked when the model is loaded (an altered or",
        "truncated file is refused with `ModelError`).",
        "",
        "| file | bytes | sha256 |",
        "|---|---|---|",
    ]
    for name in sorted(meta["files"]) + ["model.json"]:
        path = model / name
        lines.append(f"| `{name}` | {path.stat().st_size:,} | `{_sha256(path)}` |")
    lines += [
        "",
        f"Records name the model as `coder.model` = `{meta.get('name')}@<first 12 hex of model.json's sha256>`;",
        "a store coded with another model is coded again by `allegiance run`.",
        "",
        "## Architecture",
        "",
        f"- Encoder: {meta['encoder']} (`encoder_kind` {meta.get('encoder_kind')}), one pass per candidate",
        "  sentence (a sentence with an actor mention and a verb or noun), one sentence per call (the int8",
        f"  encoder quantises per call), at most {meta.get('max_pieces')} word pieces; onnxruntime with one",
        "  intra-op thread (byte-identical scores).",
        "- Token head (numpy): the token's encoder vector, part of speech, dependency label, the types the",
        "  trigger lexicon lists for its lemma, and the types of the rule candidates on it → a softmax over",
        "  no-event and the 16 PLOVER types, and the mode.",
        "- Role head (numpy): trigger and mention vectors and their product, the dependency path between them,",
        "  their distance, the mention's kind and sector, and the rules' role for the pair → none / source /",
        "  target / both.",
        "- Calibrator: logistic regression over the proposal's scores (`events.combine.FEATURES`), fitted on",
        "  the dev split; separate record thresholds for rule-backed and model-only proposals.",
        "",
        "## Data and splits",
        "",
        "Trained on `corpus/train.jsonl` and `corpus/articles-train.jsonl`, early-stopped and calibrated on",
        "`corpus/dev.jsonl` and `corpus/articles-dev.jsonl` (scenarios absent from train); the record",
        f"thresholds were chosen on {', '.join(cal.get('thresholds_tuned_on', cal.get('fitted_on', [])))}"
        + (f", guarded by {', '.join(cal['thresholds_guarded_by'])} (gold read while writing the rules: no setting may"
           f" leave them more than {cal.get('guard_drop')} below the rules alone in type or dyad F1)"
           if cal.get("thresholds_guarded_by") else "") + f"; scored with the {cal.get('scorer', 'built-in approximation')}. Test",
        "(`corpus/test.jsonl`, `corpus/articles-test.jsonl`, scenarios absent from train and dev) was scored",
        "once, for the chosen model. See `corpus/README.md`.",
        "",
        f"- {tr['train_stats']}",
        f"- dev: {tr['dev_stats']}",
        "",
        "| data file | sha256 |",
        "|---|---|",
    ]
    lines += [f"| `{name}` | `{digest}` |" for name, digest in tr["data"].items()]
    lines += [
        "",
        "## Training settings (reproducible: `make train`)",
        "",
        "```",
        json.dumps({k: v for k, v in st.items() if k not in ("train_files", "dev_files")}, indent=1),
        "```",
        "",
        "| epoch | train loss | dev loss | dev token type F1 | dev role F1 | seconds |",
        "|---|---|---|---|---|---|",
    ]
    for h in tr["history"]:
        lines.append(f"| {h['epoch']} | {h['train_loss']} | {h.get('dev_loss', '–')} | {h.get('dev_token_type_f1', '–')} | "
                     f"{h.get('dev_role_f1', '–')} | {h['seconds']} |")
    lines += [
        "",
        "## Calibration",
        "",
        f"Fitted on {cal.get('records')} dev records (every proposal, before the record thresholds); expected",
        f"calibration error on them {cal.get('ece_dev')}"
        + (f"; on the records the coder outputs for the test split {ece_test['ece']} ({ece_test['records']} records;"
           " `python -m allegiance.training ece corpus/test.jsonl corpus/articles-test.jsonl`)." if ece_test else "."),
        (f"The published confidence is then re-fitted (a map sigmoid(a + b z + c log n) of the score z and the "
         f"number n of sentences of the document, monotone in z; a, b, c = {', '.join(map(str, cal['platt']))}) on "
         f"the {cal.get('records_published')} dev records that pass the thresholds, the records a user sees "
         f"(negated ones aside): their calibration error {cal['ece_dev_published']['before']} -> "
         f"{cal['ece_dev_published']['after']}"
         + (f" ({cal['ece_dev_published']['after_5fold']} fitted on four fifths of the documents, measured on "
            f"the fifth)." if "after_5fold" in cal['ece_dev_published'] else ".")
         if cal.get("platt") and len(cal["platt"]) == 3 else
         f"The published confidence is then re-fitted (a monotone map sigmoid(a + b z) of the score, a, b = "
         f"{cal['platt'][0]}, {cal['platt'][1]}) on the {cal.get('records_published')} dev records that pass the "
         f"thresholds, the records a user sees: their calibration error {cal['ece_dev_published']['before']} -> "
         f"{cal['ece_dev_published']['after']}." if cal.get("platt") else
         f"A re-fit on the {cal.get('records_published')} dev records that pass the thresholds was tried and not "
         f"kept: it did not lower their calibration error ({cal['ece_dev_published']['before']} -> "
         f"{cal['ece_dev_published']['after']})." if cal.get("ece_dev_published") else ""),
        f"Record thresholds: {meta['thresholds'].get('record')} for rule-backed proposals, "
        f"{meta['thresholds'].get('record_model')} for model-only ones; trigger {meta['thresholds'].get('trigger')}, "
        f"role {meta['thresholds'].get('role')}.",
        "",
        "Type / dyad F1 at each pair of record thresholds (rule-backed / model-only; 2.0 = no model-only",
        "records), on " + ", ".join(["corpus dev (items + articles)"] + list(cal.get("thresholds_guarded_by", []))) + ":",
        "",
        "| thresholds | " + " | ".join(["corpus dev (items + articles)"] + list(cal.get("thresholds_guarded_by", []))) + " |",
        "|---|" + "---|" * (1 + len(cal.get("thresholds_guarded_by", []))),
    ]
    lines += [f"| {g['record']} / {g['record_model']} | " + " | ".join(f"{a:.3f} / {b:.3f}" for a, b in g["type_dyad_f1"]) + " |"
              for g in cal.get("grid", [])]
    lines += [
        "",
        "Precision and recall (dyad level) of all dev records above a `--min-confidence` value:",
        "",
        "| min confidence | precision | recall | F1 |",
        "|---|---|---|---|",
    ]
    lines += [f"| {c['threshold']} | {c['precision']} | {c['recall']} | {c['f1']} |" for c in cal.get("curve_dev", [])]
    if candidates:
        cols = [("token type F1", "token_type_f1"), ("role F1", "role_f1"), ("corpus dev type / dyad", "dev"),
                ("heldout probe type / dyad", "probe"), ("shared dev type / dyad", "shared_dev"),
                ("record thresholds", "thresholds"), ("model cost per candidate sentence (x parse)", "ratio"),
                ("MB", "mb")]
        lines += ["", "## Choosing the architecture (dev split)", "",
                  "| candidate | " + " | ".join(c for c, _ in cols) + " |", "|---|" + "---|" * len(cols)]
        for c in candidates:
            cells = []
            for _, k in cols:
                v = c.get(k)
                cells.append(" / ".join(_f(x) for x in v) if isinstance(v, list) else (_f(v) if isinstance(v, float) else str(v if v is not None else "–")))
            lines.append(f"| {c['name']} | " + " | ".join(cells) + " |")
            if c.get("note"):
                lines.append(f"|  | {c['note']} |" + " |" * (len(cols) - 1))
    if figures:
        lines += ["", "## Figures", "", "| file | engine | type P / R / F1 | dyad P / R / F1 | full F1 |",
                  "|---|---|---|---|---|"]
        for label, r in figures.items():
            name, engine = label.rsplit(" [", 1)
            t, d = r["type_level"], r["dyad_level"]
            lines.append(f"| {name} | {engine.rstrip(']')} | {t['p']:.3f} / {t['r']:.3f} / {t['f1']:.3f} | "
                         f"{d['p']:.3f} / {d['r']:.3f} / {d['f1']:.3f} | {r['full_level']['f1']:.3f} |")
    lines += ["", "## Limits", "",
              "Read the figures in the README's accuracy section with the model: the model was trained on text",
              "written for the project (`corpus/README.md`), in English only; it has not been fitted to any",
              "publisher's style. Its actors are the rule resolver's: a party the catalog and the context cannot",
              "place has no country, whatever role the model gives it.", ""]
    return "\n".join(lines)
