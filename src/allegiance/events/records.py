"""Passes over a document's records: stable ids, targets shared across reports of one attack,
and casualty clauses folded into the attack they report."""
from __future__ import annotations

import hashlib
from typing import Any

from spacy.tokens import Doc, Token

__all__ = ["joined_targets", "merge_casualties", "merge_elaborations"]

JOIN_LEMMAS = frozenset({"join", "back", "support", "reinforce", "cover", "accompany", "aid", "assist"})


def joined_targets(parsed: Doc, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An attack that joins or backs one just reported has its target: "troops launched an
    offensive against the rebels, backed by Russian air strikes, while Hezbollah joined the
    assault" -> the strikes and the assault hit the rebels too."""
    def known(a: dict[str, Any] | None) -> bool:
        return bool(a and (a.get("name") or a.get("sector")))

    def key(a: dict[str, Any] | None) -> Any:
        return (a or {}).get("name"), (a or {}).get("country"), (a or {}).get("sector")

    for rec in records:
        if rec["event_type"] != "ASSAULT" or known(rec["target"]) or not known(rec["source"]):
            continue
        ev = rec["evidence"]
        span = parsed.char_span(ev["trigger_start"], ev["trigger_end"], alignment_mode="expand")
        if span is None or not len(span):
            continue
        tok = span[-1]
        definite = tok.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that")
                                              for c in tok.children)
        joined = tok.head.lemma_.lower() in JOIN_LEMMAS or (
            tok.dep_ == "pobj" and tok.head.dep_ == "agent" and tok.head.head.lemma_.lower() in JOIN_LEMMAS)
        if not (definite or joined):
            continue
        ante = [r for r in records if r is not rec and r["event_type"] == "ASSAULT" and known(r["target"])
                and not r["modality"]["negated"] and key(r["source"]) != key(rec["source"])
                and (r["sentence"] == rec["sentence"] - 1 or (r["sentence"] == rec["sentence"] and
                     r["evidence"]["trigger_start"] < ev["trigger_start"]))]
        if not ante:
            continue
        best = max(ante, key=lambda r: (r["sentence"], r["evidence"]["trigger_start"]))
        rec["target"] = dict(best["target"])
        rec["rule"] += "+joined"
        rec["event_id"] = _event_id(rec)
    return records


def _id(doc_id: str, s_idx: int, t_start: int, etype: str, source_key: Any, target_key: Any) -> str:
    """A stable event id: document, sentence, trigger offset, type and dyad."""
    key = "|".join([doc_id, str(s_idx), str(t_start), etype, repr(source_key), repr(target_key)])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _event_id(rec: dict[str, Any]) -> str:
    def k(a: dict[str, Any] | None) -> Any:
        return (a["name"], a["country"], a["sector"]) if a else None
    return _id(rec["doc_id"], rec["sentence"], rec["evidence"]["trigger_start"], rec["event_type"],
               k(rec["source"]), k(rec["target"]))



CASUALTY_LEMMAS = frozenset({"kill", "wound", "injure", "maim"})


