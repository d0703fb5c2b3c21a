// The Backup area: the passphrase, backing up now (to a USB stick), automatic
// backups, restoring from a backup, the safety copies kept before restores, and
// moving the register to another computer. Its state lives here, so the area
// can be drawn again (another area and back, the register replaced) as it was.
import { api, channel, dialogPath } from './api.js';
import { h, replace, options, nextId, byTestId } from './dom.js';
import { t, tp, formatDateTime, formatAge } from './i18n.js';
import {
  store, errorText, fieldErrorText, toast, field, clearFieldErrors, showFieldErrors,
} from './state.js';
import { confirmDialog } from './dialog.js';
import { progressView } from './progress.js';
import { createRestoreFlow } from './restore.js';
import { baseName, isAbsolutePath } from './export.js';

/** The choices for automatic backups: hours between them (0 = off). */
export const EVERY_HOURS = [0, 1, 24, 168];

/** Older than this, the last good backup is a warning. */
export const STALE_MS = 7 * 86400 * 1000;

const B = {
  status: null, // BackupStatus
  copies: null, // [SafetyCopy]
  loadError: null,
  folder: null, // the "Back up now" folder field (null: not touched yet)
  now: { busy: false, progress: null, result: null, error: null },
  changing: false, // the passphrase form is open to change it
  passBusy: false,
  schedule: null, // the automatic backup form's values
  safetyBusy: false,
  safetyError: null,
};

let container = null;
let ctx = { onBackupDone: async () => {}, onRegisterReplaced: async () => {} };
let nowProgress = null;

const restoreFlow = createRestoreFlow({
  mode: 'shell',
  onRestored: async (report) => {
    await ctx.onRegisterReplaced(report);
  },
});

/** Whether the last good backup (RFC 3339 or null) is missing or older than a week. */
export function isStale(lastBackupAt, now = Date.now()) {
  if (!lastBackupAt) return true;
  const d = new Date(lastBackupAt);
  return Number.isNaN(d.getTime()) || now - d.getTime() > STALE_MS;
}

/**
 * Draws the area into `el`. c.onBackupDone(report): a backup was written (the
 * sidebar's age); c.onRegisterReplaced(report|null): a restore or an undo
 * replaced the register (reload everything; this area is drawn again).
 */
export function renderBackup(el, c) {
  container = el;
  ctx = { ...ctx, ...c };
  draw(null);
  load();
}

/**
 * A backup finished elsewhere (automatic): show the new status if the area is
 * open, without drawing the forms again (the user may be typing in them).
 */
export async function backupChanged() {
  if (!container || !container.isConnected || !B.status) return;
  try {
    const status = await api.backupStatus();
    B.status.lastBackupAt = status.lastBackupAt;
  } catch (_) {
    return;
  }
  const old = byTestId('backup-status', container);
  if (old) old.replaceWith(statusLine());
}

async function load() {
  try {
    // A register on the office server has no safety copies on this computer.
    const [status, copies] = await Promise.all([
      api.backupStatus(), store.info.server ? [] : api.safetyCopiesList()]);
    B.status = status;
    B.copies = sortCopies(copies);
    B.loadError = null;
    B.schedule = scheduleForm(status.schedule);
    if (B.folder === null) B.folder = status.schedule.folder || '';
  } catch (err) {
    B.loadError = err;
  }
  draw(null);
}

function sortCopies(copies) {
  const list = Array.isArray(copies) ? [...copies] : [];
  return list.sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
}

function scheduleForm(s) {
  return {
    folder: s.folder || '',
    everyHours: String(s.everyHours ?? 0),
    keep: String(s.keep ?? 10),
    safetyKeep: String(s.safetyKeep ?? 10),
    onClose: !!s.onClose,
  };
}

// ---------------------------------------------------------------------------
// Drawing

function draw(focusId) {
  if (!container || !container.isConnected) return;
  const active = document.activeElement;
  const had = active && container.contains(active) ? active.getAttribute('data-testid') : null;
  const scroll = container.scrollTop;
  nowProgress = null;
  replace(container, area());
  container.scrollTop = scroll;
  const want = focusId || had;
  const el = want ? byTestId(want, container) : null;
  if (el && !el.disabled) el.focus({ preventScroll: want === had });
  // A restore or undo that replaced the register shows how it went.
  if (B.status) restoreFlow.reveal();
}

