// The Meetings area: the meetings on the left (coming ones first, soonest
// first, then earlier ones), the selected meeting or the meeting form on the
// right. A meeting shows its details in its own local time, the seat panel
// (seats taken and left, replies, the waiting list in order, who got a seat
// and needs a letter), the people invited with their replies and attendance,
// its papers and, for an annual general meeting, the voter roll and quorum.
import { api } from './api.js';
import {
  h, replace, options, nextId, todayIso, coalesce,
} from './dom.js';
import {
  t, tp, formatDate, formatNumber,
} from './i18n.js';
import {
  errorText, toast, field, showFieldErrors,
} from './state.js';
import { onSubmit, showFormError } from './form.js';
import { confirmDialog, openModal } from './dialog.js';
import { openInvite } from './invite.js';
import { rowSet, keyTarget } from './rows.js';
import {
  openInvitationLetters, openSeatLetters, openSignatures, openIcs, openVoterRoll, openEmails,
} from './meetingpapers.js';
import { renderMeetingForm } from './meetingform.js';
import {
  REPEATS, PLACES, orgZone, kindName, zoneName, zoneLabel, splitWall, formatWall,
  meetingWhen, isPast, personName, meetingFieldText, noticeWarning,
} from './meetingnames.js';

// The people list reads and draws this many rows, and this many more on "Show
// more" (an annual meeting can invite every member: the core sends a page at a
// time); the find box shows from this many invited.
const PEOPLE_PAGE = 100;
const FIND_FROM = 12;

// State kept across re-renders (language switch, area changes).
const S = {
  rows: null, // [MeetingRow]
  listError: null,
  selectedId: null,
  overview: null, // Overview of the selected meeting
  people: null, // {meetingId, rows: [Invitee] as shown, found, fetched, places}
  detailError: null,
  mode: 'view', // 'view' | 'new' | 'edit'
  filter: 'all', // the people list: all or one place
  find: '', // the people list: only those whose name or number holds this
  limit: PEOPLE_PAGE, // the people list: how many rows of the filter are read
  undo: null, // {meetingId, token}: the last reply, to take back
  listSeq: 0,
  detailSeq: 0,
};

let els = null; // {container, list, newBtn, detail, parts: {seats, people, papers, voters}}
const R = rowSet(() => els && els.list, 'meeting-row', () => S.selectedId);

// ---------------------------------------------------------------------------
// Public API used by main.js

export function renderMeetings(container) {
  if (S.mode !== 'view' && S.mode !== 'new' && S.mode !== 'edit') S.mode = 'view';
  const newBtn = h('button', {
    type: 'button', class: 'btn primary', 'data-testid': 'meeting-new',
    'aria-keyshortcuts': 'Control+N Meta+N', title: t('meetings.newShortcut'), onclick: () => openNew(),
  }, t('meetings.new'));
  const list = h('ul', { class: 'meeting-list', 'data-testid': 'meeting-list', 'aria-label': t('meetings.listLabel') });
  list.addEventListener('keydown', onListKey);
  const detail = h('section', { class: 'detail-pane', 'aria-label': t('meetings.detailLabel') });
  const listPane = h('section', { class: 'list-pane', 'aria-label': t('meetings.listLabel') },
    h('div', { class: 'list-tools' },
      h('div', { class: 'list-head' }, h('h1', null, t('nav.meetings')), newBtn)),
    list);
  replace(container, h('div', { class: 'meetings' }, listPane, detail));
  els = {
    container, list, newBtn, detail, parts: {},
  };
  drawList();
  refreshList();
  if (S.mode === 'new' || (S.mode === 'edit' && S.overview)) {
    // A redraw (language switch) while the form is open starts it again.
    renderForm(S.mode === 'edit' ? S.overview.meeting : null);
  } else if (S.selectedId !== null) {
    S.mode = 'view';
    if (S.overview && String(S.overview.meeting.id) === String(S.selectedId)) renderDetail();
    else renderLoading();
    loadDetail(S.selectedId);
  } else {
    S.mode = 'view';
    renderNoSelection();
  }
}

/** Ctrl/Cmd+N: the form for a new meeting. */
export function openNew() {
  if (!els) return;
  S.mode = 'new';
  S.detailSeq += 1; // a detail still loading must not replace the form
  renderForm(null);
}

/** Esc: cancel the open form. Returns true if there was one. */
export function cancelForm() {
  if (!els || (S.mode !== 'new' && S.mode !== 'edit')) return false;
  S.mode = 'view';
  if (S.overview && S.selectedId !== null && String(S.overview.meeting.id) === String(S.selectedId)) {
    renderDetail();
    // Read again: another officer may have changed it meanwhile (a save
    // refused as stale says to look).
    loadDetail(S.selectedId);
  } else {
    renderNoSelection();
  }
  (R.selected() || els.newBtn).focus();
  return true;
}

export function detachMeetings() {
  els = null;
}

/** The register was replaced (a restore): forget the selection. */
export function resetMeetings() {
  Object.assign(S, {
    rows: null, listError: null, selectedId: null, overview: null, people: null, detailError: null, mode: 'view', filter: 'all',
    find: '', limit: PEOPLE_PAGE,
  });
  S.listSeq += 1;
  S.detailSeq += 1;
}

// ---------------------------------------------------------------------------
// The list

