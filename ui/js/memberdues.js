// What a member pays with, on their page: the income band (unions charge by
// income) and the household's payer (another member pays a family fee for
// them). Changed in place; the core checks and keeps it, with a history line.
import { api } from './api.js';
import { h, replace, nextId } from './dom.js';
import { t } from './i18n.js';
import { errorText, fieldErrorText } from './state.js';
import { memberPicker, listName } from './picker.js';

/** The line and its Change button; `onSaved(account)` redraws the section. */
export function memberDuesBox(m, account, onSaved) {
  const parts = [
    account.incomeBand ? t('memberDues.band', { band: account.incomeBand }) : t('memberDues.noBand'),
    account.payer ? t('memberDues.paidBy', { payer: account.payer }) : t('memberDues.paysSelf'),
  ];
  const change = h('button', { type: 'button', class: 'btn small', 'data-testid': 'member-dues-change' }, t('memberDues.change'));
  const box = h('div', { class: 'member-dues', 'data-testid': 'member-dues' },
    h('p', { 'data-testid': 'member-dues-line' }, parts.join(' · '), ' ', change));
  change.addEventListener('click', () => {
    replace(box, form(m, account, onSaved, () => replace(box, memberDuesBox(m, account, onSaved))));
    box.querySelector('[data-testid="member-dues-band"]').focus();
  });
  return box;
}

function form(m, account, onSaved, onCancel) {
  let payer = account.payerId ? { id: account.payerId, text: account.payer } : null;
  const band = h('input', {
    type: 'text', id: nextId('member-band'), 'data-testid': 'member-dues-band', value: account.incomeBand || '', autocomplete: 'off',
  });
  const bandError = h('p', { class: 'field-error', 'data-testid': 'error-member-dues-incomeBand' });
  const chosen = h('p', { class: 'hint', 'data-testid': 'member-dues-payer' });
  const self = h('button', { type: 'button', class: 'btn small', 'data-testid': 'member-dues-self' }, t('memberDues.paysSelfButton'));
  const showPayer = () => { chosen.textContent = payer ? t('memberDues.paidBy', { payer: payer.text }) : t('memberDues.paysSelf'); };
  self.addEventListener('click', () => { payer = null; showPayer(); });
  const picker = memberPicker({
    prefix: 'member-dues-payer',
    placeholder: t('dues.memberSearch'),
    label: t('memberDues.payer'),
    resultsLabel: t('invite.results'),
    detail: (r) => [r.number, r.city].filter(Boolean).join(' · '),
    onPick: (r) => { payer = { id: r.id, text: `${r.number} ${listName(r)}` }; showPayer(); },
  });
  const line = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'member-dues-error' });
  const save = h('button', { type: 'submit', class: 'btn primary small', 'data-testid': 'member-dues-save' }, t('action.save'));
  const cancel = h('button', { type: 'button', class: 'btn small', 'data-testid': 'member-dues-cancel', onclick: onCancel }, t('action.cancel'));
  const el = h('form', { class: 'member-dues-form', novalidate: true, 'data-testid': 'member-dues-form' },
    h('div', { class: 'field' }, h('label', { for: band.id }, t('dues.incomeBand')), band, bandError),
    h('div', { class: 'field' }, h('label', { for: picker.input.id }, t('memberDues.payer')), chosen,
      h('div', { class: 'path-row' }, picker.input, self), picker.results),
    line,
    h('div', { class: 'form-actions' }, save, cancel));
  showPayer();
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    line.textContent = '';
    bandError.textContent = '';
    save.disabled = true;
    try {
      const saved = await api.memberDuesSet(m.id, { incomeBand: band.value.trim() || null, payerId: payer ? payer.id : null });
      onSaved(saved);
    } catch (err) {
      const f = err.code === 'validation' ? err.fields[0] : null;
      if (f && f.field === 'incomeBand') {
        bandError.textContent = fieldErrorText(f.code);
        band.focus();
      } else if (f && f.field === 'payerId') {
        line.textContent = t('memberDues.payerNests');
      } else {
        line.textContent = errorText(err);
      }
    } finally {
      save.disabled = false;
    }
  });
  return el;
}
