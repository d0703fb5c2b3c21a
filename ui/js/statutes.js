// Settings → Statutes: what the statutes say about the annual general
// meeting — how many days before it the invitations go out (at least, at
// most) and the quorum (a number of voters present and/or a share of the
// voter roll). The Meetings area warns outside the notice period and shows
// the quorum from these.
import { api } from './api.js';
import { h, replace, nextId } from './dom.js';
import { t } from './i18n.js';
import {
  errorText, toast, field, showFieldErrors,
} from './state.js';
import { onSubmit, showFormError } from './form.js';
import { meetingFieldText } from './meetingnames.js';

/** Draws the section into a card that loads the statutes itself. */
export function statutesSection() {
  const titleId = nextId('statutes-title');
  const card = h('section', { class: 'card statutes', 'data-testid': 'statutes', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, t('statutes.title')),
    h('p', { class: 'muted', role: 'status' }, t('app.loading')));
  load(card, titleId);
  return card;
}

async function load(card, titleId) {
  let statutes;
  try {
    statutes = await api.statutesGet();
  } catch (err) {
    replace(card, h('h2', { id: titleId }, t('statutes.title')),
      h('p', { class: 'form-error', role: 'alert', 'data-testid': 'statutes-error' }, errorText(err)));
    return;
  }
  if (card.isConnected) fill(card, titleId, statutes);
}

const FIELDS = [
  // [DTO field, test id, label key, hint key, required]
  ['noticeMinDays', 'statutes-min', 'statutes.min', 'statutes.minHint', true],
  ['noticeMaxDays', 'statutes-max', 'statutes.max', 'statutes.maxHint', true],
  ['quorumCount', 'statutes-quorum-count', 'statutes.quorumCount', 'statutes.quorumCountHint', false],
  ['quorumPercent', 'statutes-quorum-percent', 'statutes.quorumPercent', 'statutes.quorumPercentHint', false],
];

function fill(card, titleId, statutes) {
  const inputs = {};
  const fields = FIELDS.map(([name, testid, label, hint]) => {
    const value = statutes[name];
    inputs[name] = h('input', {
      type: 'text', id: nextId(testid), 'data-testid': testid, class: 'number-input', inputmode: 'numeric',
      autocomplete: 'off', value: value === null || value === undefined ? '' : String(value),
    });
    return field({
      label: t(label), control: inputs[name], errorName: `statutes-${name}`, hint: t(hint),
    });
  });
  const line = h('p', { class: 'form-error', 'data-testid': 'statutes-error', role: 'alert', tabindex: '-1' });
  const save = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'statutes-save' }, t('action.save'));
  const paid = h('input', { type: 'checkbox', 'data-testid': 'statutes-paid-to-vote', checked: !!statutes.paidToVote });
  const form = h('form', { class: 'statutes-form', novalidate: true },
    h('div', { class: 'grid statutes-grid' }, fields),
    h('label', { class: 'check-line' }, paid, ' ', t('statutes.paidToVote')),
    line,
    h('div', { class: 'form-actions' }, save));

  onSubmit(form, line, async () => {
    const bad = [];
    const values = {};
    for (const [name, , , , required] of FIELDS) {
      const raw = inputs[name].value.trim();
      if (!raw) {
        if (required) bad.push({ field: name, code: 'required' });
        values[name] = null;
      } else if (!/^\d{1,7}$/.test(raw)) {
        bad.push({ field: name, code: 'invalid_number' });
      } else {
        values[name] = Number(raw);
      }
    }
    if (bad.length) {
      showFieldErrors(form, bad, 'statutes-', meetingFieldText);
      line.textContent = t('error.validation');
      return;
    }
    values.paidToVote = paid.checked;
    save.disabled = true;
    try {
      const saved = await api.statutesSet(values);
      for (const [name] of FIELDS) inputs[name].value = saved[name] === null ? '' : String(saved[name]);
      toast(t('toast.saved'));
    } catch (err) {
      showFormError(form, line, err, { prefix: 'statutes-', textFor: meetingFieldText, lead: true });
    } finally {
      save.disabled = false;
    }
  });

  replace(card,
    h('h2', { id: titleId }, t('statutes.title')),
    h('p', { class: 'muted' }, t('statutes.intro')),
    form);
}
