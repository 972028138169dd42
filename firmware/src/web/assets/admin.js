// The centre manager's page (/admin): log in with the manager's PIN, then the figures of a range
// of days as numbers, a chart per hour and tables per service and counter, and the CSV export.
'use strict';

// The manager's token lives in sessionStorage and goes in an Authorization header, never a
// cookie: another site cannot make the browser send it (no CSRF). All data is set with
// textContent, never parsed as HTML.
const $ = id => document.getElementById(id);
let token = sessionStorage.getItem("managerToken");
const day = d => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
function err(m) { $("error").textContent = m || ""; }
async function api(path, opts = {}) {
  const r = await fetch(path, {...opts, headers: {"content-type": "application/json", ...(token ? {authorization: "Bearer " + token} : {})}});
  if (r.status === 401) { sessionStorage.removeItem("managerToken"); token = null; showLogin(); }
  if (!r.ok) { const e = await r.json().catch(() => ({})); throw new Error(e.error ? e.error.message : r.statusText); }
  return r;
}
function showLogin() { $("login").hidden = false; $("report").hidden = true; }
async function login() {
  err();
  try {
    const r = await api("/api/v1/manager/login", {method: "POST", body: JSON.stringify({pin: $("pin").value})});
    token = (await r.json()).token; sessionStorage.setItem("managerToken", token); $("pin").value = ""; start();
  } catch (e) { err(e.message); }
}
function minutes(v) { return v == null ? "–" : v.toFixed(1) + " phút"; }
function table(el, rows, label) {
  el.replaceChildren();
  const head = el.insertRow();
  for (const h of [label, "Phục vụ / Served", "Chờ TB / Wait", "Phục vụ TB / Service", "Rất hài lòng", "Hài lòng", "Không hài lòng", "% hài lòng"]) {
    const th = document.createElement("th"); th.textContent = h; head.appendChild(th);
  }
  for (const g of rows) {
    const tr = el.insertRow();
    for (const v of [g.key, g.served, minutes(g.average_wait_minutes), minutes(g.average_service_minutes), g.rat_hai_long, g.hai_long, g.khong_hai_long, g.satisfied_percent == null ? "–" : g.satisfied_percent + " %"]) {
      tr.insertCell().textContent = v;
    }
  }
}
function bars(svg, values) {
  const ns = "http://www.w3.org/2000/svg"; svg.replaceChildren();
  const max = Math.max(1, ...values), w = 960 / 24;
  values.forEach((v, h) => {
    const height = 170 * v / max, rect = document.createElementNS(ns, "rect");
    rect.setAttribute("x", h * w + 4); rect.setAttribute("y", 190 - height); rect.setAttribute("width", w - 8); rect.setAttribute("height", height); rect.setAttribute("fill", "#15803d");
    svg.appendChild(rect);
    const t = document.createElementNS(ns, "text"); t.setAttribute("x", h * w + 8); t.setAttribute("y", 208); t.textContent = String(h).padStart(2, "0"); svg.appendChild(t);
    if (v) { const n = document.createElementNS(ns, "text"); n.setAttribute("x", h * w + 8); n.setAttribute("y", 185 - height); n.textContent = v; svg.appendChild(n); }
  });
}
// Tickets per dispensing kiosk: a kiosk that dispenses nothing, or whose tickets do not print, shows here.
function kiosks(el, rows) {
  el.replaceChildren();
  const head = el.insertRow();
  for (const h of ["Kiosk", "Số đã cấp / Issued", "Đã in / Printed", "Không in được / Not printed"]) {
    const th = document.createElement("th"); th.textContent = h; head.appendChild(th);
  }
  for (const k of rows) {
    const tr = el.insertRow();
    for (const v of [k.kiosk === null ? "Kiosk chính / Main kiosk" : k.kiosk, k.issued, k.printed, k.not_printed]) tr.insertCell().textContent = v;
  }
}
async function show() {
  err();
  try {
    const r = await api(`/api/v1/admin/figures?from=${$("from").value}&to=${$("to").value}`);
    const f = await r.json();
    $("issued").textContent = f.issued; $("served").textContent = f.served; $("no_show").textContent = f.no_show;
    $("wait").textContent = minutes(f.average_wait_minutes); $("service").textContent = minutes(f.average_service_minutes);
    bars($("hours"), f.issued_per_hour); table($("per_service"), f.per_service, "Dịch vụ / Service"); table($("per_counter"), f.per_counter, "Quầy / Counter");
    kiosks($("per_kiosk"), f.per_kiosk || []);
  } catch (e) { err(e.message); }
}
async function devices() {
  try {
    const r = await api("/api/v1/admin/devices");
    const list = (await r.json()).devices, el = $("devices");
    el.replaceChildren();
    const head = el.insertRow();
    for (const h of ["Tên / Name", "Đăng ký / Enrolled", "Dùng lần cuối / Last used", "Trạng thái / State", ""]) {
      const th = document.createElement("th"); th.textContent = h; head.appendChild(th);
    }
    for (const d of list) {
      const tr = el.insertRow();
      for (const v of [d.name, d.enrolled_at, d.last_used_at || "–", d.revoked_at ? "Đã thu hồi / Revoked " + d.revoked_at : "Hoạt động / Active"]) {
        tr.insertCell().textContent = v;
      }
      const cell = tr.insertCell();
      if (!d.revoked_at) {
        const b = document.createElement("button"); b.textContent = "Thu hồi / Revoke";
        b.onclick = async () => {
          try { await api(`/api/v1/admin/devices/${encodeURIComponent(d.name)}/revoke`, {method: "POST"}); devices(); } catch (e) { err(e.message); }
        };
        cell.appendChild(b);
      }
    }
  } catch (e) { err(e.message); }
}
async function logout() {
  try { await api("/api/v1/manager/logout", {method: "POST"}); } catch (_) { /* the token is gone either way */ }
  sessionStorage.removeItem("managerToken"); token = null; showLogin();
}
async function csv() {
  try {
    const r = await api(`/api/v1/admin/export.csv?from=${$("from").value}&to=${$("to").value}`);
    const a = document.createElement("a"); a.href = URL.createObjectURL(await r.blob()); a.download = `tickets-${$("from").value}-${$("to").value}.csv`; a.click();
  } catch (e) { err(e.message); }
}
function start() {
  $("login").hidden = true; $("report").hidden = false;
  const now = new Date(); $("to").value = day(now); if (!$("from").value) $("from").value = day(now);
  show(); devices();
}
$("go").onclick = login; $("pin").onkeydown = e => { if (e.key === "Enter") login(); };
$("show").onclick = show; $("csv").onclick = csv; $("logout").onclick = logout;
$("week").onclick = () => { const d = new Date(); $("to").value = day(d); d.setDate(d.getDate() - 6); $("from").value = day(d); show(); };
if (token) start(); else showLogin();
