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

/* -- shared filters, kept in the URL query string ---------------------------------------- */
const FILTER_KEYS = ["actor", "type", "since", "until", "min_certainty", "factual"];

function filtersFromForm() {
  const f = new FormData($("#filters"));
  const q = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = k === "factual" ? (f.get(k) ? "true" : "") : (f.get(k) || "").trim();
    if (v) q.set(k, v);
  }
  return q;
}

function formFromUrl() {
  const q = new URLSearchParams(location.search);
  const form = $("#filters");
  for (const k of FILTER_KEYS) {
    const input = form.elements[k];
    if (k === "factual") input.checked = q.get(k) === "true";
    else input.value = q.get(k) || "";
  }
}

/* the filters in force: the URL's (the form is written from it on load and on back/forward) */
function filterParams(extra) {
  const q = new URLSearchParams(location.search);
  const out = new URLSearchParams();
  for (const k of FILTER_KEYS) if (q.get(k)) out.set(k, q.get(k));
  for (const [k, v] of Object.entries(extra || {})) out.set(k, v);
  return out;
}

function applyFilters() {
  const kept = filtersFromForm();
  const theatre = new URLSearchParams(location.search).get("theatre");  // the sides view's own choice
  if (theatre) kept.set("theatre", theatre);
  const q = kept.toString();
  if (q !== location.search.replace(/^\?/, "")) history.pushState(null, "", `${location.pathname}${q ? "?" + q : ""}${location.hash}`);
  eventsState.offset = 0;
  storiesState.offset = 0;
  refresh();
}

function setDates(since, until) {
  const form = $("#filters");
  form.elements.since.value = since || "";
  form.elements.until.value = until || "";
  applyFilters();
}

/* every view loads for one filter; `ready` marks a view drawn for the filters in force */
const views = {};
function register(name, load) { views[name] = { load, key: null, pending: null }; }

async function ensure(name) {
  const view = views[name];
  const panel = $(`#panel-${name}`);
  const key = filterParams().toString() + (view.extraKey ? view.extraKey() : "");
  if (view.key === key && !view.dirty) return;
  if (view.pending && view.pendingKey === key) return view.pending;
  panel.dataset.ready = "false";
  view.pendingKey = key;
  view.pending = (async () => {
    try { await view.load(); showError(null); } catch (err) { showError(err); }
    view.key = key;
    view.dirty = false;
    view.pending = null;
    panel.dataset.ready = "true";
  })();
  return view.pending;
}

let activeTab = "events";
async function refresh() {
  document.body.dataset.loaded = "false";
  const note = filterParams().toString();
  $("#filter-note").textContent = note ? "filters are in the address: bookmark or share it" : "";
  $("#download-csv").href = `api/events.csv?${filterParams()}`;
  $("#download-parquet").href = `api/events.parquet?${filterParams()}`;
  await Promise.all([healthLoaded, ensure(activeTab)]);
  document.body.dataset.loaded = "true";
}

/* fetch up to `cap` events of a query, 1000 at a time; RETURNS {records, total} */
async function fetchEvents(extra, cap) {
  const records = [];
  let total = 0;
  for (let offset = 0; offset < cap; offset += 1000) {
    const { body, headers } = await api(`api/events?${filterParams({ ...extra, limit: Math.min(1000, cap - offset), offset })}`);
    total = Number(headers.get("X-Total-Count") || body.length);
    records.push(...body);
    if (records.length >= total || !body.length) break;
  }
  return { records, total };
}

/* -- events table -------------------------------------------------------------------------- */
const eventsState = { offset: 0, total: 0 };

async function loadEvents() {
  const { body, headers } = await api(`api/events?${filterParams({ limit: PAGE, offset: eventsState.offset })}`);
  eventsState.total = Number(headers.get("X-Total-Count") || body.length);
  renderTable($("#events-table"), body, $("#event-detail"));
  const first = body.length ? eventsState.offset + 1 : 0;
  $("#events-count").textContent = `${first}–${eventsState.offset + body.length} of ${eventsState.total} events`;
  $("#events-prev").disabled = eventsState.offset === 0;
  $("#events-next").disabled = eventsState.offset + body.length >= eventsState.total;
}
register("events", loadEvents);
views.events.extraKey = () => `|${eventsState.offset}`;

/* -- SVG helpers ---------------------------------------------------------------------------- */
const SVGNS = "http://www.w3.org/2000/svg";
function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

