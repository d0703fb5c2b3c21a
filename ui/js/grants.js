// The Grants area: the funds on the left (or, on the second tab, the club's
// own applications to others), the selected fund on the right: its overview
// (budget, requested, committed, paid, remaining, next deadline, counts per
// stage) always at the top, its applications with a stage filter and a
// search, and the selected application (grantapp.js) beside them.
import { api } from './api.js';
import { h, replace, options, nextId } from './dom.js';
import { t, formatDate } from './i18n.js';
import {
  errorText, toast, field, showFieldErrors,
} from './state.js';
import { submitForm, formControls, cancelOnEscape } from './form.js';
import { confirmDialog } from './dialog.js';
import { rowSet, keyTarget } from './rows.js';
import { fileDialog } from './print.js';
import {
  STAGES, APPLICANT_KINDS, formatAmount, amountText, stageName, applicantText, grantFieldText,
} from './grantnames.js';
import { renderApplication, renderApplicationForm } from './grantapp.js';
import { renderOutgoing, openNewOutgoing, cancelOutgoingForm } from './outgoing.js';

const SEARCH_DEBOUNCE_MS = 200;

// State kept across re-renders (language switch, area changes).
const S = {
  tab: 'funds', // 'funds' | 'outgoing'
  funds: null, // [FundView]
  listError: null,
  fundId: null,
  fund: null, // FundView of the selected fund
  mode: 'view', // the fund: 'view' | 'new' | 'edit'
  apps: null, // [Application] of the selected fund
  overdue: new Set(), // ids of applications whose report is overdue
  stage: '',
  search: '',
  appId: null,
  appMode: 'view', // the application: 'view' | 'new' | 'edit'
  listSeq: 0,
  fundSeq: 0,
  appsSeq: 0,
};

let els = null; // {list, newBtn, detail, parts: {overview, apps, app}}
const R = rowSet(() => els && els.list, 'fund-row', () => S.fundId);
const A = rowSet(() => els && els.parts.appList, 'application-row', () => S.appId);

// ---------------------------------------------------------------------------
// Public API used by main.js

export function renderGrants(container) {
  const tabs = h('div', { class: 'tabs grants-tabs', role: 'group', 'aria-label': t('grants.tabsLabel') },
    ['funds', 'outgoing'].map((tab) => h('button', {
      type: 'button', class: ['tab', S.tab === tab ? 'current' : ''], 'data-testid': `grants-tab-${tab}`,
      'aria-pressed': S.tab === tab ? 'true' : 'false', onclick: () => switchTab(tab),
    }, t(`grants.tab.${tab}`))));
  const newBtn = h('button', {
    type: 'button', class: 'btn primary', 'data-testid': S.tab === 'funds' ? 'fund-new' : 'outgoing-new',
    'aria-keyshortcuts': 'Control+N Meta+N', title: t('grants.newShortcut'),
    onclick: () => (S.tab === 'funds' ? newFund() : openNewOutgoing()),
  }, t(S.tab === 'funds' ? 'grants.newFund' : 'outgoing.new'));
  const list = h('ul', {
    class: 'meeting-list', 'data-testid': S.tab === 'funds' ? 'fund-list' : 'outgoing-list', 'aria-label': t(`grants.tab.${S.tab}`),
  });
  const detail = h('section', { class: 'detail-pane', 'aria-label': t('grants.detailLabel') });
  const listPane = h('section', { class: 'list-pane', 'aria-label': t(`grants.tab.${S.tab}`) },
    h('div', { class: 'list-tools' },
      h('div', { class: 'list-head' }, h('h1', null, t('nav.grants')), newBtn),
      tabs),
    list);
  replace(container, h('div', { class: 'meetings grants', 'data-testid': 'grants-area' }, listPane, detail));
  els = {
    list, newBtn, detail, parts: {},
  };
  if (S.tab === 'outgoing') {
    renderOutgoing(list, detail);
    return;
  }
  list.addEventListener('keydown', onListKey);
  drawList();
  refreshList();
  if (S.mode === 'new' || (S.mode === 'edit' && S.fund)) {
    renderFundForm(S.mode === 'edit' ? S.fund.fund : null);
  } else if (S.fundId !== null) {
    S.mode = 'view';
    if (S.fund && String(S.fund.fund.id) === String(S.fundId)) renderFund();
    else renderMessage(t('app.loading'));
    loadFund(S.fundId);
  } else {
    renderMessage(t('grants.noSelection'));
  }
}

