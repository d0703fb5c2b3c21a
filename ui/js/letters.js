// The Letters area: the templates (Medlem's and the user's own, each in the
// four languages), the editor with its merge fields, a live preview of page 1
// for a chosen member drawn as SVG from letter_preview's items (in mm, in the
// same font as the PDF), and the ways to print: letters, labels and lists.
// Its state lives here, so unsaved text survives a visit to another area.
import { api } from './api.js';
import {
  h, replace, options, nextId, byTestId, debounce,
} from './dom.js';
import {
  t, language as uiLanguage, LANGUAGES, NATIVE_NAMES,
} from './i18n.js';
import {
  store, toast, fieldErrorText,
} from './state.js';
import { confirmDialog, openModal } from './dialog.js';
import {
  DEFAULT_KEYS, mergeFieldsFor, TEMPLATE_KEY, templateTitle, mergeFieldLabel, windowRect,
  letterErrorText, errorPart,
} from './letternames.js';
import { openLettersDialog, openLabelsDialog, openListsDialog } from './print.js';
import { listQuery } from './members.js';
import { memberPicker } from './picker.js';

const SVG = 'http://www.w3.org/2000/svg';
const PREVIEW_DEBOUNCE_MS = 300;
const PT_MM = 25.4 / 72;
const EDITOR_FIELDS = { key: 'letters.key', language: 'letters.language', subject: 'letters.subject', body: 'letters.body' };

const L = {
  templates: null, // [Template]
  setup: null, // LetterSetup (the envelope window on the preview)
  loadError: null,
  draft: null, // {key, language, subject, body}: what the editor holds
  base: null, // the stored Template the draft started from; null: not saved in this language yet
  error: null, // the last error of a save or preview ({code, message, fields})
  member: null, // {id, name, number}: whom the preview is for
  noMembers: false,
  page: null, // Page
  previewError: null,
  previewSeq: 0,
  picker: { search: '', results: null, seq: 0 }, // the member search (picker.js)
  pickSeq: 0, // a pick supersedes the default member still being looked up
  target: 'body', // where a merge field goes: the subject or the body (the last one focused)
};

let container = null;
let E = null; // the drawn elements the typing updates in place

// ---------------------------------------------------------------------------
// Used by main.js

export function renderLetters(el) {
  container = el;
  draw();
  load();
}

/** Ctrl/Cmd+S in the Letters area. */
export function saveShortcut() {
  if (E && L.draft) save();
}

/** The area is left: no preview may draw into it any more. */
export function detachLetters() {
  schedulePreview.cancel();
  if (E && E.picker) E.picker.cancel();
  E = null;
}

/** The register was replaced (a restore): forget everything. */
export function resetLetters() {
  Object.assign(L, {
    templates: null, setup: null, loadError: null, draft: null, base: null, error: null, member: null,
    noMembers: false, page: null, previewError: null,
  });
  L.picker = { search: '', results: null, seq: L.picker.seq + 1 };
  L.previewSeq += 1;
  L.pickSeq += 1;
}

// ---------------------------------------------------------------------------
// Data

function find(key, language) {
  return (L.templates || []).find((x) => x.key === key && x.language === language) || null;
}

function startLanguage() {
  const org = store.info && store.info.org;
  const byCountry = { SE: 'sv', DK: 'da', NO: 'nb' };
  const wanted = [store.info && store.info.language, uiLanguage(), org && byCountry[org.country], 'sv'];
  return wanted.find((l) => l && LANGUAGES.includes(l)) || 'sv';
}

async function load() {
  // The member to preview is found while the templates are read.
  const picking = pickDefaultMember(false);
  try {
    const [templates, setup] = await Promise.all([api.letterTemplatesList(), api.letterSettingsGet()]);
    L.templates = Array.isArray(templates) ? templates : [];
    L.setup = setup;
    L.loadError = null;
  } catch (err) {
    L.loadError = err;
    draw();
    return;
  }
  if (L.draft) {
    // Back in the area: keep unsaved text, but follow what is stored now.
    L.base = find(L.draft.key, L.draft.language);
  } else {
    const first = find('welcome', startLanguage()) || L.templates[0] || null;
    if (first) useTemplate(first);
  }
  draw();
  await picking;
  runPreview();
}