const QUAD_COLOURS = { 1: "#6dbb5a", 2: "#1b7a3a", 3: "#f0a020", 4: "#d62f2f" };
const QUAD_NAMES = { 1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict" };
const TYPE_COLOURS = {
  AGREE: "#1b9e77", CONSULT: "#66c2a5", SUPPORT: "#a6d854", CONCEDE: "#8da0cb", COOPERATE: "#3288bd",
  AID: "#5e4fa2", RETREAT: "#b3a2d6", REQUEST: "#e6c229", ACCUSE: "#fdae61", REJECT: "#f46d43",
  THREATEN: "#d53e4f", PROTEST: "#e7298a", SANCTION: "#9e0142", MOBILIZE: "#b15928", COERCE: "#e31a1c",
  ASSAULT: "#67000d",
};
const TYPE_ORDER = Object.keys(TYPE_COLOURS);

/* one event as a list item: type, dyad, date, place, document, evidence with its trigger */
function eventItem(rec) {
  return el("li", { dataset: { eventId: rec.event_id } },
    el("div", { class: "ev-meta" }, el("span", { class: `type t-${rec.event_type}` }, rec.event_type),
      ` ${actorLabel(rec.source)} → ${actorLabel(rec.target)} · ${rec.date || "undated"}`,
      rec.location ? ` · ${placeLabel(rec.location)}` : "", ` · ${rec.doc_id}`),
    evidenceNode(rec));
}

/* -- map ------------------------------------------------------------------------------------ */
const MAP_W = 960, MAP_H = 500, MAP_CAP = 5000, CELL = 34;
const mapState = { world: null, k: 1, x: 0, y: 0, points: [], svg: null, layer: null, marks: null };

async function worldShapes() {
  if (!mapState.world) {
    const resp = await fetch("vendor/countries-110m.json");
    if (!resp.ok) throw new ApiError(`country shapes: ${resp.status}`);
    mapState.world = await resp.json();
  }
  return mapState.world;
}

function drawBasemap() {
  const G = window.allegianceGeo;
  const topo = mapState.world;
  const projection = G.geoEqualEarth().fitExtent([[6, 6], [MAP_W - 6, MAP_H - 6]], { type: "Sphere" });
  const path = G.geoPath(projection);
  const countries = G.feature(topo, topo.objects.countries).features;
  const layer = svg("g", { class: "basemap" },
    svg("path", { class: "sphere", d: path({ type: "Sphere" }) }),
    svg("path", { class: "graticule", d: path(G.geoGraticule10()) }),
    countries.map((c) => svg("path", { class: "country", d: path(c) }, svg("title", {}, c.properties.name))),
    svg("path", { class: "border", d: path(G.mesh(topo, topo.objects.countries, (a, b) => a !== b)) }));
  const marks = svg("g", { class: "marks" });
  const root = svg("svg", { viewBox: `0 0 ${MAP_W} ${MAP_H}`, role: "img", "aria-label": "world map of events" }, layer, marks);
  $("#map").replaceChildren(root);
  Object.assign(mapState, { svg: root, layer, marks, projection });
  // zoom with the wheel around the pointer, pan by dragging
  root.addEventListener("wheel", (e) => {
    e.preventDefault();
    const p = svgPoint(e);
    zoomAt(e.deltaY < 0 ? 1.5 : 1 / 1.5, p[0], p[1]);
  }, { passive: false });
  let drag = null;
  root.addEventListener("pointerdown", (e) => {
    if (e.target.closest && e.target.closest(".marker")) return;
    drag = { p: svgPoint(e), x: mapState.x, y: mapState.y };
    root.setPointerCapture(e.pointerId);
  });
  root.addEventListener("pointermove", (e) => {
    if (!drag) return;
    const p = svgPoint(e);
    mapState.x = drag.x + p[0] - drag.p[0];
    mapState.y = drag.y + p[1] - drag.p[1];
    transformMap(false);
  });
  const end = () => { if (drag) { drag = null; transformMap(true); } };
  root.addEventListener("pointerup", end);
  root.addEventListener("pointercancel", end);
}

function svgPoint(e) {
  const r = mapState.svg.getBoundingClientRect();
  return [(e.clientX - r.left) * MAP_W / r.width, (e.clientY - r.top) * MAP_H / r.height];
}

function zoomAt(factor, cx, cy) {
  if (!mapState.svg) return;
  const k = Math.max(1, Math.min(64, mapState.k * factor));
  mapState.x = cx - (cx - mapState.x) * (k / mapState.k);
  mapState.y = cy - (cy - mapState.y) * (k / mapState.k);
  mapState.k = k;
  transformMap(true);
}

function transformMap(recluster) {
  if (!mapState.svg) return;
  if (mapState.k === 1) { mapState.x = 0; mapState.y = 0; }
  mapState.layer.setAttribute("transform", `translate(${mapState.x},${mapState.y}) scale(${mapState.k})`);
  if (recluster) drawMarkers();
  else mapState.marks.setAttribute("transform", `translate(${mapState.x - mapState.mx},${mapState.y - mapState.my})`);
}

/* grid clustering in screen space: events whose points fall in one CELL-pixel square are one marker */
function clusters() {
  const cells = new Map();
  for (const pt of mapState.points) {
    const sx = mapState.x + mapState.k * pt.x, sy = mapState.y + mapState.k * pt.y;
    const key = `${Math.floor(sx / CELL)},${Math.floor(sy / CELL)}`;
    if (!cells.has(key)) cells.set(key, { sx: 0, sy: 0, recs: [] });
    const c = cells.get(key);
    c.sx += sx; c.sy += sy; c.recs.push(pt.rec);
  }
  return [...cells.values()].map((c) => ({ x: c.sx / c.recs.length, y: c.sy / c.recs.length, recs: c.recs }));
}

function drawMarkers() {
  mapState.mx = mapState.x; mapState.my = mapState.y;
  mapState.marks.removeAttribute("transform");
  const groups = clusters().sort((a, b) => b.recs.length - a.recs.length);
  mapState.marks.replaceChildren(...groups.map((c) => {
    const quads = [1, 2, 3, 4].map((q) => c.recs.filter((r) => r.quad_class === q).length);
    const quad = quads.indexOf(Math.max(...quads)) + 1;
    const n = c.recs.length;
    const r = n === 1 ? 5 : 7 + 3 * Math.log2(n);
    const places = [...new Set(c.recs.map((rec) => placeLabel(rec.location)))];
    const g = svg("g", { class: n === 1 ? "marker point" : "marker cluster", tabindex: 0, role: "button",
      transform: `translate(${c.x.toFixed(1)},${c.y.toFixed(1)})`, dataset: { count: n, quad },
      "aria-label": `${n} event(s) at ${places.slice(0, 3).join("; ")}` },
    svg("title", {}, `${n} event(s): ${places.slice(0, 3).join("; ")}${places.length > 3 ? "…" : ""}`),
    svg("circle", { r: r.toFixed(1), fill: QUAD_COLOURS[quad] }),
    n > 1 ? svg("text", { "text-anchor": "middle", dy: "0.35em" }, String(n)) : null);
    const open = () => {
      mapState.marks.querySelectorAll(".marker.selected").forEach((m) => m.classList.remove("selected"));
      g.classList.add("selected");
      showPlaceEvents(c.recs, places);
    };
    g.addEventListener("click", open);
    g.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(); } });
    return g;
  }));
  mapState.svg.dataset.markers = String(groups.length);
}