/** Ctrl/Cmd+N: a new application of the selected fund, else a new fund (or a new outgoing application). */
export function openNew() {
  if (!els) return;
  if (S.tab === 'outgoing') { openNewOutgoing(); return; }
  if (S.fund && S.mode === 'view') openApplicationForm(null);
  else newFund();
}

function newFund() {
  if (!els) return;
  S.mode = 'new';
  S.fundSeq += 1;
  renderFundForm(null);
}

/** Esc: cancel the open form. Returns true if there was one. */
export function cancelForm() {
  if (!els) return false;
  if (S.tab === 'outgoing') return cancelOutgoingForm();
  if (S.appMode !== 'view' && S.mode === 'view' && S.fund) {
    S.appMode = 'view';
    drawApp();
    const focusBack = () => (A.selected() || els.parts.appNew || els.newBtn).focus();
    focusBack();
    // Another officer may have changed it meanwhile (a refused save says so):
    // the list as it is now, the focus kept where it was if the row was drawn anew.
    loadApps().then(() => {
      if (els && document.activeElement === document.body) focusBack();
    });
    return true;
  }
  if (S.mode !== 'new' && S.mode !== 'edit') return false;
  S.mode = 'view';
  if (S.fund && String(S.fund.fund.id) === String(S.fundId)) renderFund();
  else renderMessage(t('grants.noSelection'));
  (R.selected() || els.newBtn).focus();
  return true;
}

export function detachGrants() {
  els = null;
}

/** The register was replaced (a restore): forget the selection. */
export function resetGrants() {
  Object.assign(S, {
    funds: null, listError: null, fundId: null, fund: null, mode: 'view', apps: null, overdue: new Set(),
    stage: '', search: '', appId: null, appMode: 'view',
  });
  S.listSeq += 1;
  S.fundSeq += 1;
  S.appsSeq += 1;
}

function switchTab(tab) {
  if (S.tab === tab || !els) return;
  S.tab = tab;
  const container = els.detail.parentElement.parentElement;
  renderGrants(container);
  const btn = container.querySelector(`[data-testid="grants-tab-${tab}"]`);
  if (btn) btn.focus();
}

// ---------------------------------------------------------------------------
// The funds

async function refreshList() {
  if (!els) return;
  const seq = ++S.listSeq;
  const mine = els;
  const drawn = S.listError ? null : JSON.stringify(S.funds);
  try {
    S.funds = await api.fundsList();
    S.listError = null;
  } catch (err) {
    S.listError = err;
  }
  if (seq !== S.listSeq || els !== mine) return;
  // Read again as it was drawn (back in the area): nothing to redraw.
  const same = !S.listError && drawn === JSON.stringify(S.funds) && els.list.isConnected && els.list.childElementCount > 0;
  if (!same) drawList();
  // The only fund needs no choosing (also after a restart).
  if (S.fundId === null && S.mode === 'view' && S.funds && S.funds.length === 1) {
    selectFund(S.funds[0].fund.id);
  }
}

