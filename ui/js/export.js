// Export: the Members list's current selection, or the whole register, to a CSV,
// Excel or JSON file the user names. A <dialog>; Esc closes it (or stops a
// running export).
import { api, dialogPath } from './api.js';
import { h, options, nextId, todayIso } from './dom.js';
import { t, tp, language } from './i18n.js';
import { errorText, fieldErrorText, toast } from './state.js';
import { mayReplace } from './dialog.js';

export const EXPORT_FORMATS = ['csv', 'xlsx', 'json'];
export const EXPORT_SCOPES = ['selection', 'all'];

// The export_members arguments a validation error may name, and their labels.
const FIELD_LABELS = { format: 'export.formatLabel', path: 'export.pathLabel', query: 'export.scopeLabel' };

// Remembered while Medlem runs: the next export starts in the same folder.
let lastFolder = '';
let lastFormat = 'csv';

function extensionOf(path) {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function baseName(path) {
  const parts = String(path).split(/[\\/]/);
  return parts[parts.length - 1] || String(path);
}

function folderOf(path) {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i >= 0 ? path.slice(0, i + 1) : '';
}

/** "/home/x/medlemmar.csv" + "json" -> "/home/x/medlemmar.json" (a file name without one gets it). */
export function withExtension(path, format) {
  const p = String(path || '');
  if (!p.trim()) return p;
  const ext = extensionOf(p);
  if (EXPORT_FORMATS.includes(ext)) return `${p.slice(0, p.length - ext.length)}${format}`;
  if (!ext) return `${p}.${format}`;
  return p;
}

/** An absolute path on Linux/macOS (/...) or Windows (C:\... or \\server\...). */
export function isAbsolutePath(p) {
  return /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(p);
}

function defaultName(format) {
  return `${t('export.fileStem')}-${todayIso()}.${format}`;
}

/**
 * Opens the export dialog.
 * ctx.selectionQuery: the list's ListQuery (search and filters);
 * ctx.allQuery: the whole register; ctx.selectionTotal: the list's count, if known;
 * ctx.prospects: the list shows prospects (for the wording of the count);
 * ctx.picked: the selection is the members picked in the list.
 */
export function openExport(opener, ctx) {
  const old = document.querySelector('dialog[data-testid="export-dialog"]');
  if (old) old.remove();

  const countWord = (n, prospects) => tp(prospects ? 'prospects.count' : 'members.count', n);
  // ctx.picked: the selection is the members picked in the list.
  const scopeLabel = (scope, n) => {
    const key = scope === 'selection' && ctx.picked ? 'picked' : scope;
    if (n === null || n === undefined) return t(`export.scope.${key}`);
    const count = scope === 'selection' ? countWord(n, ctx.prospects) : countWord(n, false);
    return t(`export.scope.${key}Count`, { count });
  };
  const counts = { selection: ctx.selectionTotal ?? null, all: null };

  const format = h('select', { id: nextId('export-format'), 'data-testid': 'export-format' },
    options(EXPORT_FORMATS.map((f) => [f, t(`export.format.${f}`)]), lastFormat));
  const scope = h('select', { id: nextId('export-scope'), 'data-testid': 'export-scope' },
    options(EXPORT_SCOPES.map((s) => [s, scopeLabel(s, counts[s])]), 'selection'));
  const path = h('input', {
    type: 'text', id: nextId('export-path'), 'data-testid': 'export-path', autocomplete: 'off',
    spellcheck: 'false', class: 'path-input', value: lastFolder ? `${lastFolder}${defaultName(lastFormat)}` : '',
    placeholder: t('export.pathPlaceholder'),
  });
  const choose = h('button', { type: 'button', class: 'btn', 'data-testid': 'export-choose' }, t('export.choose'));
  const formatHint = h('p', { class: 'hint', id: `${format.id}-hint` }, t(`export.formatHint.${lastFormat}`));
  format.setAttribute('aria-describedby', formatHint.id);
  const pathHint = h('p', { class: 'hint', id: `${path.id}-hint` }, t('export.pathHint'));
  const error = h('p', { class: 'form-error', 'data-testid': 'export-error', role: 'alert', id: nextId('export-error') });
  path.setAttribute('aria-describedby', `${pathHint.id} ${error.id}`);
  const busyLine = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
  const confirm = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'export-confirm' }, t('export.confirm'));
  const cancel = h('button', { type: 'button', class: 'btn', 'data-testid': 'export-cancel' }, t('action.cancel'));
  const titleId = nextId('export-title');

  const form = h('form', { class: 'dialog-form export-form', novalidate: true },
    h('h2', { id: titleId }, t('export.title')),
    h('p', { class: 'muted' }, t('export.privacy')),
    h('div', { class: 'field' }, h('label', { for: format.id }, t('export.formatLabel')), format, formatHint),
    h('div', { class: 'field' }, h('label', { for: scope.id }, t('export.scopeLabel')), scope),
    h('div', { class: 'field' },
      h('label', { for: path.id }, t('export.pathLabel')),
      h('div', { class: 'path-row' }, path, choose),
      pathHint),
    error,
    busyLine,
    h('div', { class: 'actions' }, confirm, cancel));
  const dialog = h('dialog', { class: 'dialog export-dialog', 'data-testid': 'export-dialog', 'aria-labelledby': titleId }, form);
  document.body.appendChild(dialog);

  let busy = false;
  let stopping = false;
  const setBusy = (on) => {
    busy = on;
    stopping = false;
    confirm.disabled = on;
    choose.disabled = on;
    format.disabled = on;
    scope.disabled = on;
    path.readOnly = on;
    busyLine.textContent = on ? t('export.working') : '';
    cancel.textContent = on ? t('export.stop') : t('action.cancel');
  };
  const showError = (text) => {
    error.textContent = text;
    if (text) path.setAttribute('aria-invalid', 'true');
  };
  const clearError = () => {
    error.textContent = '';
    path.removeAttribute('aria-invalid');
  };
  const close = () => {
    if (dialog.open) dialog.close();
    dialog.remove();
    if (opener && opener.isConnected) opener.focus();
  };
  const stop = async () => {
    if (!busy || stopping) return;
    stopping = true;
    cancel.disabled = true;
    busyLine.textContent = t('export.stopping');
    try { await api.importCancel(); } catch (_) { /* the export ends by itself */ }
    cancel.disabled = false;
  };

  // The live counts of both choices (the list's may lag behind a search being typed).
  const refreshCount = async (which, query) => {
    try {
      const page = await api.membersList({ ...query, offset: 0, limit: 1 });
      counts[which] = page.total;
      const opt = [...scope.options].find((o) => o.value === which);
      if (opt) opt.textContent = scopeLabel(which, page.total);
    } catch (_) { /* the label stays without a count */ }
  };
  refreshCount('selection', ctx.selectionQuery);
  refreshCount('all', ctx.allQuery);

  format.addEventListener('change', () => {
    lastFormat = format.value;
    formatHint.textContent = t(`export.formatHint.${format.value}`);
    path.value = withExtension(path.value, format.value);
  });
  // What the system's save dialog answered (it asked about replacing).
  let lastChosen = null;
  choose.addEventListener('click', async () => {
    clearError();
    const fmt = format.value;
    const current = path.value.trim();
    let answer;
    try {
      answer = await api.dialogSave({
        defaultPath: current ? withExtension(current, fmt) : `${lastFolder}${defaultName(fmt)}`,
        filters: [{ name: t(`export.format.${fmt}`), extensions: [fmt] }],
      });
    } catch (err) {
      showError(errorText(err));
      return;
    }
    const chosen = dialogPath(answer);
    if (!chosen || !dialog.isConnected) return;
    path.value = withExtension(chosen, fmt);
    lastChosen = path.value;
    path.focus();
  });
  cancel.addEventListener('click', () => { if (busy) stop(); else close(); });
  dialog.addEventListener('cancel', (e) => { e.preventDefault(); if (busy) stop(); else close(); });
  dialog.addEventListener('keydown', (e) => { if (e.key === 'Escape') e.stopPropagation(); });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    clearError();
    let file = path.value.trim();
    if (!file) { showError(t('export.pathRequired')); path.focus(); return; }
    if (!isAbsolutePath(file)) { showError(t('export.pathAbsolute')); path.focus(); return; }
    const fmt = format.value;
    file = withExtension(file, fmt);
    path.value = file;
    if (!(await mayReplace(file, lastChosen))) { path.focus(); return; }
    const query = scope.value === 'all' ? ctx.allQuery : ctx.selectionQuery;
    setBusy(true);
    let summary;
    try {
      summary = await api.exportMembers(file, fmt, { ...query, offset: 0 }, language());
    } catch (err) {
      setBusy(false);
      if (err.code === 'cancelled') {
        showError(t('export.stopped'));
      } else if (err.code === 'validation' && err.fields.length) {
        showError(err.fields.map((f) => `${FIELD_LABELS[f.field] ? t(FIELD_LABELS[f.field]) : f.field}: ${fieldErrorText(f.code)}`).join(' '));
      } else {
        showError(errorText(err));
      }
      (err.code === 'io' ? path : confirm).focus();
      return;
    }
    lastFolder = folderOf(file);
    lastFormat = fmt;
    close();
    const n = summary && typeof summary.members === 'number' ? summary.members : 0;
    toast(tp('export.done', n, { file: baseName(file) }));
  });

  if (typeof dialog.showModal === 'function') dialog.showModal();
  else dialog.setAttribute('open', '');
  format.focus();
}
