// A meeting's papers, each written to a file the user names (a typed path or
// the system's save dialog): the invitation letters of those invited by
// letter (progress and Stop), the "you got a seat" letters, the signature
// sheet, the calendar file (.ics) and the voter roll; and the e-mail list to
// copy into the BCC line. The dialogs are print.js's fileDialog.
import { api, channel } from './api.js';
import { h, nextId } from './dom.js';
import { t, tp } from './i18n.js';
import { openModal } from './dialog.js';
import { errorText } from './state.js';
import { fileDialog, doneBox } from './print.js';
import { baseName } from './export.js';
import { noticeWarning } from './meetingnames.js';

/** The calendar file kind for fileDialog's path. */
const ICS = { ext: 'ics', filesKey: 'papers.icsFiles', labelKey: 'papers.icsPathLabel' };

/** A file name stem from a meeting's title ("Årsmöte 2027" -> "Årsmöte-2027"). */
function stemOf(meeting, suffixKey) {
  return `${meeting.title || 'meeting'}-${t(suffixKey)}`;
}

/** Letters: the written PDF, and the statutes' warning when there is one. */
function lettersDone(prefix) {
  return (outcome, path) => {
    const out = doneBox(prefix, 'print.letters', outcome.summary, path);
    for (const w of outcome.warnings || []) out.box.append(noticeWarning(w, t('notice.printedOutside')));
    return out;
  };
}

/**
 * Invitation letters to everyone invited by letter (template "Meeting
 * invitation"), each noted in the member's history.
 */
export function openInvitationLetters(opener, overview, onDone) {
  const m = overview.meeting;
  fileDialog(opener, {
    prefix: 'meeting-letters',
    title: t('papers.lettersTitle'),
    intro: t('papers.lettersIntro', { count: tp('print.people', overview.byLetter) }),
    stem: () => stemOf(m, 'papers.lettersStem'),
    progressKey: 'print.progressLetters',
    run: ({ path, onProgress }) => api.meetingLettersPrint(m.id, false, path, channel(onProgress)),
    stop: () => api.lettersCancel(),
    done: lettersDone('meeting-letters'),
    onDone,
  });
}

/** "You got a seat" letters to those promoted from the waiting list. */
export function openSeatLetters(opener, overview, onDone) {
  const m = overview.meeting;
  fileDialog(opener, {
    prefix: 'seat-letters',
    title: t('papers.seatTitle'),
    intro: t('papers.seatIntro', { count: tp('print.people', overview.promoted.length) }),
    stem: () => stemOf(m, 'papers.seatStem'),
    progressKey: 'print.progressLetters',
    run: ({ path, onProgress }) => api.meetingLettersPrint(m.id, true, path, channel(onProgress)),
    stop: () => api.lettersCancel(),
    done: lettersDone('seat-letters'),
    onDone,
  });
}

/** The signature sheet for the day. */
export function openSignatures(opener, overview) {
  const m = overview.meeting;
  fileDialog(opener, {
    prefix: 'meeting-signatures',
    title: t('papers.signaturesTitle'),
    intro: t('papers.signaturesIntro'),
    stem: () => stemOf(m, 'papers.signaturesStem'),
    itemsKey: 'print.rows',
    run: ({ path }) => api.meetingSignaturesPrint(m.id, path),
  });
}

/** The frozen voter roll of an annual general meeting. */
export function openVoterRoll(opener, overview) {
  const m = overview.meeting;
  fileDialog(opener, {
    prefix: 'voter-roll',
    title: t('papers.voterRollTitle'),
    intro: t('papers.voterRollIntro'),
    stem: () => stemOf(m, 'papers.voterRollStem'),
    itemsKey: 'print.rows',
    run: ({ path }) => api.meetingVotersPrint(m.id, path),
  });
}

/** The meeting as a calendar file, to import or attach to an e-mail. */
export function openIcs(opener, overview) {
  const m = overview.meeting;
  fileDialog(opener, {
    prefix: 'meeting-ics',
    title: t('papers.icsTitle'),
    intro: t('papers.icsIntro'),
    file: ICS,
    confirmLabel: t('papers.icsSave'),
    stem: () => m.title || 'meeting',
    run: ({ path }) => api.meetingIcsSave(m.id, path),
    done: (_, path) => ({
      box: h('div', { class: 'ok-box print-done', role: 'status' },
        h('p', { class: 'result-title', 'data-testid': 'meeting-ics-done' }, t('papers.icsDone')),
        h('p', { class: 'result-file selectable' }, baseName(path))),
    }),
  });
}

/** The addresses of those invited by e-mail, ready to copy into BCC. */
export async function openEmails(opener, overview) {
  const old = document.querySelector('dialog[data-testid="emails-dialog"]');
  if (old) old.remove();
  const titleId = nextId('emails-title');
  const text = h('textarea', {
    id: nextId('emails-text'), 'data-testid': 'emails-text', class: 'emails-text', rows: '6', readOnly: true, spellcheck: 'false',
  });
  const count = h('p', { class: 'hint', 'data-testid': 'emails-count', 'aria-live': 'polite' }, t('app.loading'));
  const error = h('p', { class: 'form-error', 'data-testid': 'emails-error', role: 'alert' });
  const copy = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'emails-copy', disabled: true }, t('papers.emailsCopy'));
  const closeBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'emails-close' }, t('action.close'));
  const dialog = h('dialog', { class: 'dialog print-dialog', 'data-testid': 'emails-dialog', 'aria-labelledby': titleId },
    h('div', { class: 'dialog-form' },
      h('h2', { id: titleId }, t('papers.emailsTitle')),
      h('p', { class: 'muted' }, t('papers.emailsIntro')),
      h('div', { class: 'field' }, h('label', { for: text.id }, t('papers.emailsLabel')), text, count),
      error,
      h('div', { class: 'actions' }, copy, closeBtn)));
  const close = openModal(dialog, { opener });
  closeBtn.addEventListener('click', close);
  copy.addEventListener('click', async () => {
    text.focus();
    text.select();
    let copied = false;
    try {
      await navigator.clipboard.writeText(text.value);
      copied = true;
    } catch (_) {
      try { copied = document.execCommand('copy'); } catch (__) { copied = false; }
    }
    count.textContent = copied ? t('papers.emailsCopied') : t('papers.emailsSelectHint');
  });
  closeBtn.focus();
  let list;
  try {
    list = await api.meetingEmails(overview.meeting.id);
  } catch (err) {
    count.textContent = '';
    error.textContent = errorText(err);
    return;
  }
  text.value = list.join(', ');
  count.textContent = list.length ? tp('papers.emailsCount', list.length) : t('papers.emailsNone');
  copy.disabled = !list.length;
  if (list.length) {
    text.focus();
    text.select();
  }
}
