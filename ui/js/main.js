// Entry point: reads app_info, picks the language, and renders the fatal screen,
// the "in use elsewhere" screen, the welcome screen or the shell (sidebar +
// areas). Also owns global shortcuts and the news of background backups.
import { api, channel, normaliseError } from './api.js';
import { h, replace } from './dom.js';
import {
  t, tp, setLanguage, systemLanguage, formatAge, formatDateTime, preloadCatalogs,
} from './i18n.js';
import { store, loadRefs, errorText, toast } from './state.js';
import * as members from './members.js';
import {
  renderMeetings, detachMeetings, resetMeetings, openNew as newMeeting, cancelForm as cancelMeetingForm,
} from './meetings.js';
import {
  renderGrants, detachGrants, resetGrants, openNew as newInGrants, cancelForm as cancelGrantsForm,
} from './grants.js';
import { renderDues, detachDues, resetDues } from './dues.js';
import { renderSettings } from './settings.js';
import { forgetButton } from './registerplace.js';
import { renderWelcome } from './welcome.js';
import {
  renderBackup, backupChanged, registerReplaced, isStale,
} from './backup.js';
import { confirmDialog } from './dialog.js';
import {
  renderLetters, detachLetters, resetLetters, saveShortcut,
} from './letters.js';
import { progressView } from './progress.js';
import { installDatePicker } from './datepicker.js';

const AREAS = ['members', 'meetings', 'grants', 'dues', 'letters', 'backup', 'settings'];
const root = document.getElementById('app');

let shell = null; // {work, navButtons, title, backup, activity, banner}
let watching = false; // backup_watch has been called
// A background backup now running ({reason, progress}) and the last failure.
const auto = { running: null, failure: null };

/** A named moment of the start-up, for the window benchmark (`cargo xtask bench`). */
function mark(name) {
  if (performance.mark) performance.mark(`medlem:${name}`);
}

async function boot() {
  mark('boot');
  // What the first screen needs is asked at once, side by side, rather than
  // one after the other: the catalogs (English and the system's language),
  // the branches and workplaces, and the first page of members.
  preloadCatalogs(['en', systemLanguage()]);
  const refs = loadRefs();
  refs.catch(() => { /* render() asks again and shows why */ });
  members.prefetch();
  try {
    store.info = await api.appInfo();
    mark('info');
  } catch (err) {
    await setLanguage(systemLanguage());
    renderFatal(err.code, null);
    return;
  }
  await setLanguage(store.info.language || systemLanguage());
  mark('language');
  await render(refs);
}

/** Draws the window for the register; `refs`: the branches and workplaces, already asked for. */
async function render(refs = null) {
  const info = store.info;
  shell = null;
  members.detach();
  if (!info.org || info.startupError) members.dropPrefetch();
  detachLetters();
  detachMeetings();
  detachGrants();
  detachDues();
  if (info.startupError && info.startupError.code === 'in_use') {
    renderInUse(info.startupError.lock, info.dbPath);
    return;
  }
  if (info.startupError && info.startupError.code === 'server_login' && info.server) {
    renderLogin(info.server);
    return;
  }
  if (info.startupError && info.startupError.fingerprint && info.server) {
    renderTrust(info.startupError, info.server);
    return;
  }
  if (info.startupError) {
    renderFatal(info.startupError.code, info.dbPath);
    return;
  }
  watchBackups();
  if (!info.org) {
    document.title = t('app.name');
    renderWelcome(root, { onDone: afterOrgCreated, onRestored: afterWelcomeRestore });
    return;
  }
  try {
    await (refs ? refs.catch(() => loadRefs()) : loadRefs());
    mark('refs');
  } catch (err) {
    if (err.code === 'no_organisation') { store.info.org = null; await render(); return; }
    // The lists stay empty; the areas still work and show their own errors.
  }
  renderShell();
  mark('shell');
}

async function afterOrgCreated() {
  try {
    store.info = await api.appInfo();
  } catch (err) {
    renderFatal(err.code, store.info ? store.info.dbPath : null);
    return;
  }
  store.area = 'members';
  await render();
}

