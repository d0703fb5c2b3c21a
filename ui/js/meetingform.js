// The meeting form (new / edit) of the Meetings area: what, when (a date and
// a time in the meeting's own zone), where, who and the agenda. A capacity
// below the seats taken asks first (the below_seated question).
import { api } from './api.js';
import {
  h, replace, options, nextId,
} from './dom.js';
import { t, formatNumber } from './i18n.js';
import {
  store, idFrom, field, showFieldErrors, workplaceLabel, branchFollowsWorkplace,
} from './state.js';
import { confirmDialog } from './dialog.js';
import { submitForm, formControls, cancelOnEscape } from './form.js';
import {
  MEETING_KINDS, TIME_ZONES, orgZone, kindName, zoneLabel, splitWall, personName, meetingFieldText,
} from './meetingnames.js';

function text(name, value, extra = {}) {
  return h('input', {
    type: 'text', id: nextId(`m-${name}`), name, 'data-testid': `field-${name}`, value: value || '', autocomplete: 'off', ...extra,
  });
}

function choice(name, items, value) {
  return h('select', { id: nextId(`m-${name}`), name, 'data-testid': `field-${name}` }, options(items, value));
}

/** "18.00", "1800", "9:5" -> "18:00", "09:05"-like; anything else is left as typed. */
export function normaliseTime(s) {
  const v = String(s || '').trim();
  const m = /^(\d{1,2})[.:]?(\d{2})$/.exec(v);
  return m ? `${m[1].padStart(2, '0')}:${m[2]}` : v;
}

function endsText(m) {
  if (!m.ends) return '';
  const a = splitWall(m.starts);
  const b = splitWall(m.ends);
  if (!b) return '';
  return a && a.date === b.date ? b.time : `${b.date} ${b.time}`;
}

/**
 * The form for `meeting` (null: a new one) in `pane`. ctx: {onCancel(),
 * onSaved(meeting) (while the form is still shown)}.
 */
