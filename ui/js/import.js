// Import: read a member file (CSV, xlsx, ods), show what it would do (every member
// it would change, field by field), let the user map its columns and leave out
// updates or single members, then write it all in one go with progress and a
// Stop button.
// Lives in the Members area's right pane (members.js opens it). Its state is kept
// here, so a language switch or a visit to another area redraws it as it was.
import { api } from './api.js';
import { h, replace, options, nextId, byTestId } from './dom.js';
import { t, tp, tOr, has, formatNumber } from './i18n.js';
import {
  loadRefs, errorText, fieldErrorText, pickFile,
} from './state.js';
import { fullName, fieldValue } from './membernames.js';

/** The member fields a file column can fill (docs/commands.md: Mapping). */
export const MAPPING_FIELDS = [
  'number', 'kind', 'firstName', 'lastName', 'careOf', 'address1', 'address2', 'postcode',
  'city', 'country', 'email', 'phone', 'birthDate', 'language', 'membershipType', 'status',
  'statusDate', 'joinedDate', 'branch', 'workplace', 'notes', 'roles',
];

export const IMPORT_EXTENSIONS = ['csv', 'txt', 'tsv', 'xlsx', 'xlsm', 'ods'];

const MAX_PROBLEMS = 200;
const MAX_SAMPLES = 3;
const CHANGES_PAGE = 100; // members whose changes are drawn at a time

const I = {
  open: false,
  phase: 'choose', // 'choose' (no preview yet) | 'preview' | 'writing' | 'done'
  path: '', // what the path field holds
  readPath: '', // the file the preview is of
  busy: false, // a preview is being read
  preview: null, // ImportPreview
  mapping: null, // the user's Mapping once they change a column; null = automatic
  mappingBroken: false, // the last preview of `mapping` failed: nothing to commit
  error: null, // {code, fields} from the backend, or {key} for our own message
  errorAt: null, // 'read' | 'mapping' | 'commit': where the error is shown
  notice: null, // catalog key of an outcome that is not an error (stopped)
  progress: null, // {done, total}
  stopping: false,
  summary: null, // ImportSummary
  onlyNew: false, // "Import only new members": every update left out
  leftOut: new Set(), // ids of members whose update the user unticked
  changesShown: CHANGES_PAGE,
  seq: 0,
};

let container = null;
let hooks = { onClose: () => {}, onImported: () => {} };
let progressEls = null; // {bar, text} while writing

function reset() {
  Object.assign(I, {
    open: false, phase: 'choose', path: '', readPath: '', busy: false, preview: null, mapping: null,
    mappingBroken: false, error: null, errorAt: null, notice: null, progress: null, stopping: false,
    summary: null, onlyNew: false, leftOut: new Set(), changesShown: CHANGES_PAGE,
  });
  I.seq += 1; // answers still on their way are for a panel that is gone
  progressEls = null;
}

// ---------------------------------------------------------------------------
// Used by members.js

/** Whether the import panel is open (in any phase). */
export function importOpen() { return I.open; }

/** Whether rows are being written now (the panel cannot be closed). */
export function importWriting() { return I.open && I.phase === 'writing'; }

/**
 * Opens a fresh import panel in `pane`. hooks.onClose() puts the pane back,
 * hooks.onImported() refreshes the list after a successful import.
 */
export function openImport(pane, h0) {
  reset();
  I.open = true;
  setHooks(h0);
  container = pane;
  render('import-path');
}

/** Draws the open panel into `pane` again (after members.js re-rendered). */
export function renderImport(pane, h0) {
  setHooks(h0);
  container = pane;
  render(null);
}

export function setHooks(h0) {
  if (h0) hooks = { ...hooks, ...h0 };
}

/** Drops the panel's state without drawing anything (the caller fills the pane). */
export function discardImport() {
  if (I.phase === 'writing') return false;
  reset();
  container = null;
  return true;
}

/** Esc / Cancel / Close. Returns false while writing (use Stop). */
export function closeImport() {
  if (!I.open) return true;
  if (I.phase === 'writing') return false;
  reset();
  container = null;
  hooks.onClose();
  return true;
}