function area() {
  if (!B.status) {
    return h('div', { class: 'backup', 'data-testid': 'backup-area' },
      h('h1', null, t('nav.backup')),
      B.loadError
        ? h('p', { class: 'form-error', role: 'alert' }, errorText(B.loadError))
        : h('p', { class: 'muted', role: 'status' }, t('app.loading')));
  }
  return h('div', { class: 'backup', 'data-testid': 'backup-area' },
    header(),
    passphraseCard(),
    backupNowCard(),
    scheduleCard(),
    ...(store.info.server ? [serverRestoreCard()] : [restoreCard(), safetyCard()]));
}

function statusLine() {
  const last = B.status.lastBackupAt;
  const stale = isStale(last);
  const statusText = last
    ? t('backup.lastGood', { when: formatDateTime(last), age: formatAge(last) })
    : t('backup.neverMade');
  return h('p', { class: ['backup-status', stale ? 'stale' : 'fresh'], 'data-testid': 'backup-status' },
    statusText, stale ? [' ', t(last ? 'backup.staleHint' : 'backup.noneHint')] : null);
}

function header() {
  const move = h('button', { type: 'button', class: 'btn', 'data-testid': 'backup-move' }, t('move.open'));
  move.addEventListener('click', (e) => openMove(e.currentTarget));
  return h('header', { class: 'backup-head' },
    h('div', null,
      h('h1', null, t('nav.backup')),
      h('p', { class: 'muted' }, t('backup.intro')),
      statusLine()),
    h('div', { class: 'backup-head-actions' }, move));
}

// -- passphrase -------------------------------------------------------------

function explanation() {
  return h('div', { class: 'callout', 'data-testid': 'backup-passphrase-explain' },
    h('p', { class: 'callout-title' }, t('passphrase.explainTitle')),
    h('ul', null,
      h('li', null, t('passphrase.explainRestore')),
      h('li', null, h('strong', null, t('passphrase.explainForgotten'))),
      h('li', null, t('passphrase.explainWriteDown'))));
}

function passphraseCard() {
  const has = B.status.hasPassphrase;
  const titleId = nextId('passphrase-title');
  if (has && !B.changing) {
    const change = h('button', { type: 'button', class: 'btn', 'data-testid': 'backup-passphrase-change' }, t('passphrase.change'));
    change.addEventListener('click', () => { B.changing = true; draw('backup-passphrase'); });
    return h('section', { class: 'card', 'aria-labelledby': titleId, 'data-testid': 'backup-passphrase-card' },
      h('h2', { id: titleId }, t('passphrase.title')),
      h('p', { class: 'ok-line', 'data-testid': 'backup-passphrase-state' }, t('passphrase.isSet')),
      h('p', { class: 'hint' }, t('passphrase.isSetHint')),
      h('div', { class: 'actions' }, change));
  }
  const pass = h('input', {
    type: 'password', id: nextId('backup-passphrase'), 'data-testid': 'backup-passphrase',
    autocomplete: 'new-password', spellcheck: 'false', readOnly: B.passBusy,
  });
  const repeat = h('input', {
    type: 'password', id: nextId('backup-passphrase-repeat'), 'data-testid': 'backup-passphrase-repeat',
    autocomplete: 'new-password', spellcheck: 'false', readOnly: B.passBusy,
  });
  const set = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'backup-passphrase-set', disabled: B.passBusy },
    t(has ? 'passphrase.saveNew' : 'passphrase.set'));
  const cancel = has
    ? h('button', { type: 'button', class: 'btn', 'data-testid': 'backup-passphrase-cancel', disabled: B.passBusy }, t('action.cancel'))
    : null;
  if (cancel) cancel.addEventListener('click', () => { B.changing = false; draw('backup-passphrase-change'); });
  const busyLine = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite', 'data-testid': 'backup-passphrase-busy' },
    B.passBusy ? t('passphrase.working') : '');
  const line = h('p', { class: 'form-error', 'data-testid': 'backup-passphrase-error', role: 'alert' });
  const form = h('form', { class: 'card passphrase-form', novalidate: true, 'aria-labelledby': titleId, 'data-testid': 'backup-passphrase-card' },
    h('h2', { id: titleId }, t(has ? 'passphrase.changeTitle' : 'passphrase.title')),
    explanation(),
    has ? h('p', { class: 'hint' }, t('passphrase.changeHint')) : null,
    h('div', { class: 'grid passphrase-grid' },
      field({ label: t('passphrase.label'), control: pass, errorName: 'passphrase', hint: t('passphrase.hint') }),
      field({ label: t('passphrase.repeat'), control: repeat, errorName: 'repeat' })),
    line,
    h('div', { class: 'actions' }, set, cancel),
    busyLine);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (B.passBusy) return;
    clearFieldErrors(form);
    line.textContent = '';
    // Busy without a redraw: the typed passphrases stay in their fields.
    B.passBusy = true;
    set.disabled = true;
    if (cancel) cancel.disabled = true;
    pass.readOnly = true;
    repeat.readOnly = true;
    form.setAttribute('aria-busy', 'true');
    busyLine.textContent = t('passphrase.working');
    let status;
    try {
      status = await api.backupSetPassphrase(pass.value, repeat.value);
    } catch (err) {
      B.passBusy = false;
      set.disabled = false;
      if (cancel) cancel.disabled = false;
      pass.readOnly = false;
      repeat.readOnly = false;
      form.removeAttribute('aria-busy');
      busyLine.textContent = '';
      if (!form.isConnected) return;
      if (err.code === 'validation' && err.fields.length) {
        const unplaced = showFieldErrors(form, err.fields);
        line.textContent = unplaced.map((f) => fieldErrorText(f.code)).join(' ');
      } else {
        line.textContent = errorText(err);
      }
      return;
    }
    B.passBusy = false;
    B.changing = false;
    B.status = status;
    toast(t(has ? 'passphrase.changed' : 'passphrase.done'));
    draw('backup-folder');
  });
  return form;
}