function showPlaceEvents(recs, places) {
  const box = $("#map-detail");
  const sorted = [...recs].sort((a, b) => String(a.date).localeCompare(String(b.date)));
  const shown = sorted.slice(0, 200);
  box.replaceChildren(el("h3", {}, `${recs.length} event(s)`),
    el("p", { class: "muted" }, places.slice(0, 6).join("; "), places.length > 6 ? "…" : ""),
    el("ol", { class: "evidence-list" }, shown.map(eventItem)),
    sorted.length > shown.length ? el("p", { class: "muted" }, `and ${sorted.length - shown.length} more: zoom in to split this cluster`) : null);
}

async function loadMap() {
  await worldShapes();
  if (!mapState.svg) drawBasemap();
  const { records, total } = await fetchEvents({ bbox: "-180,-90,180,90" }, MAP_CAP);
  mapState.points = [];
  for (const rec of records) {
    const p = mapState.projection([rec.location.lon, rec.location.lat]);
    if (p) mapState.points.push({ x: p[0], y: p[1], rec });
  }
  drawMarkers();
  $("#map-meta").textContent = records.length < total ? `the first ${records.length} of ${total} located events`
    : `${total} located event(s)`;
  $("#map-detail").replaceChildren(el("p", { class: "muted" }, "Click a point or a cluster (the number of events it holds) for their evidence sentences. Scroll or use + to zoom; drag to pan."));
}
register("map", loadMap);

