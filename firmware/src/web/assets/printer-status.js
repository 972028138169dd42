// Tells the officers when the kiosk's printer needs them — paper running low, paper out, cover
// open, offline — before citizens start coming back without tickets, and when the kiosk's clock
// went back (a Pi without a battery clock that booted with no network): numbers and dates depend
// on it. Reads /healthz now and then and on every printer_status event. Other kiosks of the centre
// with their own printers are named ("Kiosk 2: …"), and one that stopped reporting says so.
'use strict';

(() => {
  const { api } = Kiosk;
  const banner = document.getElementById('printer-banner');
  const TEXT = {
    paper_near_end: 'Máy in sắp hết giấy — hãy chuẩn bị cuộn giấy mới. / Printer paper is running low.',
    paper_out: 'Máy in HẾT GIẤY — công dân không nhận được phiếu. / Printer is OUT OF PAPER.',
    cover_open: 'Nắp máy in đang mở. / The printer cover is open.',
    offline: 'Máy in không hoạt động (mất kết nối hoặc lỗi). / The printer is offline.',
  };
  const CLOCK_BEHIND = 'Đồng hồ của kiosk đang chậm hơn lần ghi cuối — hãy báo kỹ thuật chỉnh giờ. / The kiosk\'s clock is behind: have the time set.';
  const SILENT = 'mất liên lạc — kiosk tắt hoặc mất mạng. / not heard from: off, or off the network.';
  async function check() {
    const r = await api('GET', '/healthz');
    const state = r.data && r.data.printer ? r.data.printer.state : null;
    const clockBehind = !!(r.data && r.data.clock && r.data.clock.state === 'behind');
    const kiosks = (r.data && r.data.kiosks) || [];
    const named = kiosks.filter(k => k.stale || TEXT[k.state]).map(k => `${k.kiosk}: ${k.stale ? SILENT : TEXT[k.state]}`);
    const own = TEXT[state] ? (kiosks.length ? 'Kiosk chính / Main kiosk: ' : '') + TEXT[state] : null;
    const text = [own, ...named, clockBehind ? CLOCK_BEHIND : null].filter(Boolean).join(' ');
    const serious = s => TEXT[s] && s !== 'paper_near_end';
    const alarm = clockBehind || serious(state) || kiosks.some(k => k.stale || serious(k.state));
    banner.hidden = !text;
    banner.textContent = text;
    banner.className = 'printer-banner ' + (alarm ? 'alarm' : 'warn');
  }
  const es = new EventSource('/api/v1/events');
  es.addEventListener(KioskEvents.printerStatus, check);
  check();
  setInterval(check, 30000);
})();