function useTemplate(tmpl) {
  L.draft = {
    key: tmpl.key, language: tmpl.language, subject: tmpl.subject, body: tmpl.body,
  };
  L.base = tmpl;
  L.error = null;
}

function dirty() {
  if (!L.draft) return false;
  if (!L.base) return true;
  return L.draft.subject !== L.base.subject || L.draft.body !== L.base.body;
}

function input() {
  const d = L.draft;
  return {
    key: d.key, language: d.language, subject: d.subject, body: d.body,
  };
}

function memberName(r) {
  return [r.firstName, r.lastName].map((s) => (s || '').trim()).filter(Boolean).join(' ') || t('members.noName');
}

/** Finds the first member of the list to preview with; `show`: draws the preview. */
async function pickDefaultMember(show = true) {
  if (L.member) return;
  const seq = ++L.pickSeq;
  try {
    let page = await api.membersList({ ...listQuery(), offset: 0, limit: 1 });
    if (!page.items.length) {
      page = await api.membersList({
        search: '', status: null, branchId: null, workplaceId: null, kind: null, sort: 'name', desc: false, offset: 0, limit: 1,
      });
    }
    if (seq !== L.pickSeq) return;
    const r = page.items[0];
    L.member = r ? { id: r.id, name: memberName(r), number: r.number } : null;
    L.noMembers = !r;
  } catch (err) {
    L.previewError = err;
  }
  if (show) drawPreview();
}

// ---------------------------------------------------------------------------
// Actions

async function selectTemplate(key, language) {
  if (L.draft && L.draft.key === key && L.draft.language === language) return;
  const tmpl = find(key, language);
  // Another saved text replaces the editor's; a language not written yet
  // takes the editor's text along, to translate.
  if (tmpl && dirty() && !(await confirmDiscard())) return;
  if (tmpl) {
    useTemplate(tmpl);
  } else {
    // This template is not written in that language yet: start from the
    // text in the editor, to translate.
    L.draft = { ...L.draft, key, language };
    L.base = null;
    L.error = null;
  }
  draw('template-body');
  runPreview();
}

function confirmDiscard() {
  return confirmDialog({
    testid: 'discard-dialog',
    title: t('letters.discardTitle'),
    body: t('letters.discardText'),
    confirmLabel: t('letters.discard'),
    danger: true,
  });
}

async function save() {
  if (!L.draft || !E) return;
  const mine = E;
  mine.save.disabled = true;
  const sent = input();
  let saved;
  try {
    saved = await api.letterTemplateSave(sent);
  } catch (err) {
    if (E !== mine) return;
    mine.save.disabled = false;
    // Typed on meanwhile: the preview judges the text as it is now.
    if (sent.subject !== L.draft.subject || sent.body !== L.draft.body) return;
    L.error = err;
    showEditorError(true);
    return;
  }
  L.templates = [...(L.templates || []).filter((x) => !(x.key === saved.key && x.language === saved.language)), saved];
  // Typing may have gone on while saving: only what was saved counts as saved.
  L.base = saved;
  L.error = null;
  toast(t('letters.saved'));
  if (E !== mine) return;
  const focus = document.activeElement && document.activeElement.getAttribute('data-testid');
  draw(focus || 'template-save');
}

