// The invite dialog of a meeting: members chosen by status, branch,
// workplace and role, plus people picked by hand (members or prospects,
// found with the member search), the prospects at the workplace as guests,
// and how they are invited (letter, or the e-mail list). Shows what the run
// did (InviteSummary) and the statutes' notice warning of an annual general
// meeting; people invited before are left as they were.
import { api } from './api.js';
import { h, replace, options, nextId } from './dom.js';
import { t, formatNumber } from './i18n.js';
import {
  store, idFrom, errorText, clearFieldErrors, showFieldErrors, STATUSES, ROLES,
} from './state.js';
import { openModal } from './dialog.js';
import { meetingFieldText, noticeWarning } from './meetingnames.js';
import { memberPicker } from './picker.js';

function rowName(r) {
  const last = (r.lastName || '').trim();
  const first = (r.firstName || '').trim();
  return [first, last].filter(Boolean).join(' ') || t('members.noName');
}

function selectField(testid, label, items, value, hint) {
  const control = h('select', { id: nextId(testid), 'data-testid': testid }, options(items, value));
  const err = h('p', { class: 'field-error', 'data-testid': `error-${testid}`, id: `${control.id}-err` });
  const hintEl = hint ? h('p', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
  control.setAttribute('aria-describedby', [hintEl ? hintEl.id : null, err.id].filter(Boolean).join(' '));
  return { control, el: h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl, err) };
}