/** A new computer took over a register from a backup: show it. */
async function afterWelcomeRestore(report) {
  store.area = 'members';
  await reloadRegister();
  if (report && store.info && store.info.org) toast(tp('restore.doneToast', report.info.members));
}

/**
 * The register was replaced (restore, undo, safety copy): read everything
 * again and draw the window anew, in the same area.
 */
async function reloadRegister() {
  members.resetState();
  resetLetters();
  resetMeetings();
  resetGrants();
  resetDues();
  registerReplaced();
  try {
    store.info = await api.appInfo();
  } catch (err) {
    renderFatal(err.code, store.info ? store.info.dbPath : null);
    return;
  }
  // The register carries its own language choice.
  await setLanguage(store.info.language || systemLanguage());
  mark('language');
  await render();
}

/** A catalog sentence as nodes, each {placeholder} filled in bold. */
function strong(key, vars) {
  return t(key).split(/(\{\w+\})/).map((part) => {
    const m = /^\{(\w+)\}$/.exec(part);
    return m && vars[m[1]] !== undefined ? h('strong', null, String(vars[m[1]])) : part;
  });
}

/** A fingerprint that wraps only between its pairs. */
function fingerprintCode(fingerprint) {
  const pairs = fingerprint.split(':');
  const nodes = pairs.flatMap((pair, i) => (i < pairs.length - 1 ? [`${pair}:`, h('wbr')] : [pair]));
  return h('code', { class: 'fingerprint selectable', 'data-testid': 'trust-fingerprint' }, ...nodes);
}

/**
 * The buttons of a screen shown instead of the register at the start:
 * `act()` (trust, log in, open anyway) and then the register read again and
 * drawn, or its refusal in `line` (then `onError()`); `quit` closes Medlem.
 */
function startupActions({ go, quit, line, act, onError = () => {} }) {
  const busy = (on) => { go.disabled = on; quit.disabled = on; };
  const run = async () => {
    line.textContent = '';
    busy(true);
    try {
      await act();
      store.info = await api.appInfo();
    } catch (err) {
      busy(false);
      line.textContent = errorText(err);
      onError();
      return;
    }
    await setLanguage(store.info.language || systemLanguage());
    await render();
  };
  quit.addEventListener('click', async () => {
    line.textContent = '';
    busy(true);
    try { await api.appClose(); } catch (err) { busy(false); line.textContent = errorText(err); }
  });
  return run;
}

/**
 * The office server showed a certificate this computer does not know (its
 * first connection here) or another than before: show its fingerprint and
 * let the officer trust it, or quit.
 */
function renderTrust(startup, place) {
  shell = null;
  document.title = t('app.name');
  const changed = startup.code === 'tls_changed';
  const go = h('button', { type: 'button', class: changed ? 'btn danger' : 'btn primary', 'data-testid': 'trust-go' },
    t(changed ? 'trust.trustNew' : 'trust.trust'));
  const quit = h('button', { type: 'button', class: 'btn', 'data-testid': 'trust-quit' }, t('inUse.quit'));
  const line = h('p', { class: 'form-error', 'data-testid': 'trust-error', role: 'alert' });
  go.addEventListener('click', startupActions({ go, quit, line, act: () => api.serverTrust(startup.fingerprint) }));
  replace(root, h('main', { class: 'fatal', 'data-testid': 'trust' },
    h('div', { class: changed ? 'fatal-card' : 'fatal-card trust-card', role: 'dialog', 'aria-labelledby': 'trust-title' },
      h('h1', { id: 'trust-title' }, t(changed ? 'trust.titleChanged' : 'trust.titleNew')),
      h('p', { class: 'fatal-message', 'data-testid': 'trust-text' },
        strong(changed ? 'trust.textChanged' : 'trust.textNew', { place })),
      h('p', { class: 'trust-label' }, t('trust.fingerprint')),
      fingerprintCode(startup.fingerprint),
      line,
      h('div', { class: 'actions' }, go, quit))));
  // The safe choice has the focus.
  (changed ? quit : go).focus();
}

