/* allegiance web UI: events, sides and coding over the HTTP API.
 * Every string from the store or the coder is inserted with textContent (never innerHTML). */
"use strict";

const PAGE = 100;
const SIDE_COLOURS = ["#3b6fb6", "#8e5bb5", "#d9822b", "#1f9e9e", "#9c6644", "#c2417d", "#5f7d2e", "#4b4b9c"];
const STANCE_COLOURS = { ally: "#2e9d4a", enemy: "#d62f2f", mixed: "#e0a100", neutral: "#9aa0a6" };
const GREY = "#a3a8ad";

/* -- small DOM and API helpers ---------------------------------------------------------- */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}
const $ = (sel) => document.querySelector(sel);

class ApiError extends Error {}

async function api(path, options) {
  const resp = await fetch(path, options);
  let body = null;
  try { body = await resp.json(); } catch (e) { body = null; }
  if (!resp.ok) {
    const msg = body && (body.message || (typeof body.detail === "string" ? body.detail : null));
    throw new ApiError(msg || `${resp.status} ${resp.statusText}`);
  }
  return { body, headers: resp.headers };
}

function showError(err) {
  const box = $("#error");
  if (!err) { box.hidden = true; box.textContent = ""; return; }
  box.textContent = err.message || String(err);
  box.hidden = false;
}

function actorLabel(a) {
  if (!a) return "—";
  return a.label || a.name || [a.country, a.sector].filter(Boolean).join(" ") || "?";
}
function actorKey(a) { return JSON.stringify([a.name || null, a.country || null, a.sector || null]); }
function placeLabel(p) { return p ? [p.name, p.country].filter(Boolean).join(", ") : ""; }
function flags(rec) { return Object.entries(rec.modality || {}).filter(([, v]) => v).map(([k]) => k); }

/* -- evidence and records --------------------------------------------------------------- */
function triggerSpan(ev) {
  const text = ev.text || "";
  let s = ev.trigger_start - ev.start, e = ev.trigger_end - ev.start;
  if (!(s >= 0 && e <= text.length && s < e && text.slice(s, e) === ev.trigger)) {
    s = text.indexOf(ev.trigger || "\u0000");
    e = s >= 0 ? s + ev.trigger.length : -1;
  }
  return [s, e];
}

function evidenceNode(rec) {
  const ev = rec.evidence || {};
  const text = ev.text || "";
  const [s, e] = triggerSpan(ev);
  const q = el("blockquote", { class: "evidence" });
  if (s < 0) q.append(text);
  else q.append(text.slice(0, s), el("mark", { class: "trigger", title: "trigger" }, text.slice(s, e)), text.slice(e));
  return q;
}

function recordHeading(rec) {
  return el("h3", {}, el("span", { class: `type t-${rec.event_type}` }, rec.event_type),
    rec.mode ? el("span", { class: "mode" }, rec.mode) : null, " ",
    actorLabel(rec.source), " → ", actorLabel(rec.target));
}