export function renderMeetingForm(pane, meeting, ctx) {
  const editing = !!meeting;
  const m = meeting || {
    kind: 'member_meeting', title: '', starts: '', ends: null, timeZone: orgZone(), venue: '', onlineLink: '',
    capacity: null, agenda: '', branchId: null, workplaceId: null, replyBy: null, guestsAllowed: false, note: '',
  };
  const start = splitWall(m.starts) || { date: '', time: '' };
  const f = {
    kind: choice('kind', MEETING_KINDS.map((k) => [k, kindName(k)]), m.kind),
    title: text('title', m.title, { maxlength: '200' }),
    startsDate: text('startsDate', start.date, { class: 'date-input', placeholder: t('date.placeholder'), spellcheck: 'false' }),
    startsTime: text('startsTime', start.time, {
      class: 'time-input', placeholder: t('meetings.timePlaceholder'), spellcheck: 'false', inputmode: 'numeric',
      'aria-label': t('meetings.startsTime'),
    }),
    ends: text('ends', endsText(m), { class: 'time-input', placeholder: t('meetings.timePlaceholder'), spellcheck: 'false' }),
    timeZone: choice('timeZone', TIME_ZONES.map((z) => [z, zoneLabel(z)]), m.timeZone || orgZone()),
    replyBy: text('replyBy', m.replyBy || '', { class: 'date-input', placeholder: t('date.placeholder'), spellcheck: 'false' }),
    venue: text('venue', m.venue, { maxlength: '300' }),
    onlineLink: text('onlineLink', m.onlineLink, { type: 'url', spellcheck: 'false', placeholder: 'https://' }),
    capacity: text('capacity', m.capacity === null || m.capacity === undefined ? '' : String(m.capacity), {
      class: 'number-input', inputmode: 'numeric', placeholder: t('meetings.noLimit'),
    }),
    branchId: choice('branchId', [['', t('form.noBranch')], ...store.branches.map((b) => [b.id, b.name])], m.branchId ?? ''),
    workplaceId: choice('workplaceId', [['', t('form.noWorkplace')], ...store.workplaces.map((w) => [w.id, workplaceLabel(w)])], m.workplaceId ?? ''),
    guestsAllowed: h('input', { type: 'checkbox', id: nextId('m-guests'), 'data-testid': 'field-guestsAllowed', checked: !!m.guestsAllowed }),
    agenda: h('textarea', { id: nextId('m-agenda'), 'data-testid': 'field-agenda', rows: '5', value: m.agenda || '' }),
    note: h('textarea', { id: nextId('m-note'), 'data-testid': 'field-note', rows: '3', value: m.note || '' }),
  };
  branchFollowsWorkplace(f.workplaceId, f.branchId);
  const fld = (name, opts = {}) => field({ label: t(`meetings.field.${name}`), control: f[name], errorName: name, ...opts });

  // Starts: a date and a time, one error line.
  const startsErr = h('p', { class: 'field-error', 'data-testid': 'error-starts', id: `${f.startsDate.id}-err` });
  const startsHint = h('p', { class: 'hint', id: `${f.startsDate.id}-hint` }, t('meetings.startsHint'));
  for (const c of [f.startsDate, f.startsTime]) c.setAttribute('aria-describedby', `${startsHint.id} ${startsErr.id}`);
  const starts = h('div', { class: 'field' },
    h('label', { for: f.startsDate.id }, t('meetings.field.starts')),
    h('div', { class: 'date-time' }, f.startsDate, f.startsTime),
    startsHint, startsErr);

  // Guests: the workplace decides at a workplace meeting.
  const guestsHint = h('p', { class: 'hint', id: `${f.guestsAllowed.id}-hint` });
  const guestsErr = h('p', { class: 'field-error', 'data-testid': 'error-guestsAllowed', id: `${f.guestsAllowed.id}-err` });
  f.guestsAllowed.setAttribute('aria-describedby', `${guestsHint.id} ${guestsErr.id}`);
  const showGuestsHint = () => {
    guestsHint.textContent = t(f.kind.value === 'workplace_meeting' ? 'meetings.guestsHintWorkplace' : 'meetings.guestsHint');
  };
  showGuestsHint();
  f.kind.addEventListener('change', showGuestsHint);
  const guests = h('div', { class: 'check-field wide' }, f.guestsAllowed,
    h('div', null, h('label', { for: f.guestsAllowed.id }, t('meetings.field.guestsAllowed')), guestsHint, guestsErr));

  const { line: formError, save, cancel } = formControls(() => ctx.onCancel());
  const titleId = nextId('meeting-form-title');
  const form = h('form', { class: 'member-form meeting-form', 'data-testid': 'meeting-form', novalidate: true, 'aria-labelledby': titleId },
    h('h2', { id: titleId }, editing ? t('meetings.editTitle', { title: m.title }) : t('meetings.newTitle')),
    h('fieldset', null, h('legend', null, t('meetings.group.what')),
      h('div', { class: 'grid' }, fld('kind'), fld('title', { wide: true }))),
    h('fieldset', null, h('legend', null, t('meetings.group.when')),
      h('div', { class: 'grid' }, starts, fld('ends', { hint: t('meetings.endsHint') }), fld('timeZone'),
        fld('replyBy', { hint: t('meetings.replyByHint') }))),
    h('fieldset', null, h('legend', null, t('meetings.group.where')),
      h('div', { class: 'grid' }, fld('venue', { wide: true }), fld('onlineLink', { wide: true, hint: t('meetings.linkHint') }))),
    h('fieldset', null, h('legend', null, t('meetings.group.who')),
      h('div', { class: 'grid' }, fld('capacity', { hint: t('meetings.capacityHint') }), fld('branchId'), fld('workplaceId'), guests)),
    h('fieldset', null, h('legend', null, t('meetings.group.agenda')),
      h('div', { class: 'grid' }, fld('agenda', { wide: true }), fld('note', { wide: true, hint: t('meetings.noteHint') }))),
    formError,
    h('div', { class: 'form-actions' }, save, cancel));

  cancelOnEscape(form, () => ctx.onCancel());

  const read = () => {
    const val = (x) => x.value.trim();
    const date = val(f.startsDate);
    const time = normaliseTime(val(f.startsTime));
    if (time !== val(f.startsTime)) f.startsTime.value = time;
    let ends = val(f.ends);
    if (/^\d{1,2}[.:]?\d{2}$/.test(ends)) { ends = normaliseTime(ends); f.ends.value = ends; }
    const cap = val(f.capacity);
    const local = [];
    if (cap && !/^\d+$/.test(cap)) local.push({ field: 'capacity', code: 'invalid_number' });
    return {
      errors: local,
      input: {
        kind: f.kind.value,
        title: val(f.title),
        starts: [date, time].filter(Boolean).join(' '),
        ends,
        timeZone: f.timeZone.value,
        venue: val(f.venue),
        onlineLink: val(f.onlineLink),
        capacity: cap && !local.length ? Number(cap) : null,
        agenda: f.agenda.value.replace(/\s+$/, ''),
        branchId: idFrom(store.branches, f.branchId.value),
        workplaceId: idFrom(store.workplaces, f.workplaceId.value),
        replyBy: val(f.replyBy),
        guestsAllowed: f.guestsAllowed.checked,
        note: f.note.value.replace(/\s+$/, ''),
        // Another officer's save since the form opened is refused, not overwritten.
        version: editing ? meeting.version : null,
      },
    };
  };

  submitForm({
    form,
    save,
    line: formError,
    textFor: meetingFieldText,
    read,
    send: async (input) => {
      if (!editing) return api.meetingCreate(input);
      try {
        return await api.meetingUpdate(meeting.id, input, null);
      } catch (err) {
        if (err.code !== 'below_seated') throw err;
        // Fewer seats than are taken: ask, never drop anyone silently.
        if (!(await askBelowSeated(meeting.id, input.capacity))) {
          showFieldErrors(form, [{ field: 'capacity', code: 'below_seated' }], '', () => t('meetings.error.belowSeated'));
          return null; // nothing saved
        }
        return api.meetingUpdate(meeting.id, input, true);
      }
    },
    done: (saved) => (saved ? ctx.onSaved(saved) : null),
  });

  replace(pane, form);
  pane.scrollTop = 0;
  (editing ? f.title : f.kind).focus();
}