/** The office server wants a password that Medlem was not given: ask for it. */
function renderLogin(place) {
  shell = null;
  document.title = t('app.name');
  const password = h('input', {
    type: 'password', id: 'login-password', 'data-testid': 'login-password', autocomplete: 'current-password',
  });
  const go = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'login-connect' }, t('login.connect'));
  const quit = h('button', { type: 'button', class: 'btn', 'data-testid': 'login-quit' }, t('inUse.quit'));
  const line = h('p', { class: 'form-error', 'data-testid': 'login-error', role: 'alert' });
  const login = startupActions({
    go,
    quit,
    line,
    act: () => api.serverLogin(password.value),
    onError: () => { password.select(); password.focus(); },
  });
  const form = h('form', { class: 'login-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: password.id }, t('login.password')), password),
    line,
    h('div', { class: 'actions' }, go, quit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    login();
  });
  replace(root, h('main', { class: 'fatal', 'data-testid': 'login' },
    h('div', { class: 'fatal-card', role: 'dialog', 'aria-labelledby': 'login-title' },
      h('h1', { id: 'login-title' }, t('login.title')),
      h('p', { class: 'fatal-message' }, strong('login.text', { place })),
      form)));
  password.focus();
}

/** The register is marked as in use on another computer: ask before opening it. */
function renderInUse(lock, dbPath) {
  shell = null;
  document.title = t('app.name');
  const computer = lock && lock.computer ? lock.computer : t('inUse.unknownComputer');
  const since = lock && lock.since ? formatDateTime(lock.since) : '';
  const open = h('button', { type: 'button', class: 'btn', 'data-testid': 'in-use-open' }, t('inUse.open'));
  const quit = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'in-use-quit' }, t('inUse.quit'));
  const line = h('p', { class: 'form-error', 'data-testid': 'in-use-error', role: 'alert' });
  open.addEventListener('click', startupActions({ go: open, quit, line, act: () => api.lockOpenAnyway() }));
  replace(root, h('main', { class: 'fatal in-use', 'data-testid': 'in-use' },
    h('div', { class: 'fatal-card warn-card', role: 'alertdialog', 'aria-labelledby': 'in-use-title', 'aria-describedby': 'in-use-text' },
      h('h1', { id: 'in-use-title' }, t('inUse.title')),
      h('p', { class: 'fatal-message', id: 'in-use-text', 'data-testid': 'in-use-text' },
        strong(since ? 'inUse.text' : 'inUse.textNoTime', { computer, since })),
      h('p', null, t('inUse.risk')),
      h('p', null, t('inUse.advice', { computer })),
      dbPath ? h('p', { class: 'fatal-path' }, t('fatal.dbPath'), ' ', h('code', { class: 'selectable' }, dbPath)) : null,
      line,
      h('div', { class: 'actions' }, quit, open))));
  quit.focus();
}

function renderFatal(code, dbPath) {
  shell = null;
  document.title = t('app.name');
  replace(root, h('main', { class: 'fatal', 'data-testid': 'fatal-error', role: 'alert' },
    h('div', { class: 'fatal-card' },
      h('h1', null, t('fatal.title')),
      h('p', { class: 'fatal-message' }, errorText({ code, details: { part: dbPath } })),
      dbPath ? h('p', { class: 'fatal-path', 'data-testid': 'fatal-path' },
        t(store.info && store.info.server ? 'fatal.serverPlace' : 'fatal.dbPath'), ' ',
        h('code', { class: 'selectable' }, dbPath)) : null,
      backToTheFile())));
}

/**
 * A register on the office server chosen for the starts without --db that
 * did not open: the way back to the file on this computer from the next
 * start (nothing otherwise).
 */
function backToTheFile() {
  const info = store.info;
  if (!info || !info.server || !info.remembered) return null;
  const said = h('p', { 'data-testid': 'fatal-forget-said', role: 'status' });
  const back = forgetButton('fatal-forget', said, () => { said.textContent = t('place.forgottenRestart'); });
  return h('div', null, h('div', { class: 'actions' }, back), said);
}

function backupStale() {
  return isStale(store.info.lastBackupAt);
}

