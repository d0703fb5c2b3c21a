// The Members area: list (search, filters, sort, paging) on the left, the selected
// member (details, history, actions) or the add/edit form on the right.
import { api } from './api.js';
import { formatAmount } from './grantnames.js';
import { h, replace, options, coalesce, todayIso, nextId } from './dom.js';
import {
  openImport, renderImport, closeImport, discardImport, importOpen, importWriting,
} from './import.js';
import { openExport } from './export.js';
import {
  t, tp, tOr, formatDate, formatDateTime, formatNumber, countryName,
} from './i18n.js';
import {
  store, idFrom, errorText, toast, field, clearFieldErrors,
  showFieldErrors, STATUSES, KINDS, SORTS,
} from './state.js';
import { showFormError } from './form.js';
import { renderMemberForm } from './memberform.js';
import {
  fullName, fieldLabel, fieldErrorLine, fieldValue,
} from './membernames.js';
import { templateTitle } from './letternames.js';
import { kindName } from './meetingnames.js';
import { rowSet, keyTarget } from './rows.js';
import { renderBulkPanel } from './bulk.js';
import { openModal } from './dialog.js';
import { memberDuesBox } from './memberdues.js';

const LIMIT = 50;

// State kept across re-renders (language switch, area changes).
const S = {
  query: { search: '', status: '', branchId: '', workplaceId: '', kind: 'member', sort: 'name', desc: false, offset: 0 },
  page: null,
  selectedId: null,
  member: null,
  history: null,
  historyError: null,
  mode: 'view', // 'view' | 'new' | 'edit' | 'import' | 'bulk'
  listSeq: 0,
  detailSeq: 0,
  // The list as a table, and its columns (views.rs; loaded from the register).
  view: { table: false, columns: ['number', 'name', 'city', 'status'] },
  viewLoaded: false,
  prefetched: null, // {key, answer}: the first page, asked for at start-up
  picked: new Set(), // members picked for a bulk action (ids)
  anchor: null, // where a shift-click range starts
  onlyPicked: false, // the list shows only the picked members
};

let listMarked = false; // the first list drawn is marked once

const COLUMNS = ['number', 'name', 'city', 'workplace', 'status', 'joined', 'email'];
/** The alphabet of the organisation's country, for jumping to a letter. */
function alphabet() {
  const country = store.info && store.info.org ? store.info.org.country : 'SE';
  const latin = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
  return country === 'SE' ? [...latin, 'Å', 'Ä', 'Ö'] : [...latin, 'Æ', 'Ø', 'Å'];
}

let els = null; // DOM references of the currently rendered area
const R = rowSet(() => els && els.list, 'member-row', () => S.selectedId);

// ---------------------------------------------------------------------------
// Public API used by main.js

