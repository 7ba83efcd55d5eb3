// TrafficActors live dashboard: loads the last 30 minutes over the HTTP API, then applies SignalR pushes.
// Every push carries the whole picture, so a paused or reconnected page is whole again after the next one.
// A car's panel (a row of the alerts table, or the deep link /cars/{id}) reads /api/cars/{id} once, then
// subscribes to that car over the hub and gets its status pushed while the panel is open.
"use strict";

const HISTORY_MINUTES = 30;
const MINUTE_MS = 60 * 1000;
const LATEST_ALERTS = 50;
// The API's largest page: every window the cluster still holds, for the session totals.
const SESSION_WINDOWS = 1440;
// Gauge scales; the coloured bands start at the seed's overspeed (120 km/h) and engine-stress (6000 rpm) limits.
const SPEED_MAX = 300;
const SPEED_LIMIT = 120;
const RPM_MAX = 9000;
const RPM_LIMIT = 6000;
// Table progress bars are relative to the gauge's full scale.
const PERCENT = 100;
const GAUGE_ANIMATION_MS = 500;
// Reconnect quickly first, then back off, and keep trying (an operations screen must come back on its own).
const RECONNECT_DELAYS_MS = [0, 1000, 2000, 5000, 10000];
const RECONNECT_FOREVER_MS = 10000;

const colors = { text: "#f5f7fa", muted: "#9fb0c3", grid: "#2b3645", accent: "#ffd400", ok: "#2ee66b", warn: "#ffb000", bad: "#ff3b3b" };
const plotConfig = { displayModeBar: false, responsive: true };
const baseLayout = {
  paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
  font: { color: colors.text }, margin: { t: 30, r: 20, b: 40, l: 50 },
};

const state = { windows: [], alerts: [], kpis: null, cluster: [], rules: null, paused: false, updates: 0 };
// The open car panel: its id as typed or clicked (a string), whether the node knows the car, pushes applied.
const car = { id: null, known: false, updates: 0 };
let hub = null;
const $ = id => document.getElementById(id);
const CAR_LINK = /^\/cars\/([^/]+)\/?$/;

function fmtTime(iso) {
  return iso ? new Date(iso).toISOString().substring(11, 19) : "–";
}

function fmtInstant(iso) {
  return iso ? `${new Date(iso).toISOString().substring(0, 19).replace("T", " ")} UTC` : "–";
}

function fmtNumber(n) {
  return n === null || n === undefined ? "–" : Number(n).toLocaleString("en-US");
}

function kpisFromWindows(windows, alerts) {
  const byRule = {};
  for (const w of windows) for (const [rule, n] of Object.entries(w.by_rule)) byRule[rule] = (byRule[rule] || 0) + n;
  return {
    total_violations: windows.reduce((s, w) => s + w.alerts, 0),
    engine_stress: byRule.engine_stress || 0,
    by_rule: byRule,
    latest_critical_speed: alerts.length ? alerts[0].speed : null,
    events_per_second: null,
  };
}

function gauge(el, value, max, limit, title, suffix) {
  Plotly.react(el, [{
    type: "indicator", mode: "gauge+number", value: value ?? 0,
    title: { text: title, font: { color: colors.muted } },
    number: { suffix, font: { color: colors.accent } },
    gauge: {
      axis: { range: [0, max], tickcolor: colors.text }, bar: { color: colors.accent },
      bgcolor: "#1f2935", borderwidth: 0,
      steps: [{ range: [0, limit], color: "#123b22" }, { range: [limit, max], color: "#4a1313" }],
      threshold: { line: { color: colors.bad, width: 4 }, value: limit },
    },
  }], { ...baseLayout, margin: { t: 50, r: 30, b: 10, l: 30 }, transition: { duration: GAUGE_ANIMATION_MS } }, plotConfig);
}

function renderCritical() {
  const a = state.alerts[0];
  $("crit-car").textContent = a ? a.car_id : "–";
  $("crit-model").textContent = a ? [a.brand_name, a.model_name].filter(Boolean).join(" ") || "unknown" : "–";
  $("crit-color").textContent = a ? a.color_name || "unknown" : "–";
  $("crit-time").textContent = a ? fmtTime(a.event_time) : "–";
  $("crit-violations").textContent = a ? a.violations.join(", ") : "–";
  gauge("gauge-speed", a ? a.speed : 0, SPEED_MAX, SPEED_LIMIT, "Speed", " km/h");
  gauge("gauge-rpm", a ? a.rpm : 0, RPM_MAX, RPM_LIMIT, "RPM", "");
}