async function refreshList() {
  if (!els) return;
  const seq = ++S.listSeq;
  const mine = els;
  const drawn = S.listError ? null : JSON.stringify(S.rows);
  try {
    S.rows = await api.meetingsList();
    S.listError = null;
  } catch (err) {
    if (seq !== S.listSeq) return;
    S.listError = err;
  }
  if (seq !== S.listSeq || els !== mine) return;
  // Read again as it was drawn (back in the area): nothing to redraw.
  if (!S.listError && drawn === JSON.stringify(S.rows) && els.list.isConnected && R.rows().length) return;
  drawList();
}

function rowSeats(r) {
  if (r.capacity !== null && r.capacity !== undefined) {
    const seats = t('meetings.rowSeats', { seated: formatNumber(r.seated), capacity: formatNumber(r.capacity) });
    return r.waiting ? `${seats} · ${tp('meetings.rowWaiting', r.waiting)}` : seats;
  }
  if (!r.invited) return t('meetings.rowNobody');
  return `${tp('meetings.rowInvited', r.invited)} · ${tp('meetings.rowComing', r.seated)}`;
}

function drawList() {
  if (!els) return;
  if (S.listError) {
    replace(els.list, h('li', { class: 'list-error', role: 'alert' }, errorText(S.listError)));
    return;
  }
  if (!S.rows) {
    replace(els.list, h('li', { class: 'list-empty', 'aria-busy': 'true' }, t('app.loading')));
    return;
  }
  if (!S.rows.length) {
    replace(els.list, h('li', { class: 'list-empty', 'data-testid': 'meeting-list-empty' },
      h('p', null, t('meetings.empty')),
      h('p', { class: 'hint' }, t('meetings.emptyHint'))));
    return;
  }
  const items = [];
  let dividerShown = false;
  S.rows.forEach((r, i) => {
    const past = isPast(r.starts);
    if (past && !dividerShown) {
      dividerShown = true;
      items.push(h('li', { class: 'list-divider', role: 'presentation' }, t(i === 0 ? 'meetings.onlyEarlier' : 'meetings.earlier')));
    }
    const selected = S.selectedId !== null && String(r.id) === String(S.selectedId);
    const btn = h('button', {
      type: 'button', class: ['meeting-row', selected ? 'selected' : '', past ? 'past' : ''], 'data-testid': 'meeting-row',
      dataset: { id: r.id }, 'aria-current': selected ? 'true' : null,
    },
    h('span', { class: 'row-line' },
      h('span', { class: 'row-name' }, r.title),
      h('span', { class: `badge kind-${r.kind}` }, kindName(r.kind))),
    h('span', { class: 'row-line sub' },
      h('span', { class: 'row-when' }, formatWall(r.starts),
        r.timeZone && r.timeZone !== orgZone() ? ` (${zoneName(r.timeZone)})` : ''),
      h('span', { class: 'row-seats' }, rowSeats(r))));
    btn.addEventListener('click', () => selectMeeting(r.id));
    items.push(h('li', null, btn));
  });
  replace(els.list, items);
}


function selectMeeting(id) {
  S.selectedId = id;
  S.undo = null;
  S.mode = 'view';
  S.filter = 'all';
  S.find = '';
  S.limit = PEOPLE_PAGE;
  R.mark();
  if (!S.overview || String(S.overview.meeting.id) !== String(id)) renderLoading();
  loadDetail(id);
}

function onListKey(e) {
  const target = keyTarget(e, R.rows(), S.selectedId);
  if (!target) return;
  e.preventDefault();
  target.focus();
  if (target.dataset.id !== String(S.selectedId)) {
    const row = S.rows.find((r) => String(r.id) === target.dataset.id);
    if (row) selectMeeting(row.id);
  }
}

// ---------------------------------------------------------------------------
// The selected meeting

function renderNoSelection() {
  replace(els.detail, h('div', { class: 'detail-empty' }, h('p', null, t('meetings.noSelection'))));
}

function renderLoading() {
  replace(els.detail, h('div', { class: 'detail-empty', 'aria-busy': 'true' }, h('p', null, t('app.loading'))));
}

async function loadDetail(id) {
  const seq = ++S.detailSeq;
  const mine = els;
  // Back in the area on the same meeting: the rows shown stay where they are.
  const keep = !!(S.people && String(S.people.meetingId) === String(id));
  let overview;
  let people;
  try {
    [overview, people] = await Promise.all([api.meetingGet(id), readPeople(id, keep)]);
  } catch (err) {
    if (seq !== S.detailSeq || els !== mine || S.mode !== 'view') return;
    if (err.code === 'not_found') {
      S.selectedId = null;
      S.overview = null;
      R.mark();
      refreshList();
    }
    replace(els.detail, h('div', { class: 'detail-empty' },
      h('p', { class: 'form-error', role: 'alert', 'data-testid': 'detail-error' }, errorText(err))));
    return;
  }
  if (seq !== S.detailSeq || els !== mine || S.mode !== 'view') return;
  // Read again as it was drawn: nothing to redraw.
  const same = els.parts.people && els.parts.people.isConnected
    && JSON.stringify([overview, people]) === JSON.stringify([S.overview, S.people]);
  S.overview = overview;
  S.people = people;
  if (!same) renderDetail();
}