export function renderMembers(container) {
  // An open import panel survives a redraw (language switch, another area and back).
  S.mode = importOpen() ? 'import' : 'view';
  const q = S.query;

  const search = h('input', {
    type: 'search', id: 'member-search', class: 'search', 'data-testid': 'member-search',
    value: q.search, placeholder: t('members.searchPlaceholder'), autocomplete: 'off',
    spellcheck: 'false', 'aria-keyshortcuts': 'Control+F Meta+F',
  });
  // Each key asks at once (no timer): a key typed while a query runs folds
  // into one more query when it ends, and the out-of-date answer is not shown.
  const searchNow = coalesce((stale) => { q.offset = 0; return refreshList({ stale }); });
  search.addEventListener('input', () => { q.search = search.value; searchNow(); });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); focusRow(R.rows()[0]); }
    if (e.key === 'Enter') { e.preventDefault(); searchNow(); }
  });

  const newBtn = h('button', {
    type: 'button', class: 'btn primary', 'data-testid': 'member-new',
    'aria-keyshortcuts': 'Control+N Meta+N', title: t('members.newShortcut'), onclick: () => openNew(),
  }, t('members.new'));

  const kind = select('filter-kind', KINDS.map((k) => [k, t(`filter.kind.${k}`)]), q.kind);
  const status = select('filter-status', [['', t('filter.allStatuses')], ...STATUSES.map((s) => [s, t(`status.${s}`)])], q.status);
  const branch = select('filter-branch', [['', t('filter.allBranches')], ...store.branches.map((b) => [b.id, b.name])], q.branchId);
  const workplace = select('filter-workplace', [['', t('filter.allWorkplaces')], ...store.workplaces.map((w) => [w.id, w.name])], q.workplaceId);
  const sort = select('sort', SORTS.map((s) => [s, t(`sort.${s}`)]), q.sort);
  const dir = h('button', {
    type: 'button', class: 'btn icon sort-dir', 'data-testid': 'sort-dir',
    'aria-pressed': q.desc ? 'true' : 'false', 'aria-label': t('sort.descending'), title: t('sort.descending'),
  }, q.desc ? '↓' : '↑');
  dir.addEventListener('click', () => {
    q.desc = !q.desc;
    dir.setAttribute('aria-pressed', q.desc ? 'true' : 'false');
    dir.textContent = q.desc ? '↓' : '↑';
    q.offset = 0;
    refreshList();
  });

  const onFilter = (key, el) => el.addEventListener('change', () => { q[key] = el.value; q.offset = 0; refreshList(); });
  onFilter('kind', kind);
  onFilter('status', status);
  onFilter('branchId', branch);
  onFilter('workplaceId', workplace);
  onFilter('sort', sort);

  const count = h('p', { class: 'count', 'data-testid': 'member-count', 'aria-live': 'polite' });
  const selectAll = h('button', {
    type: 'button', class: 'btn small link', 'data-testid': 'member-select-all', title: t('bulk.selectAllHint'), onclick: () => pickAll(),
  }, t('bulk.selectAll'));
  const onlyPicked = h('button', {
    type: 'button', class: 'chip', 'data-testid': 'member-only-picked', hidden: true,
    onclick: () => { S.onlyPicked = false; q.offset = 0; refreshList(); },
  });

  const viewList = h('button', {
    type: 'button', class: 'btn small seg', 'data-testid': 'view-list', onclick: () => setView({ table: false }),
  }, t('view.list'));
  const viewTable = h('button', {
    type: 'button', class: 'btn small seg', 'data-testid': 'view-table', onclick: () => setView({ table: true }),
  }, t('view.table'));
  const columnsBtn = h('button', {
    type: 'button', class: 'btn small', 'data-testid': 'table-columns', onclick: (e) => openColumns(e.currentTarget),
  }, t('view.columns'));
  const jump = h('select', { id: 'jump-letter', 'data-testid': 'jump-letter', title: t('jump.label') },
    options([['', t('jump.placeholder')], ...alphabet().map((l) => [l, l])], ''));
  jump.addEventListener('change', () => {
    const letter = jump.value;
    jump.value = '';
    if (letter) jumpTo(letter);
  });
  const importBtn = h('button', {
    type: 'button', class: 'btn small', 'data-testid': 'member-import', onclick: () => startImport(),
  }, t('members.import'));
  const exportBtn = h('button', {
    type: 'button', class: 'btn small', 'data-testid': 'member-export', onclick: (e) => startExport(e.currentTarget),
  }, t('members.export'));
  const list = h('ul', { class: 'member-list', 'data-testid': 'member-list', 'aria-label': t('members.listLabel') });
  list.addEventListener('keydown', onListKey);
  const table = h('div', { class: 'member-table-wrap', 'data-testid': 'member-table-wrap' });
  table.addEventListener('keydown', onListKey);
  const prev = h('button', { type: 'button', class: 'btn', 'data-testid': 'page-prev', disabled: true }, t('page.prev'));
  const next = h('button', { type: 'button', class: 'btn', 'data-testid': 'page-next', disabled: true }, t('page.next'));
  const pageInfo = h('span', { class: 'page-info', 'data-testid': 'page-info' });
  prev.addEventListener('click', () => { q.offset = Math.max(0, q.offset - LIMIT); refreshList({ scrollTop: true }); });
  next.addEventListener('click', () => { q.offset += LIMIT; refreshList({ scrollTop: true }); });

  const detail = h('section', { class: 'detail-pane', 'aria-label': t('members.detailLabel') });

  const listPane = h('section', { class: 'list-pane', 'aria-label': t('members.listLabel') },
    h('div', { class: 'list-tools' },
      h('div', { class: 'search-row' },
        h('label', { for: 'member-search', class: 'visually-hidden' }, t('members.search')),
        search, newBtn),
      h('div', { class: 'filters' },
        small(t('filter.kind'), kind),
        small(t('filter.status'), status),
        small(t('filter.branch'), branch),
        small(t('filter.workplace'), workplace),
        h('div', { class: 'filter sort-field' },
          h('label', { for: sort.id }, t('sort.label')), sort, dir)),
      h('div', { class: 'view-row' },
        h('div', { class: 'segmented', role: 'group', 'aria-label': t('view.label') }, viewList, viewTable),
        columnsBtn,
        h('label', { for: jump.id, class: 'visually-hidden' }, t('jump.label')),
        jump),
      h('div', { class: 'count-row' },
        count,
        selectAll,
        onlyPicked,
        h('div', { class: 'transfer', role: 'group', 'aria-label': t('members.transferLabel') }, importBtn, exportBtn))),
    list,
    table,
    h('div', { class: 'pager' }, prev, pageInfo, next));

  // In a narrow window the table takes the width and the detail slides in
  // over it when there is something to show (styles.css), with a Close.
  const closeSide = h('button', {
    type: 'button', class: 'btn small detail-close', 'data-testid': 'detail-close', onclick: () => closeDetail(),
  }, t('action.close'));
  const side = h('div', { class: 'detail-side' }, h('div', { class: 'detail-side-bar' }, closeSide), detail);
  const root = h('div', { class: 'members' }, listPane, side);
  replace(container, root);
  new MutationObserver(() => {
    root.classList.toggle('has-detail', !detail.querySelector(':scope > [data-idle]'));
  }).observe(detail, { childList: true });

  els = {
    container, root, search, newBtn, importBtn, exportBtn, kind, status, branch, workplace, sort, dir, count, selectAll, onlyPicked,
    viewList, viewTable, columnsBtn, listEl: list, tableEl: table, list, prev, next, pageInfo, detail,
  };
  showView();
  if (!S.viewLoaded) loadView();

  refreshList();
  if (S.mode === 'import') {
    renderImport(detail, importHooks());
  } else if (S.picked.size) {
    renderBulk();
  } else if (S.selectedId !== null) {
    renderDetailLoading();
    loadDetail(S.selectedId);
  } else {
    renderNoSelection();
  }
}

export function focusSearch() {
  if (!els) return;
  els.search.focus();
  els.search.select();
}

export function openNew() {
  if (!els || importWriting()) return;
  discardImport();
  S.mode = 'new';
  S.detailSeq += 1; // a detail still loading must not replace the form
  renderForm(null);
}

/** Esc: cancel the open form or import. Returns true if there was one. */
export function cancelForm() {
  if (els && S.mode === 'import') {
    closeImport(); // refused while writing: the Stop button is the way out
    return true;
  }
  if (els && S.mode === 'bulk') {
    clearPicks();
    (R.selected() || els.search).focus();
    return true;
  }
  if (!els || (S.mode !== 'new' && S.mode !== 'edit')) return false;
  const edited = S.mode === 'edit' && S.selectedId !== null;
  S.mode = 'view';
  if (S.member && S.selectedId !== null && String(S.member.id) === String(S.selectedId)) {
    renderDetail();
  } else {
    renderNoSelection();
  }
  const focusBack = () => (R.selected() || els.newBtn).focus();
  focusBack();
  if (edited) {
    // Another officer may have changed the member meanwhile (a refused save
    // says so): the member and the list as they are now, the focus kept.
    loadDetail(S.selectedId);
    refreshList().then(() => {
      if (els && document.activeElement === document.body) focusBack();
    });
  }
  return true;
}

/** The Close of the detail beside a narrow table: what Esc or Cancel would do. */
function closeDetail() {
  if (!els) return;
  if (S.mode === 'view') {
    S.selectedId = null;
    S.member = null;
    S.detailSeq += 1;
    R.mark();
    renderNoSelection();
    els.search.focus();
    return;
  }
  cancelForm();
}

export function detach() {
  els = null;
}

/** The register was replaced (a restore): forget the selection, filters and paging. */
export function resetState() {
  discardImport();
  Object.assign(S.query, { search: '', status: '', branchId: '', workplaceId: '', offset: 0 });
  S.page = null;
  S.prefetched = null;
  S.selectedId = null;
  S.member = null;
  S.history = null;
  S.historyError = null;
  S.mode = 'view';
  S.picked = new Set();
  S.anchor = null;
  S.onlyPicked = false;
  S.viewLoaded = false;
  S.listSeq += 1;
  S.detailSeq += 1;
}

/**
 * The list's search and filters as a ListQuery from the first row (no paging
 * limit of its own): what "the current selection" means for exports and
 * printed letters.
 */
export function listQuery() {
  return { ...buildQuery(), offset: 0 };
}

