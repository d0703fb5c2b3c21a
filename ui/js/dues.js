// The Dues area, four tabs: Invoices (a fee run's preview and confirm, the
// invoices, the runs), Payments (a bank file read and booked, what waits for
// the treasurer, payments by hand, the payments), Fees (the fee rules) and
// Books (the overview and the export for the accounting program: books.js).
// Everything is decided by the core; this draws it and asks.
import { api, dialogPath } from './api.js';
import { h, replace, options, nextId, todayIso } from './dom.js';
import { t, tp, tOr, formatDate } from './i18n.js';
import { store, errorText, toast, field } from './state.js';
import { onSubmit, showFormError } from './form.js';
import { confirmDialog } from './dialog.js';
import { memberPicker, listName } from './picker.js';
import { formatAmount } from './grantnames.js';
import { fileDialog } from './print.js';
import { drawBooksTab } from './books.js';

const TABS = ['invoices', 'payments', 'fees', 'books'];
const TYPES = ['ordinary', 'student', 'retired', 'supporting'];
const PERIODS = ['year', 'half_year', 'quarter', 'month'];
const STATUSES = ['open', 'partly_paid', 'paid', 'credited', 'written_off'];
const METHODS = ['cash', 'swish', 'vipps', 'mobilepay', 'bank'];

// Kept across re-renders (language switch, area changes).
const S = {
  tab: 'invoices',
  period: String(new Date().getFullYear() + 1),
  status: '',
  plan: null, // the preview shown (RunPlan)
  report: null, // the bank file read in a dry run (ImportReport) and its path
  path: '',
  seq: 0,
};

let els = null; // {body}

export function renderDues(container) {
  const tabs = h('div', { class: 'tabs', role: 'group', 'aria-label': t('dues.tabsLabel') },
    TABS.map((tab) => h('button', {
      type: 'button', class: ['tab', S.tab === tab ? 'current' : ''], 'data-testid': `dues-tab-${tab}`,
      'aria-pressed': S.tab === tab ? 'true' : 'false', onclick: () => { S.tab = tab; renderDues(container); },
    }, t(`dues.tab.${tab}`))));
  const body = h('div', { class: 'dues-body' });
  replace(container, h('div', { class: 'dues', 'data-testid': 'dues-area' },
    h('div', { class: 'list-head' }, h('h1', null, t('nav.dues'))), tabs, body));
  els = { body };
  S.seq += 1;
  if (S.tab === 'invoices') drawInvoicesTab(body);
  else if (S.tab === 'payments') drawPaymentsTab(body);
  else if (S.tab === 'books') drawBooksTab(body, { fillSlot, table });
  else drawFeesTab(body);
}

export function detachDues() {
  els = null;
}

/** The register was replaced (a restore): forget what was shown. */
export function resetDues() {
  Object.assign(S, { plan: null, report: null, path: '' });
  S.seq += 1;
}

function again() {
  const area = document.querySelector('[data-testid="dues-area"]');
  if (els && area) renderDues(area.parentElement);
}

function errorLine(testid) {
  return h('p', { class: 'form-error', 'data-testid': testid, role: 'alert', tabindex: '-1' });
}

function table(testid, head, rows, empty) {
  if (!rows.length) return h('p', { class: 'muted', 'data-testid': `${testid}-empty` }, empty);
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'mapping-table dues-table', 'data-testid': testid },
      h('thead', null, h('tr', null, head.map((c) => h('th', { class: c.num ? 'num' : null }, c.label)))),
      h('tbody', null, rows)));
}

const statusName = (s) => tOr(`invoiceStatus.${s}`, s);

/** Loads with `load()` into `slot` drawn by `draw(result)`; an error shows in the slot. */
async function fillSlot(slot, load, draw) {
  const seq = S.seq;
  replace(slot, h('p', { class: 'muted' }, t('app.loading')));
  try {
    const result = await load();
    if (seq === S.seq && slot.isConnected) replace(slot, draw(result));
  } catch (err) {
    if (seq === S.seq && slot.isConnected) replace(slot, h('p', { class: 'form-error', role: 'alert' }, errorText(err)));
  }
}

// ---------------------------------------------------------------------------
// Invoices: the run, the invoices, the runs

