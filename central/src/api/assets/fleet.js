// /fleet: every kiosk of the province, alerts first, refreshed every 15 s. The admin token is
// kept in sessionStorage and sent as a bearer header (no cookie: another site cannot make the
// browser use it). Everything from the API is set with textContent.
'use strict';

(() => {
  const { el, row, api, vnTime, bytes } = Central;
  const $ = id => document.getElementById(id);
  const KEY = 'centralAdminToken';
  const REFRESH_MS = 15000;

  const PRINTER = {
    ready: 'Sẵn sàng', paper_low: 'Sắp hết giấy', paper_out: 'Hết giấy', cover_open: 'Mở nắp',
    offline: 'Mất kết nối', unknown: 'Không rõ',
  };
  const CLOCK = { ok: 'Đúng giờ', behind: 'Bị lùi' };
  const SEVERITY = { offline: 'high', paper_out: 'high', printer: 'high', clock: 'mid', disk_low: 'mid',
    outbox_backlog: 'mid', catalogue_refused: 'mid' };

  let token = sessionStorage.getItem(KEY);
  let filter = (location.hash.match(/^#alert=([a-z_]+)$/) || [])[1] || null;
  let fleet = null;
  let labels = {};

  function error(text) { $('error').textContent = text || ''; }

  function showLogin(message) {
    $('login').hidden = false;
    $('board').hidden = true;
    error(message);
    $('token').focus();
  }

  function badge(code, text) {
    return el('span', 'badge sev-' + (SEVERITY[code] || 'low'), text);
  }

  function setFilter(code) {
    filter = code;
    history.replaceState(null, '', code ? '#alert=' + code : location.pathname);
    render();
  }

  function renderFilters() {
    const all = el('button', '', 'Tất cả');
    all.type = 'button';
    all.dataset.alert = '';
    all.append(el('span', 'count', fleet.kiosks_registered));
    all.setAttribute('aria-pressed', String(!filter));
    all.addEventListener('click', () => setFilter(null));
    const buttons = [all];
    for (const c of fleet.alert_counts) {
      if (c.kiosks === 0 && c.code !== filter) continue;
      const b = el('button', '', c.label);
      b.type = 'button';
      b.dataset.alert = c.code;
      b.append(el('span', 'count', c.kiosks));
      b.setAttribute('aria-pressed', String(filter === c.code));
      b.addEventListener('click', () => setFilter(c.code));
      buttons.push(b);
    }
    $('filters').replaceChildren(...buttons);
  }

  function waitingText(k) {
    if (!k.waiting.length) return '–';
    return k.waiting.map(w => w.service + ': ' + w.waiting).join(' · ');
  }

  function render() {
    if (!fleet) return;
    labels = Object.fromEntries(fleet.alert_counts.map(c => [c.code, c.label]));
    $('registered').textContent = fleet.kiosks_registered;
    $('online').textContent = fleet.online;
    $('alert-total').textContent = fleet.alerts.length;
    $('newest-version').textContent = fleet.newest_version || '–';
    $('catalogue-version').textContent = fleet.catalogue_version === null ? 'chưa có' : fleet.catalogue_version;
    $('updated').textContent = vnTime(fleet.now);
    renderFilters();

    const alerts = fleet.alerts.filter(a => !filter || a.code === filter);
    $('alerts').tBodies[0].replaceChildren(...alerts.map(a => {
      const tr = row([badge(a.code, labels[a.code] || a.code), a.kiosk_id, a.centre_name, a.message, a.since ? vnTime(a.since) : null]);
      tr.dataset.kiosk = a.kiosk_id;
      tr.dataset.alert = a.code;
      return tr;
    }));
    $('no-alerts').hidden = alerts.length > 0;

    const kiosks = fleet.kiosks.filter(k => !filter || k.alerts.some(a => a.code === filter));
    $('kiosks').tBodies[0].replaceChildren(...kiosks.map(k => {
      const state = el('span', k.online ? 'state-online' : 'state-offline', k.online ? 'Trực tuyến' : 'Mất kết nối');
      const alertCell = el('span');
      for (const a of k.alerts) alertCell.append(badge(a.code, labels[a.code] || a.code));
      const waiting = el('span', '', waitingText(k));
      waiting.title = k.waiting.map(w => w.name + ': ' + w.waiting).join('\n');
      const tr = row([
        k.kiosk_id, k.centre_name, state, k.last_seen ? vnTime(k.last_seen) : 'chưa bao giờ', k.version,
        k.catalogue_version, k.printer ? (PRINTER[k.printer] || k.printer) : null,
        k.clock ? (CLOCK[k.clock] || k.clock) : null, bytes(k.disk_free_bytes), k.outbox_pending,
        waiting, alertCell,
      ], k.alerts.length ? 'has-alert' : '');
      tr.dataset.kiosk = k.kiosk_id;
      tr.cells[6].dataset.printer = k.printer || '';
      return tr;
    }));
  }

  async function refresh() {
    if (!token) { showLogin(); return; }
    const r = await api('/api/v1/fleet', token);
    if (r.status === 401) {
      sessionStorage.removeItem(KEY);
      token = null;
      showLogin('Mã truy cập không đúng hoặc đã bị thu hồi.');
      return;
    }
    if (r.status !== 200 || !r.data) {
      error('Không tải được dữ liệu (' + (r.status || 'mất kết nối tới máy chủ') + '); tự thử lại sau 15 giây.');
      return;
    }
    error('');
    fleet = r.data;
    $('login').hidden = true;
    $('board').hidden = false;
    render();
  }

  $('login-form').addEventListener('submit', e => {
    e.preventDefault();
    const value = $('token').value.trim();
    if (!value) return;
    token = value;
    sessionStorage.setItem(KEY, value);
    $('token').value = '';
    refresh();
  });

  refresh();
  setInterval(refresh, REFRESH_MS);
})();
