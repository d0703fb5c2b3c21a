// A search box that finds members and prospects as one types and offers them
// as buttons under it: whose letter the Letters preview shows, and the people
// the invite dialog adds by hand. ArrowDown goes into the results, ArrowUp and
// ArrowDown move in them, Esc closes them, Enter searches at once (it never
// submits the form around it).
import { api } from './api.js';
import { h, replace, nextId, debounce } from './dom.js';
import { t } from './i18n.js';

const SEARCH_DEBOUNCE_MS = 150;

/** "Östlund, Åsa" (a MemberRow). */
export function listName(r) {
  const last = (r.lastName || '').trim();
  const first = (r.firstName || '').trim();
  return `${last}${last && first ? ', ' : ''}${first}` || t('members.noName');
}

/**
 * spec: {prefix (test ids `<prefix>-search`, `<prefix>-results`,
 * `<prefix>-result`), placeholder, label (for screen readers), resultsLabel,
 * state: {search, results, seq} kept by the caller so a redraw shows the same
 * search (none: a fresh one of its own), detail(row): the grey text beside a
 * name, onPick(row)}.
 * Returns {input, results, cancel()}: the caller places the two elements.
 */
export function memberPicker(spec) {
  const s = spec.state || { search: '', results: null, seq: 0 };
  const input = h('input', {
    type: 'search', id: nextId(`${spec.prefix}-search`), 'data-testid': `${spec.prefix}-search`, value: s.search,
    autocomplete: 'off', spellcheck: 'false', placeholder: spec.placeholder, 'aria-label': spec.label,
  });
  const results = h('ul', { class: 'picker-results', 'data-testid': `${spec.prefix}-results`, 'aria-label': spec.resultsLabel });

  const close = () => {
    s.search = '';
    s.results = null;
    s.seq += 1;
    input.value = '';
    draw();
  };
  const pick = (r) => {
    close();
    spec.onPick(r);
    if (input.isConnected) input.focus();
  };
  function draw() {
    if (s.results === null) { replace(results); results.hidden = true; return; }
    results.hidden = false;
    if (!s.results.length) {
      replace(results, h('li', { class: 'muted picker-none' }, t('letters.pickNone')));
      return;
    }
    replace(results, s.results.map((r) => {
      const b = h('button', {
        type: 'button', class: 'picker-item', 'data-testid': `${spec.prefix}-result`, dataset: { id: r.id },
      }, h('span', { class: 'picker-name' }, listName(r)), h('span', { class: 'muted' }, spec.detail(r)));
      b.addEventListener('click', () => pick(r));
      b.addEventListener('keydown', (e) => {
        const items = [...results.querySelectorAll('button')];
        const i = items.indexOf(b);
        if (e.key === 'ArrowDown' && items[i + 1]) { e.preventDefault(); items[i + 1].focus(); }
        if (e.key === 'ArrowUp') { e.preventDefault(); (items[i - 1] || input).focus(); }
        if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); close(); input.focus(); }
      });
      return h('li', null, b);
    }));
  }
  async function run() {
    schedule.cancel();
    const text = s.search.trim();
    const seq = ++s.seq;
    if (!text) { s.results = null; draw(); return; }
    let items;
    try {
      const page = await api.membersList({
        search: text, status: null, branchId: null, workplaceId: null, kind: null, sort: 'name', desc: false, offset: 0, limit: 8,
      });
      items = page.items;
    } catch (_) {
      items = [];
    }
    if (seq !== s.seq) return; // a newer search (or a pick) came since
    s.results = items;
    draw();
  }
  const schedule = debounce(run, SEARCH_DEBOUNCE_MS);
  input.addEventListener('input', () => { s.search = input.value; schedule(); });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); run(); }
    if (e.key === 'ArrowDown') {
      const first = results.querySelector('button');
      if (first) { e.preventDefault(); first.focus(); }
    }
    if (e.key === 'Escape' && s.results) { e.preventDefault(); e.stopPropagation(); close(); }
  });
  draw();
  return { input, results, cancel: () => schedule.cancel() };
}
