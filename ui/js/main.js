// Entry point: reads app_info, picks the language, and renders the fatal screen,
// the welcome screen or the shell (sidebar + areas). Also owns global shortcuts.
import { api } from './api.js';
import { h, replace } from './dom.js';
import { t, setLanguage, systemLanguage, formatAge, formatDateTime } from './i18n.js';
import { store, loadRefs, errorText } from './state.js';
import * as members from './members.js';
import { renderSettings } from './settings.js';
import { renderWelcome } from './welcome.js';

const AREAS = ['members', 'meetings', 'grants', 'letters', 'backup', 'settings'];
const root = document.getElementById('app');

let shell = null; // {work, navButtons, title, backup}

async function boot() {
  try {
    store.info = await api.appInfo();
  } catch (err) {
    await setLanguage(systemLanguage());
    renderFatal(err.code, null);
    return;
  }
  await setLanguage(store.info.language || systemLanguage());
  await render();
}

async function render() {
  const info = store.info;
  shell = null;
  members.detach();
  if (info.startupError) {
    renderFatal(info.startupError.code, info.dbPath);
    return;
  }
  if (!info.org) {
    document.title = t('app.name');
    renderWelcome(root, { onDone: afterOrgCreated });
    return;
  }
  try {
    await loadRefs();
  } catch (err) {
    if (err.code === 'no_organisation') { store.info.org = null; await render(); return; }
    // The lists stay empty; the areas still work and show their own errors.
  }
  renderShell();
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

function renderFatal(code, dbPath) {
  shell = null;
  document.title = t('app.name');
  replace(root, h('main', { class: 'fatal', 'data-testid': 'fatal-error', role: 'alert' },
    h('div', { class: 'fatal-card' },
      h('h1', null, t('fatal.title')),
      h('p', { class: 'fatal-message' }, errorText({ code })),
      dbPath ? h('p', { class: 'fatal-path' }, t('fatal.dbPath'), ' ', h('code', { class: 'selectable' }, dbPath)) : null)));
}

function backupText() {
  const at = store.info.lastBackupAt;
  return at ? t('backup.age', { age: formatAge(at) }) : t('backup.none');
}

function backupStale() {
  const at = store.info.lastBackupAt;
  if (!at) return true;
  const d = new Date(at);
  return Number.isNaN(d.getTime()) || (Date.now() - d.getTime()) > 7 * 86400 * 1000;
}

function renderShell() {
  const org = store.info.org;
  document.title = `${org.name} – ${t('app.name')}`;
  const title = h('p', { class: 'org-title', 'data-testid': 'org-title' }, org.name);
  const backup = h('p', {
    class: ['backup-age', backupStale() ? 'stale' : ''], 'data-testid': 'backup-age',
    title: store.info.lastBackupAt ? formatDateTime(store.info.lastBackupAt) : null,
  }, backupText());
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
    h('div', { class: 'sidebar-head' }, h('p', { class: 'app-name' }, t('app.name')), title, backup),
    nav,
    h('p', { class: 'sidebar-foot' }, store.info.version ? t('app.version', { version: store.info.version }) : ''));
  replace(root, h('div', { class: 'shell' }, sidebar, work));
  shell = { work, navButtons, title, backup };
  renderArea();
}

function renderArea(opts = {}) {
  if (!shell) return;
  members.detach();
  const area = store.area;
  for (const [a, b] of Object.entries(shell.navButtons)) {
    if (a === area) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
  }
  shell.work.className = `work area-${area}`;
  if (area === 'members') {
    members.renderMembers(shell.work);
  } else if (area === 'settings') {
    renderSettings(shell.work, {
      onLanguage: changeLanguage,
      onOrg: (org) => {
        store.info.org = org;
        shell.title.textContent = org.name;
        document.title = `${org.name} – ${t('app.name')}`;
      },
      rerenderArea: (o) => renderArea(o),
    });
  } else {
    replace(shell.work, h('div', { class: 'placeholder-wrap' },
      h('section', { class: 'placeholder', 'data-testid': 'area-placeholder' },
        h('h1', null, t(`nav.${area}`)),
        h('p', null, t(`placeholder.${area}`)))));
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

document.addEventListener('keydown', (e) => {
  if (!shell) return;
  if (document.querySelector('dialog[open]')) return;
  const mod = (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey;
  const key = (e.key || '').toLowerCase();
  if (mod && key === 'f') {
    e.preventDefault();
    if (store.area !== 'members') goto('members');
    members.focusSearch();
  } else if (mod && key === 'n') {
    e.preventDefault();
    if (store.area !== 'members') goto('members');
    members.openNew();
  } else if (e.key === 'Escape' && !e.defaultPrevented) {
    if (store.area === 'members' && members.cancelForm()) e.preventDefault();
  }
});

// Keep the backup age current while the window stays open.
setInterval(() => {
  if (shell && store.info) {
    shell.backup.textContent = backupText();
    shell.backup.classList.toggle('stale', backupStale());
  }
}, 60 * 1000);

boot().catch((err) => {
  console.error('[medlem] start-up failed', err);
  renderFatal(err && err.code ? err.code : 'internal', store.info ? store.info.dbPath : null);
});