function recordMeta(rec) {
  const a = rec.attribution || {};
  const rows = [
    ["date", `${rec.date || "?"} (${rec.date_precision})`],
    ["location", placeLabel(rec.location) || "—"],
    ["certainty", Number(rec.certainty).toFixed(2)],
    ["according to", a.speaker ? `${a.speaker} (${a.kind})` : a.kind],
    ["modality", flags(rec).join(", ") || "factual"],
    ["CAMEO", `${rec.cameo} · Goldstein ${rec.goldstein} · quad ${rec.quad_class}`],
    ["document", `${rec.doc_id}${rec.doc && rec.doc.title ? " — " + rec.doc.title : ""} · sentence ${rec.sentence}`],
  ];
  return el("dl", { class: "meta" }, rows.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
}

function showRecord(box, rec, { withDocument = true } = {}) {
  box.replaceChildren(recordHeading(rec), evidenceNode(rec), recordMeta(rec));
  if (withDocument) {
    const docBox = el("div", { class: "doc-text" });
    const btn = el("button", { type: "button", class: "link", onclick: () => showDocument(docBox, rec) }, "Show the whole document");
    box.append(btn, docBox);
  }
  box.append(el("details", { class: "json" }, el("summary", {}, "Record JSON"),
    el("pre", {}, JSON.stringify(rec, null, 2))));
}

async function showDocument(box, rec) {
  try {
    const { body } = await api(`api/documents/${encodeURIComponent(rec.doc_id).replace(/%2F/g, "/")}`);
    const spans = body.events.map((r) => [r.evidence.trigger_start, r.evidence.trigger_end, r.event_id])
      .filter(([s, e]) => s >= 0 && e <= body.text.length && s < e).sort((x, y) => x[0] - y[0]);
    const p = el("div", { class: "fulltext" });
    let pos = 0;
    for (const [s, e, id] of spans) {
      if (s < pos) continue;
      p.append(body.text.slice(pos, s), el("mark", { class: id === rec.event_id ? "trigger current" : "trigger" }, body.text.slice(s, e)));
      pos = e;
    }
    p.append(body.text.slice(pos));
    box.replaceChildren(el("h4", {}, body.title || body.doc_id, body.published ? ` · ${body.published}` : ""), p);
  } catch (err) { showError(err); }
}

/* -- event tables ----------------------------------------------------------------------- */
const COLUMNS = ["date", "type", "mode", "source", "target", "location", "certainty", "according to"];

function renderTable(table, recs, detail, { stored = true } = {}) {
  const head = el("thead", {}, el("tr", {}, COLUMNS.map((c) => el("th", { scope: "col" }, c))));
  const body = el("tbody");
  for (const rec of recs) {
    const a = rec.attribution || {};
    const mods = flags(rec);
    const tr = el("tr", { tabindex: 0, dataset: { eventId: rec.event_id } },
      el("td", { class: "nowrap" }, rec.date || ""),
      el("td", {}, el("span", { class: `type t-${rec.event_type}` }, rec.event_type),
        mods.map((m) => el("span", { class: "badge" }, m))),
      el("td", {}, rec.mode || ""),
      el("td", {}, actorLabel(rec.source)),
      el("td", {}, actorLabel(rec.target)),
      el("td", {}, placeLabel(rec.location)),
      el("td", { class: "num" }, Number(rec.certainty).toFixed(2)),
      el("td", {}, a.speaker || (a.kind === "author" ? "" : a.kind)));
    const select = () => {
      table.querySelectorAll("tr.selected").forEach((r) => r.classList.remove("selected"));
      tr.classList.add("selected");
      showRecord(detail, rec, { withDocument: stored });
    };
    tr.addEventListener("click", select);
    tr.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); select(); } });
    body.append(tr);
  }
  if (!recs.length) body.append(el("tr", {}, el("td", { colspan: COLUMNS.length, class: "empty" }, "No events.")));
  table.replaceChildren(head, body);
}

const eventsState = { offset: 0, total: 0 };

function eventQuery() {
  const f = new FormData($("#event-filters"));
  const q = new URLSearchParams();
  for (const k of ["actor", "type", "since", "until"]) if (f.get(k)) q.set(k, f.get(k));
  if (f.get("factual")) q.set("factual", "true");
  q.set("limit", PAGE);
  q.set("offset", eventsState.offset);
  return q;
}

async function loadEvents() {
  try {
    const { body, headers } = await api(`api/events?${eventQuery()}`);
    showError(null);
    eventsState.total = Number(headers.get("X-Total-Count") || body.length);
    renderTable($("#events-table"), body, $("#event-detail"));
    const first = body.length ? eventsState.offset + 1 : 0;
    $("#events-count").textContent = `${first}–${eventsState.offset + body.length} of ${eventsState.total} events`;
    $("#events-prev").disabled = eventsState.offset === 0;
    $("#events-next").disabled = eventsState.offset + body.length >= eventsState.total;
  } catch (err) { showError(err); }
}

/* -- sides ------------------------------------------------------------------------------ */
let cy = null;
let sidesLoaded = false;

function sidesQuery() {
  const f = new FormData($("#sides-form"));
  const q = new URLSearchParams();
  for (const k of ["since", "until", "level", "half_life"]) if (f.get(k)) q.set(k, f.get(k));
  return q;
}

function graphElements(report, withInferred) {
  const nodes = new Map();
  const add = (actor, extra) => {
    const key = actorKey(actor);
    if (!nodes.has(key)) nodes.set(key, { id: `n${nodes.size}`, label: actorLabel(actor), actor, colour: GREY, ...extra });
    return nodes.get(key);
  };
  report.sides.forEach((side, i) => side.members.forEach((m) =>
    add(m.actor, { side: side.id, confidence: m.confidence, colour: SIDE_COLOURS[i % SIDE_COLOURS.length] })));
  report.unaligned.forEach((u) => add(u.actor, { role: u.role }));
  const edges = [];
  report.stances.forEach((st, i) => {
    if (!st.direct && !withInferred) return;
    const a = add(st.a, { role: "unaligned" }), b = add(st.b, { role: "unaligned" });
    edges.push({ data: { id: `e${i}`, source: a.id, target: b.id, stance: st.stance, direct: st.direct,
      colour: STANCE_COLOURS[st.stance] || GREY, width: 1.5 + 5 * Math.min(1, Math.abs(st.score)), index: i } });
  });
  return [...[...nodes.values()].map((n) => ({ data: n })), ...edges];
}