async function resetOrDelete() {
  const d = L.draft;
  if (!d) return;
  const own = !DEFAULT_KEYS.includes(d.key);
  if (own && !L.base) {
    // Never saved in this language: nothing to delete but the text here.
    if (!(await confirmDiscard())) return;
    const other = (L.templates || []).find((x) => x.key === d.key) || find('welcome', d.language) || (L.templates || [])[0];
    if (other) useTemplate(other); else { L.draft = null; L.base = null; }
    draw();
    runPreview();
    return;
  }
  const yes = await confirmDialog({
    testid: own ? 'delete-dialog' : 'reset-dialog',
    title: own ? t('letters.deleteTitle', { name: templateTitle(d.key), language: NATIVE_NAMES[d.language] }) : t('letters.resetTitle'),
    body: own ? t('letters.deleteText') : t('letters.resetText', { name: templateTitle(d.key), language: NATIVE_NAMES[d.language] }),
    confirmLabel: own ? t('letters.delete') : t('letters.reset'),
    danger: true,
  });
  if (!yes) return;
  let templates;
  try {
    templates = await api.letterTemplateReset(d.key, d.language);
  } catch (err) {
    L.error = err;
    showEditorError(false);
    return;
  }
  L.templates = Array.isArray(templates) ? templates : L.templates;
  const next = find(d.key, d.language)
    || (L.templates || []).find((x) => x.key === d.key)
    || find('welcome', d.language)
    || (L.templates || [])[0];
  if (next) useTemplate(next);
  toast(t(own ? 'letters.deleted' : 'letters.resetDone'));
  draw(own ? 'template-new' : 'template-body');
  runPreview();
}

/** Inserts `{{ field }}` at the cursor of the subject or the body. */
function insertField(field) {
  if (!E) return;
  const target = L.target === 'subject' ? E.subject : E.body;
  const text = `{{ ${field} }}`;
  const start = target.selectionStart ?? target.value.length;
  const end = target.selectionEnd ?? start;
  target.focus();
  target.setRangeText(text, start, end, 'end');
  target.dispatchEvent(new Event('input', { bubbles: true }));
}

function openNewTemplate(opener) {
  const old = document.querySelector('dialog[data-testid="template-new-dialog"]');
  if (old) old.remove();
  const key = h('input', {
    type: 'text', id: nextId('template-new-key'), 'data-testid': 'template-new-key', autocomplete: 'off', spellcheck: 'false',
    maxlength: '40', placeholder: t('letters.newKeyPlaceholder'),
  });
  const lang = h('select', { id: nextId('template-new-language'), 'data-testid': 'template-new-language' },
    options(LANGUAGES.map((l) => [l, NATIVE_NAMES[l]]), L.draft ? L.draft.language : startLanguage()));
  const keyError = h('p', { class: 'field-error', 'data-testid': 'error-template-new-key', id: `${key.id}-err` });
  const keyHint = h('p', { class: 'hint', id: `${key.id}-hint` }, t('letters.newKeyHint'));
  key.setAttribute('aria-describedby', `${keyHint.id} ${keyError.id}`);
  const confirm = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'template-new-confirm' }, t('letters.newCreate'));
  const cancel = h('button', { type: 'button', class: 'btn', 'data-testid': 'template-new-cancel' }, t('action.cancel'));
  const titleId = nextId('template-new-title');
  const form = h('form', { class: 'dialog-form', novalidate: true },
    h('h2', { id: titleId }, t('letters.newTitle')),
    h('p', { class: 'muted' }, t('letters.newIntro')),
    h('div', { class: 'field' }, h('label', { for: key.id }, t('letters.key')), key, keyHint, keyError),
    h('div', { class: 'field' }, h('label', { for: lang.id }, t('letters.language')), lang),
    h('div', { class: 'actions' }, confirm, cancel));
  const dialog = h('dialog', { class: 'dialog', 'data-testid': 'template-new-dialog', 'aria-labelledby': titleId }, form);
  const close = openModal(dialog, { opener });
  cancel.addEventListener('click', close);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const k = key.value.trim();
    let problem = null;
    if (!k) problem = fieldErrorText('required');
    else if (!TEMPLATE_KEY.test(k)) problem = t('letters.keyInvalid');
    else if ((L.templates || []).some((x) => x.key === k) || DEFAULT_KEYS.includes(k)) problem = fieldErrorText('duplicate');
    if (problem) {
      keyError.textContent = problem;
      key.setAttribute('aria-invalid', 'true');
      key.focus();
      return;
    }
    if (dirty() && !(await confirmDiscard())) return;
    // A new template starts as a copy of Medlem's message in its language.
    const start = find('notice', lang.value) || { subject: '', body: '' };
    L.draft = {
      key: k, language: lang.value, subject: start.subject, body: start.body,
    };
    L.base = null;
    L.error = null;
    close();
    draw('template-subject');
    runPreview();
  });
  key.focus();
}

