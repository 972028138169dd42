// Tells the officers at once when a citizen asks for help — the kiosk's "Cần hỗ trợ" button or
// the hall's help button — and lets one of them answer ("Tôi đến hỗ trợ"): the alert then leaves
// every counter's page. Help requests are staff-only: they never travel on the anonymous
// /api/v1/events, so this page reads them with the counter's token from
// /api/v1/counters/{n}/help, every few seconds while an officer is logged in.
'use strict';

(() => {
  const { el, fill, api } = Kiosk;
  const box = document.getElementById('help-alert');
  const list = document.getElementById('help-requests');
  const TEXT = {
    vi: { kiosk: 'Kiosk cần hỗ trợ', button: 'Công dân bấm nút hỗ trợ ở sảnh', at: 'lúc', answer: 'Tôi đến hỗ trợ' },
    en: { kiosk: 'The kiosk needs help', button: 'A citizen pressed the help button in the hall', at: 'at', answer: 'I am going' },
  };
  const lang = () => (localStorage.getItem('kiosk.lang') === 'en' ? 'en' : 'vi');
  const session = () => JSON.parse(sessionStorage.getItem('kiosk.counter.session') || 'null');
  let known = new Set();

  /** A short two-tone beep, so an officer looking at a citizen hears it (once per new request). */
  function beep() {
    try {
      const ctx = new AudioContext();
      [880, 660].forEach((f, i) => {
        const o = ctx.createOscillator();
        const g = ctx.createGain();
        o.frequency.value = f;
        g.gain.value = 0.2;
        o.connect(g).connect(ctx.destination);
        o.start(ctx.currentTime + i * 0.25);
        o.stop(ctx.currentTime + i * 0.25 + 0.2);
      });
    } catch (_) { /* no sound: the alert is still on screen */ }
  }

  function render(open) {
    const t = TEXT[lang()];
    fill(list, open.map((r) => {
      const row = el('li', 'help-request');
      row.dataset.id = String(r.id);
      const when = (r.at || '').slice(11, 16);
      const b = el('button', 'help-answer', t.answer);
      b.type = 'button';
      b.addEventListener('click', () => answer(r.id));
      row.append(el('span', 'help-what', t[r.from] || t.kiosk), el('span', 'help-when', t.at + ' ' + when), b);
      return row;
    }));
    box.hidden = open.length === 0;
  }

  async function check() {
    const s = session();
    if (!s) { render([]); known = new Set(); return; }
    const r = await api('GET', `/api/v1/counters/${s.counter}/help`, { token: s.token });
    if (r.status !== 200) { render([]); return; }
    const open = r.data.open || [];
    if (open.some((x) => !known.has(x.id))) beep();
    known = new Set(open.map((x) => x.id));
    render(open);
  }

  async function answer(id) {
    const s = session();
    if (!s) return;
    await api('POST', `/api/v1/counters/${s.counter}/help/${id}/acknowledge`, { token: s.token });
    check();
  }

  document.getElementById('lang').addEventListener('click', () => setTimeout(check, 0));
  check();
  setInterval(check, 2000);
})();