// ---------------------------------------------------------------------------
// List

function select(testid, items, value) {
  return h('select', { id: `${testid}`, 'data-testid': testid }, options(items, value));
}

// The filter selects describe themselves ("All statuses", "Members"), so their
// labels are for screen readers only; the list gets more room.
function small(label, control) {
  control.setAttribute('title', label);
  return h('div', { class: 'filter' }, h('label', { for: control.id, class: 'visually-hidden' }, label), control);
}

/**
 * At start-up: asks for the first page before the window is drawn; the
 * list's first read takes the answer if it asks the same.
 */
export function prefetch() {
  const query = buildQuery();
  const answer = api.membersList(query);
  answer.catch(() => { /* the list asks again and shows why */ });
  S.prefetched = { key: JSON.stringify(query), answer };
}

/** The start-up's early answer is not for this screen (welcome, in use, an error). */
export function dropPrefetch() {
  S.prefetched = null;
}

function buildQuery() {
  const q = S.query;
  return {
    search: q.search.trim(),
    status: q.status || null,
    branchId: idFrom(store.branches, q.branchId),
    workplaceId: idFrom(store.workplaces, q.workplaceId),
    kind: q.kind || null,
    ids: S.onlyPicked && S.picked.size ? [...S.picked] : null,
    sort: q.sort,
    desc: q.desc,
    offset: q.offset,
    limit: LIMIT,
  };
}

async function refreshList(opts = {}) {
  if (!els) return;
  const seq = ++S.listSeq;
  const mine = els;
  mine.list.setAttribute('aria-busy', 'true');
  let page;
  const query = buildQuery();
  const pre = S.prefetched;
  S.prefetched = null;
  try {
    page = await (pre && pre.key === JSON.stringify(query) ? pre.answer : api.membersList(query));
  } catch (err) {
    if (seq !== S.listSeq || els !== mine || (opts.stale && opts.stale())) return;
    mine.list.removeAttribute('aria-busy');
    replace(mine.list, h('li', { class: 'list-error', 'data-testid': 'list-error', role: 'alert' }, errorText(err)));
    return;
  }
  if (seq !== S.listSeq || els !== mine) return; // superseded by a newer query
  if (opts.stale && opts.stale()) return; // a newer search follows at once
  mine.list.removeAttribute('aria-busy');
  if (page.items.length === 0 && page.total > 0 && S.query.offset > 0) {
    // The page we were on no longer exists (e.g. after a filter change): go to the last one.
    S.query.offset = Math.max(0, Math.floor((page.total - 1) / LIMIT) * LIMIT);
    refreshList(opts);
    return;
  }
  S.page = page;
  renderList();
  if (!listMarked) { listMarked = true; performance.mark('medlem:list'); } // for the window bench
  if (opts.scrollTop) mine.list.scrollTop = 0;
  if (opts.focusHead) {
    const head = mine.list.querySelector(`[data-testid="col-${opts.focusHead}"]`);
    if (head) head.focus();
  }
}

function rowName(r) {
  const last = (r.lastName || '').trim();
  const first = (r.firstName || '').trim();
  if (last && first) return `${last}, ${first}`;
  return last || first || t('members.noName');
}

function renderList() {
  const { page } = S;
  const q = S.query;
  els.count.textContent = tp(q.kind === 'prospect' ? 'prospects.count' : 'members.count', page.total);
  els.selectAll.hidden = page.total === 0;
  const only = S.onlyPicked && S.picked.size > 0;
  els.onlyPicked.hidden = !only;
  els.onlyPicked.textContent = only ? tp('bulk.onlyPicked', S.picked.size) : '';
  if (only) els.onlyPicked.setAttribute('title', t('bulk.showAll'));

  const rows = page.items.map((r) => (S.view.table ? tableRow(r) : listRow(r)));

  if (rows.length === 0) {
    const filtered = q.search.trim() || q.status || q.branchId || q.workplaceId || only;
    const fresh = !filtered && q.kind !== 'prospect';
    const empty = h('div', { class: 'list-empty', 'data-testid': 'list-empty' },
      h('p', null, t(filtered ? 'members.emptyFiltered' : (q.kind === 'prospect' ? 'members.emptyProspects' : 'members.empty'))),
      filtered ? h('p', { class: 'hint' }, t('members.emptyFilteredHint')) : null,
      fresh ? h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn primary', 'data-testid': 'empty-new', onclick: () => openNew() }, t('members.new')),
        h('button', { type: 'button', class: 'btn', 'data-testid': 'empty-import', onclick: () => startImport() }, t('members.import'))) : null);
    if (S.view.table) replace(els.list, empty);
    else replace(els.list, h('li', null, empty));
  } else if (S.view.table) {
    replace(els.list, h('table', { class: 'member-table', 'data-testid': 'member-table' },
      h('caption', { class: 'visually-hidden' }, t('members.listLabel')),
      tableHead(),
      h('tbody', null, rows)));
  } else {
    replace(els.list, rows);
  }
  markPicks();

  const from = page.total === 0 ? 0 : page.offset + 1;
  const to = Math.min(page.offset + page.items.length, page.total);
  els.pageInfo.textContent = page.total === 0
    ? t('page.none')
    : t('page.info', { from: formatNumber(from), to: formatNumber(to), total: formatNumber(page.total) });
  els.prev.disabled = page.offset <= 0;
  els.next.disabled = page.offset + page.items.length >= page.total;
}

function listRow(r) {
  const selected = S.selectedId !== null && String(r.id) === String(S.selectedId);
  const btn = h('button', {
    type: 'button', class: ['member-row', selected ? 'selected' : ''], 'data-testid': 'member-row',
    dataset: { id: r.id, number: r.number }, 'aria-current': selected ? 'true' : null,
  },
  h('span', { class: 'row-line' },
    h('span', { class: 'row-name' }, rowName(r)),
    h('span', { class: 'row-number' }, r.number)),
  h('span', { class: 'row-line sub' },
    h('span', { class: 'row-city' }, r.city || ''),
    h('span', { class: `badge status-${r.status}` }, tOr(`status.${r.status}`, r.status))));
  btn.addEventListener('click', (e) => onRowClick(e, r.id));
  return h('li', null, btn);
}

// ---------------------------------------------------------------------------
// The table view: the columns the treasurer picked, sorted by a click on a header

function cellText(r, c) {
  switch (c) {
    case 'number': return r.number;
    case 'name': return rowName(r);
    case 'city': return r.city || '';
    case 'workplace': return r.workplaceName || '';
    case 'joined': return r.joinedDate ? formatDate(r.joinedDate) : '';
    case 'email': return r.email || '';
    default: return '';
  }
}