// -- back up now ------------------------------------------------------------

async function chooseFolder(current) {
  const answer = await api.dialogOpen({
    directory: true,
    multiple: false,
    title: t('backup.chooseFolderTitle'),
    defaultPath: current && isAbsolutePath(current) ? current : undefined,
  });
  return dialogPath(answer);
}

/**
 * Runs backup_now into `folder`, feeding `onProgress`. Resolves {report} or
 * {error}; tells the sidebar about a good backup.
 */
async function runBackup(folder, onProgress) {
  const ch = channel(onProgress);
  try {
    const report = await api.backupNow(folder, ch);
    if (B.status) B.status.lastBackupAt = report.info.createdAt;
    await ctx.onBackupDone(report);
    return { report };
  } catch (error) {
    return { error };
  }
}

function folderProblem(folder) {
  if (!folder) return { key: 'backup.folderRequired' };
  if (!isAbsolutePath(folder)) return { key: 'backup.folderAbsolute' };
  return null;
}

function backupErrorText(err) {
  if (err.key) return t(err.key);
  if (err.code === 'validation') return t('backup.folderRequired');
  return errorText(err);
}

function backupNowCard() {
  const N = B.now;
  const has = B.status.hasPassphrase;
  const titleId = nextId('backup-now-title');
  const folder = h('input', {
    type: 'text', id: nextId('backup-folder'), 'data-testid': 'backup-folder', class: 'path-input',
    value: B.folder || '', autocomplete: 'off', spellcheck: 'false', placeholder: t('backup.folderPlaceholder'),
    readOnly: N.busy,
  });
  folder.addEventListener('input', () => { B.folder = folder.value; });
  const choose = h('button', { type: 'button', class: 'btn', 'data-testid': 'backup-folder-choose', disabled: N.busy }, t('backup.choose'));
  choose.addEventListener('click', async () => {
    let path;
    try {
      path = await chooseFolder(folder.value.trim());
    } catch (err) {
      N.error = err;
      draw(null);
      return;
    }
    if (!path) return;
    B.folder = path;
    N.error = null;
    draw('backup-now');
  });
  const reasonId = nextId('backup-now-reason');
  const go = h('button', {
    type: 'submit', class: 'btn primary', 'data-testid': 'backup-now', disabled: N.busy || !has,
    'aria-describedby': has ? null : reasonId,
  }, t('backup.now'));
  const parts = [
    h('h2', { id: titleId }, t('backup.nowTitle')),
    h('p', { class: 'muted' }, t('backup.nowIntro')),
    h('div', { class: 'field' },
      h('label', { for: folder.id }, t('backup.folder')),
      h('div', { class: 'path-row' }, folder, choose),
      h('p', { class: 'hint', id: `${folder.id}-hint` }, t('backup.folderHint'))),
    h('div', { class: 'actions' }, go),
    has ? null : h('p', { class: 'warn-line', id: reasonId, 'data-testid': 'backup-now-reason' }, t('backup.needPassphrase')),
  ];
  folder.setAttribute('aria-describedby', `${folder.id}-hint`);
  if (N.busy) {
    nowProgress = progressView('backup-progress', t('backup.working'));
    nowProgress.set(N.progress);
    parts.push(nowProgress.el);
  }
  if (N.result) {
    const r = N.result;
    parts.push(h('div', { class: 'ok-box', 'data-testid': 'backup-result', role: 'status' },
      h('p', { class: 'result-title' }, t('backup.verified')),
      h('p', { class: 'result-file selectable' }, baseName(r.file)),
      h('p', null, tp('backup.resultMembers', r.info.members, { folder: folderOf(r.file) }))));
  }
  if (N.error) {
    parts.push(h('div', { class: 'alert loud', 'data-testid': 'backup-error', role: 'alert' },
      h('p', { class: 'result-title' }, t(N.error.code === 'backup_unverified' ? 'backup.unverifiedTitle' : 'backup.failedTitle')),
      h('p', null, backupErrorText(N.error))));
  }
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': titleId, 'aria-busy': N.busy ? 'true' : null }, parts);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (N.busy || !B.status.hasPassphrase) return;
    const path = folder.value.trim();
    B.folder = path;
    N.result = null;
    N.error = folderProblem(path);
    if (N.error) { draw('backup-folder'); return; }
    N.busy = true;
    N.progress = null;
    draw(null);
    const out = await runBackup(path, (p) => {
      N.progress = p;
      if (nowProgress) nowProgress.set(p);
    });
    N.busy = false;
    N.result = out.report || null;
    N.error = out.error || null;
    draw('backup-now');
  });
  return form;
}