// ---------------------------------------------------------------------------
// Steps

function errorMessage(err) {
  if (!err) return '';
  if (err.key) return t(err.key);
  const text = errorText(err);
  if (err.code === 'validation' && Array.isArray(err.fields) && err.fields.length) {
    return [text, ...err.fields.map((f) => `${fieldLabel(f.field)}: ${fieldErrorText(f.code)}`)].join(' ');
  }
  return text;
}

function setError(err, at) {
  I.error = err;
  I.errorAt = err ? at : null;
}

async function chooseFile() {
  setError(null);
  let path;
  try {
    path = await pickFile({ filterName: t('import.fileTypes'), extensions: IMPORT_EXTENSIONS });
  } catch (err) {
    if (!I.open) return;
    setError(err, 'read');
    render(null);
    return;
  }
  if (!I.open || I.phase === 'writing') return;
  if (!path) return; // the user closed the dialog
  I.path = path;
  await readFile(null);
}

function sameHeaders(a, b) {
  if (!a || !b || a.columns.length !== b.columns.length) return false;
  return a.columns.every((c, i) => c.header === b.columns[i].header);
}

/** Reads the file in the path field: a new preview. */
async function readFile(focusAfter = null) {
  const path = I.path.trim();
  if (!path) {
    setError({ key: 'import.pathRequired' }, 'read');
    render('import-path');
    return;
  }
  // Reading the same file again (after fixing it) keeps the columns the user chose.
  const keep = path === I.readPath && I.mapping && I.preview ? I.mapping : null;
  const old = I.preview;
  const seq = ++I.seq;
  I.busy = true;
  I.notice = null;
  setError(null);
  if (!keep) {
    I.preview = null; I.mapping = null; I.phase = 'choose';
    I.onlyNew = false; I.leftOut = new Set(); I.changesShown = CHANGES_PAGE;
  }
  render(focusAfter);
  let preview;
  try {
    preview = await api.importPreview(path, keep);
    if (keep && !sameHeaders(preview, old)) {
      // Other columns than before: let Medlem recognise them afresh.
      preview = await api.importPreview(path, null);
      I.mapping = null;
    }
  } catch (err) {
    if (seq !== I.seq) return;
    // Headers Medlem does not know: show the columns, all set to Ignore, so the
    // user can say which is which.
    const columns = err.code === 'missing_columns' ? await columnsOnly(path) : null;
    if (seq !== I.seq) return;
    I.busy = false;
    if (columns) {
      I.preview = columns;
      I.readPath = path;
      I.mapping = keep && sameHeaders(columns, old) ? keep : columns.columns.map(() => null);
      I.mappingBroken = true;
      I.phase = 'preview';
      setError(err, 'mapping');
    } else {
      I.preview = null;
      I.mapping = null;
      I.mappingBroken = false;
      I.phase = 'choose';
      setError(err, 'read');
    }
    render(focusAfter);
    return;
  }
  if (seq !== I.seq) return;
  I.busy = false;
  I.preview = preview;
  I.readPath = path;
  I.mappingBroken = false;
  I.phase = 'preview';
  render(focusAfter);
}

/**
 * The file's columns when none of them is recognised: a preview with the first
 * column taken as the member number, which only serves for its headers and
 * samples (its counts are not shown). Null when even that cannot be read.
 */
async function columnsOnly(path) {
  try {
    const p = await api.importPreview(path, ['number']);
    return p && Array.isArray(p.columns) && p.columns.length ? p : null;
  } catch (_) {
    return null;
  }
}

/** The mapping the selects show now. */
function currentMapping() {
  if (I.mapping) return [...I.mapping];
  return I.preview ? I.preview.columns.map((c) => c.field || null) : [];
}