/** The sidebar's line: the last good backup's age, with a warning when it is old or missing. */
function fillBackupAge(el) {
  const at = store.info.lastBackupAt;
  const stale = backupStale();
  replace(el,
    at ? t('backup.age', { age: formatAge(at) }) : t('backup.none'),
    stale ? h('span', { class: 'backup-age-hint' }, t(at ? 'backup.sidebarStale' : 'backup.sidebarNone')) : null);
  el.classList.toggle('stale', stale);
  if (at) el.title = formatDateTime(at); else el.removeAttribute('title');
}

/** Reads the last good backup's time again and shows it (after a backup or restore). */
async function refreshBackupAge(fallback) {
  try {
    const info = await api.appInfo();
    store.info.lastBackupAt = info.lastBackupAt;
  } catch (_) {
    if (fallback) store.info.lastBackupAt = fallback;
  }
  if (shell) fillBackupAge(shell.backup);
}

/** The window's title: the organisation, and where its register is when that is the office server. */
function windowTitle(org) {
  const server = store.info.server ? ` (${t('server.title')})` : '';
  return `${org.name}${server} – ${t('app.name')}`;
}

function renderShell() {
  const org = store.info.org;
  document.title = windowTitle(org);
  const title = h('p', { class: 'org-title', 'data-testid': 'org-title' }, org.name);
  const where = store.info.server
    ? h('p', { class: 'register-place', 'data-testid': 'register-place' }, t('server.sidebar', { place: store.info.server }))
    : null;
  const backup = h('p', { class: 'backup-age', 'data-testid': 'backup-age' });
  fillBackupAge(backup);
  const activity = h('div', { class: 'backup-activity', 'data-testid': 'backup-activity', 'aria-live': 'polite' });
  const banner = h('div', { class: 'banner-region' });
  const navButtons = {};
  const nav = h('nav', { class: 'nav', 'aria-label': t('nav.label') },
    h('ul', null, AREAS.map((a) => {
      const b = h('button', {
        type: 'button', class: 'nav-item', 'data-testid': `nav-${a}`,
        'aria-current': store.area === a ? 'page' : null,
      }, t(`nav.${a}`));
      b.addEventListener('click', () => goto(a));
      navButtons[a] = b;
      return h('li', null, b);
    })));
  const work = h('main', { class: 'work', id: 'work' });
  const sidebar = h('aside', { class: 'sidebar', 'data-testid': 'sidebar' },
    h('div', { class: 'sidebar-head' }, h('p', { class: 'app-name' }, t('app.name')), title, where, backup, activity),
    nav,
    h('p', { class: 'sidebar-foot' }, store.info.version ? t('app.version', { version: store.info.version }) : ''));
  replace(root, h('div', { class: 'shell' }, sidebar, h('div', { class: 'main-column' }, banner, work)));
  shell = {
    work, navButtons, title, backup, activity, banner,
  };
  showActivity();
  showBanner();
  renderArea();
}

function renderArea(opts = {}) {
  if (!shell) return;
  members.detach();
  detachLetters();
  detachMeetings();
  detachGrants();
  detachDues();
  const area = store.area;
  for (const [a, b] of Object.entries(shell.navButtons)) {
    if (a === area) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
  }
  shell.work.className = `work area-${area}`;
  showBanner();
  if (area === 'members') {
    members.renderMembers(shell.work);
  } else if (area === 'meetings') {
    renderMeetings(shell.work);
  } else if (area === 'grants') {
    renderGrants(shell.work);
  } else if (area === 'dues') {
    renderDues(shell.work);
  } else if (area === 'settings') {
    renderSettings(shell.work, {
      onLanguage: changeLanguage,
      onOrg: (org) => {
        store.info.org = org;
        shell.title.textContent = org.name;
        document.title = windowTitle(org);
      },
      rerenderArea: (o) => renderArea(o),
    });
  } else if (area === 'letters') {
    renderLetters(shell.work);
  } else if (area === 'backup') {
    renderBackup(shell.work, {
      onBackupDone: (report) => refreshBackupAge(report && report.info ? report.info.createdAt : null),
      onRegisterReplaced: () => reloadRegister(),
    });
  }
  if (opts.focus) {
    const el = shell.work.querySelector(`[data-testid="${opts.focus}"]`);
    if (el) el.focus();
  }
}

