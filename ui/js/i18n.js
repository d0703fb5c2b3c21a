// String catalogs (ui/i18n/*.json), language choice and locale-aware formatting.

export const LANGUAGES = ['sv', 'da', 'nb', 'en'];

/** Each language's own name, for the language pickers (not translated on purpose). */
export const NATIVE_NAMES = { sv: 'Svenska', da: 'Dansk', nb: 'Norsk bokmål', en: 'English' };

const LOCALES = { sv: 'sv-SE', da: 'da-DK', nb: 'nb-NO', en: 'en-GB' };

let current = 'en';
let strings = {};
let fallback = {};
const cache = new Map();

/** A catalog, read once: the promise is kept, so asking twice reads once. */
function fetchCatalog(lang) {
  if (!cache.has(lang)) {
    const read = fetch(`i18n/${lang}.json`).then((res) => {
      if (!res.ok) throw new Error(`i18n/${lang}.json: HTTP ${res.status}`);
      return res.json();
    });
    read.catch(() => cache.delete(lang));
    cache.set(lang, read);
  }
  return cache.get(lang);
}

/** Starts reading catalogs that will be needed (the start-up asks before it knows the language). */
export function preloadCatalogs(langs) {
  for (const l of langs) {
    if (LANGUAGES.includes(l)) fetchCatalog(l).catch(() => {});
  }
}

/** Map a BCP 47 tag to one of our languages, or null. */
export function matchLanguage(tag) {
  if (!tag) return null;
  const primary = String(tag).toLowerCase().split(/[-_]/)[0];
  if (primary === 'sv') return 'sv';
  if (primary === 'da') return 'da';
  if (primary === 'nb' || primary === 'no' || primary === 'nn') return 'nb';
  if (primary === 'en') return 'en';
  return null;
}

/** The operating system's language, as the webview reports it. */
export function systemLanguage() {
  const tags = (navigator.languages && navigator.languages.length)
    ? navigator.languages : [navigator.language];
  for (const tag of tags) {
    const l = matchLanguage(tag);
    if (l) return l;
  }
  return 'en';
}

/** Load a catalog and make it current; falls back to English if it cannot be read. */
export async function setLanguage(lang) {
  const l = LANGUAGES.includes(lang) ? lang : 'en';
  // Both at once: English is the fallback for a key a catalog lacks.
  const [en, mine] = await Promise.allSettled([fetchCatalog('en'), fetchCatalog(l)]);
  if (en.status === 'fulfilled') {
    fallback = en.value;
  } else {
    console.error('[medlem] cannot load the English catalog', en.reason);
    fallback = {};
  }
  if (mine.status === 'fulfilled') {
    strings = mine.value;
    current = l;
  } else {
    console.error(`[medlem] cannot load the ${l} catalog`, mine.reason);
    strings = fallback;
    current = 'en';
  }
  document.documentElement.lang = current;
  return current;
}

export function language() { return current; }
export function locale() { return LOCALES[current] || 'en-GB'; }

export function has(key) {
  return Object.prototype.hasOwnProperty.call(strings, key)
    || Object.prototype.hasOwnProperty.call(fallback, key);
}

function lookup(key) {
  if (Object.prototype.hasOwnProperty.call(strings, key)) return strings[key];
  if (Object.prototype.hasOwnProperty.call(fallback, key)) return fallback[key];
  return null;
}

function fill(s, vars) {
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, name) => (
    Object.prototype.hasOwnProperty.call(vars, name) && vars[name] !== null && vars[name] !== undefined
      ? String(vars[name]) : m));
}

/** Translate key, filling {placeholders} from vars. A missing key shows the key itself. */
export function t(key, vars) {
  const s = lookup(key);
  if (s === null) {
    console.warn(`[medlem] missing string: ${key}`);
    return key;
  }
  return fill(s, vars);
}

/** Translate key if the catalog has it, otherwise return fallbackText. */
export function tOr(key, fallbackText, vars) {
  const s = lookup(key);
  return s === null ? fallbackText : fill(s, vars);
}

/** Plural: uses key.one / key.other etc. per Intl.PluralRules; {count} is filled, formatted. */
export function tp(key, count, vars) {
  let rule = 'other';
  try { rule = new Intl.PluralRules(locale()).select(count); } catch (_) { /* keep other */ }
  const k = lookup(`${key}.${rule}`) !== null ? `${key}.${rule}` : `${key}.other`;
  return t(k, { ...(vars || {}), count: formatNumber(count) });
}

export function formatNumber(n) {
  try { return new Intl.NumberFormat(locale()).format(n); } catch (_) { return String(n); }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s) {
  if (typeof s !== 'string') return false;
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** 'YYYY-MM-DD' -> localised date (no time-zone shift). Unparseable input is returned as is. */
export function formatDate(iso, style = 'medium') {
  if (!iso) return '';
  if (!isIsoDate(iso)) return String(iso);
  const m = ISO_DATE.exec(iso);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  try {
    return new Intl.DateTimeFormat(locale(), { dateStyle: style, timeZone: 'UTC' }).format(d);
  } catch (_) {
    return String(iso);
  }
}

/** RFC 3339 timestamp -> localised date and time in the local time zone. */
export function formatDateTime(ts) {
  if (!ts) return '';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return String(ts);
  try {
    return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
  } catch (_) {
    return String(ts);
  }
}

/** RFC 3339 timestamp -> "3 days ago" / "yesterday" in the current language. */
export function formatAge(ts, now = new Date()) {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return String(ts);
  const secs = (d.getTime() - now.getTime()) / 1000;
  const abs = Math.abs(secs);
  let value; let unit;
  if (abs < 60) { value = 0; unit = 'minute'; } else if (abs < 3600) { value = Math.round(secs / 60); unit = 'minute'; } else if (abs < 86400) { value = Math.round(secs / 3600); unit = 'hour'; } else if (abs < 86400 * 30) { value = Math.round(secs / 86400); unit = 'day'; } else if (abs < 86400 * 365) { value = Math.round(secs / (86400 * 30)); unit = 'month'; } else { value = Math.round(secs / (86400 * 365)); unit = 'year'; }
  try {
    return new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' }).format(value, unit);
  } catch (_) {
    return formatDateTime(ts);
  }
}

/** A country's name: from the catalog when we have it, else Intl.DisplayNames, else the code. */
export function countryName(code) {
  if (!code) return '';
  const fromCatalog = lookup(`country.${code}`);
  if (fromCatalog !== null) return fromCatalog;
  try {
    const dn = new Intl.DisplayNames([locale()], { type: 'region' });
    return dn.of(code) || code;
  } catch (_) {
    return code;
  }
}