function drawInvoicesTab(body) {
  const list = h('div', { 'data-testid': 'invoice-list-slot' });
  const runs = h('div', { 'data-testid': 'run-list-slot' });
  const arrears = h('div', { 'data-testid': 'arrears-slot' });
  const reload = () => { loadInvoices(list); loadRuns(runs); loadArrears(arrears); };
  replace(body, runCard(reload),
    h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, t('dues.invoices')), printButton()),
      invoiceFilters(list), list),
    h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, t('dues.arrears')), remindersButton(reload)),
      h('p', { class: 'hint' }, t('dues.arrearsIntro')), arrears),
    h('section', { class: 'card' }, h('h2', null, t('dues.runs')), runs));
  reload();
}

/** Print the reminders due today (first, or second with its fee). */
function remindersButton(reload) {
  const b = h('button', { type: 'button', class: 'btn', 'data-testid': 'reminders-print' }, t('dues.printReminders'));
  b.addEventListener('click', async () => {
    let due = [];
    try {
      due = await api.remindersDue();
    } catch (err) {
      toast(errorText(err));
      return;
    }
    fileDialog(b, {
      prefix: 'reminders-print',
      title: t('dues.printRemindersTitle'),
      intro: due.length ? tp('dues.remindersDue', due.length) : t('dues.noRemindersDue'),
      stem: () => t('dues.remindersStem'),
      itemsKey: 'print.letters',
      run: ({ path }) => api.remindersPrint(path),
      onDone: () => reload(),
    });
  });
  return b;
}

function loadArrears(slot) {
  fillSlot(slot, () => api.arrearsGet(), (a) => h('div', null,
    h('p', { class: 'plan-summary', 'data-testid': 'arrears-total' },
      tp('dues.arrearsTotal', a.rows.length, { total: formatAmount(a.total) })),
    a.branches.length ? h('p', { class: 'hint', 'data-testid': 'arrears-branches' },
      a.branches.map((b) => `${b.branch || t('dues.noBranch')}: ${formatAmount(b.total)} (${b.count})`).join(' · ')) : null,
    table('arrears-table', [
      { label: t('dues.number') }, { label: t('dues.name') }, { label: t('dues.period') },
      { label: t('dues.left'), num: true }, { label: t('dues.overdue'), num: true }, { label: t('dues.reminders') }, { label: '' }],
    a.rows.map((r) => h('tr', { 'data-testid': 'arrears-row', dataset: { id: r.invoiceId } },
      h('td', null, r.member), h('td', { class: 'selectable' }, r.name), h('td', null, r.period),
      h('td', { class: 'num' }, formatAmount(r.left)), h('td', { class: 'num' }, tp('dues.days', r.daysOverdue)),
      h('td', null, String(r.reminders)),
      h('td', { 'data-testid': 'arrears-suggestion' }, r.suggestResignation ? resignButton(r, slot) : ''))),
    t('dues.noArrears'))));
}

/** The treasurer confirms each resignation the arrears suggest. */
function resignButton(r, slot) {
  const b = h('button', { type: 'button', class: 'btn small', 'data-testid': 'arrears-resign' }, t('dues.resign'));
  b.addEventListener('click', async () => {
    const ok = await confirmDialog({
      testid: 'arrears-resign-dialog',
      title: t('dues.resignTitle', { name: r.name }),
      body: t('dues.resignText', { name: r.name, days: r.daysOverdue, left: formatAmount(r.left) }),
      confirmLabel: t('dues.resign'),
      danger: true,
    });
    if (!ok) return;
    try {
      await api.memberSetStatus(r.memberId, 'resigned', todayIso());
      toast(t('dues.resigned', { name: r.name }));
      loadArrears(slot);
    } catch (err) {
      toast(errorText(err));
    }
  });
  return h('span', null, t('dues.suggestResignation'), ' ', b);
}

/** Writing off what is left of an open invoice, after the treasurer confirms. */
function writeOffButton(i, reload) {
  const b = h('button', { type: 'button', class: 'btn small', 'data-testid': 'invoice-write-off' }, t('dues.writeOff'));
  b.addEventListener('click', async () => {
    const ok = await confirmDialog({
      testid: 'write-off-dialog',
      title: t('dues.writeOffTitle', { name: i.name, period: i.period }),
      body: t('dues.writeOffText', { left: formatAmount(i.amount - i.paid) }),
      confirmLabel: t('dues.writeOff'),
      danger: true,
    });
    if (!ok) return;
    try {
      await api.invoiceWriteOff(i.id);
      toast(t('dues.writtenOff', { name: i.name }));
      reload();
    } catch (err) {
      toast(errorText(err));
    }
  });
  return b;
}

