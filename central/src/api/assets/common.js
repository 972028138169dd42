// Shared by central's pages: DOM building with textContent only (a centre or service name can
// never become markup), JSON calls to the API without cookies, and Vietnamese formatting.
'use strict';

const Central = (() => {
  /** A new element with a class and a text, both optional. */
  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  /** A table row of cells; a cell is a text, a number (right-aligned) or an element. */
  function row(cells, className) {
    const tr = el('tr', className);
    for (const c of cells) {
      if (c instanceof Node) {
        const td = el('td');
        td.append(c);
        tr.append(td);
      } else {
        tr.append(el('td', typeof c === 'number' ? 'num' : '', c === null || c === undefined ? '–' : c));
      }
    }
    return tr;
  }

  /** Call the API. Returns {status, data}; a network failure gives status 0. */
  async function api(path, token) {
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    try {
      const r = await fetch(path, { headers, credentials: 'omit', cache: 'no-store' });
      let data = null;
      try { data = await r.json(); } catch (_) { data = null; }
      return { status: r.status, data };
    } catch (_) {
      return { status: 0, data: null };
    }
  }

  const pad = n => String(n).padStart(2, '0');

  /** An ISO time as "08:40 05/03/2026" in Vietnam (UTC+7), whatever the browser's zone. */
  function vnTime(iso) {
    if (!iso) return '–';
    const t = new Date(new Date(iso).getTime() + 7 * 3600 * 1000);
    if (isNaN(t)) return '–';
    return pad(t.getUTCHours()) + ':' + pad(t.getUTCMinutes()) + ' ' + pad(t.getUTCDate()) + '/' + pad(t.getUTCMonth() + 1) + '/' + t.getUTCFullYear();
  }

  /** A decimal number the Vietnamese way: 12,5. */
  function decimal(x, digits) {
    return x.toFixed(digits).replace('.', ',');
  }

  /** Bytes as GB or MB. */
  function bytes(n) {
    if (n === null || n === undefined) return '–';
    return n >= 1e9 ? decimal(n / 1e9, 1) + ' GB' : Math.round(n / 1e6) + ' MB';
  }

  return { el, row, api, vnTime, decimal, bytes };
})();