function folderOf(path) {
  const p = String(path);
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i > 0 ? p.slice(0, i) : p;
}

// -- automatic backups ------------------------------------------------------

function everyLabel(hours) {
  const key = { 0: 'schedule.off', 1: 'schedule.hourly', 24: 'schedule.daily', 168: 'schedule.weekly' }[hours];
  return key ? t(key) : tp('schedule.everyHours', hours);
}

function scheduleCard() {
  const S = B.schedule;
  const titleId = nextId('schedule-title');
  const folder = h('input', {
    type: 'text', id: nextId('schedule-folder'), 'data-testid': 'schedule-folder', class: 'path-input',
    value: S.folder, autocomplete: 'off', spellcheck: 'false', placeholder: t('backup.folderPlaceholder'),
  });
  folder.addEventListener('input', () => { S.folder = folder.value; });
  const choose = h('button', { type: 'button', class: 'btn', 'data-testid': 'schedule-folder-choose' }, t('backup.choose'));
  choose.addEventListener('click', async () => {
    let path;
    try {
      path = await chooseFolder(folder.value.trim());
    } catch (err) {
      line.textContent = errorText(err);
      return;
    }
    if (!path || !folder.isConnected) return;
    S.folder = path;
    folder.value = path;
    folder.focus();
  });
  const hours = EVERY_HOURS.map(String).includes(S.everyHours) ? EVERY_HOURS : [...EVERY_HOURS, Number(S.everyHours)];
  const every = h('select', { id: nextId('schedule-every'), 'data-testid': 'schedule-every' },
    options(hours.map((n) => [String(n), everyLabel(n)]), S.everyHours));
  every.addEventListener('change', () => { S.everyHours = every.value; });
  const keep = h('input', {
    type: 'number', id: nextId('schedule-keep'), 'data-testid': 'schedule-keep', class: 'number-input',
    min: '1', max: '1000', step: '1', value: S.keep, inputmode: 'numeric',
  });
  keep.addEventListener('input', () => { S.keep = keep.value; });
  const safetyKeep = h('input', {
    type: 'number', id: nextId('schedule-safety-keep'), 'data-testid': 'schedule-safety-keep', class: 'number-input',
    min: '1', max: '100', step: '1', value: S.safetyKeep, inputmode: 'numeric',
  });
  safetyKeep.addEventListener('input', () => { S.safetyKeep = safetyKeep.value; });
  const onClose = h('input', { type: 'checkbox', id: nextId('schedule-on-close'), 'data-testid': 'schedule-on-close', checked: S.onClose });
  onClose.addEventListener('change', () => { S.onClose = onClose.checked; });
  const save = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'schedule-save' }, t('action.save'));
  const line = h('p', { class: 'form-error', 'data-testid': 'schedule-error', role: 'alert' });
  // field() puts the input in the field; it then moves into a row with its Choose… button.
  const row = h('div', { class: 'path-row' });
  const folderField = field({ label: t('schedule.folder'), control: folder, errorName: 'schedule-folder', hint: t('schedule.folderHint'), wide: true });
  folderField.insertBefore(row, folder);
  row.append(folder, choose);
  onClose.setAttribute('aria-describedby', `${onClose.id}-hint`);
  const form = h('form', { class: 'card schedule-form', novalidate: true, 'aria-labelledby': titleId, 'data-testid': 'backup-schedule' },
    h('h2', { id: titleId }, t('schedule.title')),
    h('p', { class: 'muted' }, t('schedule.intro')),
    B.status.hasPassphrase ? null : h('p', { class: 'warn-line' }, t('schedule.needPassphrase')),
    folderField,
    h('div', { class: 'grid schedule-grid' },
      field({ label: t('schedule.every'), control: every, errorName: 'schedule-everyHours' }),
      field({ label: t('schedule.keep'), control: keep, errorName: 'schedule-keep', hint: t('schedule.keepHint') }),
      field({ label: t('schedule.safetyKeep'), control: safetyKeep, errorName: 'schedule-safetyKeep', hint: t('schedule.safetyKeepHint') })),
    h('div', { class: 'check-field' },
      onClose,
      h('div', null,
        h('label', { for: onClose.id }, t('schedule.onClose')),
        h('p', { class: 'hint', id: `${onClose.id}-hint` }, t('schedule.onCloseHint')))),
    line,
    h('div', { class: 'actions' }, save));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    line.textContent = '';
    const keepText = keep.value.trim();
    const safetyText = safetyKeep.value.trim();
    const notNumbers = [['keep', keepText], ['safetyKeep', safetyText]]
      .filter(([, v]) => !/^\d+$/.test(v))
      .map(([name]) => ({ field: name, code: 'invalid_number' }));
    if (notNumbers.length) {
      showFieldErrors(form, notNumbers, 'schedule-');
      return;
    }
    const schedule = {
      folder: folder.value.trim() || null,
      everyHours: Number(every.value),
      keep: Number(keepText),
      safetyKeep: Number(safetyText),
      onClose: onClose.checked,
    };
    if (schedule.folder && !isAbsolutePath(schedule.folder)) {
      showFieldErrors(form, [{ field: 'folder', code: 'invalid_choice' }], 'schedule-');
      const err = byTestId('error-schedule-folder', form);
      if (err) err.textContent = t('backup.folderAbsolute');
      return;
    }
    save.disabled = true;
    try {
      const saved = await api.backupScheduleSet(schedule);
      B.status.schedule = saved;
      B.schedule = scheduleForm(saved);
      if (!B.folder && saved.folder) B.folder = saved.folder;
    } catch (err) {
      save.disabled = false;
      if (err.code === 'validation' && err.fields.length) {
        const unplaced = showFieldErrors(form, err.fields, 'schedule-');
        line.textContent = unplaced.map((f) => fieldErrorText(f.code)).join(' ');
      } else {
        line.textContent = errorText(err);
      }
      return;
    }
    toast(t('schedule.saved'));
    draw('schedule-save');
  });
  return form;
}

