// Names of the Grants area: amounts in the language's own writing, the
// stages, kinds of applicant and activity, and the sentences for the grant
// field errors. The rules (which steps a stage allows, whether an
// application may change, how a typed amount reads) come from core: the
// application's view carries `nextSteps` and `editable`, `amounts_parse`
// reads amounts.
import { t, has, language } from './i18n.js';
import { fieldErrorText } from './state.js';

export const STAGES = [
  'draft', 'submitted', 'in_review', 'approved', 'rejected', 'paid', 'report_received', 'closed', 'withdrawn',
];

export const APPLICANT_KINDS = ['member', 'branch', 'workplace'];
export const ACTIVITIES = ['talk', 'workshop', 'network_meeting', 'workplace_visit', 'course', 'other'];
export const OUTGOING_STATUSES = ['planned', 'submitted', 'approved', 'rejected', 'received'];

const SEPARATORS = {
  sv: ['\u00a0', ',', 'kr'], nb: ['\u00a0', ',', 'kr'], da: ['.', ',', 'kr.'], en: [',', '.', 'kr'],
};

/**
 * Minor units as the language writes kronor: "8 000 kr", "8 000,50 kr"
 * (sv, nb), "8.000,50 kr." (da), "8,000.50 kr" (en). The same as the letters.
 */
export function formatAmount(minor, lang = language()) {
  if (minor === null || minor === undefined || Number.isNaN(Number(minor))) return '–';
  const [group, decimal, unit] = SEPARATORS[lang] || SEPARATORS.en;
  const n = Math.round(Number(minor));
  const abs = Math.abs(n);
  const kr = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const ore = abs % 100;
  return `${n < 0 ? '-' : ''}${kr}${ore ? `${decimal}${String(ore).padStart(2, '0')}` : ''}\u00a0${unit}`;
}

/** Minor units as an input's text the core reads back: "10000", "8000,50". */
export function amountText(minor) {
  if (minor === null || minor === undefined) return '';
  const abs = Math.abs(Number(minor));
  const ore = abs % 100;
  return `${Number(minor) < 0 ? '-' : ''}${Math.floor(abs / 100)}${ore ? `,${String(ore).padStart(2, '0')}` : ''}`;
}

export function stageName(stage) {
  return has(`grants.stage.${stage}`) ? t(`grants.stage.${stage}`) : String(stage);
}

export function activityName(activity) {
  return has(`grants.activity.${activity}`) ? t(`grants.activity.${activity}`) : String(activity || '');
}

/** Who applies: the member, or the branch / workplace with its contact. */
export function applicantText(a) {
  const member = a.memberName ? `${a.memberName}${a.memberNumber ? ` (${a.memberNumber})` : ''}` : '';
  if (a.applicantKind === 'branch' && a.branchName) return t('grants.byBranch', { name: a.branchName, contact: member });
  if (a.applicantKind === 'workplace' && a.workplaceName) return t('grants.byWorkplace', { name: a.workplaceName, contact: member });
  return member;
}

/** The sentence for a grant form's field error: the grant's own where it has one. */
export function grantFieldText(f) {
  if (f.field === 'amount' && f.code === 'mismatch') return t('grants.error.mismatch');
  return fieldErrorText(f.code);
}

/** Days from today (local) to an ISO date; negative when past. */
export function daysUntil(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  if (!m) return null;
  const now = new Date();
  const today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  return Math.round((Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - today) / 86400000);
}