/**
 * Reads the people list: the first `S.limit` of the filter and the find box,
 * and with `keep` the rows shown as they stand now, where they were (a reply
 * moves nobody until the treasurer picks a filter again; new ones come after).
 */
async function readPeople(id, keep) {
  const shown = keep && S.people ? S.people.rows : [];
  const page = await api.meetingPeople(id, {
    place: S.filter === 'all' ? null : S.filter,
    find: S.find,
    offset: 0,
    limit: S.limit,
    keep: shown.map((i) => i.memberId),
  });
  const kept = new Set(page.kept.map((i) => i.memberId));
  return {
    meetingId: id,
    rows: page.kept.concat(page.rows.filter((i) => !kept.has(i.memberId))),
    found: page.found,
    fetched: page.rows.length,
    places: page.places,
  };
}

/** Reads the selected meeting again and redraws its parts (the focus stays). */
async function reloadDetail() {
  if (!S.overview) return;
  const id = S.overview.meeting.id;
  const seq = S.detailSeq;
  let overview;
  let people;
  try {
    [overview, people] = await Promise.all([api.meetingGet(id), readPeople(id, true)]);
  } catch (err) {
    if (seq === S.detailSeq) peopleError(errorText(err));
    return;
  }
  if (seq !== S.detailSeq || !S.overview || S.overview.meeting.id !== id) return;
  S.overview = overview;
  S.people = people;
  drawParts();
}

function dlRow(label, value, testid, className) {
  if ((value === null || value === undefined || value === '') && !testid) return null;
  return [h('dt', null, label), h('dd', { class: ['selectable', className] }, h('span', { 'data-testid': testid }, value || '–'))];
}

function renderDetail() {
  const o = S.overview;
  if (!o || !els) { if (els) renderNoSelection(); return; }
  const m = o.meeting;
  const edit = h('button', { type: 'button', class: 'btn', 'data-testid': 'meeting-edit', onclick: () => openEdit() }, t('action.edit'));
  const repeat = h('button', { type: 'button', class: 'btn', 'data-testid': 'meeting-repeat', onclick: (e) => openRepeat(e.currentTarget) }, t('meetings.repeat'));
  const del = h('button', { type: 'button', class: 'btn', 'data-testid': 'meeting-delete', onclick: (e) => deleteMeeting(e.currentTarget) }, t('meetings.delete'));
  const header = h('header', { class: 'detail-header' },
    h('div', { class: 'detail-title' },
      h('h2', { 'data-testid': 'meeting-title', tabindex: '-1', id: 'meeting-title' }, m.title),
      h('p', { class: 'detail-meta' },
        h('span', { class: `badge kind-${m.kind}`, 'data-testid': 'meeting-kind' }, kindName(m.kind)),
        h('span', { class: 'sep', 'aria-hidden': 'true' }, ' · '),
        h('span', { 'data-testid': 'meeting-when' }, meetingWhen(m))),
      m.venue ? h('p', { class: 'detail-venue selectable', 'data-testid': 'meeting-venue' }, m.venue) : null),
    h('div', { class: 'actions' }, edit, repeat, del));

  const parts = {
    seats: h('section', { class: 'card seat-panel', 'data-testid': 'seat-panel', 'aria-labelledby': 'seat-title' }),
    papers: h('section', { class: 'card papers', 'data-testid': 'meeting-papers', 'aria-labelledby': 'papers-title' }),
    voters: m.kind === 'annual_general_meeting'
      ? h('section', { class: 'card voters', 'data-testid': 'voters-panel', 'aria-labelledby': 'voters-title' }) : null,
    notice: h('div', { class: 'notice-slot' }),
    people: h('section', { class: 'card people', 'data-testid': 'people', 'aria-labelledby': 'people-title' }),
  };
  els.parts = parts;

  const details = h('section', { class: 'detail-section meeting-details' },
    h('h3', null, t('meetings.details')),
    h('dl', null,
      dlRow(t('meetings.field.onlineLink'), m.onlineLink, 'meeting-link', m.onlineLink ? 'link-text' : null),
      dlRow(t('meetings.field.replyBy'), m.replyBy ? formatDate(m.replyBy) : '', 'meeting-reply-by'),
      dlRow(t('meetings.field.capacity'), m.capacity === null ? t('meetings.noLimit') : formatNumber(m.capacity), 'meeting-capacity'),
      dlRow(t('meetings.field.branchId'), m.branchName || ''),
      dlRow(t('meetings.field.workplaceId'), m.workplaceName || ''),
      dlRow(t('meetings.field.guestsAllowed'), t(m.guestsAllowed ? 'meetings.guestsYes' : 'meetings.guestsNo'), 'meeting-guests'),
      dlRow(t('meetings.field.timeZone'), zoneLabel(m.timeZone)),
      m.seriesId !== null ? dlRow(t('meetings.series'), t('meetings.seriesText')) : null),
    m.agenda ? [h('h3', null, t('meetings.field.agenda')), h('p', { class: 'notes selectable', 'data-testid': 'meeting-agenda' }, m.agenda)] : null,
    m.note ? [h('h3', null, t('meetings.field.note')), h('p', { class: 'notes selectable', 'data-testid': 'meeting-note' }, m.note)] : null);

  replace(els.detail, h('article', { class: 'meeting-detail', 'data-testid': 'meeting-detail', 'aria-labelledby': 'meeting-title' },
    header,
    parts.notice,
    h('div', { class: 'meeting-grid' }, parts.seats, h('div', { class: 'meeting-side' }, parts.papers, details)),
    parts.voters,
    parts.people));
  drawParts();
}

