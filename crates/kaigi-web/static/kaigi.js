// kaigi's progressive enhancement: every page works without it; this file only adds to pages
// that ask for it (served from /static/kaigi.js, as the Content-Security-Policy allows no
// inline script).
"use strict";
document.addEventListener('DOMContentLoaded', () => {
// Drag a session onto a free cell; this fills the move form above and
// sends it, so the server checks and explains exactly as for the keyboard path.
(() => {
  const form = document.getElementById('place-form');
  if (!form) return;
  let dragged = null;
  document.querySelectorAll('td[draggable]').forEach(td => td.addEventListener('dragstart', e => {
    dragged = [td.dataset.session, td.dataset.pinned === 'true'];
    e.dataTransfer.setData('text/plain', td.dataset.session);
  }));
  document.querySelectorAll('td[data-room]').forEach(td => {
    td.addEventListener('dragover', e => { e.preventDefault(); td.classList.add('drop-target'); });
    td.addEventListener('dragleave', () => td.classList.remove('drop-target'));
    td.addEventListener('drop', e => {
      e.preventDefault();
      if (!dragged) return;
      const [session, pinned] = dragged;
      form.querySelector('[name=session]').value = session;
      form.querySelector('[name=pinned]').checked = pinned;
      form.querySelector('[name=room]').value = td.dataset.room;
      form.querySelector('[name=start]').value = td.dataset.time;
      form.submit();
    });
  });
})();
// Say that the solve is running (it takes a second or two).
document.querySelectorAll('form[data-progress]').forEach(f => f.addEventListener('submit', () => {
  const b = f.querySelector('button'); b.disabled = true; b.textContent = f.dataset.progress;
}));

// Without an account the agenda lives in this browser only.
document.querySelectorAll('.local-star').forEach(b => {
  const list = () => JSON.parse(localStorage.getItem(b.dataset.key) || '[]');
  const show = () => { const on = list().includes(b.dataset.session); b.textContent = on ? b.dataset.on : b.dataset.off; b.setAttribute('aria-pressed', on); };
  b.hidden = false; show();
  b.addEventListener('click', () => { let l = list(); l = l.includes(b.dataset.session) ? l.filter(x => x !== b.dataset.session) : l.concat([b.dataset.session]); localStorage.setItem(b.dataset.key, JSON.stringify(l)); show(); });
});

// The proposal form checks itself while it is filled in: what is still missing, and the
// call's screening rules (the same check the server runs at the deadline).
(() => {
  const panel = document.querySelector('[data-check]');
  const form = document.getElementById('proposal-form');
  if (!panel || !form) return;
  let timer = null;
  const fill = (id, items, render) => {
    const list = document.getElementById(id);
    if (!list) return;
    list.replaceChildren(...items.map(render));
  };
  const check = () => fetch(panel.dataset.check, {
    method: 'POST', credentials: 'same-origin',
    headers: {'Content-Type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams(new FormData(form)),
  }).then(r => r.ok ? r.json() : null).then(answer => {
    if (!answer) return;
    fill('screening-list', answer.screening, o => {
      const li = document.createElement('li'); li.className = o.passed ? 'pass' : 'fail'; li.textContent = o.text; return li;
    });
    fill('missing-list', answer.missing.concat(answer.invalid), m => { const li = document.createElement('li'); li.textContent = m; return li; });
    const none = document.getElementById('missing-none');
    if (none) none.hidden = answer.missing.length + answer.invalid.length > 0;
  });
  form.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(check, 400); });
})();
  // Buttons that undo something people hold (a registration) ask first.
  document.querySelectorAll('button[data-confirm]').forEach(button => {
    button.addEventListener('click', event => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  });
});

// A session's time in the reader's own zone, when it is not the venue's.
document.querySelectorAll('.reader-time').forEach(el => {
  let zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone || zone === el.dataset.zone) return;
  const lang = document.documentElement.lang || undefined;
  const starts = new Date(el.dataset.starts), ends = new Date(el.dataset.ends);
  if (isNaN(starts) || isNaN(ends)) return;
  const day = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  const clock = new Intl.DateTimeFormat(lang, { timeStyle: 'short' });
  el.textContent = el.dataset.label + ': ' + day.format(starts) + '–' + clock.format(ends) + ' (' + zone + ')';
  el.hidden = false;
});

// An anonymous reader's stars (kept in this browser) on the schedule's cards.
document.querySelectorAll('.local-stars').forEach(el => {
  let list;
  try { list = JSON.parse(localStorage.getItem(el.dataset.key) || '[]'); } catch (e) { return; }
  document.querySelectorAll('[data-session]').forEach(card => {
    if (!list.includes(card.dataset.session)) return;
    const star = document.createElement('span');
    star.className = 'star'; star.title = el.dataset.title; star.textContent = '★ ';
    card.prepend(star);
  });
});