function drawList() {
  if (!els || S.tab !== 'funds') return;
  if (S.listError) {
    replace(els.list, h('li', { class: 'list-error', role: 'alert' }, errorText(S.listError)));
    return;
  }
  if (!S.funds) {
    replace(els.list, h('li', { class: 'list-empty', 'aria-busy': 'true' }, t('app.loading')));
    return;
  }
  if (!S.funds.length) {
    replace(els.list, h('li', { class: 'list-empty', 'data-testid': 'fund-list-empty' },
      h('p', null, t('grants.empty')), h('p', { class: 'hint' }, t('grants.emptyHint'))));
    return;
  }
  replace(els.list, S.funds.map((v) => {
    const f = v.fund;
    const selected = String(f.id) === String(S.fundId);
    const btn = h('button', {
      type: 'button', class: ['meeting-row', selected ? 'selected' : ''], 'data-testid': 'fund-row',
      dataset: { id: f.id }, 'aria-current': selected ? 'true' : null,
    },
    h('span', { class: 'row-line' }, h('span', { class: 'row-name' }, f.name), h('span', { class: 'row-seats' }, f.period)),
    h('span', { class: 'row-line sub' },
      h('span', { class: 'row-when' }, t('grants.rowRemaining', { remaining: formatAmount(v.remaining), budget: formatAmount(v.budget) }))));
    btn.addEventListener('click', () => selectFund(f.id));
    return h('li', null, btn);
  }));
}

function selectFund(id) {
  if (String(id) !== String(S.fundId)) {
    S.appId = null;
    S.apps = null;
    S.stage = '';
    S.search = '';
  }
  S.fundId = id;
  S.mode = 'view';
  S.appMode = 'view';
  R.mark();
  if (!S.fund || String(S.fund.fund.id) !== String(id)) renderMessage(t('app.loading'));
  loadFund(id);
}

function onListKey(e) {
  const target = keyTarget(e, R.rows(), S.fundId);
  if (!target) return;
  e.preventDefault();
  target.focus();
  if (target.dataset.id !== String(S.fundId)) selectFund(Number(target.dataset.id));
}

function renderMessage(text, error = null) {
  replace(els.detail, h('div', { class: 'detail-empty', 'aria-busy': error ? null : 'true' },
    error ? h('p', { class: 'form-error', role: 'alert', 'data-testid': 'detail-error' }, errorText(error)) : h('p', null, text)));
}

async function loadFund(id) {
  const seq = ++S.fundSeq;
  const mine = els;
  let fund;
  try {
    fund = await api.fundGet(id);
  } catch (err) {
    if (seq !== S.fundSeq || els !== mine || S.mode !== 'view') return;
    if (err.code === 'not_found') { S.fundId = null; S.fund = null; refreshList(); }
    renderMessage('', err);
    return;
  }
  if (seq !== S.fundSeq || els !== mine || S.mode !== 'view') return;
  // Read again as it was drawn (back in the area): nothing to redraw.
  const same = els.parts.appList && els.parts.appList.isConnected && JSON.stringify(fund) === JSON.stringify(S.fund);
  S.fund = fund;
  if (!same) renderFund();
}

/** After a change to an application: the fund's overview, its row and the applications again. */
async function fundChanged() {
  if (!S.fund) return;
  const id = S.fund.fund.id;
  try {
    const fund = await api.fundGet(id);
    if (!S.fund || S.fund.fund.id !== id) return;
    S.fund = fund;
  } catch (_) { /* the overview stays as it was */ }
  drawOverview();
  refreshList();
  await loadApps();
}

// ---------------------------------------------------------------------------
// The selected fund