def _trigger_token(parsed: Doc, rec: dict[str, Any]) -> Token | None:
    ev = rec["evidence"]
    span = parsed.char_span(ev["trigger_start"], ev["trigger_end"], alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _roots(parsed: Doc, records: list[dict[str, Any]]) -> dict[int, Token | None]:
    """Each record's trigger token, by ``id`` of the record (computed once per pass)."""
    return {id(r): _trigger_token(parsed, r) for r in records}


def merge_casualties(parsed: Doc, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """"Missiles struck the city, killing four civilians": the participle counts the attack's
    victims, it is not a second attack. The attack keeps one record; when it had only a place's
    country as target, the victims become its target."""
    def key(a: dict[str, Any] | None) -> Any:
        return (a or {}).get("name"), (a or {}).get("country"), (a or {}).get("sector")

    drop: set[int] = set()
    roots = _roots(parsed, records)
    for rec in records:
        if rec["event_type"] != "ASSAULT":
            continue
        tok = roots[id(rec)]
        if tok is None or tok.lemma_.lower() not in CASUALTY_LEMMAS:
            continue
        if tok.tag_ == "VBG" and tok.dep_ in ("advcl", "xcomp", "conj"):
            reported, same_source = tok.head, True  # "struck the city, killing five"
        else:  # "the shelling of the market killed seven", "a strike on a school, which killed twenty"
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is None or rec["source"] is not None:
                continue
            if subj.tag_ == "WDT" and tok.dep_ == "relcl":  # the nearest attack above the clause
                triggers = {roots[id(r)] for r in records if r is not rec}
                subj = next((a for a in tok.ancestors if a in triggers), tok.head)
            reported, same_source = subj, False
        head = [r for r in records if r is not rec and id(r) not in drop and r["event_type"] == "ASSAULT"
                and r["sentence"] == rec["sentence"] and roots[id(r)] == reported
                and (not same_source or key(r["source"]) == key(rec["source"]))
                and r["modality"] == rec["modality"]]
        if not head:
            continue
        main = head[0]
        t = main["target"]
        if rec["target"] and (t is None or not (t.get("name") or t.get("sector"))) \
                and (t is None or t.get("country") in (None, rec["target"].get("country"))):
            main["target"] = dict(rec["target"])
            main["rule"] += "+casualties"
            main["event_id"] = _event_id(main)
        drop.add(id(rec))
    return [r for r in records if id(r) not in drop]


def _key(a: dict[str, Any] | None) -> Any:
    return None if a is None else (a.get("name"), a.get("country"), a.get("sector"))


def _other_act(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two records of one type whose modes name different acts ("raided the offices and arrested
    five activists": a search and an arrest, COERCE/seize and COERCE/arrest). An attack's modes
    name its weapons, and one blow may be named by two ("bombed ..., the first US strikes")."""
    return a["event_type"] != "ASSAULT" and None not in (a["mode"], b["mode"]) and a["mode"] != b["mode"]


def merge_elaborations(parsed: Doc, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """"China imposed sanctions on the companies, freezing their assets": a participle that
    spells out the act it hangs on (same type, same source) is that act, not a second one."""
    drop: set[int] = set()
    roots = _roots(parsed, records)
    for rec in records:
        tok = roots[id(rec)]
        if tok is None or tok.tag_ != "VBG" or tok.dep_ not in ("advcl", "xcomp") or rec["source"] is None:
            continue
        head = tok.head
        main = [r for r in records if r is not rec and id(r) not in drop and r["sentence"] == rec["sentence"]
                and r["event_type"] == rec["event_type"] and _key(r["source"]) == _key(rec["source"])
                and not _other_act(r, rec)
                and (rec["target"] is None or _key(r["target"]) == _key(rec["target"]))
                and roots[id(r)] != tok and (roots[id(r)] == head or roots[id(r)] in set(head.children))]
        if main:
            drop.add(id(rec))
    return [r for r in records if id(r) not in drop]


def drop_restated_places(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """"American warplanes bombed Islamic State artillery outside Erbil, the first US strikes in
    Iraq": an act whose target is only the country of the place it landed on restates an act of
    the same type by the same state in the sentence that names what was hit; it is not an attack on that
    country. Removes the transient ``_place_target`` marker from every record."""
    out = []
    for rec in records:
        if rec.get("_place_target") and rec["source"] is not None and any(
                r is not rec and r["sentence"] == rec["sentence"] and r["event_type"] == rec["event_type"]
                and not _other_act(r, rec) and r["target"] is not None and not r.get("_place_target")
                and r["source"] is not None and r["source"].get("country") is not None
                and r["source"].get("country") == rec["source"].get("country") for r in records):
            continue
        out.append(rec)
    for rec in out:
        rec.pop("_place_target", None)
    return out