// ---------------------------------------------------------------------------
// Preview

const schedulePreview = debounce(() => runPreview(), PREVIEW_DEBOUNCE_MS);

async function runPreview() {
  schedulePreview.cancel();
  if (!L.draft || !L.member) { drawPreview(); return; }
  const seq = ++L.previewSeq;
  const sent = input();
  const memberId = L.member.id;
  // The same text for the same member (back in the area): the page shown
  // stays while it is read again, and is drawn anew only if it changed.
  const asked = JSON.stringify([sent, memberId]);
  const same = L.page && L.pageAsked === asked;
  if (E && !same) E.previewBox.setAttribute('aria-busy', 'true');
  let page;
  try {
    page = await api.letterPreview(sent, memberId);
  } catch (err) {
    if (seq !== L.previewSeq) return;
    if (err.code === 'not_found') {
      // The member is gone: take the first one again.
      L.member = null;
      await pickDefaultMember();
      if (L.member) runPreview();
      return;
    }
    L.page = null;
    L.previewError = err;
    L.error = err;
    drawPreview();
    showEditorError(false);
    return;
  }
  if (seq !== L.previewSeq) return;
  if (same && !L.error && JSON.stringify(page) === JSON.stringify(L.page)) return;
  L.page = page;
  L.pageAsked = asked;
  L.previewError = null;
  // The text previews: any error shown was about an older text.
  L.error = null;
  drawPreview();
  showEditorError(false);
}

function svg(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  }
  return el;
}

const num = (v) => (Number.isFinite(Number(v)) ? Number(v) : 0);

// The sheet is drawn in 1/100 mm: WebKit lays SVG text out with whole-pixel
// glyph advances in user units, so text a few units high (mm) would come out
// narrower than in the PDF; at 100 units per mm the rounding is invisible.
const U = 100;
const u = (mm) => Math.round(num(mm) * U * 100) / 100;

/** The A4 sheet of `page`, scaled to its box: mm in, as letter_preview gives them. */
export function sheetSvg(page, rect, label, testid = 'letter-sheet') {
  const titleId = nextId('sheet-title');
  const root = svg('svg', {
    viewBox: `0 0 ${210 * U} ${297 * U}`, class: 'sheet', role: 'img', 'aria-labelledby': titleId, 'data-testid': testid,
  });
  const title = svg('title', { id: titleId });
  title.textContent = label;
  root.appendChild(title);
  root.appendChild(svg('rect', {
    x: 0, y: 0, width: 210 * U, height: 297 * U, class: 'paper',
  }));
  if (rect) {
    root.appendChild(svg('rect', {
      x: u(rect.x), y: u(rect.y), width: u(rect.w), height: u(rect.h), class: 'window-outline', 'data-testid': testid === 'letter-sheet' ? 'preview-window' : null,
    }));
  }
  for (const item of (page && Array.isArray(page.items) ? page.items : [])) {
    if (item.kind === 'text') {
      const el = svg('text', {
        x: u(item.x), y: u(item.y), 'font-size': u(num(item.size) * PT_MM), class: item.bold ? 'pdf-text bold' : 'pdf-text',
      });
      el.textContent = String(item.text ?? '');
      root.appendChild(el);
    } else if (item.kind === 'line') {
      root.appendChild(svg('line', {
        x1: u(item.x1), y1: u(item.y1), x2: u(item.x2), y2: u(item.y2), class: 'pdf-line', 'stroke-width': u(num(item.width) * PT_MM),
      }));
    } else if (item.kind === 'rect') {
      root.appendChild(svg('rect', {
        x: u(item.x), y: u(item.y), width: u(item.w), height: u(item.h), class: 'pdf-rect',
      }));
    } else if (item.kind === 'logo') {
      const g = svg('g', { class: 'pdf-logo' });
      g.appendChild(svg('rect', {
        x: u(item.x), y: u(item.y), width: u(item.w), height: u(item.h),
      }));
      const tx = svg('text', {
        x: u(num(item.x) + num(item.w) / 2), y: u(num(item.y) + num(item.h) / 2 + 1.2), 'text-anchor': 'middle', 'font-size': u(3.5),
      });
      tx.textContent = t('letters.logo');
      g.appendChild(tx);
      root.appendChild(g);
    }
  }
  return root;
}

