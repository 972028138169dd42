// "Tiếp nhận hồ sơ" on the counter page: the officer picks the procedure (by code or name, as
// suggested by the catalogue search), the case when the procedure has one with a longer time
// limit ("Trường hợp cần xác minh"), how to address the applicant (Ông / Bà) and their name;
// the page shows the due date the slip will promise, and the service allocates the dossier
// code and prints the citizen's receipt slip. Below, the dossiers due within two working days,
// so the apology notice is never late.
// Same session and the same rules as counter.js: bearer token from sessionStorage, textContent
// only; refusals in the words of the service's one table (/assets/messages.js), never the API's
// English message.
'use strict';

(() => {
  const { el, fill, api } = Kiosk;
  const $ = (id) => document.getElementById(id);
  const token = () => (JSON.parse(sessionStorage.getItem('kiosk.counter.session') || 'null') || {}).token;
  const lang = () => (localStorage.getItem('kiosk.lang') === 'en' ? 'en' : 'vi');
  // Times come as RFC 3339 in the centre's own offset (+07:00): show them as written, whatever
  // time zone this PC is set to.
  const when = (t) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(t || '');
    return m ? `${m[4]}:${m[5]} ${m[3]}/${m[2]}/${m[1]}` : '';
  };
  /** The words of the service's table for a refused call. */
  const refusal = (r) => {
    if (r.status === 0) return lang() === 'en' ? 'Lost the connection to the server.' : 'Mất kết nối tới máy chủ.';
    const code = r.data && r.data.error ? r.data.error.code : '';
    return KioskMessages[lang()][code] || (lang() === 'en' ? `Error (code ${code || r.status}).` : `Có lỗi (mã ${code || r.status}).`);
  };

  // A procedure picked from the list arrives as "code"; typed text may be "code — name".
  const procedureCode = () => $('rc-procedure').value.trim().split(' ')[0];

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

  // The procedure being received, as GET /api/v1/procedures/{code} gives it (null: none yet).
  let procedure = null;

  /** The limit of `variant` for the chosen channel, as published. */
  function variantLimit(variant, channel) {
    const own = (variant.channels || []).find((c) => c.kind === channel);
    return (own ? own.time_limit : variant.time_limit || {}).text || '';
  }

  function renderVariants() {
    const select = $('rc-variant');
    const chosen = select.value;
    const variants = procedure ? procedure.variants || [] : [];
    const channel = $('rc-channel').value;
    const own = procedure && procedure.channels.find((c) => c.kind === channel);
    const normal = el('option', null, 'Thông thường' + (own ? ': ' + own.time_limit.text : ''));
    normal.value = '';
    fill(select, [normal, ...variants.map((v) => {
      const o = el('option', null, v.label + ': ' + variantLimit(v, channel));
      o.value = v.code;
      return o;
    })]);
    if (variants.some((v) => v.code === chosen)) select.value = chosen;
    $('rc-variant-row').hidden = variants.length === 0;
  }

  /** The due date the slip would promise, for what is filled in now. */
  let previews = 0;
  async function preview() {
    const out = $('rc-preview');
    if (!procedure) { ++previews; out.textContent = ''; return; }
    const body = { procedure: procedure.code, channel: $('rc-channel').value };
    if ($('rc-variant').value) body.variant = $('rc-variant').value;
    const asked = ++previews;
    const r = await api('POST', '/api/v1/appointments/preview', { body });
    if (asked !== previews) return; // a newer preview is on its way
    out.textContent = r.status === 200 ? `${procedure.name} — hẹn trả ${when(r.data.due_at)}` : refusal(r);
  }

  let loaded = '';
  async function loadProcedure() {
    const code = procedureCode();
    if (!code || code === loaded) return;
    loaded = code;
    const r = await api('GET', '/api/v1/procedures/' + encodeURIComponent(code));
    // A slower answer for what was typed before must not replace the newer one.
    if (code !== loaded) return;
    procedure = r.status === 200 ? r.data : null;
    renderVariants();
    preview();
  }

  async function receive(e) {
    e.preventDefault();
    const result = $('rc-result');
    const body = {
      procedure: procedureCode(),
      applicant_title: $('rc-title').value,
      applicant_name: $('rc-name').value,
      channel: $('rc-channel').value,
      sets: Number($('rc-sets').value) || 1,
    };
    if ($('rc-variant').value) body.variant = $('rc-variant').value;
    if ($('rc-phone').value.trim()) body.phone = $('rc-phone').value.trim();
    const r = await api('POST', '/api/v1/dossiers', { token: token(), body });
    if (r.status === 201) {
      result.className = 'message ok';
      result.textContent = `Mã hồ sơ ${r.data.code} — hẹn trả ${when(r.data.due_at)}` +
        (r.data.printed ? ' — đã in giấy hẹn.' : ' — MÁY IN LỖI: chưa in được giấy hẹn.');
      $('rc-name').value = '';
      $('rc-title').value = '';
      $('rc-phone').value = '';
      loadDue();
    } else {
      result.className = 'message error';
      result.textContent = refusal(r);
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

  $('rc-procedure').addEventListener('input', () => { suggest(); loadProcedure(); });
  $('rc-procedure').addEventListener('change', loadProcedure);
  $('rc-channel').addEventListener('change', () => { renderVariants(); preview(); });
  $('rc-variant').addEventListener('change', preview);
  $('reception-form').addEventListener('submit', receive);
  loadDue();
  // The phone for "result ready" only where the centre sends text messages (`[notify]`).
  api('GET', '/api/v1/centre').then((r) => {
    if (r.status === 200 && r.data.notices) $('rc-phone-row').hidden = false;
  });
  setInterval(loadDue, 60000);
})();
