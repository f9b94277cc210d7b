"""The corpus tools: drafts compiled to offsets, every check on good and broken items, leaks, builds."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from allegiance.corpus import check_item, compile_item, locate
from allegiance.corpus.__main__ import main
from allegiance.corpus.plan import leaks, load_plan
from allegiance.corpus.stats import agreement, counts, shortfalls

TEXT = ("KABUKI, Ruritania (AP) — Ruritanian jets bombed rebel positions near Zenda on Tuesday, "
        "the army said. Rebels said the jets also bombed a market, and the government denied it.")


def draft(**over) -> dict:
    item = {"id": "x01-0001", "date": "2016-03-04", "scenario": "alpha-2016", "register": "wire",
            "tags": ["attribution"], "text": TEXT,
            "events": [{"type": "ASSAULT", "mode": "aerial", "trigger": "bombed#1",
                        "src": ["Ruritanian jets", "Ruritania", "AUT", "MIL"],
                        "tgt": ["rebel positions", None, "AUT", "REB"], "loc": "Zenda",
                        "date": "2016-03-01", "attr": "the army"},
                       {"type": "ASSAULT", "mode": "aerial", "trigger": "bombed#2",
                        "src": ["the jets", "Ruritania", "AUT", "MIL"], "tgt": [None, None, "AUT", "CVL"],
                        "attr": "Rebels"}]}
    item.update(over)
    return item


def compiled(**over) -> dict:
    item, problems = compile_item(draft(**over))
    assert problems == []
    return item


def test_draft_compiles_to_offsets_that_point_at_the_words():
    item = compiled()
    first, second = item["events"]
    assert TEXT[first["trigger_start"]:first["trigger_end"]] == "bombed"
    assert second["trigger_start"] > first["trigger_start"]  # '#2' is the second occurrence
    src = first["source"]
    assert TEXT[src["start"]:src["end"]] == "Ruritanian jets" == src["text"]
    assert second["target"] == {"name": None, "country": "AUT", "sector": "CVL", "text": None,
                                "start": None, "end": None}
    assert first["negated"] is False and first["location"] == "Zenda"
    assert check_item(item) == []
    again, problems = compile_item(item)  # compiling a compiled item changes nothing
    assert again == item and problems == []


def test_mentions_take_the_occurrence_nearest_the_trigger_and_whole_words_only():
    text = "Iran said Iranian drones hit the base; Iran denied it."
    assert locate(text, "Iran", near=text.index("denied")) == (39, 43)
    assert locate(text, "Iran", near=0) == (0, 4)
    assert locate(text, "Iran#2") == (39, 43)
    with pytest.raises(ValueError, match="occurs 2 times"):
        locate(text, "Iran")  # no trigger to be near: ambiguous
    with pytest.raises(ValueError, match="does not occur"):
        locate(text, "Ira")  # not a whole word of 'Iran' / 'Iranian'


def test_an_ambiguous_trigger_is_an_error_naming_the_fix():
    item = draft()
    item["events"][0]["trigger"] = "bombed"
    _, problems = compile_item(item)
    assert any("'bombed' occurs 2 times" in p and "#k" in p for p in problems)


@pytest.mark.parametrize("change, message", [
    (lambda e: e.update(mode="bombing"), "mode 'bombing' is not a mode of ASSAULT"),
    (lambda e: e.update(type="ATTACK"), "type 'ATTACK' is not a PLOVER type"),
    (lambda e: e["source"].update(country="XXX"), "country 'XXX' is not ISO"),
    (lambda e: e["source"].update(sector="ARMY"), "sector 'ARMY' is not a PLOVER sector"),
    (lambda e: e["source"].update(start=3), "text[3:"),
    (lambda e: e.update(trigger_end=5), "trigger offsets"),
    (lambda e: e.update(location="Strelsau"), "location 'Strelsau' does not occur"),
    (lambda e: e.update(event_date="2016-03-09"), "a past event is dated 2016-03-09, after publication"),
    (lambda e: e.update(event_date="2016-02-30"), "not a valid YYYY-MM-DD date"),
    (lambda e: e.update(future=True, event_date="2016-03-01"), "a future event is dated"),
    (lambda e: e.update(source=None, target=None), "needs a source or a target"),
    (lambda e: e.update(negated="no"), "negated must be true or false"),
    (lambda e: e.update(extra=1), "unknown field 'extra'"),
])
def test_each_broken_event_is_reported(change, message):
    item = compiled()
    change(item["events"][0])
    problems = [str(p) for p in check_item(item)]
    assert any(message in p for p in problems), problems
    assert all(p.startswith("x01-0001 event 1:") for p in problems)


def test_item_level_checks():
    assert any("tag 'negative'" in str(p) for p in check_item(compiled(events=[])))
    ok_negative = compiled(events=[], tags=["negative"])
    assert check_item(ok_negative) == []
    assert any("register 'blog'" in str(p) for p in check_item(compiled(register="blog")))
    assert any("date '2016-3-4'" in str(p) for p in check_item(compiled(date="2016-3-4")))
    assert any("unknown field 'title'" in str(p) for p in check_item(compiled(title="x")))


def test_article_checks_words_and_sides():
    body = " ".join(["Ruritanian jets bombed rebel positions near Zenda on Tuesday, the army said."] * 30)
    art = draft(id="x01-a01", text=body, sides=[["Ruritania"], ["Ruritanian rebels"]],
                hostile_pairs=[["Ruritania", "Ruritanian rebels"]])
    art["events"] = [{"type": "ASSAULT", "mode": "aerial", "trigger": "bombed#1",
                      "src": ["Ruritanian jets#1", "Ruritania", "AUT", "MIL"],
                      "tgt": ["rebel positions#1", "Ruritanian rebels", "AUT", "REB"]}]
    item, problems = compile_item(art)
    assert problems == [] and check_item(item) == []
    item["sides"] = [["Ruritania", "Graustark"]]
    assert any("'Graustark' is the name of no actor" in str(p) for p in check_item(item))
    short = compiled(sides=[], hostile_pairs=[])
    assert any("300-700 words; this one has" in str(p) for p in check_item(short))


ROOT_PLAN = """
reserved:
  test:
    ZZZ: ["Graustark", "Graustarkians?"]
  dev:
    YYY: ["Strelsau"]