function runCard(onWritten) {
  const period = h('input', { type: 'text', id: nextId('dues-period'), 'data-testid': 'dues-period', value: S.period, autocomplete: 'off', spellcheck: 'false' });
  const due = h('input', { type: 'text', id: nextId('dues-due'), 'data-testid': 'dues-due', placeholder: t('dues.duePlaceholder'), class: 'date-input' });
  const proRata = h('input', { type: 'checkbox', id: nextId('dues-pro-rata'), 'data-testid': 'dues-pro-rata' });
  const preview = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'dues-preview' }, t('dues.preview'));
  const line = errorLine('dues-error');
  const slot = h('div', { 'data-testid': 'dues-plan-slot' });
  const options = () => ({ period: period.value.trim(), due: due.value.trim(), proRata: proRata.checked });
  const form = h('form', { class: 'card', novalidate: true, 'data-testid': 'dues-run-form' },
    h('h2', null, t('dues.newRun')),
    h('p', { class: 'hint' }, t('dues.runIntro')),
    h('div', { class: 'field-grid' },
      field({ label: t('dues.period'), control: period, errorName: 'dues-period', hint: t('dues.periodHint') }),
      field({ label: t('dues.due'), control: due, errorName: 'dues-due', hint: t('dues.dueHint') })),
    h('label', { class: 'check-line' }, proRata, ' ', t('dues.proRata')),
    line,
    h('div', { class: 'form-actions' }, preview),
    slot);
  const show = (plan) => {
    S.plan = plan;
    replace(slot, planBox(plan, async (write) => {
      write.disabled = true;
      try {
        const done = await api.duesRun({ ...options(), expectCount: plan.count, expectTotal: plan.total });
        S.plan = null;
        replace(slot);
        toast(tp('dues.runWritten', done.count, { total: formatAmount(done.total) }));
        onWritten();
      } catch (err) {
        write.disabled = false;
        showFormError(form, line, err, { prefix: 'dues-', focus: true });
      }
    }));
  };
  onSubmit(form, line, async () => {
    S.period = period.value.trim();
    preview.disabled = true;
    replace(slot);
    try {
      show(await api.duesPreview(options()));
    } catch (err) {
      showFormError(form, line, err, { prefix: 'dues-', lead: true, focus: true });
    } finally {
      preview.disabled = false;
    }
  });
  if (S.plan) show(S.plan);
  return form;
}

function planBox(plan, onWrite) {
  const write = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'dues-write' },
    tp('dues.write', plan.count));
  write.addEventListener('click', () => onWrite(write));
  const cancel = h('button', {
    type: 'button', class: 'btn', 'data-testid': 'dues-plan-cancel',
    onclick: () => { S.plan = null; replace(write.closest('[data-testid="dues-plan-slot"]')); },
  }, t('action.cancel'));
  const rows = plan.exceptions.map((e) => h('tr', { 'data-testid': 'dues-exception' },
    h('td', null, e.member), h('td', { class: 'selectable' }, e.name),
    h('td', null, t(`dues.exception.${e.reason}`)),
    h('td', null, e.billed ? t('dues.billed') : t('dues.notBilled'))));
  return h('div', { class: 'plan', 'data-testid': 'dues-plan' },
    h('p', { class: 'plan-summary', 'data-testid': 'dues-plan-summary' },
      tp('dues.planSummary', plan.count, { period: plan.period.name, total: formatAmount(plan.total), due: formatDate(plan.due) })),
    plan.exceptionCounts.length
      ? h('p', { class: 'hint', 'data-testid': 'dues-exception-counts' },
        plan.exceptionCounts.map((c) => `${t(`dues.exception.${c.reason}`)}: ${c.count}`).join(' · '))
      : null,
    table('dues-exceptions', [{ label: t('dues.number') }, { label: t('dues.name') }, { label: t('dues.reason') }, { label: t('dues.invoice') }],
      rows, t('dues.noExceptions')),
    h('div', { class: 'form-actions' }, plan.count ? write : null, cancel));
}

/** Print the open invoices of the period shown as letters (one PDF). */
function printButton() {
  const b = h('button', { type: 'button', class: 'btn', 'data-testid': 'invoices-print' }, t('dues.printInvoices'));
  b.addEventListener('click', () => fileDialog(b, {
    prefix: 'invoices-print',
    title: t('dues.printInvoicesTitle', { period: S.period }),
    intro: t('dues.printInvoicesIntro'),
    stem: () => t('dues.invoicesStem', { period: S.period }),
    itemsKey: 'print.letters',
    run: ({ path }) => api.invoicesPrint({ period: S.period }, path),
  }));
  return b;
}