/** The user chose a field for column `index`: preview again with the whole mapping. */
async function remap(index, value) {
  const m = currentMapping();
  const v = value || null;
  // One column per field: taking a field away from another column sets that one to Ignore.
  if (v) m.forEach((x, j) => { if (j !== index && x === v) m[j] = null; });
  m[index] = v;
  I.mapping = m;
  const seq = ++I.seq;
  I.busy = true;
  I.notice = null;
  setError(null);
  render(null);
  let preview;
  try {
    preview = await api.importPreview(I.readPath, m);
  } catch (err) {
    if (seq !== I.seq) return;
    I.busy = false;
    I.mappingBroken = true;
    setError(err, 'mapping');
    render(null);
    return;
  }
  if (seq !== I.seq) return;
  I.busy = false;
  I.mappingBroken = false;
  I.preview = preview;
  render(null);
}

/**
 * What the import writes with the user's choices: new members, updated members
 * and the rows of the updates left out.
 */
function chosen(p) {
  if (!p) return { new: 0, updated: 0, skipRows: [] };
  const changes = p.changes || [];
  const skipRows = I.onlyNew ? [] : changes.filter((c) => I.leftOut.has(c.id)).map((c) => c.row);
  return { new: p.new, updated: I.onlyNew ? 0 : p.updated - skipRows.length, skipRows };
}

function toWrite(p) {
  const c = chosen(p);
  return c.new + c.updated;
}

/** Why Import is disabled, as a catalog key; null when it is enabled. */
function blockedReason() {
  const p = I.preview;
  if (!p) return 'import.blocked.noFile';
  if (I.busy) return 'import.blocked.reading';
  if (I.mappingBroken) return 'import.blocked.mapping';
  if (p.problems.length) return 'import.blocked.problems';
  if (toWrite(p) === 0) return p.new + p.updated ? 'import.blocked.leftOut' : 'import.blocked.nothing';
  return null;
}

async function commit() {
  if (I.phase !== 'preview' || blockedReason()) return;
  const seq = ++I.seq;
  I.phase = 'writing';
  I.progress = null;
  I.stopping = false;
  I.notice = null;
  setError(null);
  let channel = null;
  const core = window.__TAURI__ && window.__TAURI__.core;
  if (core && typeof core.Channel === 'function') {
    channel = new core.Channel();
    channel.onmessage = ({ done, total }) => {
      if (seq !== I.seq || I.phase !== 'writing') return;
      I.progress = { done: Number(done) || 0, total: Number(total) || 0 };
      showProgress();
    };
  }
  const c = chosen(I.preview);
  // The preview's fingerprint: refused (import_changed) if the file or the
  // register changed since, so what is written is what the user saw.
  const options = {
    updates: I.onlyNew ? 'none' : 'all', skipRows: c.skipRows, fingerprint: I.preview.fingerprint,
  };
  render('import-stop');
  try {
    const summary = await api.importCommit(I.readPath, I.mapping, options, channel);
    if (seq !== I.seq) return;
    I.summary = summary || {
      new: 0, updated: 0, unchanged: 0, skipped: 0,
    };
    I.phase = 'done';
  } catch (err) {
    if (seq !== I.seq) return;
    I.phase = 'preview';
    I.stopping = false;
    if (err.code === 'cancelled') {
      I.notice = 'import.stopped';
      render('import-commit');
    } else {
      setError(err, 'commit');
      render('import-commit');
      // The file (or the register) changed since it was read: show what it
      // would do now.
      if (err.code === 'import_problems' || err.code === 'import_changed') refreshAfterRefusal();
    }
    return;
  }
  render('import-close');
  // New branches and workplaces may have come with the file. The list is
  // refreshed even if the panel was closed meanwhile.
  try { await loadRefs(); } catch (_) { /* the filters keep their old lists */ }
  hooks.onImported();
}

async function refreshAfterRefusal() {
  const seq = ++I.seq;
  const err = I.error;
  try {
    const preview = await api.importPreview(I.readPath, I.mapping);
    if (seq !== I.seq) return;
    I.preview = preview;
    setError(err, 'commit');
    render(null);
  } catch (_) { /* the refusal is shown already */ }
}

async function stop() {
  if (I.phase !== 'writing' || I.stopping) return;
  I.stopping = true;
  render('import-stop');
  try {
    await api.importCancel();
  } catch (err) {
    if (I.phase !== 'writing') return;
    I.stopping = false;
    setError(err, 'commit');
    render('import-stop');
  }
}