function checkField(testid, label, hint, checked = false) {
  const control = h('input', { type: 'checkbox', id: nextId(testid), 'data-testid': testid, checked });
  const hintEl = hint ? h('p', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return {
    control,
    hintEl,
    el: h('div', { class: 'check-field' }, control, h('div', null, h('label', { for: control.id }, label), hintEl)),
  };
}

/** "Invited 5 people…": what one invitation run did. */
function summaryBox(s) {
  const n = (testid, value) => h('strong', { 'data-testid': testid }, formatNumber(value));
  return h('div', { class: 'ok-box', 'data-testid': 'invite-summary', role: 'status' },
    h('p', { class: 'result-title' }, t('invite.doneInvited'), ' ', n('invite-invited', s.invited),
      s.guests ? ` ${t('invite.doneGuests', { count: formatNumber(s.guests) })}` : ''),
    h('p', null, t('invite.doneAlready'), ' ', n('invite-already', s.already)),
    h('p', null, t('invite.doneTotal'), ' ', n('invite-total', s.total), ' · ',
      t('invite.doneByLetter'), ' ', n('invite-by-letter', s.byLetter), ' · ',
      t('invite.doneByEmail'), ' ', n('invite-by-email', s.byEmail)),
    (s.warnings || []).map((w) => noticeWarning(w, t('notice.invitedOutside'))));
}

/**
 * Opens the dialog for `overview.meeting`. onDone(summary) runs after each
 * invitation run (the window refreshes its lists).
 */
export function openInvite(opener, overview, onDone) {
  const old = document.querySelector('dialog[data-testid="invite-dialog"]');
  if (old) old.remove();
  const m = overview.meeting;
  const picked = []; // [{id, name, number, kind}]

  const onlyPicked = checkField('invite-only-picked', t('invite.onlyPicked'), t('invite.onlyPickedHint'));
  const status = selectField('invite-status', t('invite.status'),
    STATUSES.map((s) => [s, t(`status.${s}`)]), 'active');
  const branch = selectField('invite-branch', t('invite.branch'),
    [['', t('filter.allBranches')], ...store.branches.map((b) => [b.id, b.name])], m.branchId ?? '');
  const workplace = selectField('invite-workplace', t('invite.workplace'),
    [['', t('filter.allWorkplaces')], ...store.workplaces.map((w) => [w.id, w.name])], m.workplaceId ?? '');
  const role = selectField('invite-role', t('invite.role'),
    [['', t('invite.anyRole')], ...ROLES.map((r) => [r, t(`role.${r}`)])], '');
  const filters = [status, branch, workplace, role];
  const syncFilters = () => {
    for (const f of filters) f.control.disabled = onlyPicked.control.checked;
  };
  onlyPicked.control.addEventListener('change', syncFilters);

  // -- people picked by hand (members or prospects)
  const pickedList = h('ul', { class: 'picked-list', 'data-testid': 'invite-picked', 'aria-label': t('invite.picked') });
  const drawPicked = (focusIndex = null) => {
    if (!picked.length) {
      replace(pickedList, h('li', { class: 'muted' }, t('invite.pickedNone')));
      return;
    }
    replace(pickedList, picked.map((p, i) => {
      const remove = h('button', {
        type: 'button', class: 'btn small', 'data-testid': 'invite-picked-remove', 'aria-label': t('invite.removeNamed', { name: p.name }),
      }, t('action.remove'));
      remove.addEventListener('click', () => {
        picked.splice(i, 1);
        drawPicked(Math.min(i, picked.length - 1));
        if (!picked.length) picker.input.focus();
      });
      return h('li', { class: 'picked-item', 'data-testid': 'invite-picked-item', dataset: { id: p.id } },
        h('span', { class: 'picked-name' }, p.name),
        h('span', { class: 'muted' }, p.number),
        p.kind === 'prospect' ? h('span', { class: 'badge' }, t('kind.prospect')) : null,
        remove);
    }));
    if (focusIndex !== null && focusIndex >= 0) {
      const btns = pickedList.querySelectorAll('[data-testid="invite-picked-remove"]');
      if (btns[focusIndex]) btns[focusIndex].focus();
    }
  };
  const picker = memberPicker({
    prefix: 'invite',
    placeholder: t('invite.searchPlaceholder'),
    label: t('invite.searchLabel'),
    resultsLabel: t('invite.results'),
    detail: (r) => [r.number, r.kind === 'prospect' ? t('kind.prospect') : null, r.city].filter(Boolean).join(' · '),
    onPick: (r) => {
      if (!picked.some((p) => String(p.id) === String(r.id))) {
        picked.push({ id: r.id, name: rowName(r), number: r.number, kind: r.kind });
      }
      drawPicked();
    },
  });
  const search = picker.input;
  drawPicked();

  const guests = checkField('invite-guests', t('invite.guests'),
    m.guestsAllowed ? t('invite.guestsHint') : t('invite.guestsNotAllowedHint'));
  const how = selectField('invite-how', t('invite.how'),
    [['letter', t('invite.how.letter')], ['email', t('invite.how.email')]], 'letter', t('invite.howHint'));

  const error = h('p', { class: 'form-error', 'data-testid': 'invite-error', role: 'alert', tabindex: '-1' });
  const slot = h('div', { class: 'invite-slot' });
  const confirm = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'invite-confirm' }, t('invite.confirm'));
  const cancel = h('button', { type: 'button', class: 'btn', 'data-testid': 'invite-cancel' }, t('action.cancel'));
  const titleId = nextId('invite-title');
  const form = h('form', { class: 'dialog-form invite-form', novalidate: true },
    h('h2', { id: titleId }, t('invite.title', { title: m.title })),
    h('p', { class: 'muted' }, t('invite.intro')),
    h('fieldset', null, h('legend', null, t('invite.whoMembers')),
      onlyPicked.el,
      h('div', { class: 'invite-grid' }, filters.map((f) => f.el))),
    h('fieldset', null, h('legend', null, t('invite.byHand')),
      h('div', { class: 'picker' },
        h('label', { for: search.id, class: 'picker-label' }, t('invite.searchLabel')),
        search,
        picker.results),
      pickedList,
      guests.el),
    how.el,
    error,
    slot,
    h('div', { class: 'actions' }, confirm, cancel));
  const dialog = h('dialog', { class: 'dialog invite-dialog', 'data-testid': 'invite-dialog', 'aria-labelledby': titleId }, form);

  let busy = false;
  let done = false;
  const close = openModal(dialog, { opener, onCancel: () => { if (!busy) close(); } });
  cancel.addEventListener('click', () => { if (!busy) close(); });
  // Changing anything after a run makes the next one.
  const reset = () => {
    if (!done || busy) return;
    done = false;
    confirm.hidden = false;
    cancel.textContent = t('action.cancel');
  };
  form.addEventListener('input', reset);
  form.addEventListener('change', reset);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    clearFieldErrors(form);
    error.textContent = '';
    if (onlyPicked.control.checked && !picked.length && !guests.control.checked) {
      error.textContent = t('invite.error.nobody');
      search.focus();
      return;
    }
    const selection = {
      status: status.control.value || null,
      branchId: idFrom(store.branches, branch.control.value),
      workplaceId: idFrom(store.workplaces, workplace.control.value),
      role: role.control.value || null,
      memberIds: picked.map((p) => p.id),
      onlyPicked: onlyPicked.control.checked,
      guests: guests.control.checked,
      how: how.control.value,
    };
    busy = true;
    confirm.disabled = true;
    form.setAttribute('aria-busy', 'true');
    let summary;
    try {
      summary = await api.meetingInvite(m.id, selection);
    } catch (err) {
      busy = false;
      confirm.disabled = false;
      form.removeAttribute('aria-busy');
      if (err.code === 'validation' && err.fields.length) {
        const unplaced = showFieldErrors(form, err.fields, 'invite-', meetingFieldText);
        error.textContent = unplaced.length
          ? unplaced.map((f) => meetingFieldText(f)).join(' ')
          : t('error.validation');
      } else {
        error.textContent = err.code === 'not_found' ? t('invite.error.notFound') : errorText(err);
        if (err.code === 'guests_not_allowed') guests.control.setAttribute('aria-invalid', 'true');
        error.focus();
      }
      return;
    }
    busy = false;
    done = true;
    confirm.disabled = false;
    confirm.hidden = true;
    form.removeAttribute('aria-busy');
    cancel.textContent = t('action.close');
    replace(slot, summaryBox(summary));
    picked.length = 0;
    drawPicked();
    cancel.focus();
    if (onDone) onDone(summary);
  });

  status.control.focus();
}
