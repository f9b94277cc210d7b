"""The web UI in a real headless Chromium (Debian's /usr/bin/chromium) against a live uvicorn server."""
from __future__ import annotations

import json
import re
import socket
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from tests.test_api import DOCS, build_store

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
GREEN, RED = "rgb(46,157,74)", "rgb(214,47,47)"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, coder):
    import uvicorn

    from allegiance.api import create_app

    path = tmp_path_factory.mktemp("ui") / "store.duckdb"
    coded = build_store(path, coder)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(path, coder=coder), host="127.0.0.1", port=port,
                                        log_level="warning", lifespan="off"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}/"
    yield SimpleNamespace(url=base, coded=coded, records=[r for recs in coded.values() for r in recs],
                          api=lambda p, **kw: httpx.get(base + p, params=kw, timeout=30).json())
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("the web UI tests need Debian's chromium at /usr/bin/chromium: install it "
                    "(`apt-get install chromium`; `make test` installs it)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


def _page(browser, server, **context_options):
    """A page that may only reach the test server; its console errors and outside requests are kept."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, **context_options)
    page = context.new_page()
    page.problems = []
    local = server.url.rstrip("/")

    def guard(route):
        if route.request.url.startswith(local):
            route.continue_()
        else:
            page.problems.append(f"outside request {route.request.url}")
            route.abort()

    context.route("**/*", guard)
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def page(browser, server):
    context, page = _page(browser, server)  # Content-Security-Policy on, as users get it
    yield page
    problems = page.problems
    context.close()
    assert problems == []


def test_events_table_filters_and_evidence(page, server):
    from playwright.sync_api import expect

    recs = server.records
    page.goto(server.url)
    rows = page.locator("#events-table tbody tr")
    expect(rows).to_have_count(len(recs))
    expect(page.locator("#status")).to_contain_text(f"4 documents · {len(recs)} events")
    page.select_option("select[name=type]", "ASSAULT")
    page.click("#filters button[type=submit]")
    assaults = [r for r in recs if r["event_type"] == "ASSAULT"]
    assert 0 < len(assaults) < len(recs)
    expect(rows).to_have_count(len(assaults))
    assert all(t.startswith("ASSAULT") for t in rows.locator("td:nth-child(2)").all_inner_texts())
    page.check("input[name=factual]")
    page.click("#filters button[type=submit]")
    factual = [r for r in assaults if not (r["modality"]["negated"] or r["modality"]["hypothetical"])]
    assert len(factual) < len(assaults)  # the denied bombing goes
    expect(rows).to_have_count(len(factual))
    page.click("#filters button[type=reset]")
    expect(rows).to_have_count(len(recs))
    page.fill("input[name=actor]", "IRN")
    page.press("input[name=actor]", "Enter")
    iran = server.api("api/events", actor="IRN", limit=1000)
    expect(rows).to_have_count(len(iran))
    rec = next(r for r in iran if r["event_type"] == "SANCTION")
    row = page.locator(f"#events-table tr[data-event-id='{rec['event_id']}']")
    assert row.locator("td").all_inner_texts()[:5] == [rec["date"], "SANCTION", rec["mode"] or "", "United States", "Iran"]
    row.click()
    detail = page.locator("#event-detail")
    ev = rec["evidence"]
    expect(detail.locator("blockquote.evidence")).to_have_text(ev["text"])
    expect(detail.locator("blockquote.evidence mark.trigger")).to_have_text(ev["trigger"])
    before = detail.locator("blockquote.evidence").evaluate("q => q.firstChild.textContent")
    assert before == ev["text"][: ev["trigger_start"] - ev["start"]]  # the mark sits on the trigger's offsets
    assert json.loads(detail.locator("details.json pre").text_content()) == rec
    assert not any(w in detail.inner_text() for w in ("null", "undefined", "[object"))
    detail.get_by_text("Show the whole document").click()
    expect(detail.locator(".fulltext")).to_contain_text("Iran accused the United States")
    expect(detail.locator(".fulltext mark.current")).to_have_text(ev["trigger"])
    page.screenshot(path="/tmp/allegiance-ui-events.png")


def test_sides_network_and_edge_evidence(page, server):
    from playwright.sync_api import expect

    report = server.api("api/sides")
    page.goto(server.url + "#sides")
    page.wait_for_function("() => window.allegianceCy && window.allegianceCy.nodes().length > 0")
    nodes = page.evaluate("allegianceCy.nodes().map(n => ({label: n.data('label'), side: n.data('side'), "
                          "colour: n.style('background-color')}))")
    labels = {n["label"] for n in nodes}
    expected = {m["actor"]["label"] for s in report["sides"] for m in s["members"]}
    expected |= {u["actor"]["label"] for u in report["unaligned"]}
    assert labels == expected and {"Iran", "United States", "Germany", "Russia", "Ukraine"} <= labels
    colour_of_side = {}
    for n in nodes:  # one colour per side, distinct between sides
        colour_of_side.setdefault(n["side"], set()).add(n["colour"])
    assert all(len(c) == 1 for c in colour_of_side.values())
    assert len({next(iter(c)) for c in colour_of_side.values()}) == len(colour_of_side)
    edges = page.evaluate("allegianceCy.edges().map(e => ({id: e.id(), a: e.source().data('label'), "
                          "b: e.target().data('label'), stance: e.data('stance'), colour: e.style('line-color')}))")
    direct = [s for s in report["stances"] if s["direct"]]
    assert len(edges) == len(direct)
    assert all(e["colour"].replace(" ", "") == {"ally": GREEN, "enemy": RED}[e["stance"]]
               for e in edges if e["stance"] in ("ally", "enemy"))
    edge = next(e for e in edges if {e["a"], e["b"]} == {"Iran", "United States"})
    assert edge["stance"] == "enemy"
    # a real mouse click on the edge, at a point of it that no node covers (the layout may put a
    # third node on the edge's middle)
    box = page.locator("#graph").bounding_box()
    mid = page.evaluate(f"""() => {{
        const e = allegianceCy.getElementById('{edge['id']}');
        const a = e.renderedSourceEndpoint(), b = e.renderedTargetEndpoint();
        const free = p => allegianceCy.nodes().every(n => {{
            const q = n.renderedPosition(), r = Math.max(n.renderedWidth(), n.renderedHeight()) / 2 + 4;
            return Math.hypot(p.x - q.x, p.y - q.y) > r; }});
        for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) {{
            const p = {{x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y)}};
            if (free(p)) return p;
        }}
        return e.renderedMidpoint();
    }}""")
    page.mouse.click(box["x"] + mid["x"], box["y"] + mid["y"])
    detail = page.locator("#edge-detail")
    expect(detail.locator("h3")).to_contain_text("Iran")
    expect(detail.locator(".stance")).to_have_text("enemy")
    stance = next(s for s in direct if {s["a"]["label"], s["b"]["label"]} == {"Iran", "United States"})
    by_id = {r["event_id"]: r for r in server.records}
    quotes = detail.locator("blockquote.evidence")
    expect(quotes).to_have_count(len(stance["evidence"]))
    assert quotes.all_text_contents() == [by_id[i]["evidence"]["text"] for i in stance["evidence"]]
    assert not {"null", "undefined", "[object"} & set(detail.inner_text().replace("\n", " ").split())
    side_list = page.locator("#side-list")
    expect(side_list.locator(".side")).to_have_count(len(report["sides"]) + bool(report["unaligned"]))
    expect(side_list).to_contain_text("Germany")
    page.screenshot(path="/tmp/allegiance-ui-sides.png")


def test_code_tab_codes_a_typed_text(page, server):
    from playwright.sync_api import expect

    text = "Kenyan police arrested twelve protesters in Nairobi on Monday. Ghana and Togo held talks in Accra."
    page.goto(server.url)
    page.click("#tab-code")
    page.fill("textarea[name=text]", text)
    page.fill("input[name=date]", "2024-04-02")
    page.click("#code-form button[type=submit]")
    rows = page.locator("#code-table tbody tr")
    expect(page.locator("#code-status")).to_contain_text("event(s)")
    expected = httpx.post(server.url + "api/code", json={"text": text, "date": "2024-04-02"}, timeout=30).json()
    assert {r["event_type"] for r in expected} >= {"COERCE", "CONSULT"}
    expect(rows).to_have_count(len(expected))
    assert rows.locator("td:nth-child(2)").all_inner_texts() == [r["event_type"] for r in expected]
    rows.first.click()
    expect(page.locator("#code-detail mark.trigger")).to_have_text(expected[0]["evidence"]["trigger"])
    expect(page.locator("#code-detail")).not_to_contain_text("Show the whole document")  # not stored
    assert server.api("api/health")["events"] == len(server.records)  # coding stored nothing
    page.screenshot(path="/tmp/allegiance-ui-code.png")


def test_hostile_html_is_shown_as_text_and_never_runs(browser, server):
    from playwright.sync_api import expect

    # CSP bypassed: the escaping itself is under test, not the browser's policy
    context, page = _page(browser, server, bypass_csp=True)
    try:
        page.goto(server.url)
        rec = server.coded["news/hostile-4"][0]
        page.click(f"#events-table tr[data-event-id='{rec['event_id']}']")
        detail = page.locator("#event-detail")
        expect(detail.locator("blockquote.evidence")).to_contain_text('<img src=x onerror="window.__pwned=3">')
        expect(detail.locator("dl.meta")).to_contain_text("<script>window.__pwned=1</script>Warsaw arrests")
        detail.get_by_text("Show the whole document").click()
        expect(detail.locator(".fulltext")).to_contain_text("<script>window.__pwned=2</script>")
        expect(detail.locator("h4")).to_contain_text("<script>window.__pwned=1</script>")
        page.click("#tab-code")
        page.fill("textarea[name=text]", DOCS[3].text)
        page.fill("input[name=title]", '<img src=x onerror="window.__pwned=4">')
        page.click("#code-form button[type=submit]")
        page.locator("#code-table tbody tr").first.click()
        expect(page.locator("#code-detail blockquote.evidence")).to_contain_text("<img src=x")
        page.wait_for_timeout(300)  # give an injected onerror handler time to fire
        assert page.evaluate("window.__pwned") is None
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert page.evaluate("document.scripts.length") == 2  # cytoscape and app.js only
        assert page.problems == []
        # control: in this page, markup that does get parsed as HTML would run and set the flag
        page.evaluate("""() => document.body.insertAdjacentHTML('beforeend', '<img src=x onerror="window.__pwned=9">')""")
        page.wait_for_function("() => window.__pwned === 9")
    finally:
        context.close()


def test_api_docs_render_offline(page, server):
    from playwright.sync_api import expect

    page.goto(server.url + "docs")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    paths = set(page.locator(".opblock-summary-path").all_inner_texts())
    assert {"/api/events", "/api/sides", "/api/code"} <= {p.replace("\u200b", "") for p in paths}
    page.screenshot(path="/tmp/allegiance-ui-docs.png")


# -- issue 14: map, timeline, stories, filters in the URL, fcose network ------------------------
def _loaded(page):
    page.wait_for_selector("body[data-loaded=true]", state="attached")


def _located(server) -> list[dict]:
    return server.api("api/events", bbox="-180,-90,180,90", limit=1000)


def test_map_markers_cluster_and_open_their_evidence(page, server):
    from playwright.sync_api import expect

    located = _located(server)
    assert {r["location"]["name"] for r in located} >= {"Paris", "Warsaw", "Idlib"}
    assert len(located) < len(server.records)  # events without coordinates stay off the map
    page.goto(server.url + "#map")
    _loaded(page)
    expect(page.locator("#map path.country")).to_have_count(177)  # world-atlas 110m countries
    markers = page.locator("#map g.marker")
    counts = [int(c) for c in markers.evaluate_all("ms => ms.map(m => m.dataset.count)")]
    assert sum(counts) == len(located) and len(counts) < len(located)  # every event once, some clustered
    quads = {str(r["quad_class"]) for r in located}
    assert set(markers.evaluate_all("ms => ms.map(m => m.dataset.quad)")) <= quads
    cluster = page.locator("#map g.marker.cluster").first
    n = int(cluster.get_attribute("data-count"))
    cluster.click()
    items = page.locator("#map-detail ol.evidence-list > li")
    expect(items).to_have_count(n)
    by_id = {r["event_id"]: r for r in located}
    for i in range(n):
        rec = by_id[items.nth(i).get_attribute("data-event-id")]
        assert items.nth(i).locator("blockquote.evidence").text_content() == rec["evidence"]["text"]
        assert rec["date"] in items.nth(i).locator(".ev-meta").text_content()
    expect(page.locator("#map-detail h3")).to_have_text(f"{n} event(s)")
    # zooming in splits clusters; every event is still shown once
    before = markers.count()
    for _ in range(6):
        page.click("#map-zoom-in")
    after = [int(c) for c in markers.evaluate_all("ms => ms.map(m => m.dataset.count)")]
    assert len(after) >= before
    page.click("#map-zoom-reset")
    assert sum(int(c) for c in markers.evaluate_all("ms => ms.map(m => m.dataset.count)")) == len(located)


def test_timeline_selection_sets_the_dates_the_table_and_map_obey(page, server):
    from playwright.sync_api import expect

    page.goto(server.url + "#timeline")
    _loaded(page)
    days = page.locator("#timeline g.day")
    per_day = {}
    for r in server.records:
        if r["date"]:
            per_day[r["date"]] = per_day.get(r["date"], 0) + 1
    got = dict(days.evaluate_all("gs => gs.map(g => [g.dataset.date, Number(g.dataset.count)])"))
    assert got == per_day
    dates = sorted(per_day)
    a, b = dates[1], dates[2]
    box_a = page.locator(f"#timeline g.day[data-date='{a}']").bounding_box()
    box_b = page.locator(f"#timeline g.day[data-date='{b}']").bounding_box()
    y = box_a["y"] + box_a["height"] - 2
    page.mouse.move(box_a["x"] + box_a["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(box_b["x"] + box_b["width"] / 2, y, steps=5)
    page.mouse.up()
    expect(page).to_have_url(re.compile(rf"since={a}&until={b}"))
    _loaded(page)
    assert page.input_value("input[name=since]") == a and page.input_value("input[name=until]") == b
    page.click("#tab-events")
    _loaded(page)
    window = server.api("api/events", since=a, until=b, limit=1000)
    assert 0 < len(window) < len(server.records)
    rows = page.locator("#events-table tbody tr")
    expect(rows).to_have_count(len(window))
    assert rows.evaluate_all("rs => rs.map(r => r.dataset.eventId)") == [r["event_id"] for r in window]
    page.click("#tab-map")
    _loaded(page)
    shown = sum(int(c) for c in page.locator("#map g.marker").evaluate_all("ms => ms.map(m => m.dataset.count)"))
    assert shown == len([r for r in window if r["location"] and r["location"]["lat"] is not None])
    # a click on one day selects that day
    page.click("#tab-timeline")
    _loaded(page)
    page.locator(f"#timeline g.day[data-date='{a}'] rect").first.click(force=True)
    expect(page).to_have_url(re.compile(rf"since={a}&until={a}"))


def test_filters_are_kept_in_the_url_across_a_reload(page, server):
    from playwright.sync_api import expect

    page.goto(server.url + "#events")
    _loaded(page)
    page.select_option("select[name=type]", "ASSAULT")
    page.check("input[name=factual]")
    page.fill("input[name=since]", "2024-03-01")
    page.click("#filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"\?type=ASSAULT&since=2024-03-01&factual=true#events$"))
    expected = server.api("api/events", type="ASSAULT", since="2024-03-01", factual="true")
    assert expected
    page.reload()
    _loaded(page)
    assert page.input_value("select[name=type]") == "ASSAULT" and page.is_checked("input[name=factual]")
    assert page.input_value("input[name=since]") == "2024-03-01"
    rows = page.locator("#events-table tbody tr")
    expect(rows).to_have_count(len(expected))
    assert rows.evaluate_all("rs => rs.map(r => r.dataset.eventId)") == [r["event_id"] for r in expected]
    assert page.get_attribute("#download-csv", "href") == "api/events.csv?type=ASSAULT&since=2024-03-01&factual=true"
    page.go_back()  # the unfiltered address: the form and the table follow it
    _loaded(page)
    expect(rows).to_have_count(len(server.records))
    assert page.input_value("select[name=type]") == ""


def test_stories_table_lists_stories_with_counts_and_records(page, server):
    from playwright.sync_api import expect

    stories = server.api("api/stories", limit=1000)
    assert stories
    page.goto(server.url + "#stories")
    _loaded(page)
    rows = page.locator("#stories-table tbody tr")
    expect(rows).to_have_count(len(stories))
    for i, st in enumerate(stories):
        cells = rows.nth(i).locator("td").all_inner_texts()
        assert cells[1] == st["event_type"]
        assert cells[5:8] == [str(st["num_mentions"]), str(st["num_articles"]), str(st["num_sources"])]
    st = max(stories, key=lambda s: (len(s["event_ids"]), s["story_id"]))
    page.click(f"#stories-table tr[data-story-id='{st['story_id']}']")
    detail = page.locator("#story-detail")
    items = detail.locator("ol.evidence-list > li")
    expect(items).to_have_count(len(st["event_ids"]))
    assert items.evaluate_all("ls => ls.map(l => l.dataset.eventId)") == st["event_ids"]
    by_id = {r["event_id"]: r for r in server.records}
    assert items.locator("blockquote.evidence").all_text_contents() == [by_id[i]["evidence"]["text"] for i in st["event_ids"]]
    expect(detail.locator("dl.meta")).to_contain_text(f"{st['num_mentions']} mention(s) in {st['num_articles']} article(s)")


def test_sides_network_is_laid_out_by_fcose_without_label_overlaps(page, server):
    page.goto(server.url + "#sides")
    _loaded(page)
    assert page.evaluate("() => window.allegianceLayout") == "fcose"
    boxes = page.evaluate("() => allegianceCy.nodes().map(n => n.boundingBox({includeLabels: true, includeOverlays: false}))")
    assert len(boxes) >= 8
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            overlap = min(a["x2"], b["x2"]) > max(a["x1"], b["x1"]) and min(a["y2"], b["y2"]) > max(a["y1"], b["y1"])
            assert not overlap, (a, b)


def test_hostile_text_in_map_and_stories_is_shown_as_text(browser, server):
    from playwright.sync_api import expect

    context, page = _page(browser, server, bypass_csp=True)
    try:
        rec = server.coded["news/hostile-4"][0]
        assert rec["location"]["name"] == "Warsaw"
        page.goto(server.url + "#map")
        _loaded(page)
        warsaw = page.locator("#map g.marker", has=page.locator("title", has_text="Warsaw"))
        warsaw.click()
        quote = page.locator(f"#map-detail li[data-event-id='{rec['event_id']}'] blockquote.evidence")
        expect(quote).to_contain_text('<img src=x onerror="window.__pwned=3">')
        page.click("#tab-stories")
        _loaded(page)
        row = page.locator("#stories-table tbody tr", has_text="<img src=x")
        expect(row).to_have_count(1)
        row.click()
        expect(page.locator("#story-detail blockquote.evidence")).to_contain_text("<img src=x")
        page.click("#tab-timeline")
        _loaded(page)
        page.wait_for_timeout(300)  # give an injected onerror handler time to fire
        assert page.evaluate("window.__pwned") is None
        assert page.evaluate("document.querySelectorAll('img, script:not([src])').length") == 0
        assert page.problems == []
    finally:
        context.close()


def test_page_says_when_its_data_has_loaded(page, server):
    for tab in ("map", "timeline", "events", "stories", "sides"):
        page.goto(server.url + f"?actor=IRN#{tab}")
        _loaded(page)
        assert page.get_attribute(f"#panel-{tab}", "data-ready") == "true"
        assert "loading" not in page.inner_text("#status")
        page.goto("about:blank")


def test_theatre_picker_changes_the_network_and_is_kept_in_the_url(page, server):
    theatres = [t for t in server.api("api/theatres") if t["code"]]
    assert len(theatres) >= 2
    page.goto(server.url + "#sides")
    _loaded(page)
    page.wait_for_function("() => window.allegianceCy && window.allegianceCy.nodes().length > 0")
    options = page.locator("#theatre-select option")
    assert options.count() == len(theatres) + 1 and options.first.inner_text() == "all theatres"
    everything = page.evaluate("() => allegianceCy.nodes().length")
    code = theatres[0]["code"]
    page.select_option("#theatre-select", code)
    page.wait_for_function(f"() => window.allegianceSides && window.allegianceSides.theatre && "
                           f"window.allegianceSides.theatre.code === '{code}'")
    page.wait_for_function(f"() => allegianceCy.nodes().length !== {everything}")
    report = server.api("api/sides", theatre=code)
    labels = set(page.evaluate("() => allegianceCy.nodes().map(n => n.data('label'))"))
    assert labels == {m["actor"]["label"] for s in report["sides"] for m in s["members"]} | \
        {u["actor"]["label"] for u in report["unaligned"]}
    assert f"theatre={code}" in page.url
    page.reload()
    _loaded(page)
    page.wait_for_function(f"() => window.allegianceSides && window.allegianceSides.theatre && "
                           f"window.allegianceSides.theatre.code === '{code}'")
    assert page.locator("#theatre-select").input_value() == code
    page.screenshot(path="/tmp/allegiance-ui-theatre.png")
