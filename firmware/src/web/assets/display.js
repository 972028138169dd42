// The hall display: the latest call very large with its counter, the recent calls, each
// counter's current number, people waiting per service and a clock. Live through the event
// stream; while the stream is down it polls /api/v1/queue. Every call is spoken from the
// service's offline clip bank through one queue, so announcements never overlap.
'use strict';

(() => {
  const { el, fill, api, liveEvents, coalesce } = Kiosk;
  const $ = (id) => document.getElementById(id);
  const RECENT = 6;
  const FLASH_MS = 10000;

  /** Status of a call as the hall reads it: [Vietnamese, English]. */
  const STATUS = {
    called: ['Mời đến quầy', 'Please come'],
    recalled: ['Gọi lại', 'Called again'],
    serving: ['Đang phục vụ', 'Being served'],
    done: ['Hoàn thành', 'Done'],
    no_show: ['Vắng mặt', 'Not present'],
    transferred: ['Chuyển sang dịch vụ', 'Moved to service'],
  };

  let counters = [];            // [{number, name, current}]
  let services = [];            // [{code, name, name_en, waiting}]
  let calls = [];               // newest first: {number, counter, counterName, status, to, flashUntil}

  // --- voice -------------------------------------------------------------------------------
  /**
   * One queue for every announcement, in call order: each is scheduled on the audio clock to
   * start when the previous one ends, so a new call never cuts off or talks over the one being
   * spoken. The words come from the service (`[voice]`: "lẻ" or "linh", the centre's sentence).
   * The caption shows the call being spoken, from its first clip to its last — not the latest
   * call on the board, which may be waiting its turn — and is empty while the hall is quiet.
   * `window.voiceLog` records what was scheduled, for the people (and tests) checking it.
   */
  const voice = (() => {
    let ctx = null;
    let playhead = 0;
    let queue = Promise.resolve();
    const buffers = new Map();
    const log = [];
    window.voiceLog = log;

    function context() {
      if (!ctx) ctx = new (window.AudioContext || window.webkitAudioContext)();
      return ctx;
    }

    function load(url) {
      if (!buffers.has(url)) {
        buffers.set(url, fetch(url).then((r) => {
          if (!r.ok) throw new Error(url + ': ' + r.status);
          return r.arrayBuffer();
        }).then((bytes) => context().decodeAudioData(bytes)));
      }
      return buffers.get(url);
    }

    async function speak(number, counter) {
      const r = await api('GET', `/api/v1/announcements/${encodeURIComponent(number)}?counter=${counter}`);
      if (r.status !== 200) return;
      const c = context();
      if (c.state !== 'running') await c.resume().catch(() => {});
      if (c.state !== 'running') {
        // The browser wants a click first: show the button; the caption still tells the hall.
        $('sound').hidden = false;
        log.push({ number, counter, text: r.data.text, skipped: true });
        caption(log.length, number, r.data.text);
        return;
      }
      const clips = await Promise.all(r.data.clips.map(load));
      // Start when the previous announcement has ended (or now, if the hall is quiet).
      let at = Math.max(c.currentTime + 0.05, playhead);
      const start = at;
      for (const buffer of clips) {
        const source = c.createBufferSource();
        source.buffer = buffer;
        source.connect(c.destination);
        source.start(at);
        at += buffer.duration;
      }
      playhead = at;
      log.push({ number, counter, text: r.data.text, start, end: at, clips: r.data.clips.length });
      const id = log.length;
      const inMs = (t) => Math.max(0, (t - c.currentTime) * 1000);
      setTimeout(() => caption(id, number, r.data.text), inMs(start));
      // Cleared at its end, unless the next call's caption has already taken its place.
      setTimeout(() => { if ($('spoken').dataset.id === String(id)) caption('', '', ''); }, inMs(at));
    }

    /** The caption of the call being spoken (all empty: nothing is). */
    function caption(id, number, text) {
      const e = $('spoken');
      e.textContent = text;
      e.dataset.id = String(id);
      e.dataset.number = number;
    }

    $('sound').addEventListener('click', () => {
      context().resume().then(() => { $('sound').hidden = true; });
    });

    return {
      say(number, counter) {
        queue = queue.then(() => speak(number, counter)).catch((e) => console.warn('announcement failed', e));
      },
    };
  })();

  // --- rendering -------------------------------------------------------------------------------
  function bilingual(className, [vi, en], extra) {
    const e = el('span', className, vi + (extra ? ' ' + extra : ''));
    e.append(el('small', null, en + (extra ? ' ' + extra : '')));
    return e;
  }

  function statusOf(call) {
    return bilingual('status', STATUS[call.status], call.status === 'transferred' ? call.to : '');
  }

  function renderFeatured() {
    const f = calls[0];
    const now = Date.now();
    $('featured').dataset.number = f ? f.number : '';
    $('featured-number').textContent = f ? f.number : '—';
    $('featured-counter').textContent = f ? f.counterName : '';
    fill($('featured-status'), f ? [statusOf(f)] : []);
    $('featured').classList.toggle('flash', !!f && f.flashUntil > now);
  }

  function renderRecent() {
    const now = Date.now();
    fill($('recent'), calls.slice(1, RECENT).map((c) => {
      const tr = el('tr', c.flashUntil > now ? 'flash' : '');
      tr.dataset.number = c.number;
      const status = el('td', 'status-cell');
      status.append(statusOf(c));
      tr.append(el('td', 'number', c.number), el('td', 'counter', c.counterName), status);
      return tr;
    }));
  }

  function renderCounters() {
    fill($('counters'), counters.map((c) => {
      const cell = el('div', 'counter-cell ' + (c.current ? 'busy' : 'idle'));
      cell.dataset.counter = String(c.number);
      cell.append(el('span', 'name', c.name), el('span', 'number', c.current || '—'));
      return cell;
    }));
  }

  function renderWaiting() {
    fill($('waiting'), services.map((s) => {
      const tr = el('tr');
      tr.dataset.service = s.code;
      const name = el('td', 'name', s.name);
      name.append(el('small', null, s.name_en));
      tr.append(el('td', 'code', s.code), name, el('td', 'count', s.waiting));
      return tr;
    }));
  }

  function render() {
    renderFeatured();
    renderRecent();
    renderCounters();
    renderWaiting();
  }

  const WEEKDAYS = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];
  const two = (n) => String(n).padStart(2, '0');
  // The clock shows the centre's time, not the TV's: `siteShift` turns the TV's clock into the
  // site's wall time (its skew and the site's UTC offset), learnt from each /api/v1/queue answer.
  let siteShift = 7 * 3600 * 1000;
  function learnSiteTime(now) {
    const m = /([+-])(\d\d):(\d\d)$/.exec(now || '');
    const t = Date.parse(now || '');
    if (!m || Number.isNaN(t)) return;
    const offset = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60000;
    siteShift = t - Date.now() + offset;
  }
  function tick() {
    const d = new Date(Date.now() + siteShift);
    $('date').textContent = `${WEEKDAYS[d.getUTCDay()]}, ${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
    $('time').textContent = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
    // Flashing ends on its own.
    const now = Date.now();
    if (calls.some((c) => c.flashUntil && c.flashUntil <= now)) {
      for (const c of calls) if (c.flashUntil <= now) c.flashUntil = 0;
      renderFeatured();
      renderRecent();
    }
  }

  // --- state changes ---------------------------------------------------------------------------
  function counterName(number, fallback) {
    const c = counters.find((x) => x.number === number);
    return fallback || (c ? c.name : 'Quầy số ' + two(number));
  }

  function setCounterCurrent(number, ticket) {
    const c = counters.find((x) => x.number === number);
    if (c) c.current = ticket;
  }

  /** A call or recall: to the top, flashing, and spoken. */
  function called(number, counter, name, status) {
    calls = calls.filter((c) => c.number !== number);
    calls.unshift({ number, counter, counterName: counterName(counter, name), status, flashUntil: Date.now() + FLASH_MS });
    calls.length = Math.min(calls.length, RECENT);
    setCounterCurrent(counter, number);
    render();
    voice.say(number, counter);
  }

  function changed(number, status, to) {
    const call = calls.find((c) => c.number === number);
    if (call) {
      call.status = status;
      call.to = to;
      call.flashUntil = 0;
    }
  }

  function onEvent(name, d) {
    switch (name) {
      case 'ticket_called': called(d.number, d.counter, d.counter_name, 'called'); break;
      case 'ticket_recalled': called(d.number, d.counter, d.counter_name, 'recalled'); break;
      case 'ticket_serving': changed(d.number, 'serving'); break;
      case 'ticket_done': changed(d.number, 'done'); setCounterCurrent(d.counter, null); break;
      case 'ticket_no_show': changed(d.number, 'no_show'); setCounterCurrent(d.counter, null); break;
      case 'ticket_transferred': changed(d.number, 'transferred', d.to); setCounterCurrent(d.counter, null); break;
      case 'ticket_issued': {
        const s = services.find((x) => x.code === d.service);
        if (s && typeof d.waiting === 'number') s.waiting = d.waiting;
        break;
      }
      default: break;
    }
    render();
    refreshSoon();
  }

  /** Counters and waiting from the server; while polling, a counter's new number is a call. */
  async function refresh(announceChanges) {
    const [q, s] = await Promise.all([api('GET', '/api/v1/queue'), api('GET', '/api/v1/services')]);
    if (s.status === 200) services = s.data;
    if (q.status === 200) {
      learnSiteTime(q.data.now);
      const before = new Map(counters.map((c) => [c.number, c.current]));
      counters = q.data.counters;
      for (const c of counters) {
        if (announceChanges && c.current && before.get(c.number) !== c.current) called(c.current, c.number, c.name, 'called');
      }
      const waiting = new Map(q.data.services.map((x) => [x.code, x.waiting]));
      for (const x of services) if (waiting.has(x.code)) x.waiting = waiting.get(x.code);
    }
    render();
    return q.status === 200;
  }
  const refreshSoon = coalesce(() => refresh(false), 300);

  let polling = null;
  function linkState(state) {
    $('link').dataset.state = state;
    $('link').textContent = state === 'live' ? '● Trực tiếp · Live' : '● Đang kết nối lại… · Reconnecting';
    if (state === 'live') {
      clearInterval(polling);
      polling = null;
      refresh(false);
    } else if (!polling) {
      polling = setInterval(async () => {
        const ok = await refresh(true);
        if ($('link').dataset.state !== 'live') {
          $('link').dataset.state = ok ? 'polling' : 'down';
          $('link').textContent = ok ? '● Cập nhật định kỳ · Polling' : '● Mất kết nối · Offline';
        }
      }, 3000);
    }
  }

  // The board starts from the current picture: each counter's number becomes a recent call.
  refresh(false).then(() => {
    calls = counters.filter((c) => c.current).map((c) => ({ number: c.current, counter: c.number, counterName: c.name, status: 'called', flashUntil: 0 }));
    render();
    liveEvents(onEvent, linkState);
  });
  tick();
  setInterval(tick, 1000);
})();
