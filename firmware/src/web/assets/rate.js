'use strict';
// The rating offered on a citizen's page (/t/<id>, /d/<code>?k=<secret>): the page holds the
// proof of the visit (the ticket's id, the receipt slip's secret), sends it with the chosen
// level as JSON, and says how it went. Text only, never markup.
(() => {
  const form = document.getElementById('rate');
  if (!form) return;
  const result = document.getElementById('rate-result');
  const SAY = {
    201: 'Cảm ơn quý khách đã đánh giá! / Thank you!',
    already_rated: 'Đã được đánh giá. Xin cảm ơn! / Already rated. Thank you!',
    rating_window_closed: 'Đã hết thời gian đánh giá. / The time to rate has passed.',
  };
  for (const button of form.querySelectorAll('button.level')) {
    button.addEventListener('click', async () => {
      const body = { level: button.value };
      if (form.dataset.ticket) body.ticket_id = form.dataset.ticket;
      if (form.dataset.dossier) { body.dossier_code = form.dataset.dossier; body.dossier_key = form.dataset.key; }
      let text = 'Chưa gửi được, xin thử lại. / Not sent, please try again.';
      try {
        const r = await fetch('/api/v1/ratings', {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'omit',
        });
        const data = r.status === 201 ? null : await r.json().catch(() => null);
        const code = data && data.error ? data.error.code : r.status;
        text = SAY[code] || text;
        if (r.status === 201 || code === 'already_rated' || code === 'rating_window_closed') {
          for (const b of form.querySelectorAll('button.level')) b.disabled = true;
        }
      } catch (_) { /* network: keep the buttons */ }
      result.textContent = text;
    });
  }
})();
