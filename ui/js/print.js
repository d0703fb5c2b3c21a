// Printing to PDF: the dialogs for letters, address labels and lists (the
// member list's selection, or everyone), and the pieces the calibration page
// in Settings shares with them: a path field with a save dialog, and the
// "written" line with its Open PDF button.
import { api, channel, dialogPath } from './api.js';
import { h, replace, options, nextId, todayIso } from './dom.js';
import { t, tp, formatNumber } from './i18n.js';
import { baseName, isAbsolutePath } from './export.js';
import { fieldErrorText } from './state.js';
import { openModal, mayReplace } from './dialog.js';
import { listQuery, pickedQuery } from './members.js';
import {
  letterErrorText, templateTitle, DEFAULT_KEYS, printedElsewhere,
} from './letternames.js';

export const SCOPES = ['selection', 'active', 'all'];
export const SHEETS = ['3x8', '3x7'];
export const LIST_KINDS = ['members', 'signatures'];

// Remembered while Medlem runs: the next PDF goes to the same folder.
let lastFolder = '';
// The labels dialog remembers its sheet and offsets (they belong to the printer).
const labelChoice = {
  sheet: '3x8', households: false, offsetX: '0', offsetY: '0',
};

function folderOf(path) {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i >= 0 ? path.slice(0, i + 1) : '';
}

/**
 * The kind of file a path field saves: its ending, the save dialog's filter
 * name and the field's label (catalog keys). PDFs unless said otherwise.
 */
export const PDF = { ext: 'pdf', filesKey: 'print.pdfFiles', labelKey: 'print.pathLabel' };

/** "/x/brev" -> "/x/brev.pdf"; a path with another ending is left alone. */
export function withPdf(path, file = PDF) {
  const p = String(path || '').trim();
  if (!p) return p;
  const name = baseName(p);
  return name.includes('.') ? p : `${p}.${file.ext}`;
}

/** A file name like "welcome-2026-11-23.pdf". */
export function pdfName(stem, file = PDF) {
  const s = String(stem || 'medlem').replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '') || 'medlem';
  return `${s}-${todayIso()}.${file.ext}`;
}

/** Why a typed path cannot be used (a catalog key), or null. */
export function pathProblem(path) {
  if (!path) return 'print.pathRequired';
  if (!isAbsolutePath(path)) return 'print.pathAbsolute';
  return null;
}

/** The system's save dialog for a PDF; resolves the chosen path or null. */
export async function choosePdf(current, stem, file = PDF) {
  const start = current && isAbsolutePath(current) ? current : `${lastFolder}${pdfName(stem, file)}`;
  const answer = await api.dialogSave({
    defaultPath: start,
    filters: [{ name: t(file.filesKey), extensions: [file.ext] }],
  });
  const chosen = dialogPath(answer);
  return chosen ? withPdf(chosen, file) : null;
}

/** Remembers the folder of a written PDF for the next one. */
export function rememberFolder(path) {
  lastFolder = folderOf(path);
}

/** What the path field starts with: the last folder and a fresh name, or empty. */
export function startPath(stem, file = PDF) {
  return lastFolder ? `${lastFolder}${pdfName(stem, file)}` : '';
}

/**
 * The label, the text input and the Choose… button for a PDF's (or another
 * `file` kind's) path: {el, input, choose, hint}. `stem()` names the default file.
 */
export function pathField(prefix, stem, onError, file = PDF) {
  const input = h('input', {
    type: 'text', id: nextId(`${prefix}-path`), 'data-testid': `${prefix}-path`, class: 'path-input',
    autocomplete: 'off', spellcheck: 'false', value: startPath(stem(), file), placeholder: t('print.pathPlaceholder'),
  });
  const choose = h('button', { type: 'button', class: 'btn', 'data-testid': `${prefix}-choose` }, t('print.choose'));
  const hint = h('p', { class: 'hint', id: `${input.id}-hint` }, t('print.pathHint'));
  input.setAttribute('aria-describedby', hint.id);
  let lastChosen = null;
  choose.addEventListener('click', async () => {
    let chosen;
    try {
      chosen = await choosePdf(input.value.trim(), stem(), file);
    } catch (err) {
      onError(letterErrorText(err));
      return;
    }
    if (!chosen || !input.isConnected) return;
    input.value = chosen;
    lastChosen = chosen;
    input.focus();
  });
  const el = h('div', { class: 'field' },
    h('label', { for: input.id }, t(file.labelKey)),
    h('div', { class: 'path-row' }, input, choose),
    hint);
  return {
    el, input, choose, hint, chosen: () => lastChosen,
  };
}

