// /: satisfaction per centre, and per centre, service and month, on the three official levels,
// for a period; the CSV link follows the period. Public figures: no token.
'use strict';

(() => {
  const { el, row, api, decimal } = Central;
  const $ = id => document.getElementById(id);

  /** The form's fields among `names` as a query string. */
  function query(names) {
    const q = new URLSearchParams();
    for (const name of names) {
      const v = $(name).value.trim();
      if (v) q.set(name, v);
    }
    const s = q.toString();
    return s ? '?' + s : '';
  }

  function satisfied(r) {
    const cell = el('span');
    const meter = el('meter');
    meter.min = 0;
    meter.max = 100;
    meter.value = r.satisfied_percent;
    cell.append(meter, decimal(r.satisfied_percent, 1) + ' %');
    return cell;
  }

  async function load() {
    const q = query(['from', 'to', 'centre']);
    $('csv').href = '/api/v1/satisfaction.csv' + q;
    const [centres, rows] = await Promise.all([api('/api/v1/centres' + query(['from', 'to'])), api('/api/v1/satisfaction' + q)]);
    if (centres.status !== 200 || rows.status !== 200) {
      const e = (rows.data && rows.data.error) || (centres.data && centres.data.error);
      $('error').textContent = 'Không tải được số liệu' + (e ? ': ' + e.message : '.');
      return;
    }
    $('error').textContent = '';
    const names = {};
    for (const r of rows.data.rows) if (r.centre_name) names[r.agency_code] = r.centre_name;
    const wanted = $('centre').value.trim();
    const list = centres.data.centres.filter(c => !wanted || c.agency_code === wanted);
    $('centres').tBodies[0].replaceChildren(...list.map(c =>
      row([c.agency_code, names[c.agency_code] || null, c.total, c.rat_hai_long, c.hai_long, c.khong_hai_long, satisfied(c)])));
    $('no-centres').hidden = list.length > 0;
    $('rows').tBodies[0].replaceChildren(...rows.data.rows.map(r => {
      const service = r.service ? r.service + (r.service_name ? ' – ' + r.service_name : '') : 'Không theo dịch vụ';
      return row([r.month, r.centre_name || r.agency_code, service, r.total, r.rat_hai_long, r.hai_long, r.khong_hai_long, satisfied(r)]);
    }));
  }

  $('period').addEventListener('submit', e => {
    e.preventDefault();
    load();
  });
  load();
})();
