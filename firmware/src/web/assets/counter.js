// The staff counter page: log in with the counter's PIN, then call, recall, serve, mark absent,
// transfer and finish — with big buttons and one-key shortcuts, on a cheap PC or a tablet.
//
// Why this is CSRF-safe: the login route returns a bearer token that this page keeps in
// sessionStorage (this tab only, gone when it closes) and sends in the Authorization header.
// The API sets no cookie, so a page from another site has nothing the browser would attach for
// it: a cross-site form cannot set an Authorization header, and a cross-site fetch() that tries
// needs a CORS preflight the service never grants. Nothing here is ever written with innerHTML.
'use strict';

(() => {
  const { el, fill, api, liveEvents, coalesce } = Kiosk;
  const $ = (id) => document.getElementById(id);

  const TEXT = {
    vi: {
      'logout': 'Đăng xuất', 'login.title': 'Đăng nhập quầy', 'login.counter': 'Quầy', 'login.pin': 'Mã PIN',
      'login.officer': 'Cán bộ (không bắt buộc)', 'login.submit': 'Đăng nhập', 'work.current': 'Số hiện tại', 'act.next': 'Gọi số tiếp theo',
      'act.recall': 'Gọi lại', 'act.start': 'Bắt đầu phục vụ', 'act.no_show': 'Vắng mặt',
      'act.transfer': 'Chuyển dịch vụ', 'act.finish': 'Hoàn thành', 'transfer.title': 'Chuyển sang dịch vụ',
      'transfer.cancel': 'Hủy', 'side.waiting': 'Đang chờ theo dịch vụ', 'side.today': 'Hôm nay',
      'today.issued': 'Đã phát số', 'today.called': 'Đã gọi', 'today.done': 'Hoàn thành',
      'today.no_show': 'Vắng mặt', 'today.wait': 'Chờ trung bình (phút)',
      'status.called': 'Đã gọi — chờ công dân đến quầy', 'status.serving': 'Đang phục vụ',
      'status.unknown': 'Đang ở quầy', 'none': 'Chưa gọi số nào',
      'msg.nobody': 'Không còn ai đang chờ.', 'msg.called': 'Đã gọi số {n}.', 'msg.recalled': 'Đã gọi lại số {n}.',
      'msg.serving': 'Đang phục vụ số {n}.', 'msg.done': 'Đã hoàn thành số {n}.', 'msg.no_show': 'Số {n}: vắng mặt.',
      'msg.transferred': 'Đã chuyển số {n} sang dịch vụ {s}.',
      'err.network': 'Mất kết nối tới máy chủ. Vui lòng thử lại.',
      'err.other': 'Có lỗi (mã {c}). Vui lòng thử lại hoặc báo quản trị viên.',
      'waiting.people': 'người',
    },
    en: {
      'logout': 'Log out', 'login.title': 'Counter login', 'login.counter': 'Counter', 'login.pin': 'PIN',
      'login.officer': 'Officer (optional)', 'login.submit': 'Log in', 'work.current': 'Current number', 'act.next': 'Call next',
      'act.recall': 'Recall', 'act.start': 'Start serving', 'act.no_show': 'No-show',
      'act.transfer': 'Transfer', 'act.finish': 'Finish', 'transfer.title': 'Transfer to service',
      'transfer.cancel': 'Cancel', 'side.waiting': 'Waiting per service', 'side.today': 'Today',
      'today.issued': 'Tickets issued', 'today.called': 'Called', 'today.done': 'Finished',
      'today.no_show': 'No-shows', 'today.wait': 'Average wait (min)',
      'status.called': 'Called — waiting for the citizen', 'status.serving': 'Being served',
      'status.unknown': 'At the counter', 'none': 'No number called yet',
      'msg.nobody': 'Nobody is waiting.', 'msg.called': 'Called {n}.', 'msg.recalled': 'Called {n} again.',
      'msg.serving': 'Serving {n}.', 'msg.done': 'Finished {n}.', 'msg.no_show': '{n}: no-show.',
      'msg.transferred': 'Transferred {n} to service {s}.',
      'err.network': 'Lost the connection to the server. Please try again.',
      'err.other': 'Error (code {c}). Please try again or tell the administrator.',
      'waiting.people': 'waiting',
    },
  };

  // What each API error code means to the officer: the service's one table (/assets/messages.js).
  for (const l of ['vi', 'en']) {
    for (const [code, text] of Object.entries(KioskMessages[l])) TEXT[l]['err.' + code] = text;
  }

  let lang = localStorage.getItem('kiosk.lang') === 'en' ? 'en' : 'vi';
  const t = (key, vars = {}) => (TEXT[lang][key] || key).replace(/\{(\w)\}/g, (_, k) => vars[k] ?? '');

  // --- session: kept in this tab only -------------------------------------------------------
  const SESSION_KEY = 'kiosk.counter.session';
  let session = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
  // The counter's current ticket as the last staff action returned it (status included).
  let current = null;
  let services = [];
  let figures = null;
  let lastMessage = null;

  function saveSession() {
    if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify({ ...session, current }));
    else sessionStorage.removeItem(SESSION_KEY);
  }

  // --- rendering -----------------------------------------------------------------------------
  function translateStatic() {
    document.documentElement.lang = lang;
    for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
    $('lang').textContent = lang === 'vi' ? 'English' : 'Tiếng Việt';
  }

  function say(key, vars, isError) {
    lastMessage = { key, vars, isError };
    renderMessage();
  }

  function renderMessage() {
    const m = $('message');
    m.textContent = lastMessage ? t(lastMessage.key, lastMessage.vars) : '';
    m.classList.toggle('error', !!(lastMessage && lastMessage.isError));
  }

  function mine(s) {
    return session && s.counters.includes(session.counterName);
  }

  function renderCurrent() {
    $('current-number').textContent = current ? current.number : '—';
    const svc = current && services.find((s) => s.code === current.service);
    $('current-service').textContent = svc ? svc.code + ' · ' + (lang === 'en' ? svc.name_en : svc.name) : '';
    $('current-status').textContent = current ? t('status.' + (current.status || 'unknown')) : t('none');
    const status = current ? current.status || 'unknown' : 'none';
    const allowed = {
      none: ['next'],
      called: ['recall', 'start', 'no-show', 'transfer', 'finish'],
      serving: ['transfer', 'finish'],
      unknown: ['recall', 'start', 'no-show', 'transfer', 'finish'],
    }[status] || [];
    for (const a of ['next', 'recall', 'start', 'no-show', 'transfer', 'finish']) {
      $('btn-' + a).disabled = !allowed.includes(a);
    }
    if (!current) $('transfer-panel').hidden = true;
  }

  function renderWaiting() {
    const rows = services.map((s) => {
      const tr = el('tr', mine(s) ? 'mine' : 'other');
      tr.dataset.service = s.code;
      tr.append(el('td', 'code', s.code), el('td', 'name', lang === 'en' ? s.name_en : s.name),
        el('td', 'count', s.waiting));
      return tr;
    });
    // This counter's services first.
    rows.sort((a, b) => (b.className === 'mine') - (a.className === 'mine'));
    fill($('waiting'), rows);
  }

  function renderToday() {
    if (!figures) return;
    const wait = figures.average_wait_minutes;
    const rows = [
      ['today.issued', figures.issued], ['today.called', figures.called], ['today.done', figures.done],
      ['today.no_show', figures.no_show], ['today.wait', wait === null || wait === undefined ? '—' : Math.round(wait)],
    ].map(([key, value]) => {
      const tr = el('tr');
      tr.dataset.figure = key.slice(6);
      tr.append(el('td', null, t(key)), el('td', 'count', value));
      return tr;
    });
    fill($('today'), rows);
  }

  function renderTransferChoices() {
    const choices = services.filter((s) => !current || s.code !== current.service).map((s) => {
      const b = el('button', 'big choice');
      b.type = 'button';
      b.dataset.service = s.code;
      b.append(el('span', 'code', s.code), el('span', null, lang === 'en' ? s.name_en : s.name));
      b.addEventListener('click', () => transfer(s.code));
      return b;
    });
    fill($('transfer-services'), choices);
  }

  function render() {
    translateStatic();
    const loggedIn = !!session;
    $('login').hidden = loggedIn;
    $('work').hidden = !loggedIn;
    $('logout').hidden = !loggedIn;
    $('who').textContent = loggedIn ? [session.counterName, session.officer].filter(Boolean).join(' · ') : '';
    if (loggedIn) {
      renderCurrent();
      renderWaiting();
      renderToday();
      // Never rebuild the choices under the officer's finger while the panel is open.
      if ($('transfer-panel').hidden) renderTransferChoices();
    }
    renderMessage();
  }

  // --- data ------------------------------------------------------------------------------------
  async function loadCounters() {
    const r = await api('GET', '/api/v1/queue');
    if (r.status !== 200) return;
    const select = $('counter');
    const chosen = select.value || localStorage.getItem('kiosk.counter.last');
    fill(select, r.data.counters.map((c) => {
      const o = el('option', null, c.name);
      o.value = String(c.number);
      return o;
    }));
    if (chosen && r.data.counters.some((c) => String(c.number) === chosen)) select.value = chosen;
  }

  /** Refetch waiting, figures and this counter's current number (another tab may have acted). */
  async function refresh() {
    if (!session) return;
    const [q, s, f] = await Promise.all([api('GET', '/api/v1/queue'), api('GET', '/api/v1/services'),
      api('GET', '/api/v1/stats/today')]);
    if (s.status === 200) services = s.data;
    if (f.status === 200) figures = f.data;
    if (q.status === 200) {
      const me = q.data.counters.find((c) => c.number === session.counter);
      const number = me ? me.current : null;
      if (!number) current = null;
      else if (!current || current.number !== number) current = { number, status: null, service: null };
      saveSession();
    }
    render();
  }
  const refreshSoon = coalesce(refresh, 250);

  // --- actions ---------------------------------------------------------------------------------
  function fail(r) {
    if (r.status === 0) return say('err.network', {}, true);
    const code = r.data && r.data.error ? r.data.error.code : '';
    if (r.status === 401 && code === 'unauthenticated') {
      session = null;
      current = null;
      saveSession();
      say('err.unauthenticated', {}, true);
      return render();
    }
    // Officers read the table's words for the code, never the API's English message.
    if (TEXT[lang]['err.' + code]) return say('err.' + code, {}, true);
    say('err.other', { c: code || String(r.status) }, true);
  }

  async function login(event) {
    event.preventDefault();
    const counter = Number($('counter').value);
    const pin = $('pin').value;
    const name = $('counter').selectedOptions[0] ? $('counter').selectedOptions[0].textContent : '';
    $('login-submit').disabled = true;
    const officer = $('officer').value.trim();
    const body = officer ? { pin, officer } : { pin };
    const r = await api('POST', `/api/v1/counters/${counter}/login`, { body });
    $('login-submit').disabled = false;
    $('pin').value = '';
    if (r.status === 200) {
      session = { token: r.data.token, counter, counterName: name, officer };
      localStorage.setItem('kiosk.counter.last', String(counter));
      $('login-error').textContent = '';
      lastMessage = null;
      saveSession();
      await refresh();
      return;
    }
    const code = r.data && r.data.error ? r.data.error.code : '';
    $('login-error').textContent = t(TEXT[lang]['err.' + code] ? 'err.' + code : 'err.network');
    $('pin').focus();
  }

  function logout() {
    // End the session on the server too: the token is dead at once, whoever copied it.
    if (session) api('POST', `/api/v1/counters/${session.counter}/logout`, { token: session.token });
    session = null;
    current = null;
    lastMessage = null;
    saveSession();
    render();
    $('pin').focus();
  }

  async function act(path, okKey, { body, clearsCurrent } = {}) {
    if (!session) return;
    const number = current ? current.number : '';
    const r = await api('POST', `/api/v1/counters/${session.counter}/${path}`, { token: session.token, body });
    if (r.status === 204) {
      current = null;
      say('msg.nobody');
    } else if (r.status === 200) {
      const ticket = r.data.ticket;
      current = clearsCurrent ? null : ticket;
      say(okKey, { n: ticket.number || number, s: body && body.service });
    } else {
      return fail(r);
    }
    $('transfer-panel').hidden = true;
    saveSession();
    render();
    refreshSoon();
  }

  const callNext = () => act('call-next', 'msg.called');
  const recall = () => act('recall', 'msg.recalled');
  const start = () => act('start', 'msg.serving');
  const noShow = () => act('no-show', 'msg.no_show', { clearsCurrent: true });
  const finish = () => act('finish', 'msg.done', { clearsCurrent: true });
  const transfer = (service) => act('transfer', 'msg.transferred', { body: { service }, clearsCurrent: true });

  function openTransfer() {
    if ($('btn-transfer').disabled) return;
    renderTransferChoices();
    $('transfer-panel').hidden = false;
    const first = $('transfer-services').querySelector('button');
    if (first) first.focus();
  }

  // --- wiring ----------------------------------------------------------------------------------
  const buttons = { next: callNext, recall, start, 'no-show': noShow, finish, transfer: openTransfer };
  for (const [name, f] of Object.entries(buttons)) {
    $('btn-' + name).addEventListener('click', (e) => {
      // Give focus back to the page so that Enter calls the next number, not this button again.
      e.currentTarget.blur();
      f();
    });
  }
  $('transfer-cancel').addEventListener('click', () => { $('transfer-panel').hidden = true; });
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  $('lang').addEventListener('click', () => {
    lang = lang === 'vi' ? 'en' : 'vi';
    localStorage.setItem('kiosk.lang', lang);
    render();
  });

  const KEYS = { Enter: 'next', ' ': 'next', n: 'next', r: 'recall', b: 'start', v: 'no-show', h: 'finish', t: 'transfer' };
  document.addEventListener('keydown', (e) => {
    if (!session || e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target;
    if (target.closest && target.closest('input, select, textarea')) return;
    if (e.key === 'Escape') { $('transfer-panel').hidden = true; return; }
    // Enter and Space on a focused button press that button, as everywhere else.
    if ((e.key === 'Enter' || e.key === ' ') && target.closest && target.closest('button')) return;
    const action = KEYS[e.key.length === 1 ? e.key.toLowerCase() : e.key];
    if (!action || $('btn-' + action).disabled) return;
    e.preventDefault();
    buttons[action]();
  });

  if (session) current = session.current || null;
  render();
  loadCounters();
  refresh();
  liveEvents(refreshSoon, () => {});
  // The stream may be cut by a proxy or a sleeping tablet; refresh now and then regardless.
  setInterval(refresh, 15000);
})();