/* -- timeline ---------------------------------------------------------------------------- */
const DAY = 86400000;
const TL = { w: 1000, h: 300, left: 44, right: 12, top: 12, bottom: 38 };
const iso = (t) => new Date(t).toISOString().slice(0, 10);

async function loadTimeline() {
  const { body } = await api(`api/timeline?${filterParams()}`);
  const box = $("#timeline");
  const legend = $("#timeline-legend");
  if (!body.length) {
    box.replaceChildren(el("p", { class: "empty" }, "No dated events for these filters."));
    legend.replaceChildren();
    $("#timeline-meta").textContent = "";
    return;
  }
  const t0 = Date.parse(body[0].date), t1 = Date.parse(body[body.length - 1].date);
  const span = Math.round((t1 - t0) / DAY) + 1;
  const bucket = span <= 400 ? 1 : span <= 2800 ? 7 : 30;  // bars of a day, a week or 30 days
  const unit = { 1: "day", 7: "week", 30: "30 days" }[bucket];
  const days = Math.floor((span - 1) / bucket) + 1;  // the number of bars
  const byDay = new Map();
  for (const row of body) {
    const i = Math.floor(Math.round((Date.parse(row.date) - t0) / DAY) / bucket);
    const key = iso(t0 + i * bucket * DAY);
    if (!byDay.has(key)) byDay.set(key, {});
    const counts = byDay.get(key);
    counts[row.event_type] = (counts[row.event_type] || 0) + row.count;
  }
  const totals = [...byDay.values()].map((d) => Object.values(d).reduce((a, b) => a + b, 0));
  const max = Math.max(...totals);
  const pw = TL.w - TL.left - TL.right, ph = TL.h - TL.top - TL.bottom;
  const bw = pw / days;
  const xOf = (i) => TL.left + i * bw;
  const yOf = (v) => TL.top + ph - (v / max) * ph;
  const bars = svg("g", { class: "bars" });
  for (const [date, counts] of byDay) {
    const i = Math.round((Date.parse(date) - t0) / DAY / bucket);
    let acc = 0;
    const g = svg("g", { class: "day", dataset: { date, count: Object.values(counts).reduce((a, b) => a + b, 0) } });
    for (const type of TYPE_ORDER) {
      const n = counts[type];
      if (!n) continue;
      g.append(svg("rect", { x: (xOf(i) + Math.min(1, bw * 0.1)).toFixed(2), width: Math.max(0.5, bw - 2 * Math.min(1, bw * 0.1)).toFixed(2),
        y: yOf(acc + n).toFixed(2), height: (yOf(acc) - yOf(acc + n)).toFixed(2), fill: TYPE_COLOURS[type], dataset: { type } },
      svg("title", {}, `${bucket > 1 ? unit + " from " : ""}${date} · ${type}: ${n}`)));
      acc += n;
    }
    bars.append(g);
  }
  // axes: counts on the left, dates below (first, last and about eight between)
  const axis = svg("g", { class: "axis" },
    svg("line", { x1: TL.left, x2: TL.w - TL.right, y1: TL.top + ph, y2: TL.top + ph }),
    [0, Math.ceil(max / 2), max].map((v) => svg("text", { x: TL.left - 6, y: yOf(v) + 4, "text-anchor": "end" }, String(v))));
  const step = Math.max(1, Math.round(days / 8));
  for (let i = 0; i < days; i += step) {
    axis.append(svg("line", { x1: xOf(i + 0.5), x2: xOf(i + 0.5), y1: TL.top + ph, y2: TL.top + ph + 4 }),
      svg("text", { x: xOf(i + 0.5), y: TL.top + ph + 18, "text-anchor": "middle" }, iso(t0 + i * bucket * DAY)));
  }
  const brush = svg("rect", { class: "brush", y: TL.top, height: ph, x: 0, width: 0, visibility: "hidden" });
  const overlay = svg("rect", { class: "overlay", x: TL.left, y: TL.top, width: pw, height: ph + 20 });
  const root = svg("svg", { viewBox: `0 0 ${TL.w} ${TL.h}`, role: "img", "aria-label": "events per day by type" }, axis, bars, brush, overlay);
  box.replaceChildren(root);
  const dayAt = (e) => {
    const r = root.getBoundingClientRect();
    const x = (e.clientX - r.left) * TL.w / r.width;
    return Math.max(0, Math.min(days - 1, Math.floor((x - TL.left) / bw)));
  };
  let start = null;
  const show = (a, b) => {
    const [i, j] = a <= b ? [a, b] : [b, a];
    brush.setAttribute("x", xOf(i).toFixed(2));
    brush.setAttribute("width", ((j - i + 1) * bw).toFixed(2));
    brush.setAttribute("visibility", "visible");
  };
  overlay.addEventListener("pointerdown", (e) => { start = dayAt(e); overlay.setPointerCapture(e.pointerId); show(start, start); });
  overlay.addEventListener("pointermove", (e) => { if (start !== null) show(start, dayAt(e)); });
  overlay.addEventListener("pointerup", (e) => {
    if (start === null) return;
    const end = dayAt(e);
    const [i, j] = start <= end ? [start, end] : [end, start];
    start = null;
    setDates(iso(t0 + i * bucket * DAY), iso(Math.min(t1, t0 + ((j + 1) * bucket - 1) * DAY)));
  });
  const present = TYPE_ORDER.filter((t) => body.some((row) => row.event_type === t));
  legend.replaceChildren(...present.map((t) => el("span", {}, el("i", { class: "swatch", dataset: { colour: TYPE_COLOURS[t] } }), t)));
  legend.querySelectorAll("i.swatch").forEach((s) => { s.style.backgroundColor = s.dataset.colour; });
  const n = body.reduce((a, r) => a + r.count, 0);
  $("#timeline-meta").textContent = `${n} dated event(s), ${iso(t0)} to ${iso(t1)}; one bar a ${unit}, at most ${max} in one.`;
}
register("timeline", loadTimeline);