function drawGraph(report) {
  const withInferred = new FormData($("#sides-form")).get("inferred") === "on";
  if (cy) cy.destroy();
  cy = cytoscape({
    container: $("#graph"),
    elements: graphElements(report, withInferred),
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: { "background-color": "data(colour)", label: "data(label)", color: "#1d2329",
        "font-size": 12, "text-valign": "bottom", "text-margin-y": 5, width: 26, height: 26,
        "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 2,
        "border-width": 2, "border-color": "#ffffff", "min-zoomed-font-size": 8 } },
      { selector: "node[role = 'mediator']", style: { shape: "diamond" } },
      { selector: "edge", style: { "line-color": "data(colour)", width: "data(width)", "curve-style": "bezier", opacity: 0.85 } },
      { selector: "edge[!direct]", style: { "line-style": "dashed", opacity: 0.45 } },
      // hubs and the focused neighbourhood keep a readable label at any zoom
      { selector: "node.hub, node.focus", style: { "min-zoomed-font-size": 0, "z-index": 10,
        "font-size": (ele) => Math.max(12, 12 / ele.cy().zoom()) } },
      { selector: "node.hub", style: { "font-weight": "bold" } },
      { selector: ".faded", style: { opacity: 0.12 } },
      { selector: ":selected", style: { "border-color": "#1d2329", "border-width": 3, "overlay-opacity": 0.12, "overlay-color": "#1d2329" } },
    ],
    layout: { name: "circle", padding: 30 },
  });
  if (report.stances.length) {  // from the circle, so the same report always gives the same picture
    const big = cy.nodes().length > 30;
    cy.layout({ name: "cose", animate: false, randomize: false, nodeRepulsion: () => (big ? 250000 : 60000),
      idealEdgeLength: () => 100, gravity: big ? 0.3 : 1, numIter: 2500, nodeDimensionsIncludeLabels: !big,
      componentSpacing: 50, padding: 40 }).run();
  }
  if (cy.zoom() > 1.5) { cy.zoom(1.5); cy.center(); }
  cy.nodes().filter((n) => n.degree() >= 6).addClass("hub");
  const relabel = () => cy.nodes(".hub, .focus").updateStyle();
  cy.on("zoom", relabel);
  relabel();
  const focus = (ele) => {  // an actor or stance and its neighbourhood stand out, the rest fades
    cy.elements().removeClass("focus").addClass("faded");
    const near = ele.isNode() ? ele.closedNeighborhood() : ele.union(ele.connectedNodes());
    near.removeClass("faded").addClass("focus");
    relabel();
  };
  cy.on("tap", (evt) => { if (evt.target === cy) cy.elements().removeClass("faded focus"); });
  cy.on("tap", "node, edge", (evt) => focus(evt.target));
  cy.on("tap", "edge", (evt) => showStance(report.stances[evt.target.data("index")]));
  cy.on("tap", "node", (evt) => showActor(report, evt.target.data()));
  window.allegianceCy = cy;
  window.allegianceSides = report;
}

async function showStance(st) {
  const box = $("#edge-detail");
  box.replaceChildren(...[
    el("h3", {}, actorLabel(st.a), " — ", actorLabel(st.b)),
    el("p", {}, el("span", { class: `stance s-${st.stance}` }, st.stance),
      ` score ${st.score} · ${st.events} event(s) · ${st.direct ? "direct" : "inferred"}`,
      st.relation ? ` · ${st.relation.replace("_", " ")}` : ""),
    st.basis ? el("p", { class: "muted" }, st.basis) : null].filter(Boolean));
  const list = el("ol", { class: "evidence-list" });
  box.append(list);
  if (!st.evidence.length) { list.replaceWith(el("p", { class: "muted" }, "No direct events: inferred from side membership.")); return; }
  const recs = await Promise.all(st.evidence.map((id) => api(`api/events/${encodeURIComponent(id)}`).then((r) => r.body, () => null)));
  recs.forEach((rec, i) => {
    if (!rec) { list.append(el("li", { class: "muted" }, `event ${st.evidence[i]} not found`)); return; }
    list.append(el("li", {}, el("div", { class: "ev-meta" }, el("span", { class: `type t-${rec.event_type}` }, rec.event_type),
      ` ${actorLabel(rec.source)} → ${actorLabel(rec.target)} · ${rec.date} · ${rec.doc_id}`), evidenceNode(rec)));
  });
}

function showActor(report, node) {
  const box = $("#edge-detail");
  const key = actorKey(node.actor);
  const mine = report.stances.filter((s) => s.direct && (actorKey(s.a) === key || actorKey(s.b) === key));
  box.replaceChildren(el("h3", {}, node.label),
    el("p", {}, node.side !== undefined ? `side ${node.side + 1}, confidence ${node.confidence}` : node.role || "unaligned"),
    el("ul", { class: "stance-list" }, mine.map((s) => el("li", {},
      el("button", { type: "button", class: "link", onclick: () => showStance(s) },
        el("span", { class: `stance s-${s.stance}` }, s.stance), " ",
        actorKey(s.a) === key ? actorLabel(s.b) : actorLabel(s.a), ` (${s.score})`)))));
}

