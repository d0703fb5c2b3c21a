// Shared application state and small services used by every area.
import { api, dialogPath } from './api.js';
import { h, clear, nextId } from './dom.js';
import { t, has } from './i18n.js';

export const store = {
  info: null,          // AppInfo
  area: 'members',     // current sidebar area
  branches: [],        // [Branch]
  workplaces: [],      // [Workplace]
};

/** Organisation countries and the currency that follows each (docs/commands.md: Org). */
export const ORG_COUNTRIES = ['SE', 'DK', 'NO'];
export const CURRENCY = { SE: 'SEK', DK: 'DKK', NO: 'NOK' };

/** Countries offered for a member's address. */
export const MEMBER_COUNTRIES = ['SE', 'DK', 'NO', 'FI', 'IS', 'FO', 'GL', 'AX', 'EE', 'LV', 'LT', 'DE', 'PL', 'NL', 'GB', 'IE', 'FR', 'ES', 'IT', 'US'];

export const STATUSES = ['applicant', 'active', 'resigned', 'deceased'];
export const KINDS = ['member', 'prospect'];
export const MEMBERSHIP_TYPES = ['ordinary', 'student', 'retired', 'honorary', 'supporting'];
export const ROLES = ['board_member', 'chair', 'treasurer', 'auditor', 'shop_steward'];
export const SORTS = ['name', 'number', 'city', 'workplace', 'status', 'joined', 'email'];

/** Reload branches and workplaces (used by filters, the member form and settings). */
export async function loadRefs() {
  const [branches, workplaces] = await Promise.all([api.branchesList(), api.workplacesList()]);
  store.branches = Array.isArray(branches) ? branches : [];
  store.workplaces = Array.isArray(workplaces) ? workplaces : [];
}

/** The original id (number or string) whose string form is `value`, or null. */
export function idFrom(list, value) {
  if (value === '' || value === null || value === undefined) return null;
  const found = list.find((x) => String(x.id) === String(value));
  if (found) return found.id;
  return /^\d+$/.test(String(value)) ? Number(value) : value;
}

export function branchName(id) {
  const b = store.branches.find((x) => String(x.id) === String(id));
  return b ? b.name : null;
}

export function workplaceName(id) {
  const w = store.workplaces.find((x) => String(x.id) === String(id));
  return w ? w.name : null;
}

/** A workplace as a select shows it: "Verkstaden (Kiruna)" with its branch. */
export function workplaceLabel(w) {
  return w.branchName ? `${w.name} (${w.branchName})` : w.name;
}

/** A workplace belongs to a branch: choosing one fills in an empty branch select. */
export function branchFollowsWorkplace(workplaceSelect, branchSelect) {
  workplaceSelect.addEventListener('change', () => {
    const w = store.workplaces.find((x) => String(x.id) === workplaceSelect.value);
    if (w && w.branchId !== null && w.branchId !== undefined && branchSelect.value === '') branchSelect.value = String(w.branchId);
  });
}

/**
 * The system's dialog for one file to open: of the kinds `extensions` (their
 * name `filterName`), with `title` when given. The chosen path, or null.
 */
export async function pickFile({ title = null, filterName, extensions }) {
  const options = { multiple: false, directory: false };
  if (title) options.title = title;
  options.filters = [{ name: filterName, extensions }];
  return dialogPath(await api.dialogOpen(options));
}

/** The user-facing sentence for an error {code}, its {placeholders} filled from the error's details. */
export function errorText(err) {
  const code = err && typeof err.code === 'string' ? err.code : 'internal';
  return has(`error.${code}`) ? t(`error.${code}`, (err && err.details) || {}) : t('error.internal');
}

/** The user-facing sentence for a field error code. */
export function fieldErrorText(code) {
  return has(`fieldError.${code}`) ? t(`fieldError.${code}`) : t('fieldError.invalid_choice');
}

// ---- toast ---------------------------------------------------------------

let toastTimer = null;

/**
 * Show a short confirmation. The live region (.toast-region, role=status) is always
 * in the document; the visible bubble with data-testid="toast" is put inside it.
 */
export function toast(message) {
  let region = document.getElementById('toast-region');
  if (!region) {
    region = h('div', { id: 'toast-region', class: 'toast-region', role: 'status', 'aria-live': 'polite' });
    document.body.appendChild(region);
  }
  clear(region);
  region.appendChild(h('div', { class: 'toast', 'data-testid': 'toast' }, message));
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => clear(region), 4000);
}

// ---- form field helpers ---------------------------------------------------

/**
 * A labelled control with its error line:
 *   <div class="field"><label for>..</label><control/><p hint/><p class="field-error" data-testid="error-NAME"/></div>
 * `name` is the DTO field name; the error element's data-testid is `error-${errorName||name}`.
 */
export function field({ label, control, errorName, hint, wide = false, className = '' }) {
  const id = control.id || nextId('f');
  control.id = id;
  const errId = `${id}-err`;
  const describedBy = [errId];
  let hintEl = null;
  if (hint) {
    const hintId = `${id}-hint`;
    hintEl = h('p', { class: 'hint', id: hintId }, hint);
    describedBy.unshift(hintId);
  }
  control.setAttribute('aria-describedby', describedBy.join(' '));
  const errEl = h('p', { class: 'field-error', id: errId, 'data-testid': `error-${errorName}` });
  return h('div', { class: ['field', wide ? 'wide' : '', className] },
    h('label', { for: id }, label), control, hintEl, errEl);
}

/** Clear all field errors and aria-invalid marks inside root. */
export function clearFieldErrors(root) {
  for (const el of root.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of root.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute('aria-invalid');
}

/**
 * Show validation field errors inside root. Each {field, code} goes to the element
 * data-testid="error-<prefix><field>". Returns the errors that had no place (so the
 * caller can show them in its general error line) and focuses the first bad control
 * in document order. `textFor(f)` may give a sentence of its own for a field's
 * error (e.g. "The end is before the start."), else the code's is used.
 */
export function showFieldErrors(root, fields, prefix = '', textFor = null) {
  const unplaced = [];
  const bad = [];
  for (const f of fields) {
    const errEl = root.querySelector(`[data-testid="${CSS.escape(`error-${prefix}${f.field}`)}"]`);
    if (!errEl) { unplaced.push(f); continue; }
    const text = (textFor && textFor(f)) || fieldErrorText(f.code);
    errEl.textContent = errEl.textContent ? `${errEl.textContent} ${text}` : text;
    const control = errEl.parentElement && errEl.parentElement.querySelector('input, select, textarea');
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      bad.push(control);
    }
  }
  if (bad.length) {
    bad.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    bad[0].focus();
  }
  return unplaced;
}