/* -- stories ---------------------------------------------------------------------------- */
const storiesState = { offset: 0, total: 0 };
const STORY_COLUMNS = ["date", "type", "source", "target", "location", "mentions", "articles", "sources", "evidence"];

async function loadStories() {
  const q = filterParams({ limit: PAGE, offset: storiesState.offset });
  for (const k of ["factual", "min_certainty"]) q.delete(k);  // stories hold factual records only
  const { body, headers } = await api(`api/stories?${q}`);
  storiesState.total = Number(headers.get("X-Total-Count") || body.length);
  const table = $("#stories-table");
  const head = el("thead", {}, el("tr", {}, STORY_COLUMNS.map((c) => el("th", { scope: "col" }, c))));
  const tbody = el("tbody");
  for (const st of body) {
    const tr = el("tr", { tabindex: 0, dataset: { storyId: st.story_id } },
      el("td", { class: "nowrap" }, st.date || st.date_from || ""),
      el("td", {}, el("span", { class: `type t-${st.event_type}` }, st.event_type)),
      el("td", {}, actorLabel(st.source)), el("td", {}, actorLabel(st.target)),
      el("td", {}, placeLabel(st.location)),
      el("td", { class: "num" }, st.num_mentions), el("td", { class: "num" }, st.num_articles),
      el("td", { class: "num" }, st.num_sources),
      el("td", { class: "clip" }, st.evidence || ""));
    const select = () => {
      table.querySelectorAll("tr.selected").forEach((r) => r.classList.remove("selected"));
      tr.classList.add("selected");
      showStory(st);
    };
    tr.addEventListener("click", select);
    tr.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); select(); } });
    tbody.append(tr);
  }
  if (!body.length) tbody.append(el("tr", {}, el("td", { colspan: STORY_COLUMNS.length, class: "empty" }, "No stories.")));
  table.replaceChildren(head, tbody);
  const first = body.length ? storiesState.offset + 1 : 0;
  $("#stories-count").textContent = `${first}–${storiesState.offset + body.length} of ${storiesState.total} stories`;
  $("#stories-prev").disabled = storiesState.offset === 0;
  $("#stories-next").disabled = storiesState.offset + body.length >= storiesState.total;
}
register("stories", loadStories);
views.stories.extraKey = () => `|${storiesState.offset}`;

