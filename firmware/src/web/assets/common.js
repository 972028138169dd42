// Shared by the counter page and the hall display: DOM building with textContent only (never
// innerHTML with data, so a service name or number can never become markup), JSON calls to
// API v1, and a live event stream that survives network cuts.
'use strict';

const Kiosk = (() => {
  /** A new element with a class and a text, both optional. */
  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  /** Replace the children of `parent` with `children`. */
  function fill(parent, children) {
    parent.replaceChildren(...children);
  }

  /**
   * Call API v1. Returns {status, data}; network failures give status 0.
   * `credentials: 'omit'`: the API uses no cookies at all, staff routes take a bearer token.
   */
  async function api(method, path, { token, body } = {}) {
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      const r = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
      });
      let data = null;
      if (r.status !== 204) {
        try { data = await r.json(); } catch (_) { data = null; }
      }
      return { status: r.status, data };
    } catch (_) {
      return { status: 0, data: null };
    }
  }

  // The queue's events and the stream's own `lagged`, from the list the service writes
  // (/assets/events.js, loaded before this file).
  const EVENTS = KioskEvents.queue.concat([KioskEvents.lagged]);

  /**
   * Follow /api/v1/events. While the connection drops, EventSource reconnects by itself and sends
   * Last-Event-ID, so the server replays what was missed. If the browser gives up (the server
   * answered with an error), open a new stream with ?since=<last id> after a few seconds.
   * `onState` gets 'live' or 'down'.
   */
  function liveEvents(onEvent, onState) {
    let lastSeq = null;
    let retry = null;
    function open() {
      const es = new EventSource(lastSeq === null ? '/api/v1/events' : '/api/v1/events?since=' + lastSeq);
      es.onopen = () => onState('live');
      es.onerror = () => {
        onState('down');
        if (es.readyState === EventSource.CLOSED) {
          clearTimeout(retry);
          retry = setTimeout(open, 5000);
        }
      };
      for (const name of EVENTS) {
        es.addEventListener(name, (m) => {
          if (m.lastEventId) lastSeq = Number(m.lastEventId);
          let data = {};
          try { data = JSON.parse(m.data); } catch (_) { data = {}; }
          onEvent(name, data);
        });
      }
    }
    open();
  }

  /**
   * Run `f` `ms` after a call, once for all the calls made meanwhile. Unlike a debounce it
   * cannot starve: at 10 calls a second the page still refreshes every `ms`.
   */
  function coalesce(f, ms) {
    let pending = null;
    return () => {
      if (pending === null) pending = setTimeout(() => { pending = null; f(); }, ms);
    };
  }

  return { el, fill, api, liveEvents, coalesce };
})();
