// Restoring the register from a backup file: choose the file (and, for a backup
// of another register, type its passphrase), see what is in it and how it
// compares with the register here, confirm, restore with progress, and undo.
// Used by the Backup area and by the welcome screen of a new computer.
// A flow keeps its state, so the area can be drawn again (after the register
// was replaced, the whole window is) and still show how the restore went.
import { api, channel, dialogPath } from './api.js';
import { h, replace, nextId, byTestId } from './dom.js';
import { t, tp, formatDateTime, formatNumber } from './i18n.js';
import { errorText, fieldErrorText } from './state.js';
import { confirmDialog } from './dialog.js';
import { progressView } from './progress.js';
import { isAbsolutePath } from './export.js';

export const BACKUP_EXTENSION = 'medlem-backup';

/**
 * mode: 'shell' (the Backup area: there is a register to compare with and to
 * undo to) or 'welcome' (a new computer: nothing to lose).
 * onRestored(report): the register was replaced (reload everything); for an
 * undo the report is null. Returns {mount(container), reset()}.
 */
export function createRestoreFlow({ mode, onRestored }) {
  const R = {
    file: '',
    passphrase: '',
    needPass: false, // the backup is another register's: its passphrase is needed
    busy: null, // 'inspect' | 'restore' | 'undo'
    inspection: null, // BackupInspection of `inspected`
    inspected: null, // {file, passphrase|null} the contents are of
    error: null, // {code,...} or {key}
    errorAt: null, // 'file' | 'restore' | 'undo'
    progress: null,
    done: null, // RestoreReport
    undone: false,
    reveal: null, // the test id to bring into view once the area is drawn again
    seq: 0,
  };
  let container = null;
  let progress = null;

  const reset = () => {
    Object.assign(R, {
      file: '', passphrase: '', needPass: false, busy: null, inspection: null, inspected: null,
      error: null, errorAt: null, progress: null, done: null, undone: false, reveal: null,
    });
    R.seq += 1;
  };

  const setError = (err, at) => { R.error = err; R.errorAt = err ? at : null; };

  const errorMessage = (err) => {
    if (err.key) return t(err.key);
    if (err.code === 'validation' && err.fields.length) {
      return err.fields.map((f) => fieldErrorText(f.code)).join(' ');
    }
    return errorText(err);
  };

  const errorLine = (at) => (R.error && R.errorAt === at
    ? h('p', { class: 'form-error', 'data-testid': 'restore-error', role: 'alert' }, errorMessage(R.error))
    : null);

  async function choose() {
    setError(null);
    let answer;
    try {
      answer = await api.dialogOpen({
        multiple: false,
        directory: false,
        title: t('restore.chooseTitle'),
        filters: [{ name: t('restore.fileTypes'), extensions: [BACKUP_EXTENSION] }],
      });
    } catch (err) {
      setError(err, 'file');
      draw(null);
      return;
    }
    const path = dialogPath(answer);
    if (!path || R.busy) return;
    R.file = path;
    await inspect('restore-inspect');
  }

  async function inspect(focusAfter) {
    if (R.busy === 'restore' || R.busy === 'undo') return;
    const file = R.file.trim();
    setError(null);
    R.done = null;
    R.undone = false;
    if (!file) { setError({ key: 'restore.fileRequired' }, 'file'); draw('restore-file'); return; }
    if (!isAbsolutePath(file)) { setError({ key: 'restore.fileAbsolute' }, 'file'); draw('restore-file'); return; }
    if (R.needPass && !R.passphrase) {
      setError({ key: 'restore.passphraseRequired' }, 'file');
      draw('restore-passphrase');
      return;
    }
    const passphrase = R.needPass ? R.passphrase : null;
    const seq = ++R.seq;
    R.busy = 'inspect';
    R.inspection = null;
    R.inspected = null;
    draw(focusAfter);
    let inspection;
    try {
      inspection = await api.backupInspect(file, passphrase);
    } catch (err) {
      if (seq !== R.seq) return;
      R.busy = null;
      if (err.code === 'passphrase_needed') {
        // Another register's backup: its passphrase opens the key file beside it.
        const first = !R.needPass;
        R.needPass = true;
        if (!first) setError(err, 'file');
        draw('restore-passphrase');
        return;
      }
      setError(err, 'file');
      draw(err.code === 'wrong_passphrase' ? 'restore-passphrase' : focusAfter);
      return;
    }
    if (seq !== R.seq) return;
    R.busy = null;
    R.inspection = inspection;
    R.inspected = { file, passphrase };
    draw('restore-start');
  }

  async function start() {
    const ins = R.inspection;
    if (!ins || R.busy) return;
    const c = ins.comparison;
    // On a new computer there is nothing to lose: no question.
    if (c.hasRegister) {
      const body = [
        t('restore.confirmText', { created: formatDateTime(ins.info.createdAt), members: tp('members.count', ins.info.members) }),
        c.backupIsOlder ? h('p', { class: 'alert' }, t('restore.olderWarning')) : null,
        t('restore.confirmSafety'),
      ];
      const yes = await confirmDialog({
        testid: 'restore-dialog',
        title: t('restore.confirmTitle'),
        body,
        confirmLabel: t('restore.confirm'),
        danger: c.backupIsOlder,
      });
      if (!yes) return;
    }
    const { file, passphrase } = R.inspected;
    const seq = ++R.seq;
    R.busy = 'restore';
    R.progress = null;
    setError(null);
    draw(null);
    const ch = channel((p) => {
      if (seq !== R.seq) return;
      R.progress = p;
      if (progress) progress.set(p);
    });
    let report;
    try {
      report = await api.backupRestore(file, passphrase, ch);
    } catch (err) {
      if (seq !== R.seq) return;
      R.busy = null;
      setError(err, 'restore');
      draw('restore-start');
      // The register was reopened as it was; the window still shows it.
      return;
    }
    if (seq !== R.seq) return;
    R.busy = null;
    R.done = report;
    R.inspection = null;
    R.inspected = null;
    R.passphrase = '';
    R.needPass = false;
    R.file = '';
    R.reveal = report.safetyCopy ? 'restore-undo' : 'restore-done';
    await onRestored(report);
    draw(null);
    reveal();
  }

  async function undo() {
    const report = R.done;
    if (!report || !report.safetyCopy || R.busy) return;
    const seq = ++R.seq;
    R.busy = 'undo';
    setError(null);
    draw(null);
    try {
      await api.safetyCopyRestore(report.safetyCopy);
    } catch (err) {
      if (seq !== R.seq) return;
      R.busy = null;
      setError(err, 'undo');
      draw('restore-undo');
      return;
    }
    if (seq !== R.seq) return;
    R.busy = null;
    R.done = null;
    R.undone = true;
    R.reveal = 'restore-undone';
    await onRestored(null);
    draw(null);
    reveal();
  }

  /**
   * After the window was drawn anew (the register was replaced), the outcome
   * is brought into view and gets the focus, once.
   */
  function reveal() {
    if (!R.reveal || !container || !container.isConnected) return;
    const el = byTestId(R.reveal, container);
    R.reveal = null;
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    el.focus({ preventScroll: true });
  }

  // -------------------------------------------------------------------------
  // Drawing

  function fileForm() {
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
    chooseBtn.addEventListener('click', () => choose());
    const inspectBtn = h('button', { type: 'submit', class: 'btn', 'data-testid': 'restore-inspect', disabled: busy }, t('restore.inspect'));
    let passField = null;
    if (R.needPass) {
      const pass = h('input', {
        type: 'password', id: nextId('restore-passphrase'), 'data-testid': 'restore-passphrase',
        value: R.passphrase, autocomplete: 'off', spellcheck: 'false', readOnly: busy,
        'aria-invalid': R.error && R.error.code === 'wrong_passphrase' ? 'true' : null,
      });
      pass.addEventListener('input', () => { R.passphrase = pass.value; });
      const passHintId = `${pass.id}-hint`;
      pass.setAttribute('aria-describedby', passHintId);
      passField = h('div', { class: 'field passphrase-field' },
        h('label', { for: pass.id }, t('restore.passphrase')),
        pass,
        h('p', { class: 'hint', id: passHintId, 'data-testid': 'restore-passphrase-hint' }, t('restore.passphraseHint')));
    }
    const form = h('form', { class: 'restore-file', novalidate: true },
      h('div', { class: 'field' },
        h('label', { for: file.id }, t('restore.file')),
        h('div', { class: 'path-row' }, file, chooseBtn),
        h('p', { class: 'hint', id: hintId }, t('restore.fileHint'))),
      passField,
      errorLine('file'),
      h('div', { class: 'actions' }, inspectBtn),
      R.busy === 'inspect' ? h('p', { class: 'muted', role: 'status' }, t('restore.reading')) : null);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      inspect('restore-inspect');
    });
    return form;
  }

  function row(label, value, testid) {
    return [h('dt', null, label), h('dd', { 'data-testid': testid }, value)];
  }

  function contents(ins) {
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
    if (c.hasRegister) {
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
    }
    const startBtn = h('button', {
      type: 'button', class: ['btn', c.backupIsOlder ? 'danger' : 'primary'], 'data-testid': 'restore-start',
      disabled: !!R.busy,
    }, t(c.hasRegister ? 'restore.start' : 'restore.startNew'));
    startBtn.addEventListener('click', () => start());
    parts.push(
      c.hasRegister ? h('p', { class: 'hint' }, t('restore.safetyHint')) : null,
      h('div', { class: 'actions' }, startBtn),
      errorLine('restore'),
    );
    return h('section', { class: 'restore-contents', 'data-testid': 'restore-contents', 'aria-label': t('restore.inBackup') }, parts);
  }

  function doneView(report) {
    const n = report.info.members;
    const undoBtn = report.safetyCopy && mode === 'shell'
      ? h('button', { type: 'button', class: 'btn', 'data-testid': 'restore-undo', disabled: !!R.busy }, t('restore.undo'))
      : null;
    if (undoBtn) undoBtn.addEventListener('click', () => undo());
    return h('div', { class: 'restore-done-box' },
      h('p', { class: 'ok-box', 'data-testid': 'restore-done', role: 'status', tabindex: '-1' },
        tp(report.safetyCopy ? 'restore.doneKept' : 'restore.done', n)),
      h('div', { class: 'actions' }, undoBtn),
      R.busy === 'undo' ? h('p', { class: 'muted', role: 'status' }, t('restore.undoing')) : null,
      errorLine('undo'));
  }

  function view() {
    progress = null;
    const parts = [];
    if (R.busy === 'restore') {
      progress = progressView('restore-progress', t('restore.working'));
      progress.set(R.progress);
      parts.push(h('div', { class: 'restore-writing' },
        progress.el, h('p', { class: 'hint' }, t('restore.workingHint'))));
    } else {
      if (R.done) parts.push(doneView(R.done));
      if (R.undone) parts.push(h('p', { class: 'ok-box', 'data-testid': 'restore-undone', role: 'status', tabindex: '-1' }, t('restore.undone')));
      parts.push(fileForm());
      if (R.inspection) parts.push(contents(R.inspection));
    }
    return h('div', { class: 'restore-flow', 'data-testid': 'restore-panel' }, parts);
  }

  function draw(focusId) {
    if (!container || !container.isConnected) return;
    const active = document.activeElement;
    const had = active && container.contains(active) ? active.getAttribute('data-testid') : null;
    replace(container, view());
    const want = focusId || had;
    if (!want) return;
    const el = byTestId(want, container);
    if (el && !el.disabled) el.focus({ preventScroll: want === had });
  }

  return {
    mount(el) {
      container = el;
      progress = null;
      replace(container, view());
    },
    reset,
    reveal,
    busy: () => !!R.busy,
  };
}