function renderKpis() {
  const k = state.kpis;
  $("kpi-speed").textContent = k.latest_critical_speed === null ? "–" : `${k.latest_critical_speed} km/h`;
  $("kpi-total").textContent = fmtNumber(k.total_violations);
  $("kpi-engine").textContent = fmtNumber(k.engine_stress);
  $("kpi-rate").textContent = k.events_per_second === null ? "–" : fmtNumber(k.events_per_second);
  const rules = $("kpi-rules");
  rules.replaceChildren(...Object.keys(k.by_rule).sort().map(rule => {
    const card = document.createElement("div");
    card.className = "card";
    card.dataset.rule = rule;
    card.innerHTML = `<div class="label"></div><div class="value"></div>`;
    card.querySelector(".label").textContent = `Rule: ${rule}`;
    card.querySelector(".value").textContent = fmtNumber(k.by_rule[rule]);
    return card;
  }));
}

function renderVolume() {
  // One bar per minute of the last 30, zero where no window exists, so the axis never jumps.
  const now = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
  const byStart = new Map(state.windows.map(w => [new Date(w.window_start).getTime(), w.alerts]));
  const x = [], y = [];
  for (let i = HISTORY_MINUTES - 1; i >= 0; i--) {
    const t = now - i * MINUTE_MS;
    x.push(new Date(t));
    y.push(byStart.get(t) || 0);
  }
  Plotly.react("chart-volume", [{
    type: "bar", x, y,
    marker: { color: y, colorscale: "YlOrRd", reversescale: true, cmin: 0, line: { width: 0 } },
    hovertemplate: "%{x|%H:%M}: %{y} alerts<extra></extra>",
  }], { ...baseLayout, xaxis: { gridcolor: colors.grid, tickformat: "%H:%M" }, yaxis: { gridcolor: colors.grid, title: "alerts" } }, plotConfig);
}

function renderMap() {
  const located = state.alerts.filter(a => a.location);
  Plotly.react("chart-map", [{
    type: "scatter", mode: "markers",
    x: located.map(a => a.location.lon), y: located.map(a => a.location.lat),
    text: located.map(a => `car ${a.car_id}: ${a.violations.join(", ")}`),
    marker: { size: 9, color: located.map(a => a.speed), colorscale: "YlOrRd", reversescale: true, cmin: 0, cmax: SPEED_MAX },
    hovertemplate: "%{text}<br>%{y:.4f}, %{x:.4f}<extra></extra>",
  }], { ...baseLayout, xaxis: { title: "lon", gridcolor: colors.grid }, yaxis: { title: "lat", gridcolor: colors.grid } }, plotConfig);
}

function renderTable() {
  $("alert-count").textContent = state.alerts.length;
  const rows = state.alerts.map(a => {
    const tr = document.createElement("tr");
    tr.className = "clickable";
    tr.tabIndex = 0;
    tr.dataset.car = a.car_id;
    tr.title = `Car ${a.car_id}: details`;
    const cells = [fmtTime(a.event_time), a.car_id, [a.brand_name, a.model_name].filter(Boolean).join(" ") || "unknown", a.color_name || "unknown"];
    for (const c of cells) tr.appendChild(Object.assign(document.createElement("td"), { textContent: c }));
    const speed = document.createElement("td");
    const pct = Math.min(PERCENT, a.speed / SPEED_MAX * PERCENT);
    speed.innerHTML = `<div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="${SPEED_MAX}"><span></span><b></b></div>`;
    speed.querySelector(".bar").setAttribute("aria-valuenow", a.speed);
    speed.querySelector("span").style.width = `${pct}%`;
    speed.querySelector("b").textContent = `${a.speed} km/h`;
    tr.appendChild(speed);
    for (const c of [a.rpm, a.gear, a.violations.join(", ")]) tr.appendChild(Object.assign(document.createElement("td"), { textContent: c }));
    return tr;
  });
  $("alerts-table").tBodies[0].replaceChildren(...rows);
}

function renderCluster() {
  const rows = state.cluster.map(m => {
    const tr = document.createElement("tr");
    for (const c of [m.address + (m.self ? " (this node)" : ""), m.roles.join(", "), m.status, fmtNumber(m.shards), fmtNumber(m.cars), fmtNumber(m.events_per_second)]) {
      tr.appendChild(Object.assign(document.createElement("td"), { textContent: c }));
    }
    return tr;
  });
  $("cluster").tBodies[0].replaceChildren(...rows);
}