avoid: [Kosovo]
slices:
  x01: {split: train, scenarios: [alpha-2016]}
  x02: {split: dev, scenarios: [beta-2017]}
  x03: {split: test, scenarios: [gamma-2018]}
"""


def make_root(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "drafts").mkdir(parents=True)
    (root / "plan.yaml").write_text(ROOT_PLAN, encoding="utf-8")
    return root


def test_leaks_guard_other_splits_and_heldout_scenarios(tmp_path):
    plan = load_plan(make_root(tmp_path))
    assert leaks(plan, "train", "Graustarkian troops crossed") == [
        "'Graustarkians?' is reserved for the test split (ZZZ)"]
    assert leaks(plan, "train", "talks in Strelsau") and not leaks(plan, "test", "talks in Strelsau")
    assert leaks(plan, "dev", "Graustark") and not leaks(plan, "test", "Graustark")
    assert leaks(plan, "test", "troops in Kosovo")  # a heldout scenario: no split may use it
    assert not leaks(plan, "train", "pre-Graustarkia")  # whole words only


def write(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_build_and_validate_end_to_end(tmp_path, capsys):
    root = make_root(tmp_path)
    write(root / "drafts" / "x01.jsonl", [draft(), draft(id="x01-0002", events=[], tags=["negative"])])
    write(root / "drafts" / "x02.jsonl", [draft(id="x02-0001", scenario="beta-2017")])
    write(root / "drafts" / "x03.jsonl", [draft(id="x03-0001", scenario="gamma-2018")])
    assert main(["--root", str(root), "check", str(root / "drafts" / "x01.jsonl")]) == 0
    assert main(["--root", str(root), "build"]) == 0
    rows = [json.loads(ln) for ln in (root / "train.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ["x01-0001", "x01-0002"]
    assert rows[0]["events"][0]["trigger_start"] is not None
    assert (root / "articles-test.jsonl").read_text() == ""
    assert main(["--root", str(root), "validate"]) == 0
    assert main(["--root", str(root), "validate", "--strict"]) == 1  # far below 4,000 items
    err = capsys.readouterr().err
    assert "below target: items: 4 < 4000" in err


def test_validate_names_file_line_and_problem(tmp_path, capsys):
    root = make_root(tmp_path)
    write(root / "drafts" / "x01.jsonl", [draft()])
    assert main(["--root", str(root), "build"]) == 0
    for split in ("dev", "test"):
        (root / f"{split}.jsonl").write_text("")
    with open(root / "train.jsonl", "a", encoding="utf-8") as fh:
        fh.write("{not json\n")
        bad = compiled(id="x01-0001", text=TEXT + " Graustark protested.")  # duplicate id + leak
        fh.write(json.dumps(bad) + "\n")
        wrong_split = compiled(id="x01-0009", scenario="gamma-2018")
        fh.write(json.dumps(wrong_split) + "\n")
    assert main(["--root", str(root), "validate"]) == 1
    err = capsys.readouterr().err
    assert "train.jsonl:2: not JSON" in err
    assert "train.jsonl:3: x01-0001: 'Graustark' is reserved for the test split (ZZZ)" in err
    assert "id 'x01-0001' is used 2 times" in err
    assert "scenario 'gamma-2018' belongs to test, not to train" in err


def test_build_refuses_to_write_when_a_draft_is_broken(tmp_path, capsys):
    root = make_root(tmp_path)
    write(root / "drafts" / "x01.jsonl", [draft(scenario="beta-2017")])  # a dev scenario in a train slice
    assert main(["--root", str(root), "build"]) == 1
    assert not (root / "train.jsonl").exists()
    assert "belongs to dev, not to train" in capsys.readouterr().err


def test_weekday_helper(capsys):
    assert main(["weekday", "2016-03-04", "Tuesday"]) == 0
    assert capsys.readouterr().out.startswith("2016-03-01")
    assert main(["weekday", "2016-03-04", "friday"]) == 0
    assert capsys.readouterr().out.startswith("2016-03-04")


def test_agreement_counts_mirrored_pairs_once():
    def ev(t, s, g, neg=False):
        return {"type": t, "source": {"country": s}, "target": {"country": g}, "negated": neg}
    first = {"a": {"events": [ev("CONSULT", "USA", "RUS"), ev("CONSULT", "RUS", "USA"), ev("ASSAULT", "RUS", "UKR")]},
             "b": {"events": []}}
    second = {"a": {"events": [ev("CONSULT", "RUS", "USA"), ev("ASSAULT", "UKR", "RUS")]},
              "b": {"events": [ev("PROTEST", "FRA", "FRA", neg=True)]}}
    res = agreement(first, second)
    assert res["type"]["f1"] == 1.0  # both types found; the negated event is not counted
    assert res["dyad"]["tp"] == 1 and res["dyad"]["fp"] == 1 and res["dyad"]["fn"] == 1
    assert res["identical_items"] == 1


def test_counts_and_shortfalls():
    items = [compiled(), compiled(id="x01-0002", events=[], tags=["negative"])]
    c = counts({"train": items, "test": [compiled(id="x03-0001")], "articles-train": []})
    assert c["total_items"] == 3 and c["total_events"] == 4
    assert c["negative_share"] == pytest.approx(1 / 3)
    assert c["test_event_share"] == pytest.approx(0.5)
    assert c["type"]["ASSAULT"]["train"] == 2
    miss = shortfalls(c)
    assert any(m.startswith("articles: 0 < 150") for m in miss)
    assert any(m.startswith("type CONCEDE: no event") for m in miss)


def test_build_without_drafts_refuses_instead_of_emptying_the_corpus(tmp_path, capsys):
    root = make_root(tmp_path)
    (root / "train.jsonl").write_text(json.dumps(compiled()) + "\n")
    assert main(["--root", str(root), "build"]) == 2
    assert "no drafts" in capsys.readouterr().err
    assert (root / "train.jsonl").read_text().strip()  # untouched


def test_shelved_scenarios_are_built_into_no_split(tmp_path, capsys):
    """A scenario found to overlap benchmarks/heldout is kept (shelved.jsonl) but never trained on."""
    root = make_root(tmp_path)
    plan = (root / "plan.yaml").read_text().replace(
        "  x01: {split: train, scenarios: [alpha-2016]}",
        "  x01: {split: train, scenarios: [alpha-2016, delta-2019]}")
    (root / "plan.yaml").write_text(plan + 'shelved:\n  delta-2019: "overlaps a heldout scenario"\n')
    write(root / "drafts" / "x01.jsonl", [draft(), draft(id="x01-0002", scenario="delta-2019")])
    assert main(["--root", str(root), "build"]) == 0
    train = [json.loads(ln)["id"] for ln in (root / "train.jsonl").read_text().splitlines()]
    shelf = [json.loads(ln)["id"] for ln in (root / "shelved.jsonl").read_text().splitlines()]
    assert (train, shelf) == (["x01-0001"], ["x01-0002"])
    # a shelved item pasted into a split file is an error that names the reason
    with open(root / "train.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(compiled(id="x01-0003", scenario="delta-2019")) + "\n")
    assert main(["--root", str(root), "validate"]) == 1
    assert "scenario 'delta-2019' is shelved (overlaps a heldout scenario)" in capsys.readouterr().err


def test_a_shelved_scenario_must_belong_to_a_slice(tmp_path):
    root = make_root(tmp_path)
    (root / "plan.yaml").write_text(ROOT_PLAN + 'shelved:\n  omega-2020: "typo"\n')
    with pytest.raises(ValueError, match="shelved scenario omega-2020 is in no slice"):
        load_plan(root)


def test_build_of_one_slice_keeps_the_slices_whose_drafts_are_elsewhere(tmp_path, capsys):
    """Folding one new slice in must not empty the splits of slices with no draft in drafts/."""
    root = make_root(tmp_path)
    write(root / "drafts" / "x01.jsonl", [draft()])
    write(root / "drafts" / "x02.jsonl", [draft(id="x02-0001", scenario="beta-2017")])
    write(root / "drafts" / "x03.jsonl", [draft(id="x03-0001", scenario="gamma-2018")])
    assert main(["--root", str(root), "build"]) == 0
    (root / "drafts" / "x02.jsonl").unlink()
    (root / "drafts" / "x03.jsonl").unlink()
    write(root / "drafts" / "x01.jsonl", [draft(), draft(id="x01-0002", events=[], tags=["negative"])])
    assert main(["--root", str(root), "build"]) == 0
    ids = {split: [json.loads(ln)["id"] for ln in (root / f"{split}.jsonl").read_text().splitlines()]
           for split in ("train", "dev", "test")}
    assert ids == {"train": ["x01-0001", "x01-0002"], "dev": ["x02-0001"], "test": ["x03-0001"]}
    assert "kept 2 compiled rows" in capsys.readouterr().err
