// Names shared by the Members area and the member form: a member's full
// name, a field's label (also of a role's part, "Roles 2: From") and a field
// error as a sentence with the field it is about.
import {
  t, tOr, has, countryName, formatDate, isIsoDate,
} from './i18n.js';
import { fieldErrorText, branchName, workplaceName } from './state.js';

/** "Åsa Östlund" (first and last name), or "(no name)". */
export function fullName(m) {
  return [m.firstName, m.lastName].map((s) => (s || '').trim()).filter(Boolean).join(' ') || t('members.noName');
}

/** The label of a member field ("roles.1.from" is the second role's start). */
export function fieldLabel(name) {
  if (!name) return t('history.record');
  if (has(`field.${name}`)) return t(`field.${name}`);
  const m = /^roles\.(\d+)\.(\w+)$/.exec(name);
  if (m) return `${t('field.roles')} ${Number(m[1]) + 1}: ${tOr(`role.${m[2]}`, tOr(`field.role.${m[2]}`, m[2]))}`;
  if (has(`role.${name}`)) return t(`role.${name}`);
  return name;
}

/** A field error that has no place beside an input: "Birth date: …". */
export function fieldErrorLine(f) {
  return `${fieldLabel(f.field)}: ${fieldErrorText(f.code)}`;
}

/**
 * A field's value as a person reads it: statuses, kinds, languages and
 * countries by name, dates in the language's writing, "(empty)" for nothing.
 * Used by the history and by the import's list of changes.
 */
export function fieldValue(fieldName, value) {
  if (value === null || value === undefined || value === '') return t('history.empty');
  const v = String(value);
  const f = fieldName || '';
  if (f === 'status' && has(`status.${v}`)) return t(`status.${v}`);
  if (f === 'kind' && has(`kind.${v}`)) return t(`kind.${v}`);
  if (f === 'membershipType' && has(`membershipType.${v}`)) return t(`membershipType.${v}`);
  if (f === 'language' && has(`language.${v}`)) return t(`language.${v}`);
  if (f === 'country') return countryName(v);
  if (f === 'branchId') return branchName(v) || v;
  if (f === 'workplaceId') return workplaceName(v) || v;
  if (has(`role.${v}`)) return t(`role.${v}`);
  if (isIsoDate(v)) return formatDate(v);
  return v;
}