function drawPreview() {
  if (!E || !E.previewBox.isConnected) return;
  E.previewBox.removeAttribute('aria-busy');
  replace(E.memberLine, L.member
    ? [h('span', { class: 'picked-name', 'data-testid': 'preview-member' }, L.member.name),
      L.member.number ? h('span', { class: 'muted' }, ` · ${L.member.number}`) : null]
    : h('span', { class: 'muted', 'data-testid': 'preview-member' }, t('letters.noMember')));
  let content;
  if (L.noMembers) {
    content = h('p', { class: 'preview-empty', 'data-testid': 'preview-empty' }, t('letters.noMembers'));
  } else if (L.previewError) {
    content = h('div', { class: 'preview-empty' },
      h('p', { class: 'alert', 'data-testid': 'preview-error', role: 'alert' },
        h('span', { class: 'result-title' }, t('letters.previewFailed')), ' ', letterErrorText(L.previewError, EDITOR_FIELDS)));
  } else if (!L.page) {
    content = h('p', { class: 'preview-empty muted' }, t('app.loading'));
  } else {
    const label = t('letters.sheetLabel', { name: L.member ? L.member.name : '' });
    const zoom = h('button', { type: 'button', class: 'btn small', 'data-testid': 'preview-zoom' }, t('letters.zoom'));
    zoom.addEventListener('click', () => openZoom(zoom, label));
    content = h('figure', { class: 'sheet-wrap', 'data-testid': 'letter-preview' },
      sheetSvg(L.page, windowRect(L.setup), label),
      h('figcaption', { class: 'sheet-caption' }, h('span', { class: 'hint' }, t('letters.sheetCaption')), zoom));
  }
  replace(E.sheetSlot, content);
}

/** The page at a size to read, in a dialog (Esc or Close). */
function openZoom(opener, label) {
  const old = document.querySelector('dialog[data-testid="preview-dialog"]');
  if (old) old.remove();
  const close = h('button', { type: 'button', class: 'btn', 'data-testid': 'preview-dialog-close' }, t('action.close'));
  const titleId = nextId('zoom-title');
  const dialog = h('dialog', { class: 'dialog zoom-dialog', 'data-testid': 'preview-dialog', 'aria-labelledby': titleId },
    h('div', { class: 'dialog-form' },
      h('div', { class: 'card-head' }, h('h2', { id: titleId }, label), close),
      h('div', { class: 'zoom-sheet' }, sheetSvg(L.page, windowRect(L.setup), label, 'preview-large-sheet'))));
  const done = openModal(dialog, { opener });
  close.addEventListener('click', done);
  close.focus();
}

// ---------------------------------------------------------------------------
// Drawing

function draw(focusId) {
  if (!container || !container.isConnected) return;
  const active = document.activeElement;
  const had = active && container.contains(active) ? active.getAttribute('data-testid') : null;
  E = null;
  replace(container, area());
  const want = focusId || had;
  const el = want ? byTestId(want, container) : null;
  if (el && !el.disabled) el.focus({ preventScroll: true });
  drawPreview();
  showEditorError(false);
}

