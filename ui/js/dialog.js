// A modal question with two answers, as a <dialog>: resolves true (confirmed)
// or false (cancelled, Esc). The cancel button has the focus at first, so an
// Enter pressed by habit never replaces anything.
import { api } from './api.js';
import { h, nextId } from './dom.js';
import { t } from './i18n.js';

/**
 * testid: the dialog's data-testid; its buttons are `<testid>-confirm` and
 * `<testid>-cancel`. body: nodes or strings (each string becomes a paragraph).
 */
export function confirmDialog({
  testid, title, body, confirmLabel, cancelLabel = t('action.cancel'), danger = false,
}) {
  const opener = document.activeElement;
  const old = document.querySelector(`dialog[data-testid="${testid}"]`);
  if (old) old.remove();
  return new Promise((resolve) => {
    const titleId = nextId('confirm-title');
    const confirm = h('button', {
      type: 'button', class: ['btn', danger ? 'danger' : 'primary'], 'data-testid': `${testid}-confirm`,
    }, confirmLabel);
    const cancel = h('button', { type: 'button', class: 'btn', 'data-testid': `${testid}-cancel` }, cancelLabel);
    const paragraphs = (Array.isArray(body) ? body : [body])
      .filter(Boolean)
      .map((b) => (typeof b === 'string' ? h('p', null, b) : b));
    const dialog = h('dialog', { class: 'dialog confirm-dialog', 'data-testid': testid, 'aria-labelledby': titleId },
      h('div', { class: 'dialog-form' },
        h('h2', { id: titleId }, title),
        paragraphs,
        h('div', { class: 'actions' }, confirm, cancel)));
    let answered = false;
    const finish = (yes) => {
      if (answered) return;
      answered = true;
      if (dialog.open) dialog.close();
      dialog.remove();
      if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
      resolve(yes);
    };
    confirm.addEventListener('click', () => finish(true));
    cancel.addEventListener('click', () => finish(false));
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); finish(false); });
    dialog.addEventListener('keydown', (e) => { if (e.key === 'Escape') e.stopPropagation(); });
    document.body.appendChild(dialog);
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    cancel.focus();
  });
}

/**
 * Shows `dialog` as a modal (it is put into the document). Esc calls
 * `onCancel` (default: close) and goes no further. Returns close(), which
 * removes the dialog and gives the focus back to `opener`.
 */
export function openModal(dialog, { opener = null, onCancel = null } = {}) {
  document.body.appendChild(dialog);
  const close = () => {
    if (dialog.open) dialog.close();
    dialog.remove();
    if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
  };
  dialog.addEventListener('cancel', (e) => { e.preventDefault(); (onCancel || close)(); });
  dialog.addEventListener('keydown', (e) => { if (e.key === 'Escape') e.stopPropagation(); });
  if (typeof dialog.showModal === 'function') dialog.showModal();
  else dialog.setAttribute('open', '');
  return close;
}

/**
 * Asks before a file is written over: resolves true when nothing is at `path`
 * or the user chose Replace. `chosen`: the path the system's save dialog
 * answered, which asked already (a path typed by hand was never asked about).
 */
export async function mayReplace(path, chosen = null) {
  if (path === chosen) return true;
  let exists = false;
  try { exists = await api.fileExists(path); } catch (_) { exists = false; }
  if (!exists) return true;
  return confirmDialog({
    testid: 'replace-dialog',
    title: t('replace.title'),
    body: t('replace.body', { file: path }),
    confirmLabel: t('replace.confirm'),
    danger: true,
  });
}
