// Words and times shared by the Meetings area, its invite dialog and its
// papers: the kinds of meeting, the time zones, a meeting's wall-clock time
// (stored in its own zone and shown as such, never shifted), and the notice
// period warning of an annual general meeting.
import { h, todayIso } from './dom.js';
import { t, tOr, formatDate, formatNumber, locale } from './i18n.js';
import { store, fieldErrorText } from './state.js';

export const MEETING_KINDS = [
  'member_meeting', 'annual_general_meeting', 'workplace_meeting', 'webinar', 'social', 'course',
];
export const TIME_ZONES = ['Europe/Stockholm', 'Europe/Copenhagen', 'Europe/Oslo'];
export const REPEATS = ['week', 'month', 'quarter', 'year'];
export const PLACES = ['seated', 'waiting', 'no_reply', 'declined'];

const COUNTRY_ZONE = { SE: 'Europe/Stockholm', DK: 'Europe/Copenhagen', NO: 'Europe/Oslo' };

/** The organisation's time zone (its country's). */
export function orgZone() {
  const org = store.info && store.info.org;
  return (org && COUNTRY_ZONE[org.country]) || 'Europe/Stockholm';
}

/** "Member meeting" */
export function kindName(kind) {
  return tOr(`meetings.kind.${kind}`, String(kind || ''));
}

/** "Oslo time" (as it reads after a time: "norsk tid" in Swedish). */
export function zoneName(zone) {
  const city = String(zone || '').split('/')[1] || '';
  return tOr(`meetings.zone.${city.toLowerCase()}`, String(zone || ''));
}

/** The zone's name on its own, as a choice or a value: "Norsk tid". */
export function zoneLabel(zone) {
  const s = zoneName(zone);
  return s.charAt(0).toLocaleUpperCase() + s.slice(1);
}

const WALL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/;

/** 'YYYY-MM-DDTHH:MM[:SS]' -> {date: 'YYYY-MM-DD', time: 'HH:MM'}, or null. */
export function splitWall(s) {
  const m = WALL.exec(String(s || ''));
  return m ? { date: `${m[1]}-${m[2]}-${m[3]}`, time: `${m[4]}:${m[5]}` } : null;
}

function wallDate(s) {
  const m = WALL.exec(String(s || ''));
  if (!m) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])));
}

function format(s, opts) {
  const d = wallDate(s);
  if (!d) return String(s || '');
  try {
    return new Intl.DateTimeFormat(locale(), { ...opts, timeZone: 'UTC' }).format(d);
  } catch (_) {
    return String(s);
  }
}

/** A wall-clock time as "Tue, 16 Mar 2027, 18:00" in the user's language. */
export function formatWall(s) {
  return format(s, {
    weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
  });
}

function formatClock(s) {
  return format(s, { hour: '2-digit', minute: '2-digit' });
}

/**
 * When a meeting is, in its own time zone: "Tue, 16 Mar 2027, 18:00–20:00",
 * with the zone named when it is not the organisation's.
 */
export function meetingWhen(m) {
  const start = formatWall(m.starts);
  let text = start;
  if (m.ends) {
    const a = splitWall(m.starts);
    const b = splitWall(m.ends);
    text = a && b && a.date === b.date
      ? `${start}–${formatClock(m.ends)}`
      : `${start} – ${formatWall(m.ends)}`;
  }
  return m.timeZone && m.timeZone !== orgZone() ? `${text} (${zoneName(m.timeZone)})` : text;
}

/** Started before today (the list shows these last, as earlier meetings). */
export function isPast(starts) {
  return String(starts || '') < `${todayIso()}T00:00`;
}

/** "Dan Ek (1004)" */
export function personName(p) {
  const name = (p.name || '').trim() || t('members.noName');
  return p.number ? `${name} (${p.number})` : name;
}

/**
 * The sentences some field errors of meetings and statutes get instead of
 * their code's general one, keyed "field.code".
 */
const OWN_TEXTS = {
  'starts.invalid_date': 'meetings.error.starts',
  'ends.invalid_date': 'meetings.error.ends',
  'ends.date_order': 'meetings.error.endsBefore',
  'replyBy.date_order': 'meetings.error.replyByAfter',
  'capacity.invalid_number': 'meetings.error.capacity',
  'onlineLink.invalid_link': 'fieldError.invalid_link',
  'count.invalid_number': 'meetings.error.repeatCount',
  'cutoff.date_order': 'meetings.error.cutoffAfter',
  'workplaceId.required': 'invite.error.workplace',
  'noticeMinDays.invalid_number': 'statutes.error.days',
  'noticeMaxDays.invalid_number': 'statutes.error.days',
  'noticeMaxDays.date_order': 'statutes.error.maxBelowMin',
  'quorumCount.invalid_number': 'statutes.error.count',
  'quorumPercent.invalid_number': 'statutes.error.percent',
};

/** The sentence for a field error {field, code} of the meeting commands. */
export function meetingFieldText(f) {
  const key = OWN_TEXTS[`${f.field}.${f.code}`];
  return key ? t(key) : fieldErrorText(f.code);
}

/**
 * The statutes' notice period warning (NoticeWarning) as a box that says
 * what is wrong and which days are right. `lead` is its first sentence.
 */
export function noticeWarning(w, lead) {
  const days = {
    days: formatNumber(w.daysBefore),
    min: formatNumber(w.minDays),
    max: formatNumber(w.maxDays),
    earliest: formatDate(w.earliest),
    latest: formatDate(w.latest),
  };
  const why = w.code === 'notice_too_early' ? t('notice.tooEarly', days) : t('notice.tooLate', days);
  return h('div', { class: 'warn-box', 'data-testid': 'notice-warning', role: 'note' },
    h('p', { class: 'result-title' }, lead || t('notice.title')),
    h('p', null, why),
    h('p', null, t('notice.window', days)));
}