function area() {
  const printLetters = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'print-letters', disabled: !L.templates }, t('letters.printLetters'));
  printLetters.addEventListener('click', (e) => openLettersDialog(e.currentTarget, {
    templates: L.templates || [],
    key: L.draft && L.base ? L.draft.key : 'welcome',
  }));
  const labels = h('button', { type: 'button', class: 'btn', 'data-testid': 'print-labels' }, t('letters.printLabels'));
  labels.addEventListener('click', (e) => openLabelsDialog(e.currentTarget));
  const lists = h('button', { type: 'button', class: 'btn', 'data-testid': 'print-lists' }, t('letters.printLists'));
  lists.addEventListener('click', (e) => openListsDialog(e.currentTarget));
  const header = h('header', { class: 'letters-head' },
    h('div', null,
      h('h1', null, t('nav.letters')),
      h('p', { class: 'muted' }, t('letters.intro'))),
    h('div', { class: 'actions', role: 'group', 'aria-label': t('letters.printGroup') }, printLetters, labels, lists));
  if (!L.templates) {
    return h('div', { class: 'letters', 'data-testid': 'letters-area' }, header,
      L.loadError
        ? h('p', { class: 'form-error', role: 'alert' }, letterErrorText(L.loadError))
        : h('p', { class: 'muted', role: 'status' }, t('app.loading')));
  }
  return h('div', { class: 'letters', 'data-testid': 'letters-area' },
    header,
    h('div', { class: 'letters-grid' },
      h('div', { class: 'letters-main' }, templateList(), L.draft ? editor() : null),
      previewPane()));
}

function keysInOrder() {
  const own = [...new Set((L.templates || []).map((x) => x.key))].filter((k) => !DEFAULT_KEYS.includes(k)).sort();
  const keys = [...DEFAULT_KEYS.filter((k) => (L.templates || []).some((x) => x.key === k)), ...own];
  // A new template not saved yet shows too.
  if (L.draft && !keys.includes(L.draft.key)) keys.push(L.draft.key);
  return keys;
}

function templateList() {
  const titleId = nextId('templates-title');
  const newBtn = h('button', { type: 'button', class: 'btn small', 'data-testid': 'template-new' }, t('letters.new'));
  newBtn.addEventListener('click', (e) => openNewTemplate(e.currentTarget));
  const rows = keysInOrder().map((key) => {
    const langs = LANGUAGES.filter((l) => find(key, l) || (L.draft && L.draft.key === key && L.draft.language === l));
    return h('li', { class: 'template-row', 'data-testid': 'template-row', dataset: { key } },
      h('span', { class: 'template-name' }, templateTitle(key)),
      h('span', { class: 'template-langs' }, langs.map((l) => {
        const tmpl = find(key, l);
        const current = L.draft && L.draft.key === key && L.draft.language === l;
        const edited = tmpl && !tmpl.isDefault && DEFAULT_KEYS.includes(key);
        const unsaved = !tmpl;
        const b = h('button', {
          type: 'button',
          class: ['template-item', current ? 'current' : ''],
          'data-testid': `template-${key}-${l}`,
          'aria-pressed': current ? 'true' : 'false',
          'aria-label': [`${templateTitle(key)} — ${NATIVE_NAMES[l]}`, edited ? t('letters.editedMark') : null, unsaved ? t('letters.unsavedMark') : null].filter(Boolean).join(', '),
        },
        NATIVE_NAMES[l],
        edited ? h('span', { class: 'edited-mark', 'aria-hidden': 'true', title: t('letters.editedMark') }, t('letters.edited')) : null,
        unsaved ? h('span', { class: 'edited-mark unsaved', 'aria-hidden': 'true' }, t('letters.unsavedShort')) : null);
        b.addEventListener('click', () => selectTemplate(key, l));
        return b;
      })));
  });
  return h('section', { class: 'card templates', 'aria-labelledby': titleId },
    h('div', { class: 'card-head' }, h('h2', { id: titleId }, t('letters.templates')), newBtn),
    h('ul', { class: 'template-list', 'data-testid': 'template-list' }, rows),
    h('p', { class: 'hint' }, t('letters.templatesHint')));
}