// ---------------------------------------------------------------------------
// Drawing

function fieldLabel(key) {
  if (!key) return '';
  return has(`field.${key}`) ? t(`field.${key}`) : key;
}

function separatorName(d) {
  if (d === null || d === undefined || d === '') return null;
  const names = { ';': 'semicolon', ',': 'comma', '\t': 'tab', '|': 'pipe' };
  if (names[d]) return t(`import.separator.${names[d]}`);
  return t('import.quoted', { value: d });
}

function summaryText(p) {
  const parts = [tOr(`import.format.${p.format}`, String(p.format || '').toUpperCase())];
  if (p.encoding) parts.push(t('import.encoding', { encoding: p.encoding }));
  const sep = separatorName(p.delimiter);
  if (sep) parts.push(t('import.separator', { separator: sep }));
  parts.push(tp('import.rows', p.rows));
  return parts.join(' · ');
}

function stat(testid, value, label, extra = '') {
  return h('div', { class: ['stat', extra] },
    h('span', { class: 'stat-value', 'data-testid': testid }, formatNumber(value)),
    h('span', { class: 'stat-label' }, label));
}

function errorLine(at) {
  if (I.error && I.errorAt === at) {
    return h('p', { class: 'form-error', 'data-testid': 'import-error', role: 'alert' }, errorMessage(I.error));
  }
  if (at === 'commit' && I.notice) {
    return h('p', { class: 'notice', 'data-testid': 'import-error', role: 'status' }, t(I.notice));
  }
  return null;
}

function columnLabel(c) {
  const header = (c.header || '').trim();
  return header || t('import.unnamedColumn', { n: formatNumber(c.index + 1) });
}

function mappingTable(p) {
  const mapping = currentMapping();
  const rows = p.columns.map((c, i) => {
    const current = mapping[i] || '';
    const items = [['', t('import.ignore')], ...MAPPING_FIELDS.map((k) => [k, fieldLabel(k)])];
    if (current && !MAPPING_FIELDS.includes(current)) items.push([current, current]);
    const sel = h('select', {
      id: nextId('import-field'), 'data-testid': `import-field-${c.index}`,
    }, options(items, current));
    sel.addEventListener('change', () => remap(i, sel.value));
    const samples = (c.samples || []).slice(0, MAX_SAMPLES);
    return h('tr', { 'data-testid': 'import-column', dataset: { index: c.index }, class: current ? null : 'ignored' },
      h('th', { scope: 'row', class: 'col-header' }, columnLabel(c)),
      h('td', { class: 'col-samples' }, samples.length
        ? h('ul', { class: 'samples' }, samples.map((s) => h('li', null, s)))
        : h('span', { class: 'muted' }, t('import.noSamples'))),
      h('td', { class: 'col-field' },
        h('label', { for: sel.id, class: 'visually-hidden' }, t('import.fieldFor', { column: columnLabel(c) })),
        sel));
  });
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'mapping-table', 'data-testid': 'import-mapping' },
      h('caption', { class: 'visually-hidden' }, t('import.columnsTitle')),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, t('import.col.header')),
        h('th', { scope: 'col' }, t('import.col.samples')),
        h('th', { scope: 'col' }, t('import.col.field')))),
      h('tbody', null, rows)));
}

function problemReason(code) {
  if (code === 'duplicate_in_file') return t('import.problem.duplicate_in_file');
  return tOr(`import.problem.${code}`, fieldErrorText(code));
}

function problemItem(pr) {
  const column = (pr.column || '').trim() || fieldLabel(pr.field);
  const row = formatNumber(pr.row);
  const value = pr.value === null || pr.value === undefined ? '' : String(pr.value);
  return h('li', { class: 'problem', 'data-testid': 'import-problem' },
    h('span', { class: 'problem-where' },
      column ? t('import.problemAt', { row, column }) : t('import.problemAtRow', { row })),
    value ? [' ', h('span', { class: 'problem-value selectable' }, t('import.quoted', { value }))] : null,
    ' ',
    h('span', { class: 'problem-reason' }, problemReason(pr.code)));
}