/** "1 letter, 1 page written" and the file, with an Open PDF button. */
export function doneBox(prefix, itemsKey, summary, path) {
  const pages = tp('print.pages', summary.pages);
  const text = itemsKey
    ? t('print.written', { items: tp(itemsKey, summary.items), pages })
    : t('print.writtenPages', { pages });
  const open = h('button', { type: 'button', class: 'btn primary', 'data-testid': `${prefix}-open-pdf` }, t('print.openPdf'));
  const openError = h('p', { class: 'form-error', role: 'alert' });
  open.addEventListener('click', async () => {
    openError.textContent = '';
    try {
      await api.pdfOpen(path);
    } catch (err) {
      openError.textContent = letterErrorText(err);
    }
  });
  const box = h('div', { class: 'ok-box print-done', role: 'status' },
    h('p', { class: 'result-title', 'data-testid': `${prefix}-done` }, text),
    h('p', { class: 'result-file selectable' }, baseName(path)),
    h('div', { class: 'actions' }, open),
    openError);
  return { box, open };
}

// ---------------------------------------------------------------------------
// The dialogs

function scopeQueries() {
  const selection = listQuery();
  const picked = pickedQuery();
  const base = {
    search: '', status: null, branchId: null, workplaceId: null, sort: 'name', desc: false, offset: 0, limit: selection.limit,
  };
  return {
    picked,
    selection,
    active: { ...base, kind: 'member', status: 'active' },
    all: { ...base, kind: null },
  };
}

/**
 * A dialog that writes one file: its own fields, the path with Choose…, an
 * error line, a progress bar (with Stop when `spec.stop` is given) and the
 * result with Open PDF. spec: {prefix, title, intro, fields: [nodes],
 * file (default PDF), stem(), focus, itemsKey, fieldLabels, read():
 * {error, focus}|{values}, run({path, values, onProgress}), stop(),
 * progressKey, done(result, path): {box, focus} (default: doneBox),
 * onDone(result)}. Returns {showError}.
 */