function statusText() {
  if (dirty()) return t(L.base ? 'letters.unsaved' : 'letters.notSavedYet');
  if (L.base && L.base.isDefault) return t('letters.isDefault');
  if (DEFAULT_KEYS.includes(L.draft.key)) return t('letters.isEdited');
  return t('letters.isOwn');
}

function editor() {
  const d = L.draft;
  const titleId = nextId('editor-title');
  const langSel = h('select', { id: nextId('template-language'), 'data-testid': 'template-language' },
    options(LANGUAGES.map((l) => [l, find(d.key, l) || l === d.language ? NATIVE_NAMES[l] : t('letters.languageMissing', { language: NATIVE_NAMES[l] })]), d.language));
  langSel.addEventListener('change', () => {
    const l = langSel.value;
    langSel.value = d.language; // until the change is confirmed
    selectTemplate(d.key, l);
  });
  const subject = h('input', {
    type: 'text', id: nextId('template-subject'), 'data-testid': 'template-subject', value: d.subject, autocomplete: 'off', maxlength: '200',
  });
  const body = h('textarea', {
    id: nextId('template-body'), 'data-testid': 'template-body', class: 'template-body', rows: '16', spellcheck: 'true', value: d.body,
  });
  body.setAttribute('lang', d.language === 'nb' ? 'nb' : d.language);
  subject.setAttribute('lang', body.getAttribute('lang'));
  const help = h('p', { class: 'hint markup-help', 'data-testid': 'template-help', id: nextId('template-help') },
    t('letters.markupHelp'));
  const errSubject = h('p', { class: 'field-error', 'data-testid': 'error-subject', id: `${subject.id}-err` });
  const errBody = h('p', { class: 'field-error', 'data-testid': 'error-body', id: `${body.id}-err` });
  const error = h('p', { class: 'form-error', 'data-testid': 'template-error', role: 'alert', id: nextId('template-error') });
  subject.setAttribute('aria-describedby', `${errSubject.id} ${error.id}`);
  body.setAttribute('aria-describedby', `${help.id} ${errBody.id} ${error.id}`);
  const status = h('p', { class: 'template-status', 'data-testid': 'template-status', 'aria-live': 'polite' });
  const save = h('button', {
    type: 'submit', class: 'btn primary', 'data-testid': 'template-save', 'aria-keyshortcuts': 'Control+S Meta+S', title: t('letters.saveShortcut'),
  }, t('action.save'));
  const own = !DEFAULT_KEYS.includes(d.key);
  let undo = null;
  if (own) {
    undo = h('button', { type: 'button', class: 'btn', 'data-testid': 'template-delete' }, t(L.base ? 'letters.delete' : 'letters.discard'));
  } else if (L.base && !L.base.isDefault) {
    undo = h('button', { type: 'button', class: 'btn', 'data-testid': 'template-reset' }, t('letters.reset'));
  }
  if (undo) undo.addEventListener('click', () => resetOrDelete());

  const onInput = () => {
    d.subject = subject.value;
    d.body = body.value;
    status.textContent = statusText();
    status.classList.toggle('dirty', dirty());
    schedulePreview();
  };
  subject.addEventListener('input', onInput);
  body.addEventListener('input', onInput);
  subject.addEventListener('focus', () => { L.target = 'subject'; });
  body.addEventListener('focus', () => { L.target = 'body'; });

  const fieldsId = nextId('merge-title');
  const fields = h('div', { class: 'merge-fields', role: 'group', 'aria-labelledby': fieldsId },
    h('p', { class: 'merge-title', id: fieldsId }, t('letters.mergeFields')),
    h('ul', { class: 'merge-list' }, mergeFieldsFor(d.key).map((f) => {
      const b = h('button', {
        type: 'button', class: 'merge-field', 'data-testid': 'merge-field', dataset: { field: f }, title: `{{ ${f} }}`,
      }, mergeFieldLabel(f));
      // Keep the cursor where it was: the button must not take the focus on a mouse press.
      b.addEventListener('mousedown', (e) => e.preventDefault());
      b.addEventListener('click', () => insertField(f));
      return h('li', null, b);
    })),
    h('p', { class: 'hint' }, t('letters.mergeHint')));

  const form = h('form', { class: 'card editor', 'data-testid': 'template-editor', novalidate: true, 'aria-labelledby': titleId },
    h('div', { class: 'card-head' },
      h('h2', { id: titleId }, templateTitle(d.key)),
      h('div', { class: 'field inline-field' }, h('label', { for: langSel.id }, t('letters.language')), langSel)),
    h('div', { class: 'field' }, h('label', { for: subject.id }, t('letters.subject')), subject, errSubject),
    h('div', { class: 'field' }, h('label', { for: body.id }, t('letters.body')), body, help, errBody),
    fields,
    error,
    h('div', { class: 'editor-actions' }, save, undo, status));
  form.addEventListener('submit', (e) => { e.preventDefault(); save(); });

  E = {
    ...(E || {}), subject, body, error, errSubject, errBody, status, save,
  };
  status.textContent = statusText();
  status.classList.toggle('dirty', dirty());
  return form;
}

