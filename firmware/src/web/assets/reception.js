// "Tiếp nhận hồ sơ" on the counter page: the officer picks the procedure (by code or name, as
// suggested by the catalogue search), types the applicant's name, and the service allocates the
// dossier code, computes the due date and prints the citizen's receipt slip. Below, the
// dossiers due within two working days, so the apology notice is never late.
// Same session and the same rules as counter.js: bearer token from sessionStorage, textContent only.
'use strict';

(() => {
  const { el, fill, api } = Kiosk;
  const $ = (id) => document.getElementById(id);
  const token = () => (JSON.parse(sessionStorage.getItem('kiosk.counter.session') || 'null') || {}).token;
  // Times come as RFC 3339 in the centre's own offset (+07:00): show them as written, whatever
  // time zone this PC is set to.
  const when = (t) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(t || '');
    return m ? `${m[4]}:${m[5]} ${m[3]}/${m[2]}/${m[1]}` : '';
  };

  let lastQuery = '';
  async function suggest() {
    const q = $('rc-procedure').value.trim();
    if (q.length < 2 || q === lastQuery) return;
    lastQuery = q;
    const r = await api('GET', '/api/v1/procedures?limit=8&q=' + encodeURIComponent(q));
    if (r.status !== 200) return;
    fill($('rc-procedures'), r.data.results.map((p) => {
      const o = el('option');
      o.value = p.code;
      o.label = p.code + ' — ' + p.name;
      o.textContent = p.name;
      return o;
    }));
  }

  async function receive(e) {
    e.preventDefault();
    const result = $('rc-result');
    // A procedure picked from the list arrives as "code"; typed text may be "code — name".
    const procedure = $('rc-procedure').value.trim().split(' ')[0];
    const r = await api('POST', '/api/v1/dossiers', {
      token: token(),
      body: { procedure, applicant_name: $('rc-name').value, channel: $('rc-channel').value, sets: Number($('rc-sets').value) || 1 },
    });
    if (r.status === 201) {
      result.className = 'message ok';
      result.textContent = `Mã hồ sơ ${r.data.code} — hẹn trả ${when(r.data.due_at)}` +
        (r.data.printed ? ' — đã in giấy hẹn.' : ' — MÁY IN LỖI: chưa in được giấy hẹn.');
      $('rc-name').value = '';
      loadDue();
    } else {
      result.className = 'message error';
      result.textContent = r.data && r.data.error ? r.data.error.message : 'Mất kết nối tới máy chủ.';
    }
  }

  async function loadDue() {
    if (!token()) return;
    const r = await api('GET', '/api/v1/dossiers/due-soon?working_days=2', { token: token() });
    if (r.status !== 200) return;
    const rows = r.data.dossiers.map((d) => {
      const tr = el('tr');
      tr.append(el('td', '', d.code), el('td', '', d.procedure_name), el('td', '', when(d.new_due_at || d.due_at)));
      return tr;
    });
    if (!rows.length) rows.push(el('tr', '', 'Không có hồ sơ sắp đến hạn.'));
    fill($('rc-due'), rows);
  }

  $('rc-procedure').addEventListener('input', suggest);
  $('reception-form').addEventListener('submit', receive);
  loadDue();
  setInterval(loadDue, 60000);
})();