export function fileDialog(opener, spec) {
  const old = document.querySelector(`dialog[data-testid="${spec.prefix}-dialog"]`);
  if (old) old.remove();
  const p = spec.prefix;
  const file = spec.file || PDF;
  const error = h('p', { class: 'form-error', 'data-testid': `${p}-error`, role: 'alert', id: nextId(`${p}-error`) });
  const showError = (text) => { error.textContent = text; };
  const path = pathField(p, spec.stem, showError, file);
  path.input.setAttribute('aria-describedby', `${path.hint.id} ${error.id}`);
  const confirm = h('button', { type: 'submit', class: 'btn primary', 'data-testid': `${p}-confirm` }, spec.confirmLabel || t('print.print'));
  const cancel = h('button', { type: 'button', class: 'btn', 'data-testid': `${p}-cancel` }, t('action.cancel'));
  const slot = h('div', { class: 'print-slot' });
  const titleId = nextId(`${p}-title`);
  const form = h('form', { class: 'dialog-form print-form', novalidate: true },
    h('h2', { id: titleId }, spec.title),
    spec.intro ? h('p', { class: 'muted' }, spec.intro) : null,
    spec.fields,
    path.el,
    error,
    slot,
    h('div', { class: 'actions' }, confirm, cancel));
  const dialog = h('dialog', { class: 'dialog print-dialog', 'data-testid': `${p}-dialog`, 'aria-labelledby': titleId }, form);

  let busy = false;
  let stopping = false;
  let done = false;
  const controls = () => [...form.querySelectorAll('input, select, button')].filter((c) => c !== cancel);
  const setBusy = (on) => {
    busy = on;
    for (const c of controls()) {
      if (c.tagName === 'INPUT' && c.type === 'text') c.readOnly = on;
      else c.disabled = on;
    }
    cancel.disabled = on && !spec.stop;
    cancel.textContent = on ? t('print.stop') : t(done ? 'action.close' : 'action.cancel');
  };
  const stop = async () => {
    if (!busy || stopping || !spec.stop) return;
    stopping = true;
    cancel.disabled = true;
    cancel.textContent = t('print.stopping');
    try { await spec.stop(); } catch (_) { /* the run ends by itself */ }
  };
  const close = openModal(dialog, { opener, onCancel: () => { if (busy) stop(); else close(); } });
  cancel.addEventListener('click', () => { if (busy) stop(); else close(); });
  // Changing anything after a run starts a new one.
  form.addEventListener('input', () => {
    if (!done || busy) return;
    done = false;
    confirm.hidden = false;
    cancel.textContent = t('action.cancel');
    replace(slot);
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    showError('');
    for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
    for (const el of form.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute('aria-invalid');
    const read = spec.read ? spec.read() : { values: {} };
    if (read.error) {
      showError(read.error);
      if (read.focus) read.focus.focus();
      return;
    }
    let target = path.input.value.trim();
    const problem = pathProblem(target);
    if (problem) {
      showError(t(problem));
      path.input.setAttribute('aria-invalid', 'true');
      path.input.focus();
      return;
    }
    target = withPdf(target, file);
    path.input.value = target;
    if (!(await mayReplace(target, path.chosen()))) {
      path.input.focus();
      return;
    }
    done = false;
    stopping = false;
    let bar = null;
    let barText = null;
    if (spec.progressKey) {
      bar = h('progress', { class: 'import-progress', 'data-testid': `${p}-progress`, id: nextId(`${p}-progress`) });
      barText = h('p', { class: 'progress-text', 'aria-live': 'polite' });
      replace(slot, h('div', { class: 'progress-field' },
        h('label', { for: bar.id }, t('print.working')), bar, barText));
    } else {
      replace(slot, h('p', { class: 'hint', role: 'status' }, t('print.working')));
    }
    setBusy(true);
    const onProgress = (msg) => {
      if (!bar || !msg) return;
      const total = Number(msg.total) || 0;
      const n = Number(msg.done) || 0;
      if (total > 0) {
        bar.max = total;
        bar.value = Math.min(n, total);
        barText.textContent = t(spec.progressKey, { done: formatNumber(n), total: formatNumber(total) });
      }
    };
    let result;
    try {
      result = await spec.run({ path: target, values: read.values, onProgress });
    } catch (err) {
      setBusy(false);
      replace(slot);
      if (err.code === 'cancelled') {
        replace(slot, h('p', { class: 'notice', role: 'status', 'data-testid': `${p}-stopped` }, t('print.stopped')));
        confirm.focus();
        return;
      }
      if (err.code === 'validation' && err.fields.length) {
        const unplaced = [];
        for (const f of err.fields) {
          const place = form.querySelector(`[data-testid="error-${p}-${f.field}"]`);
          if (place) {
            place.textContent = /^offset/.test(f.field) ? t('print.offsetInvalid') : fieldErrorText(f.code);
            const control = place.parentElement && place.parentElement.querySelector('input, select');
            if (control) control.setAttribute('aria-invalid', 'true');
          } else {
            unplaced.push(f);
          }
        }
        showError(unplaced.length
          ? letterErrorText({ code: 'validation', fields: unplaced }, { path: file.labelKey, ...spec.fieldLabels })
          : t('error.validation'));
      } else {
        showError(letterErrorText(err));
      }
      (err.code === 'io' ? path.input : confirm).focus();
      return;
    }
    rememberFolder(target);
    done = true;
    setBusy(false);
    const out = spec.done ? spec.done(result, target) : doneBox(p, spec.itemsKey, result, target);
    replace(slot, out.box);
    confirm.hidden = true;
    cancel.textContent = t('action.close');
    if (spec.onDone) spec.onDone(result);
    (out.focus || out.open || cancel).focus();
  });

  (spec.focus || path.input).focus();
  return { showError };
}

/**
 * The dialogs of the Letters area: `fileDialog` with a choice of whom (the
 * member list's selection, everyone active, everyone, a saved selection).
 * spec as fileDialog's; `run` gets the chosen ListQuery as `query`.
 */
function printDialog(opener, spec) {
  const p = spec.prefix;
  const queries = scopeQueries();
  const counts = {};
  const scopeLabel = (s) => (counts[s] === undefined
    ? t(`print.scope.${s}`)
    : t(`print.scope.${s}Count`, { count: tp('print.people', counts[s]) }));
  // Members picked in the list come first, and are chosen, when there are any.
  const scopes = queries.picked ? ['picked', ...SCOPES] : SCOPES;
  const scope = h('select', { id: nextId(`${p}-scope`), 'data-testid': `${p}-scope` },
    options(scopes.map((s) => [s, scopeLabel(s)]), queries.picked ? 'picked' : 'selection'));
  // Saved selections join the choices as "saved:<name>".
  const saved = {};
  const addSaved = (sel) => {
    const value = `saved:${sel.name}`;
    saved[value] = sel.query;
    if (![...scope.options].some((o) => o.value === value)) {
      scope.append(h('option', { value }, t('print.scope.saved', { name: sel.name })));
    }
    return value;
  };
  api.selectionsList().then((list) => { for (const sel of list) addSaved(sel); })
    .catch(() => { /* only the built-in choices */ });
  const saveName = h('input', {
    type: 'text', class: 'path-input', id: nextId(`${p}-save-name`), 'data-testid': `${p}-save-name`, maxlength: 80, autocomplete: 'off',
  });
  const saveButton = h('button', { type: 'button', class: 'btn', 'data-testid': `${p}-save-selection` }, t('print.saveSelection'));

  const { showError } = fileDialog(opener, {
    ...spec,
    focus: spec.focus || scope,
    fields: [
      spec.fields,
      h('div', { class: 'field' }, h('label', { for: scope.id }, t('print.scopeLabel')), scope,
        h('p', { class: 'hint' }, t('print.scopeHint'))),
      h('div', { class: 'field' }, h('label', { for: saveName.id }, t('print.saveSelectionLabel')),
        h('div', { class: 'path-row' }, saveName, saveButton)),
    ],
    run: (args) => spec.run({ ...args, query: { ...(queries[scope.value] || saved[scope.value]), offset: 0 } }),
  });

  saveButton.addEventListener('click', async () => {
    showError('');
    if (!saveName.value.trim()) {
      showError(t('print.saveSelectionName'));
      saveName.focus();
      return;
    }
    try {
      const sel = await api.selectionSave(saveName.value, listQuery());
      scope.value = addSaved(sel);
      saveName.value = '';
    } catch (err) {
      showError(err.code === 'validation' ? t('print.saveSelectionName') : letterErrorText(err));
    }
  });

  // The counts of the choices (the list's may lag behind a search being typed).
  for (const s of scopes) {
    api.membersList({ ...queries[s], offset: 0, limit: 1 }).then((page) => {
      counts[s] = page.total;
      const opt = [...scope.options].find((o) => o.value === s);
      if (opt) opt.textContent = scopeLabel(s);
    }).catch(() => { /* the label stays without a count */ });
  }
}

/**
 * Print letters: one per selected member, in their language. `templates` is
 * the list of Templates (for the choice), `key` the one to start with.
 */
export function openLettersDialog(opener, { templates, key, onDone }) {
  // Meeting letters are printed from their meeting, grant letters from their application.
  const keys = [...new Set([...DEFAULT_KEYS, ...templates.map((x) => x.key)])]
    .filter((k) => !printedElsewhere(k) && templates.some((x) => x.key === k));
  const template = h('select', { id: nextId('letters-template'), 'data-testid': 'letters-template' },
    options(keys.map((k) => [k, templateTitle(k)]), key));
  const stem = () => template.value || 'letter';
  printDialog(opener, {
    prefix: 'letters',
    title: t('print.lettersTitle'),
    intro: t('print.lettersIntro'),
    fields: [h('div', { class: 'field' },
      h('label', { for: template.id }, t('print.template')), template,
      h('p', { class: 'hint' }, t('print.templateHint')))],
    stem,
    focus: template,
    itemsKey: 'print.letters',
    progressKey: 'print.progressLetters',
    fieldLabels: { key: 'print.template' },
    read: () => ({ values: { key: template.value } }),
    run: ({ query, path, values, onProgress }) => api.lettersPrint(values.key, query, path, channel(onProgress)),
    stop: () => api.lettersCancel(),
    onDone,
  });
  // A new template choice names the file after it, unless the user typed a name.
  const path = document.querySelector('[data-testid="letters-path"]');
  let typed = false;
  if (path) path.addEventListener('input', () => { typed = true; });
  template.addEventListener('change', () => {
    if (!path || typed || !path.value) return;
    path.value = `${folderOf(path.value)}${pdfName(template.value)}`;
  });
}

function offsetInput(p, which, value) {
  return h('input', {
    type: 'number', id: nextId(`${p}-offset-${which}`), 'data-testid': `${p}-offset-${which}`,
    class: 'number-input', step: '0.5', min: '-30', max: '30', value, inputmode: 'decimal',
  });
}

/** A number input's value in mm, or null when it is not a number within ±30. */
export function readOffset(input) {
  if (input.validity && input.validity.badInput) return null;
  const raw = String(input.value).trim().replace(',', '.');
  if (raw === '') return 0;
  const n = Number(raw);
  return Number.isFinite(n) && Math.abs(n) <= 30 ? n : null;
}

function offsetField(p, which, input) {
  const errorName = `${p}-offset${which === 'x' ? 'X' : 'Y'}`;
  const err = h('p', { class: 'field-error', 'data-testid': `error-${errorName}`, id: `${input.id}-err` });
  input.setAttribute('aria-describedby', err.id);
  return h('div', { class: 'field' },
    h('label', { for: input.id }, t(which === 'x' ? 'print.offsetRight' : 'print.offsetDown')), input, err);
}

/** Address labels: sheet, one per household, offsets, selection, file. */
export function openLabelsDialog(opener) {
  const p = 'labels';
  const sheet = h('select', { id: nextId('labels-sheet'), 'data-testid': 'labels-sheet' },
    options(SHEETS.map((s) => [s, t(`print.sheet.${s}`)]), labelChoice.sheet));
  const households = h('input', {
    type: 'checkbox', id: nextId('labels-households'), 'data-testid': 'labels-households', checked: labelChoice.households,
  });
  const householdsHint = h('p', { class: 'hint', id: `${households.id}-hint` }, t('print.householdsHint'));
  households.setAttribute('aria-describedby', householdsHint.id);
  const x = offsetInput(p, 'x', labelChoice.offsetX);
  const y = offsetInput(p, 'y', labelChoice.offsetY);
  const fields = [
    h('div', { class: 'field' }, h('label', { for: sheet.id }, t('print.sheet')), sheet),
    h('div', { class: 'check-field' }, households,
      h('div', null, h('label', { for: households.id }, t('print.households')), householdsHint)),
    h('fieldset', { class: 'offsets' },
      h('legend', null, t('print.offsets')),
      h('div', { class: 'offset-grid' }, offsetField(p, 'x', x), offsetField(p, 'y', y)),
      h('p', { class: 'hint' }, t('print.offsetsHint'))),
  ];
  printDialog(opener, {
    prefix: p,
    title: t('print.labelsTitle'),
    intro: t('print.labelsIntro'),
    fields,
    stem: () => t('print.labelsStem'),
    focus: sheet,
    itemsKey: 'print.labels',
    fieldLabels: { sheet: 'print.sheet', offsetX: 'print.offsetRight', offsetY: 'print.offsetDown' },
    read: () => {
      const ox = readOffset(x);
      const oy = readOffset(y);
      const bad = [];
      if (ox === null) bad.push([x, 'error-labels-offsetX']);
      if (oy === null) bad.push([y, 'error-labels-offsetY']);
      if (bad.length) {
        for (const [input, testid] of bad) {
          input.setAttribute('aria-invalid', 'true');
          const line = input.parentElement.querySelector(`[data-testid="${testid}"]`);
          if (line) line.textContent = t('print.offsetInvalid');
        }
        return { error: t('error.validation'), focus: bad[0][0] };
      }
      Object.assign(labelChoice, {
        sheet: sheet.value, households: households.checked, offsetX: x.value, offsetY: y.value,
      });
      return {
        values: {
          sheet: sheet.value, households: households.checked, offsetX: ox, offsetY: oy,
        },
      };
    },
    run: ({ query, path, values }) => api.labelsPrint({ query, path, ...values }),
  });
}

/** A member list or a signature sheet. */
export function openListsDialog(opener) {
  const kind = h('select', { id: nextId('lists-kind'), 'data-testid': 'lists-kind' },
    options(LIST_KINDS.map((k) => [k, t(`print.kind.${k}`)]), 'members'));
  const hint = h('p', { class: 'hint', id: `${kind.id}-hint` }, t(`print.kindHint.${kind.value}`));
  kind.setAttribute('aria-describedby', hint.id);
  kind.addEventListener('change', () => { hint.textContent = t(`print.kindHint.${kind.value}`); });
  printDialog(opener, {
    prefix: 'lists',
    title: t('print.listsTitle'),
    intro: null,
    fields: [h('div', { class: 'field' }, h('label', { for: kind.id }, t('print.kind')), kind, hint)],
    stem: () => t(`print.stem.${kind.value}`),
    focus: kind,
    itemsKey: 'print.rows',
    fieldLabels: { kind: 'print.kind' },
    read: () => ({ values: { kind: kind.value } }),
    run: ({ query, path, values }) => api.listPrint(query, values.kind, path),
  });
}