function tableHead() {
  const q = S.query;
  const all = h('input', {
    type: 'checkbox', 'data-testid': 'pick-page', 'aria-label': t('bulk.pickPage'), title: t('bulk.pickPage'),
  });
  all.addEventListener('change', () => {
    for (const r of S.page.items) {
      if (all.checked) S.picked.add(r.id); else S.picked.delete(r.id);
    }
    afterPick();
  });
  return h('thead', null, h('tr', null,
    h('th', { class: 'pick-col', scope: 'col' }, all),
    S.view.columns.map((c) => {
      const sorted = q.sort === c;
      const head = h('button', {
        type: 'button', class: 'col-head', 'data-testid': `col-${c}`, title: t('view.sortBy', { column: t(`view.col.${c}`) }),
      }, h('span', { class: 'col-label' }, t(`view.col.${c}`)), sorted ? h('span', { class: 'col-dir', 'aria-hidden': 'true' }, q.desc ? ' ↓' : ' ↑') : null);
      head.addEventListener('click', () => sortBy(c));
      return h('th', {
        scope: 'col', class: `col-${c}`, 'aria-sort': sorted ? (q.desc ? 'descending' : 'ascending') : null,
      }, head);
    })));
}

function tableRow(r) {
  const selected = S.selectedId !== null && String(r.id) === String(S.selectedId);
  const pick = h('input', {
    type: 'checkbox', 'data-testid': 'row-pick', tabindex: '-1', 'aria-label': t('bulk.pickRow', { name: rowName(r) }),
  });
  pick.addEventListener('click', (e) => {
    e.stopPropagation();
    if (e.shiftKey) pickRange(r.id); else togglePick(r.id, true);
  });
  const cells = S.view.columns.map((c) => {
    if (c === 'status') {
      return h('td', { class: 'col-status' }, h('span', {
        class: `badge status-${r.status}`, title: r.scheduled ? scheduledText(r.scheduled) : null,
      }, tOr(`status.${r.status}`, r.status)));
    }
    return h('td', { class: `col-${c}` }, h('span', { class: 'cell', 'data-testid': c === 'name' ? 'row-name' : null }, cellText(r, c)));
  });
  const tr = h('tr', {
    class: ['member-trow', selected ? 'selected' : ''], 'data-testid': 'member-row', tabindex: '0',
    dataset: { id: r.id, number: r.number }, 'aria-current': selected ? 'true' : null,
  }, h('td', { class: 'pick-col' }, pick), cells);
  tr.addEventListener('click', (e) => onRowClick(e, r.id));
  tr.addEventListener('keydown', (e) => {
    if (e.target !== tr) return;
    if (e.key === 'Enter') { e.preventDefault(); onRowClick(e, r.id); }
    if (e.key === ' ') { e.preventDefault(); togglePick(r.id, true); }
  });
  return tr;
}

/** A click on a column's header: sort by it, a second click turns the order. */
function sortBy(column) {
  const q = S.query;
  if (q.sort === column) q.desc = !q.desc;
  else { q.sort = column; q.desc = false; }
  els.sort.value = q.sort;
  els.dir.setAttribute('aria-pressed', q.desc ? 'true' : 'false');
  els.dir.textContent = q.desc ? '↓' : '↑';
  q.offset = 0;
  refreshList({ scrollTop: true, focusHead: column });
}

// ---------------------------------------------------------------------------
// List or table: the choice and the columns are the register's (views.rs)

async function loadView() {
  try {
    const view = await api.memberViewGet();
    S.view = view;
    S.viewLoaded = true;
  } catch (_) {
    return; // the list view it is
  }
  if (!els) return;
  showView();
  if (S.page) renderList();
}

function showView() {
  const table = S.view.table;
  els.root.classList.toggle('table-view', table);
  els.viewList.setAttribute('aria-pressed', table ? 'false' : 'true');
  els.viewTable.setAttribute('aria-pressed', table ? 'true' : 'false');
  els.columnsBtn.hidden = !table;
  els.listEl.hidden = table;
  els.tableEl.hidden = !table;
  els.list = table ? els.tableEl : els.listEl;
}

async function setView(change) {
  const next = { ...S.view, ...change };
  S.view = next;
  if (els) {
    showView();
    if (S.page) renderList();
    const sel = R.selected();
    if (sel) sel.scrollIntoView({ block: 'nearest' });
  }
  try {
    S.view = await api.memberViewSet(next);
  } catch (err) {
    toast(errorText(err));
  }
}

function openColumns(opener) {
  const old = document.querySelector('dialog[data-testid="columns-dialog"]');
  if (old) old.remove();
  const titleId = nextId('columns-title');
  const boxes = {};
  const choices = COLUMNS.map((c) => {
    const id = nextId(`column-${c}`);
    const box = h('input', {
      type: 'checkbox', id, 'data-testid': `column-${c}`, checked: S.view.columns.includes(c), disabled: c === 'name',
    });
    boxes[c] = box;
    box.addEventListener('change', () => setView({ columns: COLUMNS.filter((x) => boxes[x].checked) }));
    return h('div', { class: 'check-field' }, box, h('label', { for: id }, t(`view.col.${c}`)));
  });
  const done = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'columns-done' }, t('action.close'));
  const dialog = h('dialog', { class: 'dialog columns-dialog', 'data-testid': 'columns-dialog', 'aria-labelledby': titleId },
    h('div', { class: 'dialog-form' },
      h('h2', { id: titleId }, t('view.columnsTitle')),
      h('p', { class: 'hint' }, t('view.columnsHint')),
      h('div', { class: 'column-choices' }, choices),
      h('div', { class: 'actions' }, done)));
  const close = openModal(dialog, { opener });
  done.addEventListener('click', () => close());
  done.focus();
}

// ---------------------------------------------------------------------------
// Jumping to a letter (by name, or by city when the list is sorted by city)

async function jumpTo(letter) {
  if (!els) return;
  const q = S.query;
  if (q.sort !== 'name' && q.sort !== 'city') {
    q.sort = 'name';
    q.desc = false;
    els.sort.value = 'name';
    els.dir.setAttribute('aria-pressed', 'false');
    els.dir.textContent = '↑';
  }
  let pos;
  try {
    pos = await api.membersPosition({ ...buildQuery(), offset: 0 }, letter);
  } catch (err) {
    toast(errorText(err));
    return;
  }
  if (!els || !S.page) return;
  const total = S.page.total;
  const at = Math.min(pos, Math.max(0, total - 1));
  q.offset = Math.floor(at / LIMIT) * LIMIT;
  await refreshList();
  if (!els) return;
  const row = R.rows()[at - q.offset];
  if (row) {
    row.scrollIntoView({ block: 'start' });
    focusRow(row);
  }
}