function renderFund() {
  const v = S.fund;
  if (!v || !els) return;
  const f = v.fund;
  const edit = h('button', { type: 'button', class: 'btn', 'data-testid': 'fund-edit', onclick: () => openFundEdit() }, t('action.edit'));
  const del = h('button', { type: 'button', class: 'btn subtle', 'data-testid': 'fund-delete', onclick: (e) => deleteFund(e.currentTarget) }, t('grants.deleteFund'));
  const reminders = h('button', { type: 'button', class: 'btn', 'data-testid': 'grant-reminders', onclick: (e) => openReminders(e.currentTarget) }, t('grants.reminders'));
  const error = h('p', { class: 'form-error', 'data-testid': 'fund-error', role: 'alert' });
  const appNew = h('button', {
    type: 'button', class: 'btn primary', 'data-testid': 'application-new', onclick: () => openApplicationForm(null),
  }, t('grants.newApplication'));
  const stage = h('select', { id: nextId('app-stage'), 'data-testid': 'application-filter' },
    options([['', t('grants.allStages')], ...STAGES.map((s) => [s, stageName(s)])], S.stage));
  stage.addEventListener('change', () => { S.stage = stage.value; loadApps(); });
  const search = h('input', {
    type: 'search', id: nextId('app-search'), 'data-testid': 'application-search', value: S.search,
    placeholder: t('grants.searchPlaceholder'), autocomplete: 'off', spellcheck: 'false',
  });
  let timer = null;
  search.addEventListener('input', () => {
    S.search = search.value;
    clearTimeout(timer);
    timer = setTimeout(loadApps, SEARCH_DEBOUNCE_MS);
  });
  const appList = h('ul', { class: 'meeting-list application-list', 'data-testid': 'application-list', 'aria-label': t('grants.applications') });
  appList.addEventListener('keydown', onAppKey);
  const parts = {
    overview: h('section', { class: 'card fund-overview', 'data-testid': 'fund-overview', 'aria-label': t('grants.overview') }),
    appList,
    appNew,
    app: h('section', { class: 'application-pane', 'aria-label': t('grants.applicationLabel') }),
  };
  els.parts = parts;
  replace(els.detail, h('article', { class: 'fund-detail', 'data-testid': 'fund-detail', 'aria-labelledby': 'fund-title' },
    h('header', { class: 'detail-header' },
      h('div', { class: 'detail-title' },
        h('h2', { id: 'fund-title', 'data-testid': 'fund-title', tabindex: '-1' }, f.name),
        h('p', { class: 'detail-meta' }, h('span', { 'data-testid': 'fund-period' }, f.period))),
      h('div', { class: 'actions' }, edit, reminders, del)),
    error,
    parts.overview,
    h('div', { class: 'grants-grid' },
      h('section', { class: 'card applications', 'aria-labelledby': 'apps-title' },
        h('div', { class: 'list-head' }, h('h3', { id: 'apps-title' }, t('grants.applications')), appNew),
        h('div', { class: 'filters' },
          h('div', { class: 'filter' }, h('label', { for: stage.id }, t('grants.stageFilter')), stage),
          h('div', { class: 'filter' }, h('label', { for: search.id }, t('grants.search')), search)),
        appList),
      parts.app)));
  keepClearOfOverview(els.detail.firstChild, parts.overview);
  drawOverview();
  drawApps();
  drawApp();
  loadApps();
}

/** What the keyboard or a scroll brings into view stops below the sticky
 * overview (`--overview-height`, read by `scroll-margin-top`), however tall
 * the overview is in this language and window. */
function keepClearOfOverview(detail, overview) {
  new ResizeObserver(() => {
    detail.style.setProperty('--overview-height', `${overview.offsetHeight}px`);
  }).observe(overview);
}

function stat(testid, minor, label, className) {
  return h('div', { class: ['stat', className] },
    h('div', { class: 'stat-value', 'data-testid': testid }, formatAmount(minor)),
    h('div', { class: 'stat-label' }, label));
}