function invoiceFilters(list) {
  const period = h('input', { type: 'text', id: nextId('invoice-period'), 'data-testid': 'invoice-filter-period', value: S.period, spellcheck: 'false' });
  const status = h('select', { id: nextId('invoice-status'), 'data-testid': 'invoice-filter-status' },
    options([['', t('dues.allStatuses')], ...STATUSES.map((s) => [s, statusName(s)])], S.status));
  const apply = () => { S.period = period.value.trim(); S.status = status.value; loadInvoices(list); };
  period.addEventListener('change', apply);
  status.addEventListener('change', apply);
  return h('div', { class: 'field-grid filters' },
    field({ label: t('dues.period'), control: period, errorName: 'invoice-period' }),
    field({ label: t('dues.status'), control: status, errorName: 'invoice-status' }));
}

function loadInvoices(slot) {
  fillSlot(slot, () => api.invoicesList({ period: S.period, status: S.status }), (invoices) => {
    const billed = invoices.reduce((a, i) => a + (i.status === 'credited' ? 0 : i.amount), 0);
    const paid = invoices.reduce((a, i) => a + i.paid, 0);
    return h('div', null,
      h('p', { class: 'hint', 'data-testid': 'invoice-totals' },
        tp('dues.invoiceTotals', invoices.length, { billed: formatAmount(billed), paid: formatAmount(paid) })),
      table('invoice-table', [
        { label: t('dues.number') }, { label: t('dues.name') }, { label: t('dues.period') },
        { label: t('dues.amount'), num: true }, { label: t('dues.paid'), num: true },
        { label: t('dues.reference') }, { label: t('dues.status') }, { label: '' }],
      invoices.map((i) => h('tr', { 'data-testid': 'invoice-row', dataset: { id: i.id } },
        h('td', null, i.member), h('td', { class: 'selectable' }, i.name), h('td', null, i.period),
        h('td', { class: 'num' }, formatAmount(i.amount)), h('td', { class: 'num' }, formatAmount(i.paid)),
        h('td', { class: 'selectable mono' }, i.reference),
        h('td', { 'data-testid': 'invoice-status' }, statusName(i.status)),
        h('td', null, i.status === 'open' || i.status === 'partly_paid' ? writeOffButton(i, again) : null))),
      t('dues.noInvoices')));
  });
}

function loadRuns(slot) {
  fillSlot(slot, () => api.duesRunsList(), (runs) => table('run-table', [
    { label: t('dues.period') }, { label: t('dues.count'), num: true }, { label: t('dues.amount'), num: true },
    { label: t('dues.due') }, { label: t('dues.state') }, { label: '' }],
  runs.map((r) => {
    const cancel = r.state === 'written'
      ? h('button', { type: 'button', class: 'btn small', 'data-testid': 'run-cancel' }, t('dues.cancelRun'))
      : null;
    if (cancel) {
      cancel.addEventListener('click', async () => {
        const ok = await confirmDialog({
          testid: 'run-cancel-dialog',
          title: t('dues.cancelRunTitle', { period: r.period }),
          body: tp('dues.cancelRunText', r.count),
          confirmLabel: t('dues.cancelRun'),
          danger: true,
        });
        if (!ok) return;
        try {
          await api.duesRunCancel(r.id);
          toast(t('dues.runCancelled'));
          again();
        } catch (err) {
          replace(slot, h('p', { class: 'form-error', role: 'alert', 'data-testid': 'run-error' }, errorText(err)));
        }
      });
    }
    return h('tr', { 'data-testid': 'run-row', dataset: { id: r.id } },
      h('td', null, r.period), h('td', { class: 'num' }, String(r.count)), h('td', { class: 'num' }, formatAmount(r.total)),
      h('td', null, formatDate(r.due)), h('td', null, t(`dues.runState.${r.state}`)), h('td', null, cancel));
  }), t('dues.noRuns')));
}

// ---------------------------------------------------------------------------
// Payments: a bank file, what waits, by hand, the list

function drawPaymentsTab(body) {
  const review = h('div', { 'data-testid': 'review-slot' });
  const list = h('div', { 'data-testid': 'payment-list-slot' });
  const reload = () => { loadReview(review, reload); loadPayments(list, reload); };
  replace(body, bankFileCard(reload),
    h('section', { class: 'card' }, h('h2', null, t('dues.review')), h('p', { class: 'hint' }, t('dues.reviewIntro')), review),
    handCard(reload),
    h('section', { class: 'card' }, h('h2', null, t('dues.payments')), list));
  reload();
}