// -- restore ----------------------------------------------------------------

function restoreCard() {
  const titleId = nextId('restore-title');
  const holder = h('div');
  const card = h('section', { class: 'card', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, t('restore.title')),
    h('p', { class: 'muted' }, t('restore.intro')),
    holder);
  restoreFlow.mount(holder);
  return card;
}

// A register on the office server is restored on a computer, and moved back
// onto the server from there.
function serverRestoreCard() {
  const titleId = nextId('restore-title');
  return h('section', { class: 'card', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, t('restore.title')),
    h('p', { class: 'muted', 'data-testid': 'server-restore-note' }, t('restore.serverIntro')));
}

// -- safety copies ----------------------------------------------------------

function safetyKind(file) {
  return /(^|[\\/])before-undo-[^\\/]*$/.test(String(file)) ? t('safety.beforeUndo') : t('safety.beforeRestore');
}

function safetyCard() {
  const titleId = nextId('safety-title');
  const copies = B.copies || [];
  const list = h('ul', { class: 'ref-list safety-list', 'data-testid': 'safety-list' },
    copies.length
      ? copies.map((c) => {
        const btn = h('button', { type: 'button', class: 'btn small', 'data-testid': 'safety-restore', disabled: B.safetyBusy }, t('safety.restore'));
        btn.addEventListener('click', () => restoreCopy(c));
        return h('li', { class: 'ref-item safety-item', 'data-testid': 'safety-item' },
          h('div', { class: 'safety-text' },
            h('span', { class: 'ref-name' }, formatDateTime(c.createdAt)),
            h('span', { class: 'ref-sub' }, ` · ${safetyKind(c.file)}`),
            h('span', { class: 'safety-detail' },
              [c.organisation || t('safety.noOrganisation'), tp('members.count', c.members)].join(' · '))),
          btn);
      })
      : h('li', { class: 'muted', 'data-testid': 'safety-empty' }, t('safety.none')));
  return h('section', { class: 'card', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, t('safety.title')),
    h('p', { class: 'muted' }, t('safety.intro')),
    list,
    B.safetyBusy ? h('p', { class: 'muted', role: 'status' }, t('safety.working')) : null,
    B.safetyError ? h('p', { class: 'form-error', 'data-testid': 'safety-error', role: 'alert' }, errorText(B.safetyError)) : null);
}