function problemsSection(p) {
  const n = p.problems.length;
  const titleId = nextId('import-problems');
  if (!n) {
    return h('section', { class: 'import-section' },
      h('h3', { id: titleId }, t('import.problemsTitle')),
      h('p', { class: 'ok-line' }, t('import.noProblems')));
  }
  const shown = p.problems.slice(0, MAX_PROBLEMS);
  return h('section', { class: 'import-section' },
    h('h3', { id: titleId }, t('import.problemsTitle')),
    h('p', { class: 'hint' }, t('import.problemsHint')),
    h('ol', {
      class: 'problem-list', 'data-testid': 'import-problems', tabindex: '0', 'aria-labelledby': titleId,
    }, shown.map(problemItem)),
    n > shown.length ? h('p', { class: 'hint', 'data-testid': 'import-problems-more' }, tp('import.moreProblems', n - shown.length)) : null);
}

function changeItem(c) {
  const included = !I.onlyNew && !I.leftOut.has(c.id);
  const box = h('input', {
    type: 'checkbox', id: nextId('import-include'), 'data-testid': `import-include-${c.row}`,
    checked: included, disabled: I.onlyNew,
  });
  box.addEventListener('change', () => {
    if (box.checked) I.leftOut.delete(c.id);
    else I.leftOut.add(c.id);
    render(null);
  });
  return h('li', {
    class: ['change', included ? '' : 'left-out'], 'data-testid': 'import-change', dataset: { row: c.row, id: c.id },
  },
  h('div', { class: 'change-who' }, box,
    h('label', { for: box.id },
      h('span', { class: 'change-name' }, fullName(c)), ' ',
      h('span', { class: 'muted' }, t('import.changeWho', { number: c.number, row: formatNumber(c.row) })))),
  h('ul', { class: 'change-fields' }, c.fields.map((f) => h('li', {
    class: 'change-field', 'data-testid': 'import-change-field', dataset: { field: f.field },
  },
  h('span', { class: 'change-label' }, fieldLabel(f.field)), ': ',
  h('span', { class: 'change-old selectable' }, fieldValue(f.field, f.old)),
  ' → ',
  h('span', { class: 'change-new selectable' }, fieldValue(f.field, f.new))))));
}

/** The members the file would change, each with a tick (checked: update them). */
function changesSection(p) {
  const changes = p.changes || [];
  if (!changes.length) return null;
  const titleId = nextId('import-changes');
  const onlyNew = h('input', {
    type: 'checkbox', id: nextId('import-only-new'), 'data-testid': 'import-only-new', checked: I.onlyNew,
  });
  const hintId = `${onlyNew.id}-hint`;
  onlyNew.setAttribute('aria-describedby', hintId);
  onlyNew.addEventListener('change', () => {
    I.onlyNew = onlyNew.checked;
    render(null);
  });
  const shown = changes.slice(0, I.changesShown);
  const rest = changes.length - shown.length;
  let more = null;
  if (rest > 0) {
    more = h('button', { type: 'button', class: 'btn', 'data-testid': 'import-changes-more' },
      tp('import.moreChanges', Math.min(rest, CHANGES_PAGE)));
    more.addEventListener('click', () => {
      I.changesShown += CHANGES_PAGE;
      render(null);
    });
  }
  return h('section', { class: 'import-section import-changes' },
    h('h3', { id: titleId }, t('import.changesTitle')),
    h('p', { class: 'hint' }, t('import.changesHint')),
    h('div', { class: 'check-field' }, onlyNew,
      h('div', null,
        h('label', { for: onlyNew.id }, t('import.onlyNew')),
        h('p', { class: 'hint', id: hintId }, t('import.onlyNewHint')))),
    h('ul', {
      class: ['change-list', I.onlyNew ? 'all-left-out' : ''], 'data-testid': 'import-changes', 'aria-labelledby': titleId,
    }, shown.map(changeItem)),
    more);
}