function renderSideList(report) {
  const box = $("#side-list");
  box.replaceChildren(el("h3", {}, "Sides"));
  if (!report.sides.length && !report.unaligned.length) box.append(el("p", { class: "muted" }, "No actors in this window."));
  report.sides.forEach((side, i) => {
    const colour = SIDE_COLOURS[i % SIDE_COLOURS.length];
    const members = [...side.members].sort((a, b) => b.confidence - a.confidence);
    box.append(el("div", { class: "side" }, el("h4", {}, el("i", { class: "dot", style: null, dataset: { colour } }), `Side ${side.id + 1}`),
      el("ul", {}, members.map((m) => el("li", {}, el("span", {}, actorLabel(m.actor)),
        el("span", { class: "conf", title: "membership confidence" },
          el("span", { class: "bar", dataset: { w: m.confidence } }), Number(m.confidence).toFixed(2)))))));
  });
  if (report.unaligned.length) {
    box.append(el("div", { class: "side" }, el("h4", {}, el("i", { class: "dot grey" }), "Unaligned"),
      el("ul", {}, report.unaligned.map((u) => el("li", {}, el("span", {}, actorLabel(u.actor)), el("span", { class: "muted" }, u.role))))));
  }
  // colours and bar widths through the CSSOM (no inline style attributes)
  box.querySelectorAll("i.dot[data-colour]").forEach((d) => { d.style.backgroundColor = d.dataset.colour; });
  box.querySelectorAll(".bar[data-w]").forEach((b) => { b.style.width = `${Math.round(40 * Number(b.dataset.w))}px`; });
}

async function loadSides() {
  try {
    const { body } = await api(`api/sides?${sidesQuery()}`);
    showError(null);
    sidesLoaded = true;
    const w = body.window || {};
    $("#sides-meta").textContent = `${body.level} level · ${w.since || "…"} to ${w.until || "…"} · frustration ${body.frustration}`;
    renderSideList(body);
    drawGraph(body);
  } catch (err) { showError(err); }
}

/* -- coding ------------------------------------------------------------------------------ */
async function codeText(evt) {
  evt.preventDefault();
  const f = new FormData($("#code-form"));
  const payload = { text: f.get("text") || "" };
  if (f.get("date")) payload.date = f.get("date");
  if (f.get("title")) payload.title = f.get("title");
  const status = $("#code-status");
  status.textContent = "coding… (the first request loads the language model)";
  const t0 = performance.now();
  try {
    const { body } = await api("api/code", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) });
    showError(null);
    status.textContent = `${body.length} event(s) in ${((performance.now() - t0) / 1000).toFixed(1)} s (not stored)`;
    renderTable($("#code-table"), body, $("#code-detail"), { stored: false });
  } catch (err) { status.textContent = ""; showError(err); }
}

/* -- tabs and start-up ------------------------------------------------------------------- */
function showTab(name) {
  if (!["events", "sides", "code"].includes(name)) name = "events";
  document.querySelectorAll("[role=tab]").forEach((t) => t.setAttribute("aria-selected", String(t.dataset.tab === name)));
  document.querySelectorAll(".panel").forEach((p) => { p.hidden = p.id !== `panel-${name}`; });
  if (name === "sides") { if (!sidesLoaded) loadSides(); else if (cy) { cy.resize(); } }
  if (location.hash !== `#${name}`) history.replaceState(null, "", `#${name}`);
}

async function loadHealth() {
  try {
    const { body } = await api("api/health");
    $("#status").textContent = `${body.store} · ${body.documents} documents · ${body.events} events · v${body.version}`;
  } catch (err) { $("#status").textContent = "store unavailable"; showError(err); }
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[role=tab]").forEach((t) => t.addEventListener("click", () => showTab(t.dataset.tab)));
  $("#event-filters").addEventListener("submit", (e) => { e.preventDefault(); eventsState.offset = 0; loadEvents(); });
  $("#event-filters").addEventListener("reset", () => setTimeout(() => { eventsState.offset = 0; loadEvents(); }));
  $("#events-prev").addEventListener("click", () => { eventsState.offset = Math.max(0, eventsState.offset - PAGE); loadEvents(); });
  $("#events-next").addEventListener("click", () => { eventsState.offset += PAGE; loadEvents(); });
  $("#sides-form").addEventListener("submit", (e) => { e.preventDefault(); loadSides(); });
  $("#code-form").addEventListener("submit", codeText);
  window.addEventListener("hashchange", () => showTab(location.hash.slice(1)));
  loadHealth();
  loadEvents();
  showTab(location.hash.slice(1) || "events");
});