// ---------------------------------------------------------------------------
// Picking several members (ctrl/shift-click, Select all) for a bulk action

function onRowClick(e, id) {
  if (importWriting()) return;
  if (e.shiftKey) {
    e.preventDefault();
    pickRange(id);
    return;
  }
  if (e.ctrlKey || e.metaKey) {
    togglePick(id);
    return;
  }
  S.anchor = id;
  if (S.picked.size) {
    S.picked.clear();
    S.onlyPicked = false;
    markPicks();
  }
  selectMember(id);
}

/** Adds or removes one member; the one shown (if any) joins at the first. */
function togglePick(id, fromBox = false) {
  if (importWriting()) return;
  if (!S.picked.size && !fromBox && S.selectedId !== null && String(S.selectedId) !== String(id) && S.mode === 'view') {
    S.picked.add(Number(S.selectedId));
  }
  if (S.picked.has(id)) S.picked.delete(id); else S.picked.add(id);
  S.anchor = id;
  afterPick();
}

/** Shift-click: everyone on the page from the last click to this one. */
function pickRange(id) {
  if (importWriting()) return;
  const ids = S.page ? S.page.items.map((r) => r.id) : [];
  const start = S.anchor ?? (S.selectedId !== null ? Number(S.selectedId) : null);
  const from = ids.indexOf(start);
  const to = ids.indexOf(id);
  if (from < 0 || to < 0) { togglePick(id); return; }
  const [a, b] = from < to ? [from, to] : [to, from];
  for (const x of ids.slice(a, b + 1)) S.picked.add(x);
  afterPick();
}

/** Select all: every member the search and filters find, on every page. */
async function pickAll() {
  if (!els || importWriting()) return;
  let ids;
  try {
    ids = await api.membersIds({ ...buildQuery(), offset: 0 });
  } catch (err) {
    toast(errorText(err));
    return;
  }
  S.picked = new Set(ids);
  afterPick();
}

function clearPicks() {
  S.picked.clear();
  S.anchor = null;
  const only = S.onlyPicked;
  S.onlyPicked = false;
  afterPick();
  if (only) refreshList();
}

function markPicks() {
  if (!els) return;
  for (const row of R.rows()) {
    const on = S.picked.has(Number(row.dataset.id));
    row.classList.toggle('picked', on);
    const box = row.querySelector('[data-testid="row-pick"]');
    if (box) box.checked = on;
    if (S.view.table) row.setAttribute('aria-selected', on ? 'true' : 'false');
  }
  const all = els.list.querySelector('[data-testid="pick-page"]');
  if (all && S.page) {
    const n = S.page.items.filter((r) => S.picked.has(r.id)).length;
    all.checked = n > 0 && n === S.page.items.length;
    all.indeterminate = n > 0 && n < S.page.items.length;
  }
}

/** After the picks changed: the rows show it, the right pane offers the actions. */
function afterPick() {
  if (!els) return;
  markPicks();
  if (S.picked.size) {
    if (S.mode === 'new' || S.mode === 'edit' || S.mode === 'import') discardImport();
    renderBulk();
  } else if (S.mode === 'bulk') {
    S.mode = 'view';
    S.onlyPicked = false;
    if (S.selectedId !== null) {
      renderDetailLoading();
      loadDetail(S.selectedId);
    } else {
      renderNoSelection();
    }
  }
}

function renderBulk() {
  S.mode = 'bulk';
  S.detailSeq += 1; // a detail still loading must not replace the panel
  renderBulkPanel(els.detail, {
    ids: [...S.picked],
    onClear: () => { clearPicks(); if (els) (R.selected() || els.search).focus(); },
    onChanged: () => {
      if (!els) return;
      refreshList();
    },
    onExport: (opener) => startExport(opener, true),
    onLetters: () => document.dispatchEvent(new CustomEvent('medlem:goto', { detail: { area: 'letters' } })),
  });
}

/** The picked members as a ListQuery (for letters), or null when none are picked. */
export function pickedQuery() {
  if (!S.picked.size) return null;
  return {
    search: '', status: null, branchId: null, workplaceId: null, kind: null, ids: [...S.picked],
    sort: S.query.sort, desc: S.query.desc, offset: 0, limit: LIMIT,
  };
}

function selectMember(id) {
  if (importWriting()) return; // the import panel stays until the rows are written
  discardImport();
  S.selectedId = id;
  S.mode = 'view';
  R.mark();
  if (!S.member || String(S.member.id) !== String(id)) renderDetailLoading();
  loadDetail(id);
}

/** Focuses a row and shows its member (the picks, if any, are let go). */
function focusRow(target) {
  if (!target) return;
  target.focus();
  const item = S.page.items.find((r) => String(r.id) === target.dataset.id);
  if (!item) return;
  S.anchor = item.id;
  if (S.picked.size) {
    S.picked.clear();
    S.onlyPicked = false;
    markPicks();
    selectMember(item.id);
  } else if (String(item.id) !== String(S.selectedId)) {
    selectMember(item.id);
  }
}

function onListKey(e) {
  const onRow = e.target && e.target.dataset && e.target.dataset.testid === 'member-row';
  if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === 'a' || e.key === 'A')) {
    e.preventDefault();
    pickAll();
    return;
  }
  // A letter typed in the list goes to the first name with it.
  if (onRow && !e.ctrlKey && !e.metaKey && !e.altKey && e.key.length === 1 && /\p{L}/u.test(e.key)) {
    e.preventDefault();
    jumpTo(e.key.toLocaleUpperCase());
    return;
  }
  const target = keyTarget(e, R.rows(), S.selectedId);
  if (!target) return;
  e.preventDefault();
  if (e.shiftKey) {
    // Shift with the arrows picks from where the last click or move was.
    if (S.anchor === null && S.selectedId !== null) S.anchor = Number(S.selectedId);
    target.focus();
    pickRange(Number(target.dataset.id));
    return;
  }
  focusRow(target);
}

// ---------------------------------------------------------------------------
// Import and export (import.js, export.js)