function drawOverview() {
  const panel = els && els.parts.overview;
  if (!panel || !panel.isConnected || !S.fund) return;
  const v = S.fund;
  const f = v.fund;
  const counts = (v.counts || []).filter(([, n]) => n > 0);
  replace(panel,
    h('div', { class: 'stats fund-stats' },
      stat('fund-budget', v.budget, t('grants.budget')),
      stat('fund-requested', v.requested, t('grants.requested')),
      stat('fund-committed', v.committed, t('grants.committed')),
      stat('fund-paid', v.paid, t('grants.paid')),
      stat('fund-remaining', v.remaining, t('grants.remaining'), v.remaining <= 0 ? 'full' : '')),
    h('p', { class: 'fund-facts' },
      h('span', { 'data-testid': 'fund-next-deadline' },
        v.nextDeadline ? t('grants.nextDeadline', { date: formatDate(v.nextDeadline) }) : t('grants.noDeadline')),
      h('span', { class: 'sep', 'aria-hidden': 'true' }, ' · '),
      h('span', { 'data-testid': 'fund-cap' }, f.cap === null ? t('grants.noCap') : t('grants.capText', { cap: formatAmount(f.cap) })),
      h('span', { class: 'sep', 'aria-hidden': 'true' }, ' · '),
      h('span', { 'data-testid': 'fund-applicants' },
        t('grants.whoMayApply', { who: f.applicants.map((k) => t(`grants.applicantKind.${k}`)).join(', ') }))),
    counts.length ? h('ul', { class: 'fund-counts', 'data-testid': 'fund-counts', 'aria-label': t('grants.counts') },
      counts.map(([s, n]) => h('li', { class: `badge stage-${s}`, 'data-testid': 'fund-count', dataset: { stage: s } },
        `${stageName(s)}: ${n}`))) : null,
    f.note ? h('p', { class: 'notes selectable muted', 'data-testid': 'fund-note' }, f.note) : null);
}

async function deleteFund(opener) {
  const f = S.fund && S.fund.fund;
  if (!f) return;
  const yes = await confirmDialog({
    testid: 'fund-delete-dialog',
    title: t('grants.deleteTitle'),
    body: [t('grants.deleteText', { name: f.name })],
    confirmLabel: t('grants.deleteFund'),
    danger: true,
  });
  if (!yes) return;
  const error = els && els.detail.querySelector('[data-testid="fund-error"]');
  try {
    await api.fundDelete(f.id);
  } catch (err) {
    if (error) error.textContent = errorText(err);
    if (opener.isConnected) opener.focus();
    return;
  }
  S.fundId = null;
  S.fund = null;
  S.fundSeq += 1;
  if (!els) return;
  renderMessage(t('grants.noSelection'));
  toast(t('grants.deleted'));
  await refreshList();
  if (els) (R.rows()[0] || els.newBtn).focus();
}

function openReminders(opener) {
  fileDialog(opener, {
    prefix: 'grant-reminders-print',
    title: t('grants.remindersTitle'),
    intro: t('grants.remindersIntro'),
    stem: () => t('grants.remindersStem'),
    itemsKey: 'print.letters',
    run: ({ path }) => api.grantRemindersPrint(path),
  });
}

// ---------------------------------------------------------------------------
// The applications of the selected fund

async function loadApps() {
  if (!S.fund) return;
  const fundId = S.fund.fund.id;
  const seq = ++S.appsSeq;
  let apps;
  let overdue;
  try {
    [apps, overdue] = await Promise.all([
      api.grantsList({
        fundId, stage: S.stage || null, search: S.search.trim(), overdue: false,
      }),
      api.grantsList({
        fundId, stage: null, search: '', overdue: true,
      }),
    ]);
  } catch (err) {
    if (seq !== S.appsSeq) return;
    if (els && els.parts.appList) replace(els.parts.appList, h('li', { class: 'list-error', role: 'alert' }, errorText(err)));
    return;
  }
  if (seq !== S.appsSeq || !S.fund || S.fund.fund.id !== fundId) return;
  const overdueIds = overdue.map((a) => String(a.id));
  const same = S.apps && JSON.stringify([apps, overdueIds]) === JSON.stringify([S.apps, [...(S.overdue || [])]]);
  S.apps = apps;
  S.overdue = new Set(overdueIds);
  if (!same || !els || !els.parts.appList || !els.parts.appList.querySelector('[data-testid="application-row"]')) drawApps();
}

