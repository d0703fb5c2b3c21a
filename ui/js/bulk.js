// Several members at once: the panel beside the member list when members are
// picked (ctrl/shift-click, "Select all"), and its dialogs. Every action
// says how many it is for before anything changes; a status, a branch or a
// workplace is written for all of them in one go (or, on an error, for none).
import { api, channel } from './api.js';
import { h, replace, options, nextId, todayIso } from './dom.js';
import {
  t, tp, formatNumber, formatDateTime,
} from './i18n.js';
import {
  store, idFrom, errorText, toast, field, clearFieldErrors, showFieldErrors, STATUSES,
} from './state.js';
import { openModal } from './dialog.js';
import { showFormError } from './form.js';
import { fieldErrorLine } from './membernames.js';

/** The statuses a member can be given (nobody goes back to applicant). */
const BULK_STATUSES = STATUSES.filter((s) => s !== 'applicant');
const NAMES_SHOWN = 8;

function personName(r) {
  const last = (r.lastName || '').trim();
  const first = (r.firstName || '').trim();
  return [first, last].filter(Boolean).join(' ') || t('members.noName');
}

/**
 * Draws the panel into `pane`. ctx: {ids: number[], onChanged(outcome),
 * onClear(), onExport(opener), onLetters()}.
 */
export function renderBulkPanel(pane, ctx) {
  const n = ctx.ids.length;
  const titleId = nextId('bulk-title');
  const names = h('p', { class: 'bulk-names muted', 'data-testid': 'bulk-names' });
  const button = (testid, label, onclick) => h('button', {
    type: 'button', class: 'btn', 'data-testid': testid, onclick,
  }, label);
  const clear = h('button', { type: 'button', class: 'btn', 'data-testid': 'bulk-clear', onclick: () => ctx.onClear() }, t('bulk.clear'));
  const section = h('section', { class: 'bulk-panel', 'data-testid': 'bulk-panel', 'aria-labelledby': titleId },
    h('header', { class: 'panel-header' },
      h('h2', { id: titleId, tabindex: '-1', 'data-testid': 'bulk-count' }, tp('bulk.count', n)),
      names,
      h('p', { class: 'hint' }, t('bulk.hint'))),
    h('div', { class: 'bulk-group' },
      h('h3', null, t('bulk.change')),
      h('div', { class: 'actions' },
        button('bulk-status', t('bulk.status'), (e) => statusDialog(e.currentTarget, ctx)),
        button('bulk-branch', t('bulk.branch'), (e) => refDialog(e.currentTarget, ctx, 'branch')),
        button('bulk-workplace', t('bulk.workplace'), (e) => refDialog(e.currentTarget, ctx, 'workplace')))),
    h('div', { class: 'bulk-group' },
      h('h3', null, t('bulk.use')),
      h('div', { class: 'actions' },
        button('bulk-meeting', t('bulk.meeting'), (e) => meetingDialog(e.currentTarget, ctx)),
        button('bulk-letters', t('bulk.letters'), () => ctx.onLetters()),
        button('bulk-export', t('bulk.export'), (e) => ctx.onExport(e.currentTarget)))),
    h('div', { class: 'actions bulk-end' }, clear));
  replace(pane, section);
  showNames(names, ctx.ids);
  return section;
}

/** "Anna Berg, Åsa Öberg … and 10 more": who the panel is about. */
async function showNames(el, ids) {
  try {
    const page = await api.membersList({
      search: '', status: null, branchId: null, workplaceId: null, kind: null, ids: ids.slice(0, NAMES_SHOWN),
      sort: 'name', desc: false, offset: 0, limit: NAMES_SHOWN,
    });
    if (!el.isConnected) return;
    const shown = page.items.map(personName).join(', ');
    const more = ids.length - page.items.length;
    el.textContent = more > 0 ? `${shown} ${tp('bulk.more', more)}` : shown;
  } catch (_) { /* the count says enough */ }
}

/**
 * A dialog asking to do one thing for the picked members. spec: {testid,
 * title, text, fields, focus, confirmLabel, run(form, onProgress):
 * Promise<done text>, stop()}. With `stop`, a progress bar shows while it
 * runs and Cancel becomes Stop.
 */