function importHooks() {
  return {
    onClose: () => {
      if (!els) return;
      S.mode = 'view';
      S.detailSeq += 1;
      if (S.selectedId !== null) {
        renderDetailLoading();
        loadDetail(S.selectedId);
      } else {
        renderNoSelection();
      }
      els.importBtn.focus();
    },
    onImported: () => {
      if (!els) return; // renderMembers refreshes everything when the area is shown again
      refreshRefOptions();
      refreshList();
    },
    // "Show the imported members": they are picked, and the list shows only them.
    onShowImported: (ids) => {
      if (!els) return;
      S.picked = new Set(ids);
      S.onlyPicked = true;
      S.query.offset = 0;
      refreshList({ scrollTop: true });
      afterPick();
    },
  };
}

function startImport() {
  if (!els) return;
  if (importOpen()) {
    // Already open: just go there.
    const path = els.detail.querySelector('[data-testid="import-path"]');
    if (path) path.focus();
    return;
  }
  S.mode = 'import';
  S.detailSeq += 1; // a detail still loading must not replace the panel
  els.detail.scrollTop = 0;
  openImport(els.detail, importHooks());
}

/** After an import: the branch and workplace filters offer what it created. */
function refreshRefOptions() {
  const q = S.query;
  replace(els.branch, options([['', t('filter.allBranches')], ...store.branches.map((b) => [b.id, b.name])], q.branchId));
  replace(els.workplace, options([['', t('filter.allWorkplaces')], ...store.workplaces.map((w) => [w.id, w.name])], q.workplaceId));
  els.branch.value = String(q.branchId);
  els.workplace.value = String(q.workplaceId);
}

function exportQueries() {
  const q = buildQuery();
  return {
    selectionQuery: { ...q, offset: 0 },
    allQuery: {
      search: '', status: null, branchId: null, workplaceId: null, kind: null,
      sort: q.sort, desc: q.desc, offset: 0, limit: q.limit,
    },
  };
}

function startExport(opener, picked = false) {
  // The backend has one Stop for imports and exports: no export while an import writes.
  if (!els || importWriting()) return;
  const queries = exportQueries();
  if (picked && S.picked.size) {
    openExport(opener, {
      ...queries, selectionQuery: pickedQuery(), selectionTotal: S.picked.size, picked: true, prospects: false,
    });
    return;
  }
  openExport(opener, {
    ...queries,
    selectionTotal: S.page ? S.page.total : null,
    prospects: S.query.kind === 'prospect',
  });
}

// ---------------------------------------------------------------------------
// Detail

function renderNoSelection() {
  replace(els.detail, h('div', { class: 'detail-empty', 'data-idle': 'true' },
    h('p', null, t('members.noSelection'))));
}

function renderDetailLoading() {
  replace(els.detail, h('div', { class: 'detail-empty', 'aria-busy': 'true' }, h('p', null, t('app.loading'))));
}

async function loadDetail(id) {
  const seq = ++S.detailSeq;
  const mine = els;
  let member;
  try {
    member = await api.memberGet(id);
  } catch (err) {
    if (seq !== S.detailSeq || els !== mine || S.mode !== 'view') return;
    if (err.code === 'not_found') { S.selectedId = null; S.member = null; R.mark(); }
    replace(els.detail, h('div', { class: 'detail-empty' },
      h('p', { class: 'form-error', role: 'alert', 'data-testid': 'detail-error' }, errorText(err))));
    return;
  }
  let history = null;
  let historyError = null;
  try {
    history = await api.memberHistory(id);
  } catch (err) {
    historyError = err;
  }
  if (seq !== S.detailSeq || els !== mine || S.mode !== 'view') return;
  S.member = member;
  S.history = history;
  S.historyError = historyError;
  renderDetail();
}

async function reloadHistory(id) {
  const seq = S.detailSeq;
  const mine = els;
  try {
    S.history = await api.memberHistory(id);
    S.historyError = null;
  } catch (err) {
    S.history = null;
    S.historyError = err;
  }
  if (seq !== S.detailSeq || els !== mine || S.mode !== 'view') return;
  const old = els.detail.querySelector('.history');
  if (old) old.replaceWith(historySection());
}

function noneMark() {
  return [h('span', { class: 'muted', 'aria-hidden': 'true' }, '–'), h('span', { class: 'visually-hidden' }, t('detail.none'))];
}

function dlRow(label, value, testid) {
  const empty = value === null || value === undefined || value === '';
  if (empty && !testid) return null;
  if (!testid) return [h('dt', null, label), h('dd', null, value)];
  return [h('dt', null, label), h('dd', { class: 'selectable' },
    h('span', { 'data-testid': testid }, empty ? '' : value),
    empty ? noneMark() : null)];
}

