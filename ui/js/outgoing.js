// The club's own applications to others (the Grants area's second tab):
// the open ones by deadline, a deadline within two weeks marked, and the
// form for one (funder, title, amount, deadline, status, received, note).
import { api } from './api.js';
import { h, replace, options, nextId } from './dom.js';
import { t, formatDate } from './i18n.js';
import {
  errorText, toast, field, clearFieldErrors,
} from './state.js';
import { confirmDialog } from './dialog.js';
import { formControls, cancelOnEscape, showFormError } from './form.js';
import { rowSet, keyTarget } from './rows.js';
import {
  OUTGOING_STATUSES, formatAmount, amountText, daysUntil, grantFieldText,
} from './grantnames.js';

/** A deadline this near (days) is marked. */
const SOON_DAYS = 14;

const O = {
  rows: null, error: null, selectedId: null, mode: 'none', seq: 0,
};
let els = null; // {list, detail}
const R = rowSet(() => els && els.list, 'outgoing-row', () => O.selectedId);

export function renderOutgoing(list, detail) {
  els = { list, detail };
  list.addEventListener('keydown', (e) => {
    const target = keyTarget(e, R.rows(), O.selectedId);
    if (!target) return;
    e.preventDefault();
    target.focus();
    select(Number(target.dataset.id));
  });
  drawList();
  refresh();
  const row = O.rows && O.rows.find((r) => String(r.id) === String(O.selectedId));
  if (O.mode === 'new') renderForm(null);
  else if (row) renderForm(row);
  else renderNone();
}

export function openNewOutgoing() {
  if (!els || !els.list.isConnected) return;
  O.mode = 'new';
  O.selectedId = null;
  R.mark();
  renderForm(null);
}

export function cancelOutgoingForm() {
  if (!els || O.mode === 'none') return false;
  O.mode = 'none';
  O.selectedId = null;
  R.mark();
  renderNone();
  (R.rows()[0] || document.querySelector('[data-testid="outgoing-new"]') || document.body).focus();
  return true;
}

async function refresh() {
  const seq = ++O.seq;
  const mine = els;
  try {
    O.rows = await api.outgoingList();
    O.error = null;
  } catch (err) {
    O.error = err;
  }
  if (seq !== O.seq || els !== mine) return;
  drawList();
}

/** An open application (not decided yet) whose deadline is within two weeks. */
function isSoon(r) {
  const days = daysUntil(r.deadline);
  return (r.status === 'planned' || r.status === 'submitted') && days !== null && days >= 0 && days <= SOON_DAYS;
}

function drawList() {
  if (!els || !els.list.isConnected) return;
  if (O.error) { replace(els.list, h('li', { class: 'list-error', role: 'alert' }, errorText(O.error))); return; }
  if (!O.rows) { replace(els.list, h('li', { class: 'list-empty', 'aria-busy': 'true' }, t('app.loading'))); return; }
  if (!O.rows.length) {
    replace(els.list, h('li', { class: 'list-empty', 'data-testid': 'outgoing-list-empty' },
      h('p', null, t('outgoing.empty')), h('p', { class: 'hint' }, t('outgoing.emptyHint'))));
    return;
  }
  replace(els.list, O.rows.map((r) => {
    const selected = String(r.id) === String(O.selectedId);
    const soon = isSoon(r);
    const days = daysUntil(r.deadline);
    const btn = h('button', {
      type: 'button', class: ['meeting-row', selected ? 'selected' : '', soon ? 'soon' : ''], 'data-testid': 'outgoing-row',
      dataset: { id: r.id, status: r.status, soon: soon ? 'true' : null }, 'aria-current': selected ? 'true' : null,
    },
    h('span', { class: 'row-line' }, h('span', { class: 'row-name' }, r.title), h('span', { class: `badge outgoing-${r.status}` }, t(`outgoing.status.${r.status}`))),
    h('span', { class: 'row-line sub' }, h('span', { class: 'row-when' }, r.funder), h('span', { class: 'row-seats' }, formatAmount(r.amount))),
    r.deadline ? h('span', { class: ['row-line sub', soon ? 'soon-mark' : ''] },
      h('span', { 'data-testid': soon ? 'outgoing-soon' : null },
        soon ? t('outgoing.deadlineSoon', { date: formatDate(r.deadline), days }) : t('outgoing.deadline', { date: formatDate(r.deadline) }))) : null);
    btn.addEventListener('click', () => select(r.id));
    return h('li', null, btn);
  }));
}