function showEditorError(focus) {
  if (!E || !E.error) return;
  for (const el of [E.errSubject, E.errBody]) el.textContent = '';
  E.subject.removeAttribute('aria-invalid');
  E.body.removeAttribute('aria-invalid');
  const err = L.error;
  if (!err) { E.error.textContent = ''; return; }
  let target = null;
  if (err.code === 'validation' && err.fields.length) {
    const unplaced = [];
    for (const f of err.fields) {
      if (f.field === 'subject') { E.errSubject.textContent = fieldErrorText(f.code); target = target || E.subject; } else if (f.field === 'body') { E.errBody.textContent = fieldErrorText(f.code); target = target || E.body; } else unplaced.push(f);
    }
    E.error.textContent = unplaced.length ? letterErrorText({ ...err, fields: unplaced }, EDITOR_FIELDS) : '';
  } else {
    E.error.textContent = letterErrorText(err, EDITOR_FIELDS);
    const part = errorPart(err);
    if (part === 'subject') target = E.subject;
    else if (part === 'body') target = E.body;
  }
  if (target) target.setAttribute('aria-invalid', 'true');
  if (focus && target) target.focus();
}

/** Whose letter the preview shows: picked with the member search. */
function pick(r) {
  L.member = { id: r.id, name: memberName(r), number: r.number };
  L.noMembers = false;
  L.pickSeq += 1;
  drawPreview();
  runPreview();
}

function previewPane() {
  const titleId = nextId('preview-title');
  const picker = memberPicker({
    prefix: 'preview',
    placeholder: t('letters.pickPlaceholder'),
    label: t('letters.pickLabel'),
    resultsLabel: t('letters.pickResults'),
    state: L.picker,
    detail: (r) => [r.number, r.city].filter(Boolean).join(' · '),
    onPick: pick,
  });
  const memberLine = h('span', { class: 'picked' });
  const sheetSlot = h('div', { class: 'sheet-slot' });
  const box = h('section', { class: 'card preview', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, t('letters.preview')),
    h('div', { class: 'picker' },
      h('p', { class: 'picker-label' }, t('letters.previewFor'), ' ', memberLine),
      picker.input,
      picker.results),
    sheetSlot);
  E = {
    ...(E || {}), previewBox: box, memberLine, sheetSlot, picker,
  };
  return box;
}