// The rules in force on the node serving the page, in the /api/info shape (pushes carry the same).
function renderRules() {
  const r = state.rules;
  if (!r) return;
  const el = $("rules");
  $("rules-version").textContent = r.version;
  el.title = `Rules version ${r.version}\nsource: ${r.source}\nsince: ${fmtInstant(r.since)}`;
  el.dataset.state = r.error ? "rejected" : "ok";
  const warning = $("rules-warning");
  warning.hidden = !r.error;
  warning.title = r.error ? `A newer rules document was rejected; ${r.version} stays in force:\n${r.error}` : "";
}

function render() {
  renderRules();
  renderCritical();
  renderKpis();
  renderVolume();
  renderMap();
  renderTable();
  renderCluster();
}

function apply(update) {
  state.windows = update.windows;
  state.alerts = update.alerts;
  state.kpis = update.kpis;
  state.cluster = update.cluster;
  state.rules = update.rules;
  state.updates++;
  $("last-update").textContent = fmtTime(update.at);
  document.body.dataset.updates = state.updates;
  render();
}

function carMessage(text) {
  const el = $("car-message");
  el.textContent = text || "";
  el.hidden = !text;
}

function renderCar(d) {
  // Shown before plotting: Plotly sizes a chart by its container, which has no size while hidden.
  $("car-body").hidden = false;
  $("car-id").textContent = d.car_id;
  $("car-model").textContent = `${d.brand_name} ${d.model_name}`;
  $("car-color").textContent = d.color_name;
  $("car-driver").textContent = d.driver_id;
  $("car-node").textContent = d.node;
  $("car-shard").textContent = d.shard_id;
  $("car-samples").textContent = fmtNumber(d.samples);
  $("car-alerts").textContent = fmtNumber(d.alerts);
  const s = d.last_sample;
  $("car-last").textContent = s ? `${fmtTime(s.event_time)} · ${s.speed} km/h · ${s.rpm} rpm · gear ${s.gear} (expected ${s.expected_gear})` : "no sample since its actor started";
  $("car-rules").tBodies[0].replaceChildren(...Object.keys(d.alerts_by_rule).sort().map(rule => {
    const tr = document.createElement("tr");
    tr.dataset.rule = rule;
    for (const c of [rule, fmtNumber(d.alerts_by_rule[rule])]) tr.appendChild(Object.assign(document.createElement("td"), { textContent: c }));
    return tr;
  }));
  $("car-points").textContent = d.trace.length;
  const x = d.trace.map(p => new Date(p.event_time));
  const line = (y, name, axis, color, shape) => ({ type: "scatter", mode: "lines+markers", x, y, name, yaxis: axis, line: { color, shape }, marker: { size: 4 } });
  Plotly.react("car-trace", [
    line(d.trace.map(p => p.speed), "speed (km/h)", "y", colors.accent, "linear"),
    line(d.trace.map(p => p.rpm), "rpm", "y2", colors.bad, "linear"),
    line(d.trace.map(p => p.gear), "gear", "y3", colors.ok, "hv"),
  ], {
    ...baseLayout, showlegend: false, margin: { t: 10, r: 10, b: 30, l: 60 },
    // One time axis under the three stacked plots.
    xaxis: { gridcolor: colors.grid, tickformat: "%H:%M:%S", anchor: "y3" },
    yaxis: { title: { text: "km/h" }, domain: [0.68, 1], gridcolor: colors.grid, rangemode: "tozero" },
    yaxis2: { title: { text: "rpm" }, domain: [0.36, 0.62], gridcolor: colors.grid, rangemode: "tozero" },
    yaxis3: { title: { text: "gear" }, domain: [0, 0.3], gridcolor: colors.grid, dtick: 1 },
  }, plotConfig);
  const panel = $("car-panel");
  panel.dataset.state = "loaded";
  panel.dataset.updates = car.updates;
}

async function subscribeCar(id) {
  if (!hub || hub.state !== signalR.HubConnectionState.Connected) return; // done once (re)connected
  let answer;
  try {
    answer = await hub.invoke("SubscribeCar", id);
  } catch (e) {
    answer = { watching: false, error: e.message };
  }
  if (car.id === id && !answer.watching) carMessage(`Live updates unavailable: ${answer.error}`);
}

function unsubscribeCar(id) {
  if (hub && hub.state === signalR.HubConnectionState.Connected) hub.invoke("UnsubscribeCar", id).catch(() => {});
}