function bankFileCard(reload) {
  const path = h('input', { type: 'text', id: nextId('bank-path'), 'data-testid': 'bank-path', class: 'path-input', value: S.path, autocomplete: 'off', spellcheck: 'false' });
  const choose = h('button', { type: 'button', class: 'btn', 'data-testid': 'bank-choose' }, t('print.choose'));
  const read = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'bank-read' }, t('dues.readFile'));
  const line = errorLine('bank-error');
  const slot = h('div', { 'data-testid': 'bank-report-slot' });
  const form = h('form', { class: 'card', novalidate: true, 'data-testid': 'bank-form' },
    h('h2', null, t('dues.bankFile')),
    h('p', { class: 'hint' }, t('dues.bankFileIntro')),
    h('div', { class: 'field' }, h('label', { for: path.id }, t('dues.bankFilePath')), h('div', { class: 'path-row' }, path, choose)),
    line,
    h('div', { class: 'form-actions' }, read),
    slot);
  choose.addEventListener('click', async () => {
    try {
      const chosen = dialogPath(await api.dialogOpen({ multiple: false, directory: false, title: t('dues.bankFile') }));
      if (chosen && path.isConnected) { path.value = chosen; path.focus(); }
    } catch (err) {
      line.textContent = errorText(err);
    }
  });
  const show = (report) => {
    S.report = report;
    replace(slot, reportBox(report, async (book) => {
      book.disabled = true;
      try {
        const done = await api.bankFileImport(S.path, false);
        S.report = null;
        replace(slot);
        toast(t('dues.booked', { matched: done.matched.length, review: done.review.length }));
        reload();
      } catch (err) {
        book.disabled = false;
        line.textContent = errorText(err);
        line.focus();
      }
    }));
  };
  onSubmit(form, line, async () => {
    S.path = path.value.trim();
    replace(slot);
    if (!S.path) { line.textContent = t('dues.chooseFile'); path.focus(); return; }
    read.disabled = true;
    try {
      show(await api.bankFileImport(S.path, true));
    } catch (err) {
      line.textContent = errorText(err);
      line.focus();
    } finally {
      read.disabled = false;
    }
  });
  if (S.report) show(S.report);
  return form;
}

function reportBox(r, onBook) {
  if (r.fileAlreadyRead) {
    return h('p', { class: 'notice', 'data-testid': 'bank-report', role: 'status' }, t('dues.fileAlreadyRead'));
  }
  const book = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'bank-book' }, t('dues.book'));
  book.addEventListener('click', () => onBook(book));
  const rows = [...r.matched, ...r.review].map((p) => paymentRow(p, 'bank-line'));
  return h('div', { class: 'plan', 'data-testid': 'bank-report' },
    h('p', { class: 'plan-summary', 'data-testid': 'bank-summary' }, t('dues.reportSummary', {
      read: r.read, total: formatAmount(r.total), matched: r.matched.length, review: r.review.length, before: r.alreadyRead,
    })),
    r.skipped ? h('p', { class: 'hint' }, tp('dues.skipped', r.skipped)) : null,
    paymentTable('bank-lines', rows),
    h('div', { class: 'form-actions' }, r.read > r.alreadyRead ? book : null));
}

function paymentTable(testid, rows, extra = false) {
  return table(testid, [
    { label: t('dues.date') }, { label: t('dues.amount'), num: true }, { label: t('dues.payer') },
    { label: t('dues.whose') }, { label: t('dues.state') }].concat(extra ? [{ label: '' }] : []),
  rows, t('dues.noPayments'));
}

/** What a payment paid, or why it waits. */
function whose(p) {
  if (p.member) {
    const paid = p.allocations.map((a) => `${a.period} ${formatAmount(a.amount)}`);
    if (p.credit) paid.push(t('dues.credit', { amount: formatAmount(p.credit) }));
    return `${p.member} ${p.name || ''}${paid.length ? ` – ${paid.join(', ')}` : ''}`;
  }
  return p.reason ? t(`dues.reason.${p.reason}`) : '';
}

function paymentRow(p, testid, action = null) {
  const text = [p.payer, p.reference, p.text].filter(Boolean).join(' · ');
  return h('tr', { 'data-testid': testid, dataset: { id: p.id } },
    h('td', null, formatDate(p.date)), h('td', { class: 'num' }, formatAmount(p.amount)),
    h('td', { class: 'selectable' }, text),
    h('td', { class: 'selectable', 'data-testid': `${testid}-whose` }, whose(p)),
    h('td', { 'data-testid': `${testid}-state` }, t(`dues.paymentState.${p.state}`)),
    action ? h('td', { class: 'actions' }, action) : null);
}