function drawParts() {
  if (!els || !els.parts.seats || !els.parts.seats.isConnected) return;
  drawSeats();
  drawPapers();
  drawVoters();
  drawNotice();
  drawPeople();
}

function stat(testid, value, label, className) {
  // A word ("No limit") instead of a number is set smaller.
  const word = !/^[\d\s\u00a0\u202f.,]+$/.test(value);
  return h('div', { class: ['stat', className] },
    h('div', { class: ['stat-value', word ? 'stat-text' : ''], 'data-testid': testid }, value),
    h('div', { class: 'stat-label' }, label));
}

function drawSeats() {
  const o = S.overview;
  const panel = els.parts.seats;
  const m = o.meeting;
  const left = o.seatsLeft === null || o.seatsLeft === undefined ? t('meetings.noLimit') : formatNumber(o.seatsLeft);
  const waiting = o.waiting.length
    ? h('ol', { class: 'waiting-list', 'data-testid': 'waiting-list' }, o.waiting.map((p, i) => h('li', {
      class: 'waiting-entry', 'data-testid': 'waiting-entry', dataset: { memberId: p.memberId },
    }, h('span', { class: 'pos' }, `${formatNumber(i + 1)}.`), ' ', personName(p))))
    : h('p', { class: 'muted', 'data-testid': 'waiting-empty' }, t('seats.nobodyWaiting'));
  let promoted = null;
  if (o.promoted.length) {
    const print = h('button', { type: 'button', class: 'btn primary small', 'data-testid': 'promoted-print' }, t('seats.printSeatLetters'));
    print.addEventListener('click', (e) => openSeatLetters(e.currentTarget, S.overview, () => reloadDetail()));
    promoted = h('div', { class: 'promoted-box', role: 'group', 'aria-labelledby': 'promoted-title' },
      h('h4', { id: 'promoted-title' }, t('seats.promotedTitle')),
      h('p', { class: 'hint' }, t('seats.promotedHint')),
      h('ul', { class: 'promoted-list', 'data-testid': 'promoted-list' }, o.promoted.map((p) => h('li', {
        'data-testid': 'promoted-entry', dataset: { memberId: p.memberId },
      }, personName(p)))),
      h('div', { class: 'actions' }, print));
  }
  replace(panel,
    h('h3', { id: 'seat-title' }, t('seats.title')),
    h('div', { class: 'stats seat-stats' },
      stat('seats-taken', formatNumber(o.seatsTaken), t('seats.taken')),
      stat('seats-left', left, m.capacity === null ? t('seats.left') : t('seats.leftOf', { capacity: formatNumber(m.capacity) }),
        o.seatsLeft === 0 ? 'full' : null),
      stat('invited-count', formatNumber(o.invited), t('seats.invited'))),
    h('div', { class: 'stats reply-stats' },
      stat('yes-count', formatNumber(o.yes), t('seats.yes')),
      stat('no-count', formatNumber(o.no), t('seats.no')),
      stat('noreply-count', formatNumber(o.noReply), t('seats.noReply'))),
    h('h4', null, t('seats.waitingTitle', { count: formatNumber(o.waiting.length) })),
    waiting,
    promoted);
}

function drawPapers() {
  const o = S.overview;
  const panel = els.parts.papers;
  const button = (testid, key, open, disabled = false) => {
    const b = h('button', {
      type: 'button', class: 'btn', 'data-testid': testid, disabled,
    }, t(key));
    b.addEventListener('click', (e) => open(e.currentTarget));
    return b;
  };
  replace(panel,
    h('h3', { id: 'papers-title' }, t('papers.title')),
    h('p', { class: 'hint', 'data-testid': 'papers-letters-state' }, o.byLetter
      ? t('papers.lettersState', { count: tp('print.people', o.byLetter), printed: formatNumber(o.lettersPrinted) })
      : t('papers.lettersNone')),
    h('div', { class: 'actions' },
      // Nobody to write to: the line above says so.
      button('meeting-letters', 'papers.letters', (el) => openInvitationLetters(el, S.overview, () => reloadDetail()), !o.byLetter),
      button('meeting-emails', 'papers.emails', (el) => openEmails(el, S.overview)),
      button('meeting-ics', 'papers.ics', (el) => openIcs(el, S.overview)),
      button('meeting-signatures', 'papers.signatures', (el) => openSignatures(el, S.overview))));
}

function drawNotice() {
  const o = S.overview;
  replace(els.parts.notice, o.notice ? noticeWarning(o.notice, t('notice.today')) : null);
}

function quorumText(v) {
  if (!v.cutoff) return t('voters.notFrozen');
  if (v.needed === null || v.needed === undefined) return t('voters.noRule');
  const vars = { present: formatNumber(v.present), needed: formatNumber(v.needed) };
  return v.quorate ? t('voters.quorate', vars) : t('voters.notQuorate', vars);
}