function renderDetail() {
  const m = S.member;
  if (!m) { renderNoSelection(); return; }
  const orgCountry = store.info && store.info.org ? store.info.org.country : null;

  const actions = h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'btn', 'data-testid': 'member-edit', onclick: () => openEdit() }, t('action.edit')),
    (m.status === 'applicant' || m.status === 'active')
      ? h('button', { type: 'button', class: 'btn', 'data-testid': 'member-resign', onclick: (e) => openStatusDialog('resign', e.currentTarget) }, t('action.resign'))
      : null,
    m.status === 'resigned'
      ? h('button', { type: 'button', class: 'btn', 'data-testid': 'member-reinstate', onclick: (e) => openStatusDialog('reinstate', e.currentTarget) }, t('action.reinstate'))
      : null,
    m.scheduled
      ? h('button', { type: 'button', class: 'btn', 'data-testid': 'member-unschedule', onclick: (e) => openStatusDialog('unschedule', e.currentTarget) }, t('action.unschedule'))
      : null);

  const header = h('header', { class: 'detail-header' },
    h('div', { class: 'detail-title' },
      h('h2', { 'data-testid': 'detail-name', tabindex: '-1', id: 'detail-name' }, fullName(m)),
      h('p', { class: 'detail-meta' },
        h('span', { class: 'meta-label' }, t('detail.numberLabel')), ' ',
        h('span', { 'data-testid': 'detail-number', class: 'detail-number' }, m.number),
        h('span', { class: 'sep', 'aria-hidden': 'true' }, ' · '),
        h('span', { class: `badge status-${m.status}`, 'data-testid': 'detail-status' }, tOr(`status.${m.status}`, m.status)),
        m.statusDate ? h('span', { class: 'status-date', 'data-testid': 'detail-status-date' }, ' ', t('detail.since', { date: formatDate(m.statusDate) })) : null,
        m.scheduled ? [h('span', { class: 'sep', 'aria-hidden': 'true' }, ' · '), h('span', { class: 'status-scheduled', 'data-testid': 'detail-scheduled' }, scheduledText(m.scheduled))] : null,
        m.kind === 'prospect' ? [h('span', { class: 'sep', 'aria-hidden': 'true' }, ' · '), h('span', { class: 'badge' }, t('kind.prospect'))] : null)),
    actions);

  const cityLine = (m.postcode || m.city)
    ? h('span', null, m.postcode ? `${m.postcode} ` : '', h('span', { 'data-testid': 'detail-city' }, m.city || ''))
    : h('span', { 'data-testid': 'detail-city' }, '');
  const addressLines = [
    m.careOf ? h('span', null, t('detail.careOf', { name: m.careOf })) : null,
    m.address1 ? h('span', null, m.address1) : null,
    m.address2 ? h('span', null, m.address2) : null,
    cityLine,
    m.country && m.country !== orgCountry ? h('span', null, countryName(m.country)) : null,
  ].filter(Boolean);
  const hasAddress = m.careOf || m.address1 || m.address2 || m.postcode || m.city;

  const contact = h('section', { class: 'detail-section' },
    h('h3', null, t('group.contact')),
    h('dl', null,
      dlRow(t('field.email'), m.email, 'detail-email'),
      dlRow(t('field.phone'), m.phone, 'detail-phone'),
      h('dt', null, t('group.address')),
      h('dd', { class: 'selectable' }, hasAddress
        ? h('span', { class: 'address-lines' }, addressLines)
        : [cityLine, noneMark()])));

  const membership = h('section', { class: 'detail-section' },
    h('h3', null, t('group.membership')),
    h('dl', null,
      dlRow(t('field.membershipType'), tOr(`membershipType.${m.membershipType}`, m.membershipType)),
      dlRow(t('field.joinedDate'), m.joinedDate ? formatDate(m.joinedDate) : ''),
      dlRow(t('field.branchId'), m.branchName || ''),
      dlRow(t('field.workplaceId'), m.workplaceName || ''),
      dlRow(t('field.birthDate'), m.birthDate ? formatDate(m.birthDate) : ''),
      dlRow(t('field.language'), tOr(`language.${m.language}`, m.language))));

  const today = todayIso();
  const roles = h('section', { class: 'detail-section' },
    h('h3', null, t('group.roles')),
    (m.roles && m.roles.length)
      ? h('ul', { class: 'role-list', 'data-testid': 'detail-roles' }, m.roles.map((r) => {
        const ended = r.to && r.to < today;
        return h('li', { class: ended ? 'ended' : null },
          h('span', { class: 'role-name' }, tOr(`role.${r.role}`, r.role)), ' ',
          h('span', { class: 'role-term' }, r.to
            ? t('role.term', { from: formatDate(r.from), to: formatDate(r.to) })
            : t('role.termOpen', { from: formatDate(r.from) })));
      }))
      : h('p', { class: 'muted' }, t('detail.noRoles')));

  const notes = m.notes && m.notes.trim()
    ? h('section', { class: 'detail-section' }, h('h3', null, t('group.notes')), h('p', { class: 'notes selectable', 'data-testid': 'detail-notes' }, m.notes))
    : null;

  replace(els.detail, h('article', { class: 'member-detail', 'data-testid': 'member-detail', 'aria-labelledby': 'detail-name' },
    header, h('div', { class: 'detail-grid' }, contact, membership), roles, duesSection(m), notes, historySection()));
}

// The member's dues: what is owed and in credit, and the invoices.
function duesSection(m) {
  const slot = h('div', { 'data-testid': 'detail-dues' }, h('p', { class: 'muted' }, t('app.loading')));
  Promise.all([api.memberAccount(m.id), api.invoicesList({ memberId: m.id })]).then(([account, invoices]) => {
    if (!slot.isConnected) return;
    replace(slot,
      h('p', { 'data-testid': 'detail-dues-account' }, t('detail.duesAccount', {
        owed: formatAmount(account.owed), credit: formatAmount(account.credit),
      })),
      memberDuesBox(m, account, () => { if (slot.isConnected) replace(slot.parentElement, ...duesSection(m).childNodes); }),
      invoices.length
        ? h('ul', { class: 'role-list', 'data-testid': 'detail-invoices' }, invoices.map((i) => h('li', { 'data-testid': 'detail-invoice' },
          h('span', { class: 'role-name' }, `${i.period}: ${formatAmount(i.amount)}`), ' ',
          h('span', { class: 'role-term' }, tOr(`invoiceStatus.${i.status}`, i.status)))))
        : h('p', { class: 'muted' }, t('detail.noInvoices')));
  }).catch((err) => {
    if (!slot.isConnected) return;
    replace(slot, h('p', { class: 'form-error', role: 'alert' }, errorText(err)));
  });
  return h('section', { class: 'detail-section' }, h('h3', null, t('nav.dues')), slot);
}

// A status change that waits for its day: "resigns 31 Dec 2026".
function scheduledText(sc) {
  const date = formatDate(sc.date);
  if (sc.status === 'resigned') return t('detail.resigns', { date });
  return t('detail.scheduled', { status: tOr(`status.${sc.status}`, sc.status), date });
}

function historySection() {
  let body;
  if (S.historyError) {
    body = h('p', { class: 'form-error', role: 'alert' }, errorText(S.historyError));
  } else if (!S.history) {
    body = h('p', { class: 'muted' }, t('app.loading'));
  }
  return h('section', { class: 'detail-section history' },
    h('h3', null, t('history.title')),
    body || h('ol', { class: 'history-list', 'data-testid': 'history-list' },
      S.history.length
        ? S.history.map(historyEntry)
        : h('li', { class: 'muted' }, t('history.none'))));
}

const historyValue = fieldValue;