function previewSection(p) {
  const columns = h('section', { class: 'import-section' },
    h('h3', null, t('import.columnsTitle')),
    h('p', { class: 'hint' }, t('import.columnsHint')),
    mappingTable(p),
    errorLine('mapping'));
  const summary = h('p', { class: 'import-summary', 'data-testid': 'import-summary' }, summaryText(p));
  // Columns Medlem cannot import from: the counts belong to other choices, so only the columns show.
  if (I.mappingBroken) return h('div', { class: 'import-preview', 'aria-busy': I.busy ? 'true' : null }, summary, columns);
  // What stops the import comes first; without problems the columns do.
  const problems = problemsSection(p);
  return h('div', { class: 'import-preview', 'aria-busy': I.busy ? 'true' : null },
    summary,
    h('div', { class: 'stats' },
      stat('import-new', p.new, t('import.count.new')),
      stat('import-updated', p.updated, t('import.count.updated')),
      stat('import-unchanged', p.unchanged, t('import.count.unchanged')),
      stat('import-problem-count', p.problems.length, t('import.count.problems'), p.problems.length ? 'bad' : '')),
    p.problems.length ? [problems, changesSection(p), columns] : [changesSection(p), columns, problems]);
}

function fileForm() {
  const path = h('input', {
    type: 'text', id: nextId('import-path'), 'data-testid': 'import-path', value: I.path,
    autocomplete: 'off', spellcheck: 'false', class: 'path-input',
    placeholder: t('import.pathPlaceholder'),
  });
  path.addEventListener('input', () => { I.path = path.value; });
  const hintId = `${path.id}-hint`;
  path.setAttribute('aria-describedby', hintId);
  const choose = h('button', { type: 'button', class: 'btn', 'data-testid': 'import-choose' }, t('import.choose'));
  choose.addEventListener('click', () => chooseFile());
  const read = h('button', {
    type: 'submit', class: ['btn', I.preview ? '' : 'primary'], 'data-testid': 'import-read',
  }, t(I.preview ? 'import.readAgain' : 'import.read'));
  const form = h('form', { class: 'import-file', novalidate: true },
    h('div', { class: 'field' },
      h('label', { for: path.id }, t('import.file')),
      h('div', { class: 'path-row' }, path, choose, read),
      h('p', { class: 'hint', id: hintId }, t('import.fileHint'))),
    errorLine('read'));
  // Enter in the path field submits: read the file.
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    readFile(null);
  });
  return form;
}

/** "Import 3 members: 1 new, 2 updated". */
function commitLabel(p) {
  const c = chosen(p);
  return tp('import.commitSplit', c.new + c.updated, { new: formatNumber(c.new), updated: formatNumber(c.updated) });
}

function chooseView() {
  const p = I.preview;
  const reason = blockedReason();
  const reasonId = nextId('import-reason');
  const commitBtn = p ? h('button', {
    type: 'button', class: 'btn primary', 'data-testid': 'import-commit', disabled: !!reason,
    'aria-describedby': reason ? reasonId : null,
  }, reason ? t('import.commit') : commitLabel(p)) : null;
  if (commitBtn) commitBtn.addEventListener('click', () => commit());
  const cancel = h('button', { type: 'button', class: 'btn', 'data-testid': 'import-cancel' }, t('action.cancel'));
  cancel.addEventListener('click', () => closeImport());
  // "Reading…" is said while busy; the other reasons only once a preview is shown.
  const showReason = reason && p && reason !== 'import.blocked.noFile';
  return [
    fileForm(),
    I.busy && !p ? h('p', { class: 'muted reading', role: 'status' }, t('import.reading')) : null,
    p ? previewSection(p) : null,
    h('div', { class: 'form-actions import-actions' },
      h('div', { class: 'import-actions-text' },
        showReason ? h('p', { class: ['import-reason', reason === 'import.blocked.reading' ? 'muted' : 'warn'], id: reasonId, 'data-testid': 'import-reason', role: 'status' }, t(reason)) : null,
        errorLine('commit')),
      h('div', { class: 'actions' }, commitBtn, cancel)),
  ];
}

