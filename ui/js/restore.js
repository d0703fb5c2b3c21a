// Restoring the register from a backup file: choose the file (and, for a backup
// of another register, type its passphrase), see what is in it and how it
// compares with the register here, confirm, restore with progress, and undo.
// Used by the Backup area and by the welcome screen of a new computer.
// A flow keeps its state, so the area can be drawn again (after the register
// was replaced, the whole window is) and still show how the restore went.
// What each step looks like is in restoreview.js.
import { api, channel } from './api.js';
import { h, replace, byTestId } from './dom.js';
import { t, tp, formatDateTime } from './i18n.js';
import { pickFile } from './state.js';
import { confirmDialog } from './dialog.js';
import { isAbsolutePath } from './export.js';
import { restoreView } from './restoreview.js';

export const BACKUP_EXTENSION = 'medlem-backup';

/** The question before a register is replaced by the backup `ins`: resolves true or false. */
function confirmRestore(ins) {
  const c = ins.comparison;
  return confirmDialog({
    testid: 'restore-dialog',
    title: t('restore.confirmTitle'),
    body: [
      t('restore.confirmText', { created: formatDateTime(ins.info.createdAt), members: tp('members.count', ins.info.members) }),
      c.backupIsOlder ? h('p', { class: 'alert' }, t('restore.olderWarning')) : null,
      t('restore.confirmSafety'),
    ],
    confirmLabel: t('restore.confirm'),
    danger: c.backupIsOlder,
  });
}

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
  let progress = null; // the progress view while restoring
  const act = { choose, inspect, start, undo };

  const reset = () => {
    Object.assign(R, {
      file: '', passphrase: '', needPass: false, busy: null, inspection: null, inspected: null,
      error: null, errorAt: null, progress: null, done: null, undone: false, reveal: null,
    });
    R.seq += 1;
  };

  const setError = (err, at) => { R.error = err; R.errorAt = err ? at : null; };

  // -------------------------------------------------------------------------
  // The steps. Each busy one has a number (R.seq): a step that a newer one (or
  // a reset) took over from ends without a word.

  /** Starts busy step `busy`; returns its number. */
  function begin(busy) {
    const seq = ++R.seq;
    R.busy = busy;
    return seq;
  }

  /**
   * What `promise` of step `seq` came to: {value} or {error}, the flow no
   * longer busy; null when a newer step took over meanwhile.
   */
  async function outcome(seq, promise) {
    let result;
    try {
      result = { value: await promise };
    } catch (error) {
      result = { error };
    }
    if (seq !== R.seq) return null;
    R.busy = null;
    return result;
  }

  /** Choose the file in the system's dialog, then read its contents. */
  async function choose() {
    setError(null);
    let path;
    try {
      path = await pickFile({
        title: t('restore.chooseTitle'), filterName: t('restore.fileTypes'), extensions: [BACKUP_EXTENSION],
      });
    } catch (err) {
      setError(err, 'file');
      draw(null);
      return;
    }
    if (!path || R.busy) return;
    R.file = path;
    await inspect('restore-inspect');
  }

  /** What keeps `file` from being read: [catalog key, test id to focus], or null. */
  function missing(file) {
    if (!file) return ['restore.fileRequired', 'restore-file'];
    if (!isAbsolutePath(file)) return ['restore.fileAbsolute', 'restore-file'];
    if (R.needPass && !R.passphrase) return ['restore.passphraseRequired', 'restore-passphrase'];
    return null;
  }

  /** Another register's backup: its passphrase opens the key file beside it. */
  function askPassphrase(err) {
    const first = !R.needPass;
    R.needPass = true;
    if (!first) setError(err, 'file');
    draw('restore-passphrase');
  }

  /** Read what the backup holds and how it compares (focus then on `focusAfter`, else Restore). */
  async function inspect(focusAfter) {
    if (R.busy === 'restore' || R.busy === 'undo') return;
    const file = R.file.trim();
    setError(null);
    R.done = null;
    R.undone = false;
    const stop = missing(file);
    if (stop) {
      setError({ key: stop[0] }, 'file');
      draw(stop[1]);
      return;
    }
    const passphrase = R.needPass ? R.passphrase : null;
    const seq = begin('inspect');
    R.inspection = null;
    R.inspected = null;
    draw(focusAfter);
    const out = await outcome(seq, api.backupInspect(file, passphrase));
    if (!out) return;
    if (out.error && out.error.code === 'passphrase_needed') {
      askPassphrase(out.error);
    } else if (out.error) {
      setError(out.error, 'file');
      draw(out.error.code === 'wrong_passphrase' ? 'restore-passphrase' : focusAfter);
    } else {
      R.inspection = out.value;
      R.inspected = { file, passphrase };
      draw('restore-start');
    }
  }

  /** Confirm (when there is a register to lose), then restore with progress. */
  async function start() {
    const ins = R.inspection;
    if (!ins || R.busy) return;
    // On a new computer there is nothing to lose: no question.
    if (ins.comparison.hasRegister && !(await confirmRestore(ins))) return;
    const { file, passphrase } = R.inspected;
    const seq = begin('restore');
    R.progress = null;
    setError(null);
    draw(null);
    const ch = channel((p) => {
      if (seq !== R.seq) return;
      R.progress = p;
      if (progress) progress.set(p);
    });
    const out = await outcome(seq, api.backupRestore(file, passphrase, ch));
    if (!out) return;
    if (out.error) {
      // The register was reopened as it was; the window still shows it.
      setError(out.error, 'restore');
      draw('restore-start');
      return;
    }
    const report = out.value;
    Object.assign(R, {
      done: report, inspection: null, inspected: null, passphrase: '', needPass: false, file: '',
    });
    await finish(report.safetyCopy ? 'restore-undo' : 'restore-done', report);
  }

  /** Put the register back as it was before the restore (its safety copy). */
  async function undo() {
    const report = R.done;
    if (!report || !report.safetyCopy || R.busy) return;
    const seq = begin('undo');
    setError(null);
    draw(null);
    const out = await outcome(seq, api.safetyCopyRestore(report.safetyCopy));
    if (!out) return;
    if (out.error) {
      setError(out.error, 'undo');
      draw('restore-undo');
      return;
    }
    R.done = null;
    R.undone = true;
    await finish('restore-undone', null);
  }

  /** The register was replaced: everything is read again, then `revealId` is shown. */
  async function finish(revealId, report) {
    R.reveal = revealId;
    await onRestored(report);
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
  // Drawing (restoreview.js)

  function view() {
    const v = restoreView(R, mode, act);
    progress = v.progress;
    return v.el;
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
