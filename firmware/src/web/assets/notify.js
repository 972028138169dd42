'use strict';
// The form of /t/<id> that leaves a mobile number for SMS notices (shown only while the ticket
// waits and the centre sends notices): posts the number as JSON with the ticket's id (the page's
// own address), shows the masked number or the service's words for the refusal
// (/assets/messages.js). Text only, never markup. The page reloads itself every 10 s to follow
// the queue, except while the citizen types.
(() => {
  const form = document.getElementById('notify');
  if (!form) return;
  const input = document.getElementById('notify-phone');
  const result = document.getElementById('notify-result');
  const reload = () => {
    if (document.activeElement === input || input.value.trim() !== '') {
      setTimeout(reload, 10000);
    } else {
      location.reload();
    }
  };
  setTimeout(reload, 10000);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    let text = 'Chưa gửi được, xin thử lại. / Not sent, please try again.';
    try {
      const r = await fetch(`/api/v1/tickets/${encodeURIComponent(form.dataset.ticket)}/notify`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ phone: input.value }), credentials: 'omit',
      });
      const data = await r.json().catch(() => null);
      if (r.ok && data) {
        text = `Sẽ nhắn tin đến ${data.phone} khi còn ${data.notify_ahead} người trước quý khách. / We will text ${data.phone}.`;
        input.value = '';
        input.blur();
      } else if (data && data.error) {
        const code = data.error.code;
        text = (KioskMessages.vi[code] || data.error.message) + (KioskMessages.en[code] ? ` / ${KioskMessages.en[code]}` : '');
      }
    } catch (_) { /* network: the citizen may try again */ }
    result.textContent = text;
  });
})();
