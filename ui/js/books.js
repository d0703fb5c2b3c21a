// The Dues area's Books tab: the overview (billed, paid, outstanding per
// period and branch, the members' credit, and the payments of the last
// twelve months as bars drawn here), the export of vouchers for the
// accounting program (SIE 4 or a CSV journal) and the accounts they are
// booked on. The core decides; this draws it and asks.
import { api } from './api.js';
import { h, replace, options, nextId, todayIso } from './dom.js';
import { t, tp, formatDate, locale } from './i18n.js';
import { errorText, toast, field } from './state.js';
import { onSubmit, showFormError } from './form.js';
import { formatAmount } from './grantnames.js';
import { fileDialog } from './print.js';
import { baseName } from './export.js';

const SIE = { ext: 'se', filesKey: 'books.sieFiles', labelKey: 'books.pathLabel' };
const CSV = { ext: 'csv', filesKey: 'books.csvFiles', labelKey: 'books.pathLabel' };
const ACCOUNTS = ['receivable', 'bank', 'fees', 'reminderFees', 'otherIncome', 'credit', 'unassigned', 'writeOff', 'grants'];

// Kept across re-renders.
const B = { from: '', to: '', format: '', all: false };

/** Draws the tab into `body`; `fillSlot(slot, load, draw)` and `table(...)` are dues.js's. */
export function drawBooksTab(body, { fillSlot, table }) {
  const overview = h('div', { 'data-testid': 'overview-slot' });
  replace(body,
    h('section', { class: 'card' }, h('h2', null, t('books.overview')), overview),
    exportCard(),
    accountsCard());
  fillSlot(overview, () => api.duesOverview(), (o) => overviewBox(o, table));
}

function totalsRow(r, label) {
  return h('tr', { 'data-testid': 'overview-row' },
    h('td', null, r.period), h('td', null, label),
    h('td', { class: 'num' }, String(r.invoices)),
    h('td', { class: 'num', 'data-testid': 'overview-billed' }, formatAmount(r.billed)),
    h('td', { class: 'num', 'data-testid': 'overview-paid' }, formatAmount(r.paid)),
    h('td', { class: 'num', 'data-testid': 'overview-outstanding' }, formatAmount(r.outstanding)),
    h('td', { class: 'num' }, formatAmount(r.writtenOff)));
}

function overviewBox(o, table) {
  const head = [
    { label: t('dues.period') }, { label: t('books.branch') }, { label: t('dues.count'), num: true },
    { label: t('books.billed'), num: true }, { label: t('dues.paid'), num: true },
    { label: t('books.outstanding'), num: true }, { label: t('books.writtenOff'), num: true }];
  const rows = [];
  for (const p of o.periods) {
    rows.push(totalsRow(p, t('books.allBranches')));
    // A period's branches follow it, when members are in more than one.
    const branches = o.branches.filter((b) => b.period === p.period);
    if (branches.length > 1 || (branches.length === 1 && branches[0].branch)) {
      for (const b of branches) rows.push(totalsRow(b, b.branch || t('dues.noBranch')));
    }
  }
  return h('div', null,
    table('overview-table', head, rows, t('books.noPeriods')),
    h('p', { class: 'hint', 'data-testid': 'overview-credit' }, t('books.credit', { credit: formatAmount(o.credit) })),
    h('h3', null, t('books.paymentsPerMonth')),
    monthChart(o.months));
}

/** Bars for the payments per month, each labelled with its month and amount. */
function monthChart(months) {
  const most = Math.max(1, ...months.map((m) => m.amount));
  const monthName = (m) => {
    const [y, mo] = m.month.split('-').map(Number);
    return new Date(y, mo - 1, 1).toLocaleDateString(locale(), { month: 'short' });
  };
  return h('div', { class: 'month-chart', 'data-testid': 'month-chart', role: 'list', 'aria-label': t('books.paymentsPerMonth') },
    months.map((m) => {
      const label = t('books.monthBar', { month: monthName(m), year: m.month.slice(0, 4), amount: formatAmount(m.amount), count: m.count });
      // The height through the CSSOM: the window's CSP refuses style attributes.
      const fill = h('div', { class: 'month-fill', 'data-testid': 'month-fill' });
      fill.style.height = `${Math.round((m.amount / most) * 100)}%`;
      return h('div', { class: 'month', role: 'listitem', 'aria-label': label, title: label, 'data-testid': 'month-bar', dataset: { month: m.month, amount: String(m.amount) } },
        h('div', { class: 'month-track' }, fill),
        h('span', { class: 'month-label' }, monthName(m)));
    }));
}