async function showStory(st) {
  const box = $("#story-detail");
  const span = st.date_from && st.date_to && st.date_from !== st.date_to ? `${st.date_from} to ${st.date_to}` : (st.date || "undated");
  const list = el("ol", { class: "evidence-list" });
  box.replaceChildren(el("h3", {}, el("span", { class: `type t-${st.event_type}` }, st.event_type),
    ` ${actorLabel(st.source)} → ${actorLabel(st.target)}`),
  el("dl", { class: "meta" }, [
    ["date", span], ["location", placeLabel(st.location) || "—"],
    ["reported", `${st.num_mentions} mention(s) in ${st.num_articles} article(s) from ${st.num_sources} source(s)`],
    ["sources", st.sources.join(", ")], ["story", st.story_id]].map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])),
  el("h4", {}, `Its ${st.event_ids.length} record(s)`), list);
  const recs = await Promise.all(st.event_ids.map((id) => api(`api/events/${encodeURIComponent(id)}`).then((r) => r.body, () => null)));
  recs.forEach((rec, i) => list.append(rec ? eventItem(rec) : el("li", { class: "muted" }, `event ${st.event_ids[i]} not found`)));
}

/* -- sides ------------------------------------------------------------------------------ */
let cy = null;

function sidesQuery() {
  const f = new FormData($("#sides-form"));
  const shared = filterParams();
  const q = new URLSearchParams();
  for (const k of ["since", "until"]) if (shared.get(k)) q.set(k, shared.get(k));
  for (const k of ["level", "half_life", "theatre"]) if (f.get(k)) q.set(k, f.get(k));
  if (f.get("focus") === "on") { q.set("min_events", "2"); q.set("show_generic", "false"); }
  return q;
}

/* the theatre picker: the store's theatres in the date window, largest first; the choice is kept
   in the URL (?theatre=SYR) beside the shared filters */
let theatresKey = null;
async function loadTheatres() {
  const shared = filterParams();
  const q = new URLSearchParams();
  for (const k of ["since", "until"]) if (shared.get(k)) q.set(k, shared.get(k));
  if (theatresKey === q.toString()) return;
  const { body } = await api(`api/theatres?${q}`);
  theatresKey = q.toString();
  const select = $("#theatre-select");
  const want = new URLSearchParams(location.search).get("theatre") || "";
  select.replaceChildren(el("option", { value: "" }, "all theatres"));
  for (const t of body) {
    if (!t.code) continue;
    select.append(el("option", { value: t.code }, `${t.name} (${t.events} events, ${t.first || "…"} to ${t.last || "…"})`));
  }
  select.value = [...select.options].some((o) => o.value === want) ? want : "";
}

function theatreToUrl() {
  const q = new URLSearchParams(location.search);
  const code = $("#theatre-select").value;
  if (code) q.set("theatre", code); else q.delete("theatre");
  const s = q.toString();
  if (s !== location.search.replace(/^\?/, "")) history.pushState(null, "", `${location.pathname}${s ? "?" + s : ""}${location.hash}`);
}