function historyEntry(e) {
  let text;
  if (e.kind === 'created') {
    text = t('history.created');
  } else if (e.kind === 'status') {
    const from = historyValue('status', e.oldValue);
    const to = historyValue('status', e.newValue);
    text = e.oldValue ? t('history.changed', { field: t('field.status'), old: from, new: to }) : t('history.set', { field: t('field.status'), new: to });
  } else if (e.kind === 'unscheduled') {
    // oldValue: the status kept, newValue: the one that was set, effectiveDate: its day.
    text = t('history.unscheduled', { status: historyValue('status', e.newValue), date: formatDate(e.effectiveDate || '') });
  } else if (e.kind === 'invoice') {
    // field: the period, oldValue/newValue: the invoice's status before and after.
    const status = (v) => tOr(`invoiceStatus.${v}`, v || '');
    text = e.oldValue
      ? t('history.invoiceChanged', { period: e.field || '', old: status(e.oldValue), new: status(e.newValue) })
      : t('history.invoice', { period: e.field || '', status: status(e.newValue) });
  } else if (e.kind === 'payment') {
    // field: the invoice's period (none: credit), newValue: the amount in
    // minor units, or oldValue when reversed.
    const amount = formatAmount(Number(e.newValue || e.oldValue || 0));
    const period = e.field || '';
    const key = e.newValue
      ? (period ? 'history.payment' : 'history.paymentCredit')
      : (period ? 'history.paymentReversed' : 'history.paymentCreditReversed');
    text = t(key, { amount, period });
  } else if (e.kind === 'imported') {
    text = t('history.imported', { file: e.newValue || '' });
  } else if (e.kind === 'letter') {
    text = t('history.letter', { subject: e.newValue || '', template: templateTitle(e.field || '') });
  } else if (e.kind === 'attended') {
    // field: the meeting's title, newValue: its kind, effectiveDate: its day.
    const vars = { title: e.field || '', kind: kindName(e.newValue || ''), date: formatDate(e.effectiveDate || '') };
    text = t(e.effectiveDate ? 'history.attended' : 'history.attendedNoDate', vars);
  } else if (e.kind === 'role') {
    const label = e.field ? fieldLabel(e.field) : t('field.roles');
    if (e.oldValue === null || e.oldValue === undefined || e.oldValue === '') text = t('history.roleAdded', { role: label, value: historyValue(e.field, e.newValue) });
    else if (e.newValue === null || e.newValue === undefined || e.newValue === '') text = t('history.roleRemoved', { role: label, value: historyValue(e.field, e.oldValue) });
    else text = t('history.changed', { field: label, old: historyValue(e.field, e.oldValue), new: historyValue(e.field, e.newValue) });
  } else {
    text = t('history.changed', {
      field: fieldLabel(e.field), old: historyValue(e.field, e.oldValue), new: historyValue(e.field, e.newValue),
    });
  }
  return h('li', { class: ['history-entry', `history-${e.kind}`], 'data-testid': 'history-entry' },
    h('span', { class: 'history-what' }, text,
      e.effectiveDate && e.kind !== 'attended' && e.kind !== 'unscheduled' ? h('span', { class: 'history-effective' }, ' ', t('history.effective', { date: formatDate(e.effectiveDate) })) : null,
      // On the office server: the officer who wrote it.
      e.by ? h('span', { class: 'history-by', 'data-testid': 'history-by' }, ' · ', t('history.by', { user: e.by })) : null),
    h('time', { class: 'history-when', datetime: e.at }, formatDateTime(e.at)));
}

// ---------------------------------------------------------------------------
// Status dialog (resign / reinstate)

function openStatusDialog(which, opener) {
  const m = S.member;
  if (!m) return;
  // Calling a waiting change off: back to the status the member has today.
  const unschedule = which === 'unschedule';
  const status = which === 'resign' ? 'resigned' : unschedule ? m.status : 'active';
  const dateInput = h('input', {
    type: 'text', id: nextId('status-date'), 'data-testid': 'status-date', value: todayIso(),
    placeholder: t('date.placeholder'), autocomplete: 'off', spellcheck: 'false', class: 'date-input',
  });
  const generalError = h('p', { class: 'form-error', 'data-testid': 'status-error', role: 'alert' });
  const confirm = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'status-confirm' }, t(`dialog.${which}.confirm`));
  const cancel = h('button', { type: 'button', class: 'btn', 'data-testid': 'status-cancel' }, t('action.cancel'));
  const titleId = nextId('dlg-title');
  const form = h('form', { class: 'dialog-form', novalidate: true },
    h('h2', { id: titleId }, t(`dialog.${which}.title`)),
    h('p', null, t(`dialog.${which}.text`, { name: fullName(m), change: m.scheduled ? scheduledText(m.scheduled) : '' })),
    unschedule ? null : field({ label: t('dialog.date'), control: dateInput, errorName: 'date', hint: t('date.hint') }),
    generalError,
    h('div', { class: 'actions' }, confirm, cancel));
  const dialog = h('dialog', { class: 'dialog', 'data-testid': 'status-dialog', 'aria-labelledby': titleId }, form);
  document.body.appendChild(dialog);

  let busy = false;
  const close = () => {
    if (dialog.open) dialog.close();
    dialog.remove();
    if (opener && opener.isConnected) opener.focus();
    else if (els) { const b = els.detail.querySelector('[data-testid="member-edit"]'); if (b) b.focus(); }
  };
  cancel.addEventListener('click', close);
  dialog.addEventListener('cancel', (e) => { e.preventDefault(); if (!busy) close(); });
  dialog.addEventListener('keydown', (e) => { if (e.key === 'Escape') e.stopPropagation(); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    clearFieldErrors(form);
    generalError.textContent = '';
    const date = dateInput.value.trim();
    if (!date) { showFieldErrors(form, [{ field: 'date', code: 'required' }]); return; }
    busy = true;
    confirm.disabled = true;
    try {
      const updated = await api.memberSetStatus(m.id, status, date);
      busy = false;
      close();
      if (els && String(S.selectedId) === String(updated.id)) {
        S.member = updated;
        S.history = null;
        if (S.mode === 'view') renderDetail();
        reloadHistory(updated.id);
        const btn = els.detail.querySelector('[data-testid="member-edit"]');
        if (btn) btn.focus();
      }
      refreshList();
      toast(t('toast.saved'));
    } catch (err) {
      busy = false;
      confirm.disabled = false;
      showFormError(form, generalError, err, { unplacedText: fieldErrorLine });
    }
  });

  if (typeof dialog.showModal === 'function') dialog.showModal();
  else dialog.setAttribute('open', '');
  if (unschedule) {
    confirm.focus();
  } else {
    dateInput.focus();
    dateInput.select();
  }
}

// ---------------------------------------------------------------------------
// Form (new / edit): memberform.js

function openEdit() {
  if (!S.member) return;
  S.mode = 'edit';
  S.detailSeq += 1;
  renderForm(S.member);
}

function renderForm(member) {
  renderMemberForm(els.detail, member, {
    kind: S.query.kind,
    branchId: S.query.branchId,
    onCancel: () => cancelForm(),
    onSaved: (saved) => {
      if (!els) return;
      S.mode = 'view';
      S.selectedId = saved.id;
      S.member = saved;
      S.history = null;
      S.historyError = null;
      S.detailSeq += 1;
      if (saved.kind && saved.kind !== S.query.kind) {
        S.query.kind = saved.kind;
        S.query.offset = 0;
        els.kind.value = saved.kind;
      }
      renderDetail();
      reloadHistory(saved.id);
      refreshList();
      toast(t('toast.saved'));
      const heading = els.detail.querySelector('#detail-name');
      if (heading) heading.focus();
    },
  });
}
