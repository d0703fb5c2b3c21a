// Settings → Payments: the organisation's bank details, the ones its
// country uses. Each number is checked by the core when saved (its check
// digit where it has one) and shown again written the usual way.
import { api } from './api.js';
import { h, nextId, options } from './dom.js';
import { t } from './i18n.js';
import { store, field, toast } from './state.js';
import { onSubmit, showFormError } from './form.js';

// The fields each country's organisations use, in the order shown.
const FIELDS = {
  SE: ['bankgiro', 'plusgiro', 'account', 'iban', 'bic', 'swish'],
  NO: ['account', 'iban', 'bic', 'vipps'],
  DK: ['account', 'iban', 'bic', 'creditor', 'mobilepay'],
};

export function paymentSettingsSection() {
  const country = store.info.org.country;
  const names = FIELDS[country] || FIELDS.SE;
  const inputs = {};
  for (const n of names) {
    inputs[n] = h('input', {
      type: 'text', id: nextId(`payments-${n}`), 'data-testid': `payments-${n}`, autocomplete: 'off', spellcheck: 'false',
    });
  }
  const kid = country === 'NO'
    ? h('select', { id: nextId('payments-kid'), 'data-testid': 'payments-kid' },
      options([['mod10', t('payments.kidMod10')], ['mod11', t('payments.kidMod11')]], 'mod10'))
    : null;
  const lengthDigit = country === 'SE'
    ? h('input', { type: 'checkbox', id: nextId('payments-length'), 'data-testid': 'payments-ocrLengthDigit' })
    : null;
  const save = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'payments-save' }, t('action.save'));
  const line = h('p', { class: 'form-error', 'data-testid': 'payments-error', role: 'alert', tabindex: '-1' });
  const fill = (p) => {
    for (const n of names) inputs[n].value = p[n] || '';
    if (kid) kid.value = p.kid || 'mod10';
    if (lengthDigit) lengthDigit.checked = !!p.ocrLengthDigit;
  };
  const form = h('form', { class: 'card', novalidate: true, 'data-testid': 'payments-settings' },
    h('h2', null, t('payments.title')),
    h('p', { class: 'hint' }, t(`payments.intro${country}`)),
    h('div', { class: 'field-grid' },
      names.map((n) => field({
        label: t(`payments.${n}`), control: inputs[n], errorName: `payments-${n}`, hint: t(`payments.${n}Hint`),
      })),
      kid ? field({ label: t('payments.kid'), control: kid, errorName: 'payments-kid' }) : null),
    lengthDigit ? h('div', { class: 'field check' },
      h('label', null, lengthDigit, ' ', t('payments.ocrLengthDigit')),
      h('p', { class: 'field-error', 'data-testid': 'error-payments-ocrLengthDigit' })) : null,
    line,
    h('div', { class: 'form-actions' }, save));
  api.paymentsGet().then((p) => { if (form.isConnected) fill(p); }).catch((err) => showFormError(form, line, err));
  onSubmit(form, line, async () => {
    save.disabled = true;
    const input = {};
    for (const n of names) input[n] = inputs[n].value;
    if (kid) input.kid = kid.value;
    if (lengthDigit) input.ocrLengthDigit = lengthDigit.checked;
    try {
      fill(await api.paymentsSet(input));
      toast(t('toast.saved'));
    } catch (err) {
      showFormError(form, line, err, { prefix: 'payments-', lead: true, focus: true });
    } finally {
      save.disabled = false;
    }
  });
  return form;
}
