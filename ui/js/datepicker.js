// A calendar beside every date field (`input.date-input`): a button
// (`date-pick`) opens a month (`date-popup`) to pick a day from, by mouse or
// keyboard (arrows, Page Up/Down for months, Enter picks, Esc closes). The
// field stays a text field: people may type 2026-12-31, 31.12.2026,
// 31/12/2026 or 31-12-2026, and core reads all of them.
import { h } from './dom.js';
import { t, locale } from './i18n.js';

const pad = (n) => String(n).padStart(2, '0');
const iso = (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const utc = (y, m, d) => new Date(Date.UTC(y, m, d));

/** The day a field holds, in any of the four ways core reads, else null. */
function fieldDay(text) {
  const s = text.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  let y; let mo; let d;
  if (m) [, y, mo, d] = m;
  else {
    m = /^(\d{1,2})([./-])(\d{1,2})\2(\d{4})$/.exec(s);
    if (!m) return null;
    [, d, , mo, y] = m;
  }
  const day = utc(Number(y), Number(mo) - 1, Number(d));
  return day.getUTCMonth() === Number(mo) - 1 ? day : null;
}

function today() {
  const n = new Date();
  return utc(n.getFullYear(), n.getMonth(), n.getDate());
}

let open = null;

function close(focusField = true) {
  if (!open) return;
  const { popup, input, onOutside } = open;
  open = null;
  document.removeEventListener('pointerdown', onOutside, true);
  popup.remove();
  if (focusField && input.isConnected) input.focus();
}

function show(input, wrap) {
  close(false);
  let shown = fieldDay(input.value) || today();
  let focusDay = shown;
  const title = h('p', { class: 'date-month', 'data-testid': 'date-month', 'aria-live': 'polite' });
  const prev = h('button', {
    type: 'button', class: 'btn small', 'data-testid': 'date-prev', 'aria-label': t('datePicker.previous'),
  }, '‹');
  const next = h('button', {
    type: 'button', class: 'btn small', 'data-testid': 'date-next', 'aria-label': t('datePicker.next'),
  }, '›');
  const grid = h('table', { class: 'date-grid', role: 'grid' });
  const popup = h('div', {
    class: 'date-popup', 'data-testid': 'date-popup', role: 'dialog', 'aria-label': t('datePicker.label'),
  }, h('div', { class: 'date-head' }, prev, title, next), grid);

  const pick = (day) => {
    input.value = iso(day);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
    close();
  };

  const draw = (focus) => {
    const y = shown.getUTCFullYear();
    const mo = shown.getUTCMonth();
    title.textContent = new Intl.DateTimeFormat(locale(), { month: 'long', year: 'numeric', timeZone: 'UTC' })
      .format(utc(y, mo, 1));
    // Weeks start on Monday, as in the Nordic countries.
    const first = utc(y, mo, 1);
    const lead = (first.getUTCDay() + 6) % 7;
    const names = new Intl.DateTimeFormat(locale(), { weekday: 'narrow', timeZone: 'UTC' });
    const head = h('tr', null, [0, 1, 2, 3, 4, 5, 6].map((i) => h('th', { scope: 'col' }, names.format(utc(2024, 0, 1 + i)))));
    const chosen = fieldDay(input.value);
    const now = iso(today());
    const rows = [];
    let cells = [];
    for (let i = 0; i < lead; i += 1) cells.push(h('td'));
    const days = utc(y, mo + 1, 0).getUTCDate();
    for (let d = 1; d <= days; d += 1) {
      const day = utc(y, mo, d);
      const key = iso(day);
      const isFocus = key === iso(focusDay);
      cells.push(h('td', null, h('button', {
        type: 'button',
        class: ['date-day', chosen && key === iso(chosen) ? 'chosen' : '', key === now ? 'today' : ''],
        'data-testid': 'date-day',
        'data-date': key,
        tabindex: isFocus ? '0' : '-1',
        'aria-pressed': chosen && key === iso(chosen) ? 'true' : 'false',
        'aria-label': new Intl.DateTimeFormat(locale(), { dateStyle: 'full', timeZone: 'UTC' }).format(day),
        onclick: () => pick(day),
      }, String(d))));
      if (cells.length === 7) { rows.push(h('tr', null, cells)); cells = []; }
    }
    if (cells.length) rows.push(h('tr', null, cells));
    grid.replaceChildren(h('thead', null, head), h('tbody', null, rows));
    if (focus) {
      const b = grid.querySelector('button[tabindex="0"]');
      if (b) b.focus();
    }
  };

  const move = (days, months = 0) => {
    const d = focusDay;
    if (months) {
      const last = utc(d.getUTCFullYear(), d.getUTCMonth() + months + 1, 0).getUTCDate();
      focusDay = utc(d.getUTCFullYear(), d.getUTCMonth() + months, Math.min(d.getUTCDate(), last));
    } else {
      focusDay = utc(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days);
    }
    shown = utc(focusDay.getUTCFullYear(), focusDay.getUTCMonth(), 1);
    draw(true);
  };
  prev.addEventListener('click', () => move(0, -1));
  next.addEventListener('click', () => move(0, 1));
  popup.addEventListener('keydown', (e) => {
    const keys = {
      ArrowLeft: () => move(-1), ArrowRight: () => move(1), ArrowUp: () => move(-7), ArrowDown: () => move(7),
      PageUp: () => move(0, -1), PageDown: () => move(0, 1),
    };
    if (e.key === 'Escape') {
      // The calendar closes; the form behind it is not cancelled.
      e.preventDefault();
      e.stopPropagation();
      close();
    } else if (keys[e.key] && e.target.classList.contains('date-day')) {
      e.preventDefault();
      keys[e.key]();
    }
  });
  const onOutside = (e) => { if (!popup.contains(e.target) && !wrap.contains(e.target)) close(false); };
  document.addEventListener('pointerdown', onOutside, true);
  open = { popup, input, onOutside };
  wrap.appendChild(popup);
  draw(true);
}

/** Puts a calendar button beside `input` (once). */
function enhance(input) {
  if (input.dataset.datePicker) return;
  input.dataset.datePicker = '1';
  const wrap = h('span', { class: 'date-wrap', 'data-testid': input.dataset.testid ? `${input.dataset.testid}-wrap` : null });
  const hadFocus = document.activeElement === input;
  input.replaceWith(wrap);
  const button = h('button', {
    type: 'button', class: 'btn date-pick', 'data-testid': 'date-pick', 'aria-label': t('datePicker.open'),
    title: t('datePicker.open'),
    onclick: () => (open && open.input === input ? close() : show(input, wrap)),
  }, h('span', { class: 'date-pick-icon', 'aria-hidden': 'true' }));
  wrap.append(input, button);
  if (hadFocus) input.focus();
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && e.altKey) { e.preventDefault(); show(input, wrap); }
  });
}

/** From now on every date field in the window gets its calendar. */
export function installDatePicker(root = document.body) {
  const scan = (node) => {
    if (!(node instanceof Element)) return;
    if (node.matches('input.date-input')) enhance(node);
    node.querySelectorAll('input.date-input').forEach(enhance);
  };
  scan(root);
  new MutationObserver((records) => {
    records.forEach((r) => r.addedNodes.forEach(scan));
  }).observe(root, { childList: true, subtree: true });
}