function bulkDialog(opener, spec) {
  const error = h('p', { class: 'form-error', 'data-testid': `${spec.testid}-error`, role: 'alert' });
  const confirm = h('button', { type: 'submit', class: 'btn primary', 'data-testid': `${spec.testid}-confirm` }, spec.confirmLabel);
  const cancel = h('button', { type: 'button', class: 'btn', 'data-testid': `${spec.testid}-cancel` }, t('action.cancel'));
  const titleId = nextId('bulk-dlg');
  const slot = h('div', { class: 'print-slot' });
  const form = h('form', { class: 'dialog-form', novalidate: true },
    h('h2', { id: titleId }, spec.title),
    h('p', { 'data-testid': `${spec.testid}-text` }, spec.text),
    spec.fields,
    error,
    slot,
    h('div', { class: 'actions' }, confirm, cancel));
  const dialog = h('dialog', { class: 'dialog', 'data-testid': spec.testid, 'aria-labelledby': titleId }, form);
  let busy = false;
  let stopping = false;
  const stop = async () => {
    if (!busy || stopping || !spec.stop) return;
    stopping = true;
    cancel.disabled = true;
    cancel.textContent = t('print.stopping');
    try { await spec.stop(); } catch (_) { /* the run ends by itself */ }
  };
  const setBusy = (on) => {
    busy = on;
    confirm.disabled = on;
    for (const c of form.querySelectorAll('select, input')) c.disabled = on;
    cancel.disabled = on && !spec.stop;
    cancel.textContent = on && spec.stop ? t('print.stop') : t('action.cancel');
    if (on) form.setAttribute('aria-busy', 'true');
    else form.removeAttribute('aria-busy');
  };
  const close = openModal(dialog, { opener, onCancel: () => { if (busy) stop(); else close(); } });
  cancel.addEventListener('click', () => { if (busy) stop(); else close(); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    clearFieldErrors(form);
    error.textContent = '';
    stopping = false;
    // Thousands of members take seconds: a bar says how far it has come.
    let onProgress = null;
    if (spec.stop) {
      const bar = h('progress', { class: 'import-progress', 'data-testid': `${spec.testid}-progress`, id: nextId('bulk-progress') });
      const barText = h('p', { class: 'progress-text', 'aria-live': 'polite' });
      replace(slot, h('div', { class: 'progress-field' }, h('label', { for: bar.id }, t('bulk.working')), bar, barText));
      onProgress = (msg) => {
        const total = Number(msg && msg.total) || 0;
        if (total <= 0) return;
        const n = Math.min(Number(msg.done) || 0, total);
        bar.max = total;
        bar.value = n;
        barText.textContent = t('bulk.progress', { done: formatNumber(n), total: formatNumber(total) });
      };
    }
    setBusy(true);
    try {
      const done = await spec.run(form, onProgress);
      setBusy(false);
      close();
      if (done) toast(done);
    } catch (err) {
      setBusy(false);
      replace(slot);
      if (err && err.shown) {
        if (err.focus) err.focus.focus();
        return;
      }
      if (err && err.code === 'cancelled') {
        replace(slot, h('p', { class: 'notice', role: 'status', 'data-testid': `${spec.testid}-stopped` }, t('error.cancelled')));
        confirm.focus();
        return;
      }
      showFormError(form, error, err, { unplacedText: fieldErrorLine });
    }
  });
  (spec.focus || confirm).focus();
}

/** "12 changed · 3 had it already · 1 left as they were". */
function outcomeText(o) {
  const parts = [tp('bulk.done.changed', o.changed)];
  if (o.unchanged) parts.push(tp('bulk.done.unchanged', o.unchanged));
  if (o.skipped) parts.push(tp('bulk.done.skipped', o.skipped));
  return parts.join(' · ');
}

function statusDialog(opener, ctx) {
  const n = ctx.ids.length;
  const status = h('select', { id: nextId('bulk-status-to'), 'data-testid': 'bulk-status-to' },
    options(BULK_STATUSES.map((s) => [s, t(`status.${s}`)]), 'resigned'));
  const date = h('input', {
    type: 'text', id: nextId('bulk-status-date'), 'data-testid': 'bulk-status-date', value: todayIso(),
    placeholder: t('date.placeholder'), autocomplete: 'off', spellcheck: 'false', class: 'date-input',
  });
  bulkDialog(opener, {
    testid: 'bulk-status-dialog',
    title: t('bulk.statusTitle'),
    text: tp('bulk.statusText', n),
    fields: [
      field({ label: t('field.status'), control: status, errorName: 'status' }),
      field({
        label: t('dialog.date'), control: date, errorName: 'date', hint: t('date.hint'),
      }),
    ],
    focus: status,
    confirmLabel: tp('bulk.statusConfirm', n),
    stop: () => api.membersBulkCancel(),
    run: async (form, onProgress) => {
      if (!date.value.trim()) {
        showFieldErrors(form, [{ field: 'date', code: 'required' }]);
        throw Object.assign(new Error('required'), { shown: true, focus: date });
      }
      const outcome = await api.membersBulk(ctx.ids, { change: 'status', status: status.value, date: date.value.trim() }, channel(onProgress));
      ctx.onChanged(outcome);
      return outcomeText(outcome);
    },
  });
}