function writingView() {
  const bar = h('progress', {
    class: 'import-progress', 'data-testid': 'import-progress', id: nextId('import-progress'),
  });
  const text = h('p', { class: 'progress-text', 'aria-live': 'polite' });
  const label = h('label', { for: bar.id }, t('import.writing'));
  progressEls = { bar, text };
  showProgress();
  const stopBtn = h('button', {
    type: 'button', class: 'btn', 'data-testid': 'import-stop', disabled: I.stopping,
  }, t(I.stopping ? 'import.stopping' : 'import.stop'));
  stopBtn.addEventListener('click', () => stop());
  return h('div', { class: 'import-writing', 'aria-busy': 'true' },
    h('p', { class: 'path selectable' }, I.readPath),
    h('div', { class: 'progress-field' }, label, bar, text),
    h('p', { class: 'hint' }, t('import.writingHint')),
    errorLine('commit'),
    h('div', { class: 'actions' }, stopBtn));
}

function showProgress() {
  if (!progressEls) return;
  const { bar, text } = progressEls;
  const pr = I.progress;
  if (pr && pr.total > 0) {
    bar.max = pr.total;
    bar.value = Math.min(pr.done, pr.total);
    text.textContent = t('import.progress', { done: formatNumber(pr.done), total: formatNumber(pr.total) });
  } else {
    bar.removeAttribute('value'); // indeterminate until the first report
    text.textContent = '';
  }
}

function doneView() {
  const s = I.summary;
  const close = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'import-close' }, t('action.close'));
  close.addEventListener('click', () => closeImport());
  const ids = s.ids || [];
  const show = ids.length && hooks.onShowImported
    ? h('button', { type: 'button', class: 'btn', 'data-testid': 'import-show' }, tp('import.showImported', ids.length))
    : null;
  if (show) {
    show.addEventListener('click', () => {
      closeImport();
      hooks.onShowImported(ids);
    });
  }
  return h('div', { class: 'import-done-box' },
    h('p', { class: 'import-done', 'data-testid': 'import-done', role: 'status' },
      t('import.doneText', { new: formatNumber(s.new), updated: formatNumber(s.updated), unchanged: formatNumber(s.unchanged) })),
    s.skipped ? h('p', { 'data-testid': 'import-done-skipped' }, tp('import.doneSkipped', s.skipped)) : null,
    h('p', { class: 'hint' }, t('import.doneHint')),
    h('div', { class: 'actions' }, close, show));
}

function panel() {
  const titleId = nextId('import-title');
  let body;
  if (I.phase === 'writing') body = writingView();
  else if (I.phase === 'done') body = doneView();
  else body = chooseView();
  const section = h('section', { class: 'import-panel', 'data-testid': 'import-panel', 'aria-labelledby': titleId },
    h('header', { class: 'panel-header' },
      h('h2', { id: titleId, tabindex: '-1' }, t(I.phase === 'done' ? 'import.doneTitle' : 'import.title')),
      I.phase === 'choose' || I.phase === 'preview' ? h('p', { class: 'muted' }, t('import.intro')) : null),
    body);
  section.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    e.preventDefault();
    e.stopPropagation();
    closeImport(); // refused while writing: Stop is the way out
  });
  return section;
}

/**
 * Redraws the panel from the state. `focusId`: the test id to focus; without it
 * the control that had the focus gets it back (the panel is rebuilt whole).
 */
function render(focusId) {
  if (!I.open || !container || !container.isConnected) return;
  const active = document.activeElement;
  const had = active && container.contains(active) ? active.getAttribute('data-testid') : null;
  const caret = active && active.tagName === 'INPUT' && container.contains(active)
    ? [active.selectionStart, active.selectionEnd] : null;
  const scroll = container.scrollTop;
  progressEls = null;
  replace(container, panel());
  container.scrollTop = scroll;
  const want = focusId || had;
  if (!want) return;
  const el = byTestId(want, container);
  if (el && !el.disabled) {
    el.focus({ preventScroll: !focusId || want === had });
    if (caret && want === had && el.tagName === 'INPUT') {
      try { el.setSelectionRange(caret[0], caret[1]); } catch (_) { /* not a text input */ }
    }
  } else {
    // The control went away (or is disabled now): the panel's heading keeps the focus in the pane.
    const heading = container.querySelector('.import-panel h2');
    if (heading) heading.focus({ preventScroll: true });
  }
}