function goto(area) {
  if (!AREAS.includes(area)) return;
  if (store.area === area && shell && shell.work.firstChild) return;
  store.area = area;
  renderArea();
}

async function changeLanguage(lang) {
  await api.setLanguage(lang);
  store.info.language = lang;
  await setLanguage(lang || systemLanguage());
  renderShell();
  const sel = document.querySelector('[data-testid="settings-language"]');
  if (sel) sel.focus();
}

// An area asks to show another (the member list's "Print letters…").
document.addEventListener('medlem:goto', (e) => goto(e.detail && e.detail.area));

document.addEventListener('keydown', (e) => {
  if (!shell) return;
  if (document.querySelector('dialog[open]')) return;
  const mod = (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey;
  const key = (e.key || '').toLowerCase();
  if (mod && key === 'f') {
    e.preventDefault();
    if (store.area !== 'members') goto('members');
    members.focusSearch();
  } else if (mod && key === 's' && store.area === 'letters') {
    e.preventDefault();
    saveShortcut();
  } else if (mod && key === 'n') {
    e.preventDefault();
    // New meeting in the Meetings area, a new application (or fund) in
    // the Grants area, else a new member.
    if (store.area === 'meetings') {
      newMeeting();
      return;
    }
    if (store.area === 'grants') {
      newInGrants();
      return;
    }
    if (store.area !== 'members') goto('members');
    members.openNew();
  } else if (e.key === 'Escape' && !e.defaultPrevented) {
    if (store.area === 'members' && members.cancelForm()) e.preventDefault();
    if (store.area === 'meetings' && cancelMeetingForm()) e.preventDefault();
    if (store.area === 'grants' && cancelGrantsForm()) e.preventDefault();
  }
});

// Keep the backup age current while the window stays open.
setInterval(() => {
  if (shell && store.info) fillBackupAge(shell.backup);
}, 60 * 1000);

// ---- background backups (on a schedule, on closing) ------------------------

let activityProgress = null;

function watchBackups() {
  if (watching) return;
  const ch = channel(onBackupEvent);
  if (!ch) return;
  watching = true;
  api.backupWatch(ch).catch(() => { watching = false; });
}

function onBackupEvent(ev) {
  if (!ev || typeof ev.kind !== 'string') return;
  if (ev.kind === 'started') {
    auto.running = { reason: ev.reason, progress: null };
    showActivity();
  } else if (ev.kind === 'progress') {
    if (!auto.running) auto.running = { reason: 'schedule', progress: null };
    auto.running.progress = { step: ev.step, fraction: ev.fraction };
    if (activityProgress) activityProgress.set(auto.running.progress);
    else showActivity();
  } else if (ev.kind === 'done') {
    auto.running = null;
    auto.failure = null;
    showActivity();
    showBanner();
    const at = ev.report && ev.report.info ? ev.report.info.createdAt : null;
    refreshBackupAge(at);
    backupChanged();
    if (ev.reason === 'schedule') toast(t('auto.done'));
  } else if (ev.kind === 'failed') {
    auto.running = null;
    auto.failure = { reason: ev.reason, error: normaliseError(ev.error) };
    showActivity();
    showBanner();
    if (ev.reason === 'close') closeFailed(auto.failure.error);
  }
}

/** The sidebar's small line while a background backup runs. */
function showActivity() {
  activityProgress = null;
  if (!shell) return;
  const run = auto.running;
  if (!run) { replace(shell.activity); return; }
  activityProgress = progressView('backup-activity-progress',
    t(run.reason === 'close' ? 'auto.runningClose' : 'auto.running'));
  activityProgress.set(run.progress);
  replace(shell.activity, activityProgress.el);
}

/** Set when the treasurer closed the warning about where the register lies. */
let placeSeen = false;

/**
 * The warning above the work area while the register lies on a network
 * drive or in a synced folder (OneDrive, Dropbox…), where SQLite is unsafe.
 */
function placeBanner() {
  const place = store.info && store.info.place;
  if (!place || placeSeen) return null;
  const synced = place.kind === 'synced';
  const vars = { service: place.service || '', path: store.info.dbPath };
  const dismiss = h('button', { type: 'button', class: 'btn small', 'data-testid': 'place-banner-close' }, t('action.close'));
  dismiss.addEventListener('click', () => { placeSeen = true; showBanner(); });
  return h('div', { class: 'banner alert', 'data-testid': 'place-banner', role: 'alert' },
    h('div', { class: 'banner-text' },
      h('p', { class: 'result-title' }, t(synced ? 'place.syncedTitle' : 'place.networkTitle', vars)),
      h('p', null, t(synced ? 'place.syncedText' : 'place.networkText', vars))),
    h('div', { class: 'actions' }, dismiss));
}

/** Set while the connection to the office server is lost: the banner offers to reconnect. */
let lost = null; // {error: the reconnect's refusal, or null}

document.addEventListener('medlem:server-lost', () => {
  if (lost) return;
  lost = { error: null };
  showBanner();
});

/** The connection to the office server went: nothing unfinished was kept; Reconnect. */
function lostBanner() {
  if (!lost) return null;
  const again = h('button', { type: 'button', class: 'btn small primary', 'data-testid': 'lost-reconnect' }, t('server.reconnect'));
  again.addEventListener('click', async () => {
    again.disabled = true;
    try {
      await api.serverReconnect();
    } catch (err) {
      lost = { error: err.code === 'server_lost' ? null : err };
      showBanner();
      return;
    }
    lost = null;
    toast(t('server.reconnected'));
    // What the window shows is read again from the server.
    await reloadRegister();
  });
  return h('div', { class: 'banner alert loud', 'data-testid': 'lost-banner', role: 'alert' },
    h('div', { class: 'banner-text' },
      h('p', { class: 'result-title' }, t('server.lostTitle')),
      h('p', { 'data-testid': 'lost-text' }, lost.error ? errorText(lost.error) : t('server.lostText'))),
    h('div', { class: 'actions' }, again));
}

/**
 * The banners above the work area: a lost connection to the office server,
 * where the register lies, and the loud one after a background backup
 * failed.
 */
function showBanner() {
  if (!shell) return;
  const f = auto.failure;
  const place = placeBanner();
  const gone = lostBanner();
  if (!f) { replace(shell.banner, gone, place); return; }
  const dismiss = h('button', { type: 'button', class: 'btn small', 'data-testid': 'backup-banner-close' }, t('action.close'));
  dismiss.addEventListener('click', () => { auto.failure = null; showBanner(); });
  const open = h('button', { type: 'button', class: 'btn small', 'data-testid': 'backup-banner-open' }, t('auto.openBackup'));
  open.addEventListener('click', () => goto('backup'));
  replace(shell.banner, gone, place, h('div', { class: 'banner alert loud', 'data-testid': 'backup-banner', role: 'alert' },
    h('div', { class: 'banner-text' },
      h('p', { class: 'result-title' }, t(f.reason === 'close' ? 'auto.failedClose' : 'auto.failed')),
      h('p', null, errorText(f.error))),
    h('div', { class: 'actions' }, store.area === 'backup' ? null : open, dismiss)));
}

/** The backup on closing failed: close anyway, or stay and see to it. */
async function closeFailed(error) {
  const close = await confirmDialog({
    testid: 'close-failed',
    title: t('auto.closeTitle'),
    body: [h('p', { class: 'alert' }, t('auto.closeText', { error: errorText(error) })), t('auto.closeHint')],
    confirmLabel: t('auto.closeAnyway'),
    cancelLabel: t('auto.stayOpen'),
    danger: true,
  });
  if (!close) return;
  try {
    await api.appClose();
  } catch (err) {
    toast(errorText(err));
  }
}

installDatePicker();
boot().catch((err) => {
  console.error('[medlem] start-up failed', err);
  renderFatal(err && err.code ? err.code : 'internal', store.info ? store.info.dbPath : null);
});