function drawVoters() {
  const panel = els.parts.voters;
  if (!panel) return;
  const o = S.overview;
  const m = o.meeting;
  const v = o.voters || {
    cutoff: null, voters: 0, present: 0, needed: null, quorate: null,
  };
  const start = splitWall(m.starts);
  const day = start ? start.date : todayIso();
  const cutoff = h('input', {
    type: 'text', id: nextId('voters-cutoff'), 'data-testid': 'voters-cutoff', class: 'date-input', autocomplete: 'off',
    spellcheck: 'false', placeholder: t('date.placeholder'), value: v.cutoff || (todayIso() < day ? todayIso() : day),
  });
  const freeze = h('button', { type: 'submit', class: 'btn', 'data-testid': 'voters-freeze' }, t(v.cutoff ? 'voters.freezeAgain' : 'voters.freeze'));
  const print = h('button', { type: 'button', class: 'btn', 'data-testid': 'voters-print', disabled: !v.cutoff }, t('voters.print'));
  print.addEventListener('click', (e) => openVoterRoll(e.currentTarget, S.overview));
  const line = h('p', { class: 'form-error', 'data-testid': 'voters-error', role: 'alert' });
  const form = h('form', { class: 'voters-form', novalidate: true },
    field({ label: t('voters.cutoff'), control: cutoff, errorName: 'cutoff', hint: t('voters.cutoffHint') }),
    h('div', { class: 'inline-actions' }, freeze));
  onSubmit(form, line, async () => {
    const date = cutoff.value.trim();
    if (!date) {
      showFieldErrors(form, [{ field: 'cutoff', code: 'required' }], '', meetingFieldText);
      return;
    }
    freeze.disabled = true;
    try {
      await api.meetingVotersFreeze(m.id, date);
      toast(t('voters.frozenToast'));
      await reloadDetail();
      const again = els && els.parts.voters && els.parts.voters.querySelector('[data-testid="voters-freeze"]');
      if (again) again.focus();
    } catch (err) {
      freeze.disabled = false;
      showFormError(form, line, err, { textFor: meetingFieldText });
    }
  });
  const status = v.cutoff
    ? t('voters.status', {
      date: formatDate(v.cutoff), voters: tp('voters.voters', v.voters), present: formatNumber(v.present),
    })
    : t('voters.statusNone');
  replace(panel,
    h('h3', { id: 'voters-title' }, t('voters.title')),
    h('p', { class: 'hint' }, t('voters.intro')),
    form,
    line,
    h('p', { class: 'voters-status', 'data-testid': 'voters-status' }, status),
    h('p', {
      class: ['quorum-status', v.quorate === true ? 'ok-line' : '', v.quorate === false ? 'warn-line' : ''],
      'data-testid': 'quorum-status',
    }, quorumText(v)),
    h('div', { class: 'actions' }, print));
}

// -- the people invited

function placeText(inv) {
  if (inv.place === 'waiting') return t('place.waitingAt', { position: formatNumber(inv.position || 0) });
  return t(`place.${inv.place}`);
}

function howText(inv) {
  if (inv.how === 'email') return t('people.byEmail');
  return inv.letterAt ? t('people.letterSent', { date: formatDate(String(inv.letterAt).slice(0, 10)) }) : t('people.byLetter');
}

function peopleError(text) {
  const line = els && els.parts.people && els.parts.people.querySelector('[data-testid="invitee-error"]');
  if (line) line.textContent = text;
}

/** Redraws the people list; `focus` {memberId, testid} puts the focus back. */
function drawPeople(focus = null) {
  const panel = els.parts.people;
  const people = S.people && S.people.meetingId === S.overview.meeting.id ? S.people : null;
  const counts = people ? people.places : { all: 0 };
  const total = counts.all;
  const invite = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'invite-open' }, t('people.invite'));
  invite.addEventListener('click', (e) => openInvite(e.currentTarget, S.overview, () => { reloadDetail(); refreshList(); }));
  const tabs = h('div', { class: 'tabs', role: 'group', 'aria-label': t('people.filterLabel') },
    ['all', ...PLACES].map((p) => {
      const n = counts[placeKey(p)] || 0;
      const b = h('button', {
        type: 'button', class: ['tab', S.filter === p ? 'current' : ''], 'data-testid': `invitee-filter-${p}`,
        'aria-pressed': S.filter === p ? 'true' : 'false', disabled: p !== 'all' && !n,
      }, t(`people.filter.${p}`), ' ', h('span', { class: 'tab-count' }, formatNumber(n)));
      b.addEventListener('click', () => {
        S.filter = p;
        S.limit = PEOPLE_PAGE;
        rereadPeople({ testid: `invitee-filter-${p}` }, false);
      });
      return b;
    }));
  // The rows, "nobody found" and "Show more": all the find box and Show more
  // redraw, so the find box keeps the focus (and a composed letter) as it is typed in.
  const body = h('div', { class: 'people-body' });
  fillPeople(body);
  const find = total >= FIND_FROM ? h('input', {
    type: 'search', class: 'search people-find', 'data-testid': 'people-find', value: S.find,
    placeholder: t('people.find'), 'aria-label': t('people.find'), autocomplete: 'off', spellcheck: 'false',
  }) : null;
  if (find) {
    const id = S.overview.meeting.id;
    const ask = coalesce(async (stale) => {
      S.limit = PEOPLE_PAGE;
      let read;
      try {
        read = await readPeople(id, false);
      } catch (err) {
        peopleError(errorText(err));
        return;
      }
      if (stale() || !S.overview || S.overview.meeting.id !== id || !body.isConnected) return;
      S.people = read;
      fillPeople(body);
    });
    find.addEventListener('input', () => {
      S.find = find.value;
      ask();
    });
  }
  const pane = scrollingPane(panel);
  const scrolled = pane ? pane.scrollTop : 0;
  replace(panel,
    h('div', { class: 'card-head' },
      h('h3', { id: 'people-title' }, t('people.title', { count: formatNumber(total) })),
      invite),
    total ? tabs : null,
    find,
    h('p', { class: 'form-error', 'data-testid': 'invitee-error', role: 'alert' }),
    body,
    total ? h('p', { class: 'hint people-hint' }, t('people.hint'), ' ', t('people.presentNow'), ' ',
      h('strong', { 'data-testid': 'attended-count' }, formatNumber(S.overview.attended))) : null);
  if (pane) pane.scrollTop = scrolled;
  if (focus) {
    const sel = focus.memberId !== undefined
      ? `[data-member-id="${CSS.escape(String(focus.memberId))}"] [data-testid="${CSS.escape(focus.testid)}"]`
      : `[data-testid="${CSS.escape(focus.testid)}"]`;
    const el = panel.querySelector(sel);
    if (el && !el.disabled) {
      el.focus();
      if (el === find) find.setSelectionRange(find.value.length, find.value.length);
    } else invite.focus();
  }
}