async function openCar(id, remember = true) {
  id = String(id);
  if (car.id && car.id !== id && car.known) unsubscribeCar(car.id);
  Object.assign(car, { id, known: false, updates: 0 });
  const link = `/cars/${encodeURIComponent(id)}`;
  if (remember && location.pathname !== link) history.pushState({ car: id }, "", link);
  const panel = $("car-panel");
  panel.hidden = false;
  panel.dataset.state = "loading";
  $("car-id").textContent = id;
  $("car-body").hidden = true;
  carMessage("");
  let r;
  try {
    r = await fetch(`/api${link}`);
  } catch (e) {
    if (car.id === id) { panel.dataset.state = "error"; carMessage(`The node did not answer: ${e.message}`); }
    return;
  }
  if (car.id !== id) return; // another car was opened meanwhile
  if (!r.ok) {
    const body = await r.json().catch(() => ({ error: `HTTP ${r.status}` }));
    panel.dataset.state = r.status === 404 ? "unknown" : "error";
    carMessage(r.status === 404 ? `Unknown car: ${body.error}` : body.error);
    return;
  }
  const details = await r.json();
  if (car.id !== id) return;
  car.known = true;
  renderCar(details);
  subscribeCar(id);
}

function closeCar(remember = true) {
  if (car.id && car.known) unsubscribeCar(car.id);
  Object.assign(car, { id: null, known: false, updates: 0 });
  const panel = $("car-panel");
  panel.hidden = true;
  panel.dataset.state = "closed";
  if (remember && CAR_LINK.test(location.pathname)) history.pushState({}, "", "/");
}

function carFromAddress() {
  const m = location.pathname.match(CAR_LINK);
  if (m) openCar(decodeURIComponent(m[1]), false);
  else if (car.id) closeCar(false);
}

async function getJson(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.json();
}

async function initialLoad() {
  const [windows, alerts, info] = await Promise.all([
    getJson(`/api/windows?last=${SESSION_WINDOWS}`),
    getJson(`/api/alerts/recent?limit=${LATEST_ALERTS}`),
    getJson("/api/info"),
  ]);
  const since = Date.now() - HISTORY_MINUTES * MINUTE_MS;
  state.windows = windows.filter(w => new Date(w.window_end).getTime() > since);
  state.alerts = alerts;
  state.kpis = { ...kpisFromWindows(windows, alerts), events_per_second: info.stats.events_per_second };
  state.rules = info.rules;
  state.cluster = [{ address: info.node_address, roles: info.roles, status: info.cluster_status, self: true, events_per_second: info.stats.events_per_second, shards: null, cars: null }];
  render();
}

function setStatus(s) {
  const el = $("conn-status");
  el.dataset.state = s;
  el.textContent = s;
}

async function connect() {
  const connection = hub = new signalR.HubConnectionBuilder()
    .withUrl("/hubs/traffic")
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => RECONNECT_DELAYS_MS[ctx.previousRetryCount] ?? RECONNECT_FOREVER_MS })
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  connection.on("update", update => { if (!state.paused) apply(update); });
  connection.on("car", d => {
    if (state.paused || String(d.car_id) !== car.id) return;
    car.updates++;
    renderCar(d);
  });
  connection.onreconnecting(() => setStatus("reconnecting"));
  // A new connection watches nothing: the open car is subscribed again.
  connection.onreconnected(() => { setStatus("connected"); if (car.known) subscribeCar(car.id); });
  connection.onclose(() => setStatus("disconnected"));
  for (;;) {
    try {
      await connection.start();
      setStatus("connected");
      if (car.known) subscribeCar(car.id);
      return;
    } catch {
      // withAutomaticReconnect covers only lost connections, not a first start against a node that is down.
      setStatus("disconnected");
      await new Promise(r => setTimeout(r, RECONNECT_FOREVER_MS));
    }
  }
}

$("pause").addEventListener("click", e => {
  state.paused = !state.paused;
  e.target.setAttribute("aria-pressed", String(state.paused));
  e.target.textContent = state.paused ? "Resume" : "Pause";
});

const alertRows = $("alerts-table").tBodies[0];
alertRows.addEventListener("click", e => {
  const row = e.target.closest("tr[data-car]");
  if (row) openCar(row.dataset.car);
});
alertRows.addEventListener("keydown", e => {
  const row = e.target.closest("tr[data-car]");
  if (row && e.key === "Enter") openCar(row.dataset.car);
});
$("car-close").addEventListener("click", () => closeCar());
document.addEventListener("keydown", e => { if (e.key === "Escape" && car.id) closeCar(); });
window.addEventListener("popstate", carFromAddress);

carFromAddress();
initialLoad().then(connect);