/* push apart nodes whose label boxes overlap (fcose counts labels in, but does not guarantee it) */
function separateLabels(cy, rounds = 60) {
  const nodes = cy.nodes().toArray();
  if (nodes.length > 400) return;
  const pad = 4;
  for (let round = 0; round < rounds; round++) {
    let moved = false;
    const boxes = nodes.map((n) => n.boundingBox({ includeLabels: true, includeOverlays: false }));
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = boxes[i], b = boxes[j];
        const ox = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) + pad;
        const oy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) + pad;
        if (ox <= 0 || oy <= 0) continue;
        const pa = nodes[i].position(), pb = nodes[j].position();
        const sign = (d) => (d >= 0 ? 1 : -1);
        if (ox < oy) {
          const d = sign(pb.x - pa.x || j - i) * ox / 2;
          nodes[i].position({ x: pa.x - d, y: pa.y }); nodes[j].position({ x: pb.x + d, y: pb.y });
        } else {
          const d = sign(pb.y - pa.y || j - i) * oy / 2;
          nodes[i].position({ x: pa.x, y: pa.y - d }); nodes[j].position({ x: pb.x, y: pb.y + d });
        }
        boxes[i] = nodes[i].boundingBox({ includeLabels: true, includeOverlays: false });
        boxes[j] = nodes[j].boundingBox({ includeLabels: true, includeOverlays: false });
        moved = true;
      }
    }
    if (!moved) break;
  }
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
    const big = cy.nodes().length > 60;
    cy.layout({ name: "fcose", quality: "proof", randomize: false, animate: false, nodeDimensionsIncludeLabels: true,
      nodeRepulsion: () => (big ? 60000 : 9000), idealEdgeLength: () => (big ? 150 : 110), nodeSeparation: 90,
      gravity: big ? 0.05 : 0.3, numIter: 2500, packComponents: true, padding: 40, uniformNodeDimensions: false }).run();
    // hub labels grow as the view zooms out: fit, restyle, separate, until the labels stand apart
    cy.nodes().filter((n) => n.degree() >= 6).addClass("hub");
    for (let i = 0; i < 3; i++) {
      cy.fit(undefined, 40);
      cy.nodes(".hub").updateStyle();
      separateLabels(cy);
    }
    cy.fit(undefined, 40);
  }
  window.allegianceLayout = report.stances.length ? "fcose" : "circle";
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
  await loadTheatres();
  const { body } = await api(`api/sides?${sidesQuery()}`);
  const w = body.window || {};
  const where = body.theatre ? `${body.theatre.name} · ` : "all theatres · ";
  $("#sides-meta").textContent = `${where}${body.level} level · ${w.since || "…"} to ${w.until || "…"} · frustration ${body.frustration}`;
  renderSideList(body);
  drawGraph(body);
}
register("sides", loadSides);
views.sides.extraKey = () => `|${sidesQuery()}|${new FormData($("#sides-form")).get("inferred")}`;

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
register("code", async () => {});
const TABS = ["map", "timeline", "events", "stories", "sides", "code"];

function showTab(name) {
  if (!TABS.includes(name)) name = "events";
  activeTab = name;
  document.querySelectorAll("[role=tab]").forEach((t) => t.setAttribute("aria-selected", String(t.dataset.tab === name)));
  document.querySelectorAll(".panel").forEach((p) => { p.hidden = p.id !== `panel-${name}`; });
  if (name === "sides" && cy) cy.resize();
  if (location.hash !== `#${name}`) history.replaceState(null, "", `${location.pathname}${location.search}#${name}`);
  return refresh();
}

async function loadHealth() {
  try {
    const { body } = await api("api/health");
    $("#status").textContent = `${body.store} · ${body.documents} documents · ${body.events} events · v${body.version}`;
  } catch (err) { $("#status").textContent = "store unavailable"; showError(err); }
}
let healthLoaded = null;

document.addEventListener("DOMContentLoaded", () => {
  formFromUrl();
  document.querySelectorAll("[role=tab]").forEach((t) => t.addEventListener("click", () => showTab(t.dataset.tab)));
  $("#filters").addEventListener("submit", (e) => { e.preventDefault(); applyFilters(); });
  $("#filters").addEventListener("reset", () => setTimeout(applyFilters));
  $("#events-prev").addEventListener("click", () => { eventsState.offset = Math.max(0, eventsState.offset - PAGE); refresh(); });
  $("#events-next").addEventListener("click", () => { eventsState.offset += PAGE; refresh(); });
  $("#stories-prev").addEventListener("click", () => { storiesState.offset = Math.max(0, storiesState.offset - PAGE); refresh(); });
  $("#stories-next").addEventListener("click", () => { storiesState.offset += PAGE; refresh(); });
  $("#sides-form").addEventListener("submit", (e) => { e.preventDefault(); theatreToUrl(); views.sides.dirty = true; refresh(); });
  $("#theatre-select").addEventListener("change", () => { theatreToUrl(); views.sides.dirty = true; refresh(); });
  $("#map-zoom-in").addEventListener("click", () => zoomAt(2, MAP_W / 2, MAP_H / 2));
  $("#map-zoom-out").addEventListener("click", () => zoomAt(0.5, MAP_W / 2, MAP_H / 2));
  $("#map-zoom-reset").addEventListener("click", () => { mapState.k = 1; transformMap(true); });
  $("#code-form").addEventListener("submit", codeText);
  window.addEventListener("hashchange", () => showTab(location.hash.slice(1)));
  window.addEventListener("popstate", () => { formFromUrl(); theatresKey = null; views.sides.dirty = true; refresh(); });
  healthLoaded = loadHealth();
  showTab(location.hash.slice(1) || "events");
});