/** The key of a place in the core's counts (`no_reply`: `noReply`). */
function placeKey(p) {
  return p.replace(/_(.)/g, (_, c) => c.toUpperCase());
}

/** Draws the rows read, "nobody found" and "Show more" into `body`. */
function fillPeople(body) {
  const people = S.people;
  const rows = people ? people.rows : [];
  // Rows kept in place outside the page read are shown too.
  const more = people ? Math.max(0, people.found - Math.max(rows.length, people.fetched)) : 0;
  const moreBtn = more > 0 ? h('button', { type: 'button', class: 'btn subtle people-more', 'data-testid': 'people-more' },
    t('people.more', { count: formatNumber(Math.min(more, PEOPLE_PAGE)), left: formatNumber(more) })) : null;
  if (moreBtn) moreBtn.addEventListener('click', () => showMore(body, moreBtn, rows.length));
  replace(body,
    !people || !people.places.all ? h('p', { class: 'muted', 'data-testid': 'invitee-empty' }, t('people.none'))
      : !rows.length ? h('p', { class: 'muted', 'data-testid': 'people-none-found' }, t('people.noneFound'))
        : h('ul', { class: 'invitee-list', 'data-testid': 'invitee-list', 'aria-labelledby': 'people-title' }, rows.map(inviteeRow)),
    moreBtn);
}

/** "Show more": reads the next page; the first of the new rows takes the focus, where reading goes on. */
async function showMore(body, button, first) {
  const id = S.overview.meeting.id;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  S.limit += PEOPLE_PAGE;
  let read;
  try {
    read = await readPeople(id, true);
  } catch (err) {
    S.limit -= PEOPLE_PAGE;
    button.disabled = false;
    button.removeAttribute('aria-busy');
    peopleError(errorText(err));
    return;
  }
  if (!S.overview || S.overview.meeting.id !== id || !body.isConnected) return;
  S.people = read;
  fillPeople(body);
  const next = body.querySelectorAll('[data-testid="invitee-row"]')[first];
  const target = next && next.querySelector('button:not([disabled]), input:not([disabled])');
  if (target) target.focus();
}

/**
 * Reads the people list again and redraws it, focusing `focus`; `keep`: the
 * rows shown stay where they are.
 */
async function rereadPeople(focus, keep) {
  const o = S.overview;
  if (!o) return;
  try {
    S.people = await readPeople(o.meeting.id, keep);
  } catch (err) {
    peopleError(errorText(err));
    return;
  }
  if (!els || !S.overview || S.overview.meeting.id !== o.meeting.id) return;
  drawPeople(focus);
}

/** The nearest ancestor of `el` that scrolls, to keep its place across a redraw. */
function scrollingPane(el) {
  for (let x = el.parentElement; x; x = x.parentElement) {
    const o = getComputedStyle(x).overflowY;
    if (o === 'auto' || o === 'scroll') return x;
  }
  return null;
}