function loadReview(slot, reload) {
  fillSlot(slot, () => api.paymentsList({ state: 'review' }), (waiting) => {
    if (!waiting.length) return h('p', { class: 'muted', 'data-testid': 'review-empty' }, t('dues.nothingWaits'));
    return h('ul', { class: 'review-list', 'data-testid': 'review-list' }, waiting.map((p) => reviewItem(p, reload)));
  });
}

function reviewItem(p, reload) {
  const line = errorLine('review-error');
  const assign = async (to) => {
    line.textContent = '';
    try {
      await api.paymentAssign(p.id, to);
      toast(t('dues.assigned'));
      reload();
    } catch (err) {
      line.textContent = errorText(err);
    }
  };
  const accept = p.suggestion
    ? h('button', { type: 'button', class: 'btn small primary', 'data-testid': 'review-accept', onclick: () => assign({ to: 'invoice', id: p.suggestion }) },
      t('dues.acceptSuggestion', { id: p.suggestion }))
    : null;
  const other = h('button', { type: 'button', class: 'btn small', 'data-testid': 'review-other', onclick: () => assign({ to: 'otherIncome' }) }, t('dues.otherIncome'));
  const picker = memberPicker({
    prefix: 'review-member',
    placeholder: t('dues.memberSearch'),
    label: t('dues.memberSearch'),
    resultsLabel: t('invite.results'),
    detail: (r) => [r.number, r.city].filter(Boolean).join(' · '),
    onPick: (r) => assign({ to: 'member', id: r.id }),
  });
  const text = [p.payer, p.reference, p.text].filter(Boolean).join(' · ');
  return h('li', { class: 'review-item', 'data-testid': 'review-row', dataset: { id: p.id } },
    h('p', { class: 'review-what' },
      h('strong', { 'data-testid': 'review-amount' }, formatAmount(p.amount)), ' · ', formatDate(p.date), ' · ',
      h('span', { class: 'selectable' }, text || t('dues.noText'))),
    h('p', { class: 'hint', 'data-testid': 'review-reason' }, t(`dues.reason.${p.reason}`)),
    h('div', { class: 'review-actions' }, accept, other, h('span', { class: 'review-pick' }, picker.input, picker.results)),
    line);
}

function handCard(reload) {
  let member = null;
  const chosen = h('p', { class: 'hint', 'data-testid': 'pay-member-chosen' }, t('dues.noMemberChosen'));
  const picker = memberPicker({
    prefix: 'pay-member',
    placeholder: t('dues.memberSearch'),
    label: t('dues.member'),
    resultsLabel: t('invite.results'),
    detail: (r) => [r.number, r.city].filter(Boolean).join(' · '),
    onPick: (r) => { member = r; chosen.textContent = `${listName(r)} (${r.number})`; },
  });
  const amount = h('input', { type: 'text', id: nextId('pay-amount'), 'data-testid': 'pay-amount', inputmode: 'decimal', autocomplete: 'off' });
  const date = h('input', { type: 'text', id: nextId('pay-date'), 'data-testid': 'pay-date', placeholder: t('dues.todayPlaceholder'), class: 'date-input' });
  const method = h('select', { id: nextId('pay-method'), 'data-testid': 'pay-method' },
    options(METHODS.map((m) => [m, t(`dues.method.${m}`)]), 'cash'));
  const save = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'pay-save' }, t('dues.register'));
  const line = errorLine('pay-error');
  const form = h('form', { class: 'card', novalidate: true, 'data-testid': 'pay-form' },
    h('h2', null, t('dues.byHand')),
    h('div', { class: 'field' }, h('label', { for: picker.input.id }, t('dues.member')), picker.input, picker.results, chosen,
      h('p', { class: 'field-error', 'data-testid': 'error-pay-memberId' })),
    h('div', { class: 'field-grid' },
      field({ label: t('dues.amount'), control: amount, errorName: 'pay-amount', hint: t('dues.amountHint') }),
      field({ label: t('dues.date'), control: date, errorName: 'pay-date' }),
      field({ label: t('dues.method'), control: method, errorName: 'pay-method' })),
    line,
    h('div', { class: 'form-actions' }, save));
  onSubmit(form, line, async () => {
    if (!member) { line.textContent = t('dues.chooseMember'); picker.input.focus(); return; }
    save.disabled = true;
    try {
      await api.paymentAdd({ memberId: member.id, amount: amount.value, date: date.value.trim(), method: method.value });
      toast(t('dues.registered'));
      reload();
      amount.value = '';
    } catch (err) {
      showFormError(form, line, err, { prefix: 'pay-', lead: true, focus: true });
    } finally {
      save.disabled = false;
    }
  });
  return form;
}