/**
 * A capacity below the seats taken: who would go back to the waiting list
 * (the latest seated), and does the treasurer want that? Resolves true/false.
 */
async function askBelowSeated(id, capacity) {
  // The latest seated: those after the new capacity, in seat order (the
  // first hundred; the count says how many more).
  let taken = null;
  let moving = [];
  try {
    const page = await api.meetingPeople(id, { place: 'seated', offset: Math.max(0, capacity || 0), limit: 100 });
    taken = page.places.seated;
    moving = page.rows;
  } catch (_) { /* the question is asked without the names */ }
  const left = taken === null ? 0 : taken - Math.max(0, capacity || 0) - moving.length;
  return confirmDialog({
    testid: 'below-seated-dialog',
    title: t('belowSeated.title'),
    body: [
      taken === null ? null : t('belowSeated.text', { taken: formatNumber(taken), capacity: formatNumber(capacity || 0) }),
      moving.length ? h('ul', { class: 'moving-list', 'data-testid': 'below-seated-names' },
        moving.map((p) => h('li', null, personName(p))),
        left > 0 ? h('li', { class: 'muted' }, t('belowSeated.more', { count: formatNumber(left) })) : null) : null,
      t('belowSeated.question'),
    ],
    confirmLabel: t('belowSeated.move'),
    cancelLabel: t('belowSeated.keepEditing'),
  });
}