function inviteeRow(inv) {
  const name = inv.name || t('members.noName');
  const yes = h('button', {
    type: 'button', class: ['btn', 'small', inv.reply === 'yes' ? 'chosen' : ''], 'data-testid': 'reply-yes',
    'aria-pressed': inv.reply === 'yes' ? 'true' : 'false', 'aria-label': t('people.yesNamed', { name }),
  }, t('people.yes'));
  const no = h('button', {
    type: 'button', class: ['btn', 'small', inv.reply === 'no' ? 'chosen' : ''], 'data-testid': 'reply-no',
    'aria-pressed': inv.reply === 'no' ? 'true' : 'false', 'aria-label': t('people.noNamed', { name }),
  }, t('people.no'));
  yes.addEventListener('click', () => reply(inv, true, 'reply-yes'));
  no.addEventListener('click', () => reply(inv, false, 'reply-no'));
  const box = h('input', {
    type: 'checkbox', id: nextId('attend'), 'data-testid': 'attend', checked: !!inv.attended,
  });
  box.addEventListener('change', () => attend(inv, box));
  const remove = h('button', {
    type: 'button', class: 'btn small subtle', 'data-testid': 'uninvite', 'aria-label': t('people.removeNamed', { name }),
  }, t('action.remove'));
  remove.addEventListener('click', (e) => uninvite(inv, e.currentTarget));
  // The reply just registered for this row can be taken back.
  const undoable = S.undo && S.undo.meetingId === S.selectedId && S.undo.token.memberId === inv.memberId;
  const undo = undoable ? h('button', {
    type: 'button', class: 'btn small subtle', 'data-testid': 'reply-undo', 'aria-label': t('people.undoNamed', { name }),
  }, t('people.undo')) : null;
  if (undo) undo.addEventListener('click', () => undoReply(inv));
  return h('li', {
    class: ['invitee-row', `place-${inv.place}`], 'data-testid': 'invitee-row',
    dataset: { memberId: inv.memberId, place: inv.place },
  },
  h('div', { class: 'inv-main' },
    h('div', { class: 'inv-who' },
      h('span', { class: 'inv-name', 'data-testid': 'invitee-name' }, name),
      h('span', { class: 'inv-number' }, inv.number),
      inv.guest ? h('span', { class: 'badge guest' }, t('people.guest')) : null),
    h('div', { class: 'inv-sub' },
      h('span', { class: `badge place place-${inv.place}`, 'data-testid': 'invitee-place' }, placeText(inv)),
      inv.promoted ? h('span', { class: 'inv-promoted' }, t('people.promoted')) : null,
      h('span', { class: 'inv-how' }, howText(inv)))),
  h('div', { class: 'inv-actions' },
    h('div', { class: 'reply-buttons', role: 'group', 'aria-label': t('people.replyLabel', { name }) }, yes, no, undo),
    h('span', { class: 'attend-field' }, box,
      h('label', { for: box.id }, t('people.present'), h('span', { class: 'visually-hidden' }, ` – ${name}`))),
    remove));
}

const busyPeople = new Set();

async function reply(inv, yes, testid) {
  const o = S.overview;
  if (!o || busyPeople.has(inv.memberId)) return;
  busyPeople.add(inv.memberId);
  peopleError('');
  let out;
  try {
    out = await api.meetingReply(o.meeting.id, inv.memberId, yes);
  } catch (err) {
    busyPeople.delete(inv.memberId);
    peopleError(errorText(err));
    return;
  }
  busyPeople.delete(inv.memberId);
  if (!S.overview || S.overview.meeting.id !== o.meeting.id) return;
  S.overview = out.overview;
  S.undo = { meetingId: o.meeting.id, token: out.undo };
  if (out.promoted.length) {
    toast(t('seats.promotedToast', { names: out.promoted.map((p) => p.name).join(', ') }));
  }
  try {
    S.people = await readPeople(o.meeting.id, true);
  } catch (err) {
    peopleError(errorText(err));
  }
  if (!els || !S.overview || S.overview.meeting.id !== o.meeting.id) return;
  drawSeats();
  drawPapers();
  drawVoters();
  drawPeople({ memberId: inv.memberId, testid });
  refreshList();
}

/** Takes the row's last reply back: the member and the seats as before it. */
async function undoReply(inv) {
  const o = S.overview;
  const undo = S.undo;
  if (!o || !undo || busyPeople.has(inv.memberId)) return;
  busyPeople.add(inv.memberId);
  peopleError('');
  try {
    S.overview = await api.meetingReplyUndo(o.meeting.id, undo.token);
    S.people = await readPeople(o.meeting.id, true);
  } catch (err) {
    busyPeople.delete(inv.memberId);
    // Refused (the seats changed since): the button goes, the reason stays.
    S.undo = null;
    drawPeople({ memberId: inv.memberId, testid: 'reply-yes' });
    peopleError(errorText(err));
    return;
  }
  busyPeople.delete(inv.memberId);
  S.undo = null;
  if (!els || !S.overview || S.overview.meeting.id !== o.meeting.id) return;
  toast(t('people.undone', { name: inv.name || t('members.noName') }));
  drawSeats();
  drawPapers();
  drawVoters();
  drawPeople({ memberId: inv.memberId, testid: 'reply-yes' });
  refreshList();
}

async function attend(inv, box) {
  const o = S.overview;
  const present = box.checked;
  peopleError('');
  // Ticking someone present before the day is most likely a slip.
  if (present && o.meeting.starts.slice(0, 10) > todayIso()) {
    const yes = await confirmDialog({
      testid: 'attend-future-dialog',
      title: t('people.futureTitle'),
      body: [t('people.futureText', {
        title: o.meeting.title, when: formatWall(o.meeting.starts), name: inv.name || t('members.noName'),
      })],
      confirmLabel: t('people.futureConfirm'),
    });
    if (!yes) {
      box.checked = false;
      box.focus();
      return;
    }
  }
  try {
    const updated = await api.meetingAttend(o.meeting.id, inv.memberId, present);
    Object.assign(inv, updated);
  } catch (err) {
    box.checked = !present;
    peopleError(errorText(err));
    return;
  }
  // The counts (present, the quorum) change; the list stays as it is.
  try {
    const overview = await api.meetingGet(o.meeting.id);
    if (!els || !S.overview || S.overview.meeting.id !== o.meeting.id) return;
    S.overview = overview;
    drawSeats();
    drawVoters();
    const count = els.parts.people.querySelector('[data-testid="attended-count"]');
    if (count) count.textContent = formatNumber(overview.attended);
  } catch (_) { /* the next load shows them */ }
}