function loadPayments(slot, reload) {
  fillSlot(slot, () => api.paymentsList({}), (payments) => paymentTable('payment-table', payments.slice().reverse().map((p) => {
    const reverse = p.state === 'booked' || p.state === 'other_income'
      ? h('button', { type: 'button', class: 'btn small', 'data-testid': 'payment-reverse' }, t('dues.reverse'))
      : null;
    if (reverse) {
      reverse.addEventListener('click', async () => {
        const ok = await confirmDialog({
          testid: 'reverse-dialog',
          title: t('dues.reverseTitle', { amount: formatAmount(p.amount) }),
          body: t('dues.reverseText'),
          confirmLabel: t('dues.reverse'),
          danger: true,
        });
        if (!ok) return;
        try {
          await api.paymentReverse(p.id);
          toast(t('dues.reversed'));
          reload();
        } catch (err) {
          toast(errorText(err));
        }
      });
    }
    return paymentRow(p, 'payment-row', reverse);
  }), true));
}

// ---------------------------------------------------------------------------
// Fees

function drawFeesTab(body) {
  const list = h('div', { 'data-testid': 'fee-list-slot' });
  replace(body, h('section', { class: 'card' }, h('h2', null, t('dues.feeRules')), h('p', { class: 'hint' }, t('dues.feesIntro')), list),
    feeForm(() => loadFees(list)), reminderSettings());
  loadFees(list);
}

/** When reminders go out, their fee, and the arrears the statutes allow. */
function reminderSettings() {
  const names = ['firstReminderDays', 'secondReminderDays', 'reminderFee', 'arrearsDays'];
  const inputs = Object.fromEntries(names.map((n) => [n, h('input', {
    type: 'text', id: nextId(`reminder-${n}`), 'data-testid': `reminder-${n}`, inputmode: 'decimal', autocomplete: 'off',
  })]));
  const save = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'reminder-save' }, t('action.save'));
  const line = errorLine('reminder-error');
  const fill = (s) => {
    inputs.firstReminderDays.value = String(s.firstReminderDays);
    inputs.secondReminderDays.value = String(s.secondReminderDays);
    inputs.reminderFee.value = s.reminderFee ? String(s.reminderFee / 100).replace('.', ',') : '';
    inputs.arrearsDays.value = String(s.arrearsDays);
  };
  const form = h('form', { class: 'card', novalidate: true, 'data-testid': 'reminder-settings' },
    h('h2', null, t('dues.reminderSettings')),
    h('div', { class: 'field-grid' }, names.map((n) => field({
      label: t(`dues.${n}`), control: inputs[n], errorName: `reminder-${n}`, hint: t(`dues.${n}Hint`),
    }))),
    line,
    h('div', { class: 'form-actions' }, save));
  api.duesSettingsGet().then((s) => { if (form.isConnected) fill(s); }).catch((err) => { line.textContent = errorText(err); });
  onSubmit(form, line, async () => {
    save.disabled = true;
    try {
      fill(await api.duesSettingsSet(Object.fromEntries(names.map((n) => [n, inputs[n].value]))));
      toast(t('toast.saved'));
    } catch (err) {
      showFormError(form, line, err, {
        prefix: 'reminder-', lead: true, focus: true, textFor: (f) => (f.code === 'date_order' ? t('dues.secondAfterFirst') : null),
      });
    } finally {
      save.disabled = false;
    }
  });
  return form;
}

function ruleWho(r) {
  const parts = [r.membershipType ? tOr(`membershipType.${r.membershipType}`, r.membershipType) : t('dues.everyType')];
  if (r.ageUnder) parts.push(t('dues.under', { age: r.ageUnder }));
  if (r.incomeBand) parts.push(t('dues.band', { band: r.incomeBand }));
  if (r.household) parts.push(t('dues.household'));
  if (r.branchName) parts.push(t('dues.supplementOf', { branch: r.branchName }));
  return parts.join(', ');
}

