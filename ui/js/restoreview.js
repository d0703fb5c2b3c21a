// How the restore flow (restore.js) looks at each step: the file form (with
// the passphrase field when the backup is another register's), the contents
// of the backup compared with the register here, the progress while it is
// restored, and the outcome with its undo.
import { h, nextId } from './dom.js';
import { t, tp, formatDateTime, formatNumber } from './i18n.js';
import { errorText, fieldErrorText } from './state.js';
import { progressView } from './progress.js';

/** The sentence for the flow's error: {key} of our own, or the core's {code}. */
function errorMessage(err) {
  if (err.key) return t(err.key);
  if (err.code === 'validation' && err.fields.length) {
    return err.fields.map((f) => fieldErrorText(f.code)).join(' ');
  }
  return errorText(err);
}

/** The error line of step `at` ('file' | 'restore' | 'undo'), when the error is that step's. */
function errorLine(R, at) {
  return R.error && R.errorAt === at
    ? h('p', { class: 'form-error', 'data-testid': 'restore-error', role: 'alert' }, errorMessage(R.error))
    : null;
}

/** The passphrase of another register's backup; what is typed goes to R.passphrase. */
function passphraseField(R, busy) {
  const pass = h('input', {
    type: 'password', id: nextId('restore-passphrase'), 'data-testid': 'restore-passphrase',
    value: R.passphrase, autocomplete: 'off', spellcheck: 'false', readOnly: busy,
    'aria-invalid': R.error && R.error.code === 'wrong_passphrase' ? 'true' : null,
  });
  pass.addEventListener('input', () => { R.passphrase = pass.value; });
  const passHintId = `${pass.id}-hint`;
  pass.setAttribute('aria-describedby', passHintId);
  return h('div', { class: 'field passphrase-field' },
    h('label', { for: pass.id }, t('restore.passphrase')),
    pass,
    h('p', { class: 'hint', id: passHintId, 'data-testid': 'restore-passphrase-hint' }, t('restore.passphraseHint')));
}

/** The file to restore from (typed, or chosen), its passphrase when needed, Show contents. */
function fileForm(R, act) {
  const busy = !!R.busy;
  const file = h('input', {
    type: 'text', id: nextId('restore-file'), 'data-testid': 'restore-file', class: 'path-input',
    value: R.file, autocomplete: 'off', spellcheck: 'false', placeholder: t('restore.filePlaceholder'),
    readOnly: busy,
  });
  file.addEventListener('input', () => {
    R.file = file.value;
  });
  const hintId = `${file.id}-hint`;
  file.setAttribute('aria-describedby', hintId);
  const chooseBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'restore-choose', disabled: busy }, t('backup.choose'));
  chooseBtn.addEventListener('click', () => act.choose());
  const inspectBtn = h('button', { type: 'submit', class: 'btn', 'data-testid': 'restore-inspect', disabled: busy }, t('restore.inspect'));
  const passField = R.needPass ? passphraseField(R, busy) : null;
  const form = h('form', { class: 'restore-file', novalidate: true },
    h('div', { class: 'field' },
      h('label', { for: file.id }, t('restore.file')),
      h('div', { class: 'path-row' }, file, chooseBtn),
      h('p', { class: 'hint', id: hintId }, t('restore.fileHint'))),
    passField,
    errorLine(R, 'file'),
    h('div', { class: 'actions' }, inspectBtn),
    R.busy === 'inspect' ? h('p', { class: 'muted', role: 'status' }, t('restore.reading')) : null);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    act.inspect('restore-inspect');
  });
  return form;
}

function row(label, value, testid) {
  return [h('dt', null, label), h('dd', { 'data-testid': testid }, value)];
}