function drawApps() {
  const list = els && els.parts.appList;
  if (!list || !list.isConnected) return;
  if (!S.apps) {
    replace(list, h('li', { class: 'list-empty', 'aria-busy': 'true' }, t('app.loading')));
    return;
  }
  if (!S.apps.length) {
    replace(list, h('li', { class: 'list-empty', 'data-testid': 'application-list-empty' },
      t(S.stage || S.search.trim() ? 'grants.noMatch' : 'grants.noApplications')));
    return;
  }
  replace(list, S.apps.map((a) => {
    const selected = String(a.id) === String(S.appId);
    const overdue = S.overdue.has(String(a.id));
    const money = [t('grants.rowRequested', { amount: formatAmount(a.requested) })];
    if (a.approved !== null) money.push(t('grants.rowApproved', { amount: formatAmount(a.approved) }));
    if (a.paid !== null) money.push(t('grants.rowPaid', { amount: formatAmount(a.paid) }));
    const btn = h('button', {
      type: 'button', class: ['meeting-row', selected ? 'selected' : '', overdue ? 'overdue' : ''], 'data-testid': 'application-row',
      dataset: { id: a.id, stage: a.stage, overdue: overdue ? 'true' : null }, 'aria-current': selected ? 'true' : null,
    },
    h('span', { class: 'row-line' },
      h('span', { class: 'row-name' }, a.title),
      h('span', { class: `badge stage-${a.stage}` }, stageName(a.stage))),
    h('span', { class: 'row-line sub' }, h('span', { class: 'row-when' }, applicantText(a))),
    h('span', { class: 'row-line sub' }, h('span', { class: 'row-seats' }, money.join(' · '))),
    overdue ? h('span', { class: 'row-line overdue-mark', 'data-testid': 'application-overdue' }, t('grants.reportOverdue')) : null);
    btn.addEventListener('click', () => selectApp(a.id));
    return h('li', null, btn);
  }));
}

function selectApp(id) {
  S.appId = id;
  S.appMode = 'view';
  A.mark();
  drawApp();
  // Beside the list on a wide screen, under it on a narrow one.
  if (els && els.parts.app) els.parts.app.scrollIntoView({ block: 'nearest' });
}

function onAppKey(e) {
  const target = keyTarget(e, A.rows(), S.appId);
  if (!target) return;
  e.preventDefault();
  target.focus();
  if (target.dataset.id !== String(S.appId)) selectApp(Number(target.dataset.id));
}

function drawApp() {
  const pane = els && els.parts.app;
  if (!pane || !pane.isConnected || !S.fund) return;
  if (S.appMode === 'new' || S.appMode === 'edit') return; // the form stays
  if (S.appId === null) {
    replace(pane, h('div', { class: 'detail-empty small' }, h('p', null, t('grants.noApplicationSelected'))));
    return;
  }
  renderApplication(pane, S.appId, {
    fund: S.fund.fund,
    onChanged: () => fundChanged(),
    onEdit: (view) => openApplicationForm(view),
    isCurrent: (id) => els && els.parts.app === pane && String(S.appId) === String(id) && S.appMode === 'view',
  });
}

function openApplicationForm(view) {
  if (!els || !els.parts.app || !S.fund) return;
  S.appMode = view ? 'edit' : 'new';
  els.parts.app.scrollIntoView({ block: 'nearest' });
  renderApplicationForm(els.parts.app, {
    fund: S.fund.fund,
    view,
    onSaved: async (saved) => {
      S.appMode = 'view';
      S.appId = saved.application.id;
      toast(t('toast.saved'));
      await fundChanged();
      drawApp();
    },
    onCancel: () => cancelForm(),
  });
}

// ---------------------------------------------------------------------------
// The fund form (new / edit)

function openFundEdit() {
  if (!S.fund) return;
  S.mode = 'edit';
  S.fundSeq += 1;
  renderFundForm(S.fund.fund);
}