function select(id) {
  const row = O.rows && O.rows.find((r) => String(r.id) === String(id));
  if (!row) return;
  O.selectedId = row.id;
  O.mode = 'edit';
  R.mark();
  renderForm(row);
}

function renderNone() {
  replace(els.detail, h('div', { class: 'detail-empty' }, h('p', null, t('outgoing.noSelection'))));
}

function renderForm(row) {
  const editing = !!row;
  const o = row || {
    funder: '', title: '', amount: null, deadline: null, status: 'planned', received: null, note: '',
  };
  const text = (name, value, extra = {}) => h('input', {
    type: 'text', id: nextId(`out-${name}`), name, 'data-testid': `field-${name}`, value: value || '', autocomplete: 'off', ...extra,
  });
  const c = {
    funder: text('funder', o.funder, { maxlength: '200' }),
    title: text('title', o.title, { maxlength: '200' }),
    amount: text('amount', amountText(o.amount), { class: 'number-input', inputmode: 'decimal' }),
    deadline: text('deadline', o.deadline || '', { class: 'date-input', placeholder: t('date.placeholder'), spellcheck: 'false' }),
    status: h('select', { id: nextId('out-status'), 'data-testid': 'field-status' },
      options(OUTGOING_STATUSES.map((s) => [s, t(`outgoing.status.${s}`)]), o.status)),
    received: text('received', amountText(o.received), { class: 'number-input', inputmode: 'decimal' }),
    note: h('textarea', { id: nextId('out-note'), 'data-testid': 'field-note', rows: '3', value: o.note || '' }),
  };
  const fld = (name, opts = {}) => field({ label: t(`outgoing.field.${name}`), control: c[name], errorName: name, ...opts });
  const { line: formError, save, cancel } = formControls(() => cancelOutgoingForm());
  const del = editing ? h('button', { type: 'button', class: 'btn', 'data-testid': 'outgoing-delete' }, t('outgoing.delete')) : null;
  const titleId = nextId('out-form-title');
  const form = h('form', { class: 'member-form outgoing-form', 'data-testid': 'outgoing-form', novalidate: true, 'aria-labelledby': titleId },
    h('h2', { id: titleId }, editing ? t('outgoing.editTitle', { title: o.title }) : t('outgoing.newTitle')),
    h('p', { class: 'muted' }, t('outgoing.intro')),
    h('fieldset', null, h('legend', null, t('outgoing.group')),
      h('div', { class: 'grid' }, fld('funder', { wide: true }), fld('title', { wide: true }),
        fld('amount', { hint: t('grants.amountHint') }), fld('deadline'), fld('status'),
        fld('received', { hint: t('outgoing.receivedHint') }), fld('note', { wide: true }))),
    formError,
    h('div', { class: 'form-actions' }, save, cancel, del));
  cancelOnEscape(form, () => cancelOutgoingForm());
  if (del) {
    del.addEventListener('click', async () => {
      const yes = await confirmDialog({
        testid: 'outgoing-delete-dialog', title: t('outgoing.deleteTitle'), body: [t('outgoing.deleteText', { title: o.title })],
        confirmLabel: t('outgoing.delete'), danger: true,
      });
      if (!yes) return;
      try {
        await api.outgoingDelete(o.id);
      } catch (err) {
        formError.textContent = errorText(err);
        return;
      }
      toast(t('outgoing.deleted'));
      O.selectedId = null;
      O.mode = 'none';
      renderNone();
      refresh();
    });
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    formError.textContent = '';
    const input = {};
    for (const name of Object.keys(c)) input[name] = name === 'note' ? c.note.value.replace(/\s+$/, '') : c[name].value.trim();
    save.disabled = true;
    let saved;
    try {
      saved = await api.outgoingSave(editing ? o.id : null, input);
    } catch (err) {
      save.disabled = false;
      showFormError(form, formError, err, { textFor: grantFieldText, lead: true });
      return;
    }
    save.disabled = false;
    toast(t('toast.saved'));
    O.selectedId = saved.id;
    O.mode = 'edit';
    await refresh();
    if (els && form.isConnected) renderForm(saved);
  });
  replace(els.detail, form);
  (editing ? c.title : c.funder).focus();
}