/** What the backup holds and, with a register here, how the two compare. */
function comparison(ins) {
  const { info, comparison: c } = ins;
  const when = (ts) => (ts ? formatDateTime(ts) : t('restore.noChanges'));
  const parts = [
    h('h3', null, t('restore.inBackup')),
    h('dl', { class: 'compact contents' },
      row(t('restore.organisation'), info.organisation, 'restore-org'),
      row(t('restore.created'), formatDateTime(info.createdAt), 'restore-created'),
      row(t('restore.computer'), info.computer, 'restore-computer'),
      row(t('restore.version'), info.medlemVersion, 'restore-version'),
      row(t('restore.members'), formatNumber(info.members), 'restore-members'),
      row(t('restore.latestChange'), when(info.latestChange), 'restore-latest')),
  ];
  if (!c.hasRegister) return parts;
  parts.push(
    h('h3', null, t('restore.onThisComputer')),
    h('dl', { class: 'compact contents' },
      row(t('restore.organisation'), c.currentOrganisation || '', 'restore-current-org'),
      row(t('restore.members'), formatNumber(c.currentMembers), 'restore-current-members'),
      row(t('restore.latestChange'), when(c.currentLatestChange), 'restore-current-latest')),
    h('p', { class: ['compare', c.backupIsOlder ? 'older' : 'newer'], 'data-testid': 'restore-compare' },
      t(c.backupIsOlder ? 'restore.older' : 'restore.newer')),
  );
  if (c.backupIsOlder) {
    parts.push(h('p', { class: 'alert', 'data-testid': 'restore-older-warning', role: 'alert' },
      t('restore.olderWarning')));
  }
  if (!c.sameOrganisation) {
    parts.push(h('p', { class: 'alert', 'data-testid': 'restore-other-org' },
      t('restore.otherOrg', { backup: info.organisation, current: c.currentOrganisation || '' })));
  }
  return parts;
}

/** The contents and comparison, with the button that restores. */
function contents(R, ins, act) {
  const c = ins.comparison;
  const startBtn = h('button', {
    type: 'button', class: ['btn', c.backupIsOlder ? 'danger' : 'primary'], 'data-testid': 'restore-start',
    disabled: !!R.busy,
  }, t(c.hasRegister ? 'restore.start' : 'restore.startNew'));
  startBtn.addEventListener('click', () => act.start());
  return h('section', { class: 'restore-contents', 'data-testid': 'restore-contents', 'aria-label': t('restore.inBackup') },
    comparison(ins),
    c.hasRegister ? h('p', { class: 'hint' }, t('restore.safetyHint')) : null,
    h('div', { class: 'actions' }, startBtn),
    errorLine(R, 'restore'));
}

/** The register was restored: how many members, and Undo while the safety copy is there. */
function doneView(R, report, mode, act) {
  const n = report.info.members;
  const undoBtn = report.safetyCopy && mode === 'shell'
    ? h('button', { type: 'button', class: 'btn', 'data-testid': 'restore-undo', disabled: !!R.busy }, t('restore.undo'))
    : null;
  if (undoBtn) undoBtn.addEventListener('click', () => act.undo());
  return h('div', { class: 'restore-done-box' },
    h('p', { class: 'ok-box', 'data-testid': 'restore-done', role: 'status', tabindex: '-1' },
      tp(report.safetyCopy ? 'restore.doneKept' : 'restore.done', n)),
    h('div', { class: 'actions' }, undoBtn),
    R.busy === 'undo' ? h('p', { class: 'muted', role: 'status' }, t('restore.undoing')) : null,
    errorLine(R, 'undo'));
}

/** The progress while the backup is restored: {el, progress (its view, fed by the flow)}. */
function writingView(R) {
  const progress = progressView('restore-progress', t('restore.working'));
  progress.set(R.progress);
  return {
    el: h('div', { class: 'restore-writing' }, progress.el, h('p', { class: 'hint' }, t('restore.workingHint'))),
    progress,
  };
}

/**
 * The flow's panel for its state R (what is typed goes straight into R.file
 * and R.passphrase). act: {choose(), inspect(focusAfter), start(), undo()}.
 * Returns {el, progress}: progress is the progress view while restoring, else null.
 */
export function restoreView(R, mode, act) {
  let progress = null;
  const parts = [];
  if (R.busy === 'restore') {
    const writing = writingView(R);
    progress = writing.progress;
    parts.push(writing.el);
  } else {
    if (R.done) parts.push(doneView(R, R.done, mode, act));
    if (R.undone) parts.push(h('p', { class: 'ok-box', 'data-testid': 'restore-undone', role: 'status', tabindex: '-1' }, t('restore.undone')));
    parts.push(fileForm(R, act));
    if (R.inspection) parts.push(contents(R, R.inspection, act));
  }
  return { el: h('div', { class: 'restore-flow', 'data-testid': 'restore-panel' }, parts), progress };
}
