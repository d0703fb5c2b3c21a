// Names and texts shared by the Letters area, the print dialogs, the letter
// settings and the member history: template names, envelope window presets,
// merge fields, and the sentences for the letter errors (which name the field,
// the line, the member or the character the error's details name).
import { t, has } from './i18n.js';
import { errorText, fieldErrorText } from './state.js';

/** The templates Medlem ships (docs/commands.md: Template). */
export const DEFAULT_KEYS = [
  'welcome', 'notice', 'meeting_invitation', 'meeting_seat', 'grant_approval', 'grant_rejection', 'grant_reminder',
];

/** The merge fields a template may use, in the order the editor offers them. */
export const MERGE_FIELDS = [
  'member.first_name', 'member.last_name', 'member.name', 'member.number',
  'member.email', 'member.phone', 'member.address', 'member.postcode', 'member.city',
  'member.joined_date', 'org.name', 'org.address', 'org.org_number', 'today',
];

/** The fields a meeting letter (a template whose key starts with `meeting_`) may use too. */
export const MEETING_FIELDS = [
  'meeting.title', 'meeting.kind', 'meeting.date', 'meeting.time', 'meeting.venue',
  'meeting.link', 'meeting.agenda', 'meeting.note', 'meeting.reply_by', 'meeting.capacity',
];

/** The fields a grant letter (a template whose key starts with `grant_`) may use too. */
export const GRANT_FIELDS = [
  'grant.number', 'grant.title', 'grant.fund', 'grant.applicant', 'grant.requested', 'grant.approved',
  'grant.paid', 'grant.conditions', 'grant.reason', 'grant.planned_date', 'grant.report_due',
];

/**
 * Meeting letters are printed from a meeting and grant letters from their
 * application, not for a member selection.
 */
export function printedElsewhere(key) {
  return /^(meeting|grant)_/.test(String(key || ''));
}

/** The merge fields the editor offers for the template `key`. */
export function mergeFieldsFor(key) {
  const k = String(key || '');
  if (k.startsWith('meeting_')) return [...MERGE_FIELDS, ...MEETING_FIELDS];
  if (k.startsWith('grant_')) return [...MERGE_FIELDS, ...GRANT_FIELDS];
  return MERGE_FIELDS;
}

/** A key the user may give their own template: letters, digits, - and _. */
export const TEMPLATE_KEY = /^[A-Za-z0-9_-]{1,40}$/;

/** "Welcome letter" for a shipped template; the user's own go by their key. */
export function templateTitle(key) {
  const k = String(key || '');
  return has(`letters.template.${k}`) ? t(`letters.template.${k}`) : k;
}

/** The readable name of a window preset ("Swedish C5/E65, window right"). */
export function presetName(id) {
  return has(`letters.preset.${id}`) ? t(`letters.preset.${id}`) : String(id);
}

/** The label of a merge field in the user's language ("First name"). */
export function mergeFieldLabel(field) {
  return has(`letters.field.${field}`) ? t(`letters.field.${field}`) : field;
}

/** The envelope window (mm) the saved settings put the address in, or null. */
export function windowRect(setup) {
  if (!setup || !setup.settings || !Array.isArray(setup.presets)) return null;
  const s = setup.settings;
  const p = setup.presets.find((x) => x.id === s.window) || setup.presets[0];
  if (!p || !p.window) return null;
  const dx = Number(s.offsetX) || 0;
  const dy = Number(s.offsetY) || 0;
  return {
    x: p.window.x + dx, y: p.window.y + dy, w: p.window.w, h: p.window.h,
  };
}

/**
 * What a letter error names beyond its code, from core's details (never from
 * the message): {part, field, line, who, character}. Only used to fill in the
 * catalog text.
 */
export function errorDetail(err) {
  const d = (err && err.details) || {};
  const out = { part: d.part === 'subject' || d.part === 'body' ? d.part : null };
  if (err.code === 'unknown_field') {
    out.field = d.field || null;
  } else if (err.code === 'template_syntax') {
    out.line = d.line ? String(d.line) : null;
  } else if (err.code === 'address_too_long') {
    out.who = d.member || null;
  } else if (err.code === 'unprintable') {
    out.who = d.member || null;
    const c = d.character ? d.character.codePointAt(0) : null;
    if (c !== null && c !== undefined) {
      const hex = c.toString(16).toUpperCase().padStart(4, '0');
      out.character = `“${String.fromCodePoint(c)}” (U+${hex})`;
    }
  }
  return out;
}

/** The part of a template an error is in ("subject" / "body"), or null. */
export function errorPart(err) {
  return errorDetail(err).part;
}

/**
 * The sentence for an error of a letter command: `error.<code>` with what the
 * message names filled in (the unknown field, the line, the member and the
 * character). Validation errors list their fields with `fieldLabels`.
 */
export function letterErrorText(err, fieldLabels = {}) {
  if (!err) return '';
  const d = errorDetail(err);
  const partName = d.part ? t(`letters.part.${d.part}`) : null;
  switch (err.code) {
    case 'unknown_field':
      return t('error.unknown_field', { field: d.field ? `{{ ${d.field} }}` : '?' });
    case 'template_syntax': {
      const where = d.line
        ? t(partName ? 'letters.syntaxLinePart' : 'letters.syntaxLine', { line: d.line, part: partName })
        : null;
      return where ? `${t('error.template_syntax')} ${where}` : t('error.template_syntax');
    }
    case 'address_too_long':
      return d.who ? `${t('error.address_too_long')} ${t('letters.errorWho', { who: d.who })}` : t('error.address_too_long');
    case 'unprintable': {
      const parts = [t('error.unprintable')];
      if (d.character) parts.push(t('letters.errorCharacter', { character: d.character }));
      if (d.who) parts.push(t('letters.errorWho', { who: d.who }));
      return parts.join(' ');
    }
    case 'validation':
      if (Array.isArray(err.fields) && err.fields.length) {
        return err.fields.map((f) => {
          const label = fieldLabels[f.field] ? t(fieldLabels[f.field]) : f.field;
          return `${label}: ${fieldErrorText(f.code)}`;
        }).join(' ');
      }
      return errorText(err);
    default:
      return errorText(err);
  }
}