function loadFees(slot) {
  fillSlot(slot, () => api.feeRulesList(), (rules) => table('fee-table', [
    { label: t('dues.who') }, { label: t('dues.perPeriod') }, { label: t('dues.amount'), num: true }, { label: t('dues.from') }, { label: '' }],
  rules.map((r) => {
    const remove = h('button', { type: 'button', class: 'btn small', 'data-testid': 'fee-delete' }, t('dues.remove'));
    remove.addEventListener('click', async () => {
      try {
        await api.feeRuleDelete(r.id);
        loadFees(slot);
      } catch (err) {
        toast(errorText(err));
      }
    });
    return h('tr', { 'data-testid': 'fee-row', dataset: { id: r.id } },
      h('td', { class: 'selectable' }, ruleWho(r)), h('td', null, t(`dues.periodKind.${r.period}`)),
      h('td', { class: 'num' }, formatAmount(r.amount)), h('td', null, formatDate(r.validFrom)), h('td', null, remove));
  }), t('dues.noFees')));
}

function feeForm(onSaved) {
  const f = {
    membershipType: h('select', { id: nextId('fee-type'), 'data-testid': 'fee-type' },
      options([['', t('dues.everyType')], ...TYPES.map((k) => [k, tOr(`membershipType.${k}`, k)])], 'ordinary')),
    period: h('select', { id: nextId('fee-period'), 'data-testid': 'fee-period' },
      options(PERIODS.map((p) => [p, t(`dues.periodKind.${p}`)]), 'year')),
    amount: h('input', { type: 'text', id: nextId('fee-amount'), 'data-testid': 'fee-amount', inputmode: 'decimal', autocomplete: 'off' }),
    ageUnder: h('input', { type: 'text', id: nextId('fee-age'), 'data-testid': 'fee-ageUnder', inputmode: 'numeric', autocomplete: 'off' }),
    incomeBand: h('input', { type: 'text', id: nextId('fee-band'), 'data-testid': 'fee-incomeBand', autocomplete: 'off' }),
    branchId: h('select', { id: nextId('fee-branch'), 'data-testid': 'fee-branch' },
      options([['', t('dues.noSupplement')], ...store.branches.map((b) => [b.id, b.name])], '')),
    validFrom: h('input', { type: 'text', id: nextId('fee-from'), 'data-testid': 'fee-validFrom', class: 'date-input', placeholder: t('dues.fromPlaceholder') }),
  };
  const household = h('input', { type: 'checkbox', id: nextId('fee-household'), 'data-testid': 'fee-household' });
  const save = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'fee-save' }, t('dues.addRule'));
  const line = errorLine('fee-error');
  const form = h('form', { class: 'card', novalidate: true, 'data-testid': 'fee-form' },
    h('h2', null, t('dues.newRule')),
    h('div', { class: 'field-grid' },
      field({ label: t('dues.type'), control: f.membershipType, errorName: 'fee-membershipType' }),
      field({ label: t('dues.perPeriod'), control: f.period, errorName: 'fee-period' }),
      field({ label: t('dues.amount'), control: f.amount, errorName: 'fee-amount', hint: t('dues.amountHint') }),
      field({ label: t('dues.ageUnder'), control: f.ageUnder, errorName: 'fee-ageUnder', hint: t('dues.ageUnderHint') }),
      field({ label: t('dues.incomeBand'), control: f.incomeBand, errorName: 'fee-incomeBand' }),
      field({ label: t('dues.supplement'), control: f.branchId, errorName: 'fee-branchId', hint: t('dues.supplementHint') }),
      field({ label: t('dues.from'), control: f.validFrom, errorName: 'fee-validFrom' })),
    h('label', { class: 'check-line' }, household, ' ', t('dues.householdRule')),
    line,
    h('div', { class: 'form-actions' }, save));
  onSubmit(form, line, async () => {
    save.disabled = true;
    try {
      await api.feeRuleSet({
        membershipType: f.membershipType.value,
        period: f.period.value,
        amount: f.amount.value,
        ageUnder: f.ageUnder.value.trim() || null,
        incomeBand: f.incomeBand.value.trim(),
        household: household.checked,
        branchId: f.branchId.value ? Number(f.branchId.value) : null,
        validFrom: f.validFrom.value.trim(),
      });
      toast(t('dues.ruleSaved'));
      f.amount.value = '';
      onSaved();
    } catch (err) {
      showFormError(form, line, err, { prefix: 'fee-', lead: true, focus: true });
    } finally {
      save.disabled = false;
    }
  });
  return form;
}