async function restoreCopy(copy) {
  if (B.safetyBusy) return;
  const yes = await confirmDialog({
    testid: 'safety-dialog',
    title: t('safety.confirmTitle'),
    body: [
      t('safety.confirmText', {
        when: formatDateTime(copy.createdAt),
        members: tp('members.count', copy.members),
      }),
      t('safety.confirmSafety'),
    ],
    confirmLabel: t('safety.restore'),
  });
  if (!yes) return;
  B.safetyBusy = true;
  B.safetyError = null;
  draw(null);
  try {
    await api.safetyCopyRestore(copy.file);
  } catch (err) {
    B.safetyBusy = false;
    B.safetyError = err;
    draw(null);
    return;
  }
  B.safetyBusy = false;
  toast(tp('safety.done', copy.members));
  await ctx.onRegisterReplaced(null);
}

/** After a restore the area starts from the register's own settings again. */
export function registerReplaced() {
  B.status = null;
  B.copies = null;
  B.schedule = null;
  B.folder = null;
  B.now = { busy: false, progress: null, result: null, error: null };
  B.changing = false;
}

// -- move to another computer -----------------------------------------------

function openMove(opener) {
  const old = document.querySelector('dialog[data-testid="move-dialog"]');
  if (old) old.remove();
  const has = B.status.hasPassphrase;
  const titleId = nextId('move-title');
  const folder = h('input', {
    type: 'text', id: nextId('move-folder'), 'data-testid': 'move-folder', class: 'path-input',
    value: B.folder || '', autocomplete: 'off', spellcheck: 'false', placeholder: t('move.folderPlaceholder'),
  });
  const choose = h('button', { type: 'button', class: 'btn', 'data-testid': 'move-choose' }, t('backup.choose'));
  const go = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'move-backup', disabled: !has }, t('move.backup'));
  const close = h('button', { type: 'button', class: 'btn', 'data-testid': 'move-close' }, t('action.close'));
  const slot = h('div', { class: 'move-slot' });
  // Without a passphrase: to the passphrase form, which is in the area behind.
  const setPass = has ? null : h('button', { type: 'button', class: 'btn', 'data-testid': 'move-set-passphrase' }, t('move.setPassphrase'));
  const steps = h('ol', { class: 'steps', 'data-testid': 'move-steps' },
    h('li', null, t('move.step1')),
    h('li', null, t('move.step2')),
    h('li', null, t('move.step3')),
    h('li', null, t('move.step4')));
  const form = h('form', { class: 'dialog-form move-form', novalidate: true },
    h('h2', { id: titleId }, t('move.title')),
    h('p', { class: 'muted' }, t('move.intro')),
    steps,
    has ? null : h('div', { class: 'move-need' },
      h('p', { class: 'warn-line', 'data-testid': 'move-need-passphrase' }, t('move.needPassphrase')),
      setPass),
    h('div', { class: 'field' },
      h('label', { for: folder.id }, t('move.folder')),
      h('div', { class: 'path-row' }, folder, choose)),
    slot,
    h('div', { class: 'actions' }, go, close));
  const dialog = h('dialog', { class: 'dialog move-dialog', 'data-testid': 'move-dialog', 'aria-labelledby': titleId }, form);
  document.body.appendChild(dialog);

  let busy = false;
  const finish = () => {
    if (busy) return;
    if (dialog.open) dialog.close();
    dialog.remove();
    if (opener && opener.isConnected) opener.focus();
  };
  close.addEventListener('click', finish);
  if (setPass) {
    setPass.addEventListener('click', () => {
      finish();
      const input = byTestId('backup-passphrase', container);
      if (input) {
        input.scrollIntoView({ block: 'center' });
        input.focus({ preventScroll: true });
      }
    });
  }
  dialog.addEventListener('cancel', (e) => { e.preventDefault(); finish(); });
  dialog.addEventListener('keydown', (e) => { if (e.key === 'Escape') e.stopPropagation(); });
  choose.addEventListener('click', async () => {
    let path;
    try {
      path = await chooseFolder(folder.value.trim());
    } catch (err) {
      replace(slot, h('p', { class: 'form-error', 'data-testid': 'move-error', role: 'alert' }, errorText(err)));
      return;
    }
    if (!path || !dialog.isConnected) return;
    folder.value = path;
    go.focus();
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy || !has) return;
    const path = folder.value.trim();
    const problem = folderProblem(path);
    if (problem) {
      replace(slot, h('p', { class: 'form-error', 'data-testid': 'move-error', role: 'alert' }, t(problem.key)));
      folder.focus();
      return;
    }
    busy = true;
    go.disabled = true;
    close.disabled = true;
    choose.disabled = true;
    folder.readOnly = true;
    const progress = progressView('move-progress', t('backup.working'));
    replace(slot, progress.el);
    const out = await runBackup(path, (p) => progress.set(p));
    busy = false;
    close.disabled = false;
    choose.disabled = false;
    folder.readOnly = false;
    if (out.error) {
      go.disabled = false;
      replace(slot, h('div', { class: 'alert loud', 'data-testid': 'move-error', role: 'alert' },
        h('p', { class: 'result-title' }, t(out.error.code === 'backup_unverified' ? 'backup.unverifiedTitle' : 'backup.failedTitle')),
        h('p', null, backupErrorText(out.error))));
      go.focus();
      return;
    }
    B.folder = path;
    B.now = { busy: false, progress: null, result: out.report, error: null };
    draw(null);
    const r = out.report;
    go.hidden = true;
    replace(slot, h('div', { class: 'ok-box', 'data-testid': 'move-result', role: 'status' },
      h('p', { class: 'result-title' }, t('move.doneTitle')),
      h('p', null, t('move.doneFile'), ' ', h('span', { class: 'result-file selectable' }, baseName(r.file))),
      h('p', null, tp('backup.resultMembers', r.info.members, { folder: folderOf(r.file) })),
      h('p', { class: 'next-title' }, t('move.nextTitle')),
      h('ol', { class: 'steps' },
        h('li', null, t('move.next1')),
        h('li', null, t('move.next2')),
        h('li', null, t('move.next3')))));
    close.focus();
  });

  if (typeof dialog.showModal === 'function') dialog.showModal();
  else dialog.setAttribute('open', '');
  (setPass || folder).focus();
}