async function uninvite(inv, opener) {
  const o = S.overview;
  const yes = await confirmDialog({
    testid: 'uninvite-dialog',
    title: t('people.removeTitle'),
    body: [t('people.removeText', { name: inv.name, title: o.meeting.title }),
      inv.place === 'seated' ? t('people.removeSeated') : null],
    confirmLabel: t('people.removeConfirm'),
    danger: true,
  });
  if (!yes) return;
  try {
    S.overview = await api.meetingUninvite(o.meeting.id, inv.memberId);
    S.people = await readPeople(o.meeting.id, true);
  } catch (err) {
    peopleError(errorText(err));
    return;
  }
  if (!els) return;
  drawParts();
  refreshList();
  const invite = els.parts.people.querySelector('[data-testid="invite-open"]');
  if (invite) invite.focus();
  else if (opener.isConnected) opener.focus();
}

// -- repeat and delete

function openRepeat(opener) {
  const m = S.overview && S.overview.meeting;
  if (!m) return;
  const every = h('select', { id: nextId('repeat-every'), 'data-testid': 'repeat-every' },
    options(REPEATS.map((r) => [r, t(`repeat.every.${r}`)]), 'month'));
  const count = h('input', {
    type: 'number', id: nextId('repeat-count'), 'data-testid': 'repeat-count', class: 'number-input', min: '1', max: '52', step: '1', value: '3',
  });
  const line = h('p', { class: 'form-error', 'data-testid': 'repeat-error', role: 'alert' });
  const confirm = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'repeat-confirm' }, t('repeat.confirm'));
  const cancel = h('button', { type: 'button', class: 'btn', 'data-testid': 'repeat-cancel' }, t('action.cancel'));
  const titleId = nextId('repeat-title');
  const form = h('form', { class: 'dialog-form', novalidate: true },
    h('h2', { id: titleId }, t('repeat.title')),
    h('p', { class: 'muted' }, t('repeat.intro', { title: m.title, when: formatWall(m.starts) })),
    h('div', { class: 'repeat-grid' },
      field({ label: t('repeat.everyLabel'), control: every, errorName: 'repeat-every' }),
      field({ label: t('repeat.count'), control: count, errorName: 'repeat-count', hint: t('repeat.countHint') })),
    line,
    h('div', { class: 'actions' }, confirm, cancel));
  const dialog = h('dialog', { class: 'dialog confirm-dialog', 'data-testid': 'repeat-dialog', 'aria-labelledby': titleId }, form);
  const close = openModal(dialog, { opener });
  cancel.addEventListener('click', close);
  onSubmit(form, line, async () => {
    const n = Number(count.value);
    if (!Number.isInteger(n) || n < 1 || n > 52) {
      showFieldErrors(form, [{ field: 'count', code: 'invalid_number' }], 'repeat-', meetingFieldText);
      return;
    }
    confirm.disabled = true;
    let made;
    try {
      made = await api.meetingRepeat(m.id, every.value, n);
    } catch (err) {
      confirm.disabled = false;
      showFormError(form, line, err, { prefix: 'repeat-', textFor: meetingFieldText });
      return;
    }
    close();
    const last = made[made.length - 1];
    toast(t('repeat.done', { count: tp('repeat.meetings', made.length), last: last ? formatWall(last.starts) : '' }));
    await refreshList();
    if (S.overview && S.overview.meeting.id === m.id) reloadDetail();
  });
  every.focus();
}

async function deleteMeeting(opener) {
  const m = S.overview && S.overview.meeting;
  if (!m) return;
  const yes = await confirmDialog({
    testid: 'meeting-delete-dialog',
    title: t('meetings.deleteTitle'),
    body: [t('meetings.deleteText', { title: m.title, when: formatWall(m.starts) }), t('meetings.deleteKeeps')],
    confirmLabel: t('meetings.deleteConfirm'),
    danger: true,
  });
  if (!yes) return;
  try {
    await api.meetingDelete(m.id);
  } catch (err) {
    peopleError(errorText(err));
    if (opener.isConnected) opener.focus();
    return;
  }
  S.selectedId = null;
  S.overview = null;
  S.people = null;
  S.detailSeq += 1;
  if (!els) return;
  renderNoSelection();
  toast(t('meetings.deleted'));
  await refreshList();
  if (els) (R.rows()[0] || els.newBtn).focus();
}

// ---------------------------------------------------------------------------
// The form (new / edit): meetingform.js

function openEdit() {
  if (!S.overview) return;
  S.mode = 'edit';
  S.detailSeq += 1;
  renderForm(S.overview.meeting);
}

function renderForm(meeting) {
  const editing = !!meeting;
  renderMeetingForm(els.detail, meeting, {
    onCancel: () => cancelForm(),
    onSaved: async (saved) => {
      if (!els) return;
      S.mode = 'view';
      S.selectedId = saved.id;
      S.filter = editing ? S.filter : 'all';
      if (!editing) { S.find = ''; S.limit = PEOPLE_PAGE; }
      toast(t('toast.saved'));
      refreshList();
      renderLoading();
      await loadDetail(saved.id);
      const heading = els && els.detail.querySelector('#meeting-title');
      if (heading) heading.focus();
    },
  });
}