function refDialog(opener, ctx, which) {
  const n = ctx.ids.length;
  const list = which === 'branch' ? store.branches : store.workplaces;
  const none = which === 'branch' ? t('bulk.noBranch') : t('bulk.noWorkplace');
  const items = [['', none], ...list.map((r) => [r.id, which === 'workplace' && r.branchName ? `${r.name} (${r.branchName})` : r.name])];
  const control = h('select', { id: nextId(`bulk-${which}-to`), 'data-testid': `bulk-${which}-to` },
    options(items, list.length ? list[0].id : ''));
  bulkDialog(opener, {
    testid: `bulk-${which}-dialog`,
    title: t(`bulk.${which}Title`),
    text: tp(`bulk.${which}Text`, n),
    fields: field({ label: t(`field.${which}Id`), control, errorName: `${which}Id` }),
    focus: control,
    confirmLabel: tp(`bulk.${which}Confirm`, n),
    stop: () => api.membersBulkCancel(),
    run: async (form, onProgress) => {
      const id = idFrom(list, control.value);
      const change = which === 'branch' ? { change: 'branch', branchId: id } : { change: 'workplace', workplaceId: id };
      const outcome = await api.membersBulk(ctx.ids, change, channel(onProgress));
      ctx.onChanged(outcome);
      return outcomeText(outcome);
    },
  });
}

async function meetingDialog(opener, ctx) {
  const n = ctx.ids.length;
  let meetings = [];
  try {
    meetings = await api.meetingsList();
  } catch (err) {
    toast(errorText(err));
    return;
  }
  const d = new Date();
  const now = `${todayIso()}T${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  // Meetings ahead first (soonest first), then those that were.
  const ahead = meetings.filter((m) => m.starts >= now).sort((a, b) => a.starts.localeCompare(b.starts));
  const past = meetings.filter((m) => m.starts < now).sort((a, b) => b.starts.localeCompare(a.starts));
  const label = (m) => `${m.title} – ${formatDateTime(m.starts)}`;
  const meeting = h('select', { id: nextId('bulk-meeting-to'), 'data-testid': 'bulk-meeting-to' },
    options([...ahead, ...past].map((m) => [m.id, label(m)]), ahead.length ? ahead[0].id : (past[0] || {}).id));
  const how = h('select', { id: nextId('bulk-meeting-how'), 'data-testid': 'bulk-meeting-how' },
    options([['letter', t('invite.how.letter')], ['email', t('invite.how.email')]], 'letter'));
  bulkDialog(opener, {
    testid: 'bulk-meeting-dialog',
    title: t('bulk.meetingTitle'),
    text: meetings.length ? tp('bulk.meetingText', n) : t('bulk.noMeetings'),
    fields: meetings.length ? [
      field({ label: t('bulk.meetingLabel'), control: meeting, errorName: 'meeting' }),
      field({
        label: t('invite.how'), control: how, errorName: 'how', hint: t('invite.howHint'),
      }),
    ] : null,
    focus: meetings.length ? meeting : null,
    confirmLabel: tp('bulk.meetingConfirm', n),
    run: async (form) => {
      if (!meetings.length) {
        form.querySelector('.form-error').textContent = t('bulk.noMeetings');
        throw Object.assign(new Error('none'), { shown: true });
      }
      const s = await api.meetingInvite(Number(meeting.value), {
        status: null, branchId: null, workplaceId: null, role: null, memberIds: ctx.ids, onlyPicked: true, guests: false, how: how.value,
      });
      return t('bulk.invited', { invited: formatNumber(s.invited), already: formatNumber(s.already) });
    },
  });
}