function renderFundForm(fund) {
  const editing = !!fund;
  const f = fund || {
    name: '', period: String(new Date().getFullYear()), budget: null, cap: null, applicants: ['member'], deadlines: [], note: '',
  };
  const text = (name, value, extra = {}) => h('input', {
    type: 'text', id: nextId(`fund-${name}`), name, 'data-testid': `field-${name}`, value: value || '', autocomplete: 'off', ...extra,
  });
  const c = {
    name: text('name', f.name, { maxlength: '200' }),
    period: text('period', f.period, { maxlength: '40' }),
    budget: text('budget', amountText(f.budget), { class: 'number-input', inputmode: 'decimal', spellcheck: 'false' }),
    cap: text('cap', amountText(f.cap), { class: 'number-input', inputmode: 'decimal', spellcheck: 'false', placeholder: t('grants.noCap') }),
    deadlines: text('deadlines', (f.deadlines || []).join(', '), { placeholder: t('date.placeholder'), spellcheck: 'false' }),
    note: h('textarea', { id: nextId('fund-note'), 'data-testid': 'field-note', rows: '3', value: f.note || '' }),
  };
  const fld = (name, opts = {}) => field({ label: t(`grants.field.${name}`), control: c[name], errorName: name, ...opts });
  const kinds = APPLICANT_KINDS.map((k) => {
    const box = h('input', {
      type: 'checkbox', id: nextId(`fund-applicants-${k}`), 'data-testid': `field-applicants-${k}`, value: k, checked: f.applicants.includes(k),
    });
    return { k, box, el: h('div', { class: 'check-field inline' }, box, h('label', { for: box.id }, t(`grants.applicantKind.${k}`))) };
  });
  const applicants = h('fieldset', { class: 'applicants-field wide' },
    h('legend', null, t('grants.field.applicants')),
    h('div', { class: 'check-row' }, kinds.map((x) => x.el)),
    h('p', { class: 'field-error', 'data-testid': 'error-applicants' }));

  const { line: formError, save, cancel } = formControls(() => cancelForm());
  const titleId = nextId('fund-form-title');
  const form = h('form', { class: 'member-form fund-form', 'data-testid': 'fund-form', novalidate: true, 'aria-labelledby': titleId },
    h('h2', { id: titleId }, editing ? t('grants.editFund', { name: f.name }) : t('grants.newFundTitle')),
    h('fieldset', null, h('legend', null, t('grants.group.fund')),
      h('div', { class: 'grid' }, fld('name', { wide: true }), fld('period', { hint: t('grants.periodHint') }),
        fld('budget', { hint: t('grants.amountHint') }), fld('cap', { hint: t('grants.capHint') }))),
    h('fieldset', null, h('legend', null, t('grants.group.rules')),
      h('div', { class: 'grid' }, applicants, fld('deadlines', { wide: true, hint: t('grants.deadlinesHint') }), fld('note', { wide: true }))),
    formError,
    h('div', { class: 'form-actions' }, save, cancel));
  cancelOnEscape(form, () => cancelForm());

  submitForm({
    form,
    save,
    line: formError,
    textFor: grantFieldText,
    // "deadlines.2" (the third date typed) is shown by the one deadlines field.
    mapFields: (fields) => fields.map((x) => (/^deadlines\.\d+$/.test(x.field) ? { ...x, field: 'deadlines' } : x)),
    read: () => ({
      input: {
        name: c.name.value.trim(),
        period: c.period.value.trim(),
        budget: c.budget.value.trim(),
        cap: c.cap.value.trim(),
        applicants: kinds.filter((x) => x.box.checked).map((x) => x.k),
        deadlines: c.deadlines.value.split(/[\s,;]+/).filter(Boolean),
        note: c.note.value.replace(/\s+$/, ''),
      },
    }),
    send: (input) => (editing ? api.fundUpdate(fund.id, input) : api.fundCreate(input)),
    done: async (saved) => {
      if (!els) return;
      S.mode = 'view';
      if (!editing) { S.appId = null; S.apps = null; }
      S.fundId = saved.id;
      toast(t('toast.saved'));
      refreshList();
      renderMessage(t('app.loading'));
      await loadFund(saved.id);
      const heading = els && els.detail.querySelector('#fund-title');
      if (heading) heading.focus();
    },
    fail: (err) => {
      if (err.code !== 'budget_below_used') return false;
      showFieldErrors(form, [{ field: 'budget', code: err.code }], '', () => t('error.budget_below_used'));
      return true;
    },
  });
  replace(els.detail, form);
  els.detail.scrollTop = 0;
  c.name.focus();
}