function exportCard() {
  if (!B.from) B.from = `${new Date().getFullYear()}-01-01`;
  if (!B.to) B.to = todayIso();
  const format = h('select', { id: nextId('books-format'), 'data-testid': 'books-format' },
    options([['', t('books.formatDefault')], ['sie4', t('books.format.sie4')], ['csv', t('books.format.csv')]], B.format));
  const from = h('input', { type: 'text', id: nextId('books-from'), 'data-testid': 'books-from', class: 'date-input', value: B.from });
  const to = h('input', { type: 'text', id: nextId('books-to'), 'data-testid': 'books-to', class: 'date-input', value: B.to });
  const all = h('input', { type: 'checkbox', id: nextId('books-all'), 'data-testid': 'books-all', checked: B.all });
  const preview = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'books-preview' }, t('books.preview'));
  const line = h('p', { class: 'form-error', 'data-testid': 'books-error', role: 'alert', tabindex: '-1' });
  const slot = h('div', { 'data-testid': 'books-preview-slot' });
  const input = () => {
    Object.assign(B, { format: format.value, from: from.value.trim(), to: to.value.trim(), all: all.checked });
    return { format: B.format, from: B.from, to: B.to, all: B.all };
  };
  const form = h('form', { class: 'card', novalidate: true, 'data-testid': 'books-form' },
    h('h2', null, t('books.export')),
    h('p', { class: 'hint' }, t('books.exportIntro')),
    h('div', { class: 'field-grid' },
      field({ label: t('books.format'), control: format, errorName: 'books-format' }),
      field({ label: t('books.from'), control: from, errorName: 'books-from' }),
      field({ label: t('books.to'), control: to, errorName: 'books-to' })),
    h('label', { class: 'check-line' }, all, ' ', t('books.all')),
    line,
    h('div', { class: 'form-actions' }, preview),
    slot);
  onSubmit(form, line, async () => {
    preview.disabled = true;
    replace(slot);
    try {
      const p = await api.booksPreview(input());
      replace(slot, previewBox(p, input));
    } catch (err) {
      showFormError(form, line, err, { prefix: 'books-', lead: true, focus: true });
    } finally {
      preview.disabled = false;
    }
  });
  return form;
}

const stateName = (s) => t(`books.state.${s}`);

function previewBox(p, input) {
  const e = p.export;
  const write = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'books-write' }, t('books.write'));
  const shown = p.vouchers.slice(0, 200);
  write.addEventListener('click', () => {
    const sie = e.format === 'sie4';
    fileDialog(write, {
      prefix: 'books-export',
      title: t('books.exportTitle'),
      intro: tp('books.summary', e.vouchers, { new: e.new, corrections: e.corrections }),
      file: sie ? SIE : CSV,
      confirmLabel: t('books.save'),
      stem: () => t('books.stem', { from: e.from, to: e.to }),
      run: ({ path }) => api.booksExport(input(), path),
      done: (r, path) => ({
        box: h('div', { class: 'ok-box print-done', role: 'status' },
          h('p', { class: 'result-title', 'data-testid': 'books-export-done' },
            tp('books.written', r.vouchers, { new: r.new, corrections: r.corrections })),
          h('p', { class: 'result-file selectable' }, baseName(path))),
      }),
      onDone: () => toast(t('books.logged')),
    });
  });
  return h('div', { class: 'plan', 'data-testid': 'books-plan' },
    h('p', { class: 'plan-summary', 'data-testid': 'books-summary' },
      tp('books.summary', e.vouchers, { new: e.new, corrections: e.corrections })),
    e.earlier ? h('p', { class: 'hint', 'data-testid': 'books-earlier' },
      tp(e.vouchers > e.new + e.corrections ? 'books.earlierIn' : 'books.earlierOut', e.earlier)) : null,
    h('div', { class: 'table-wrap' }, h('table', { class: 'mapping-table dues-table', 'data-testid': 'books-vouchers' },
      h('thead', null, h('tr', null, h('th', null, t('books.date')), h('th', null, t('books.text')),
        h('th', null, t('books.lines')), h('th', null, t('dues.state')))),
      h('tbody', null, shown.map((v) => h('tr', { 'data-testid': 'books-voucher', dataset: { key: v.key } },
        h('td', null, formatDate(v.date)), h('td', { class: 'selectable' }, v.text),
        h('td', { class: 'mono selectable' }, v.lines.map((l) => `${l.account} ${l.amount > 0 ? '+' : '−'}${formatAmount(Math.abs(l.amount))}`).join(' · ')),
        h('td', { 'data-testid': 'books-voucher-state' }, stateName(v.state))))))),
    p.vouchers.length > shown.length ? h('p', { class: 'hint' }, t('books.more', { count: p.vouchers.length - shown.length })) : null,
    h('div', { class: 'form-actions' }, e.vouchers ? write : null));
}

function accountsCard() {
  const inputs = Object.fromEntries(ACCOUNTS.map((a) => [a, h('input', {
    type: 'text', id: nextId(`account-${a}`), 'data-testid': `account-${a}`, inputmode: 'numeric', autocomplete: 'off', class: 'short-input',
  })]));
  const save = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'accounts-save' }, t('action.save'));
  const line = h('p', { class: 'form-error', 'data-testid': 'accounts-error', role: 'alert', tabindex: '-1' });
  const form = h('form', { class: 'card', novalidate: true, 'data-testid': 'accounts-form' },
    h('h2', null, t('books.accounts')),
    h('p', { class: 'hint' }, t('books.accountsIntro')),
    h('div', { class: 'field-grid' }, ACCOUNTS.map((a) => field({ label: t(`books.account.${a}`), control: inputs[a], errorName: `account-${a}` }))),
    line,
    h('div', { class: 'form-actions' }, save));
  const fill = (acc) => { for (const a of ACCOUNTS) inputs[a].value = acc[a]; };
  api.bookAccountsGet().then((acc) => { if (form.isConnected) fill(acc); }).catch((err) => { line.textContent = errorText(err); });
  onSubmit(form, line, async () => {
    save.disabled = true;
    try {
      fill(await api.bookAccountsSet(Object.fromEntries(ACCOUNTS.map((a) => [a, inputs[a].value]))));
      toast(t('toast.saved'));
    } catch (err) {
      showFormError(form, line, err, { prefix: 'account-', lead: true, focus: true });
    } finally {
      save.disabled = false;
    }
  });
  return form;
}
