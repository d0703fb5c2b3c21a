// The Settings area: language, organisation, payments, letters, statutes, branches and workplaces, where the register is.
import { api } from './api.js';
import { h, replace, options, nextId } from './dom.js';
import { t, tp, countryName, LANGUAGES, NATIVE_NAMES } from './i18n.js';
import { letterSettingsSection } from './lettersettings.js';
import { statutesSection } from './statutes.js';
import { paymentSettingsSection } from './paymentsettings.js';
import { registerPlaceSection } from './registerplace.js';
import {
  store, loadRefs, idFrom, errorText, toast, field, fieldErrorText,
} from './state.js';
import { onSubmit, showFormError } from './form.js';

/**
 * ctx.onLanguage(langOrNull): persist-and-rerender is done by main.js
 * ctx.onOrg(org): the organisation changed (title in the sidebar)
 */
export function renderSettings(container, ctx) {
  replace(container, h('div', { class: 'settings', 'data-testid': 'settings' },
    h('h1', null, t('nav.settings')),
    languageSection(ctx),
    orgSection(ctx),
    paymentSettingsSection(),
    letterSettingsSection(),
    statutesSection(),
    h('div', { class: 'settings-columns' }, branchSection(ctx), workplaceSection(ctx)),
    registerPlaceSection(),
    aboutSection()));
}

function generalErrorLine(testid) {
  return h('p', { class: 'form-error', 'data-testid': testid, role: 'alert', tabindex: '-1' });
}

function reportError(form, line, err, prefix = '') {
  showFormError(form, line, err, { prefix, unplacedText: (f) => `${f.field}: ${fieldErrorText(f.code)}` });
}

/**
 * The add form of a reference list (branches, workplaces): `create()`, then
 * the lists are read again and the area drawn anew with the focus in `focus`.
 */
function onAdd(ctx, { form, add, line, prefix, focus, toastKey, create }) {
  onSubmit(form, line, async () => {
    add.disabled = true;
    try {
      await create();
      await loadRefs();
      ctx.rerenderArea({ focus });
      toast(t(toastKey));
    } catch (err) {
      reportError(form, line, err, prefix);
      add.disabled = false;
    }
  });
}

function languageSection(ctx) {
  const sel = h('select', { id: 'settings-language', 'data-testid': 'settings-language' },
    options([['', t('settings.languageSystem')], ...LANGUAGES.map((l) => [l, NATIVE_NAMES[l]])],
      store.info.language || ''));
  const line = generalErrorLine('settings-language-error');
  sel.addEventListener('change', async () => {
    line.textContent = '';
    sel.disabled = true;
    try {
      await ctx.onLanguage(sel.value || null);
    } catch (err) {
      sel.disabled = false;
      line.textContent = errorText(err);
    }
  });
  return h('section', { class: 'card' },
    h('h2', null, t('settings.language')),
    h('div', { class: 'field' }, h('label', { for: sel.id }, t('settings.languageLabel')), sel,
      h('p', { class: 'hint' }, t('settings.languageHint'))),
    line);
}

function orgSection(ctx) {
  const org = store.info.org;
  const name = h('input', { type: 'text', id: nextId('settings-org-name'), 'data-testid': 'settings-org-name', value: org.name, autocomplete: 'organization' });
  const address = h('textarea', { id: nextId('settings-org-address'), 'data-testid': 'settings-org-address', rows: '3', value: org.postalAddress || '' });
  const number = h('input', { type: 'text', id: nextId('settings-org-number'), 'data-testid': 'settings-org-number', value: org.orgNumber || '', spellcheck: 'false' });
  const save = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'settings-org-save' }, t('action.save'));
  const line = generalErrorLine('settings-org-error');
  const form = h('form', { class: 'card', novalidate: true },
    h('h2', null, t('settings.org')),
    field({ label: t('org.name'), control: name, errorName: 'settings-org-name' }),
    field({ label: t('org.address'), control: address, errorName: 'settings-org-postalAddress' }),
    field({ label: t('org.number'), control: number, errorName: 'settings-org-orgNumber' }),
    h('dl', { class: 'compact' },
      h('dt', null, t('org.country')), h('dd', null, countryName(org.country)),
      h('dt', null, t('org.currency')), h('dd', null, org.currency)),
    line,
    h('div', { class: 'form-actions' }, save));
  onSubmit(form, line, async () => {
    save.disabled = true;
    try {
      const updated = await api.orgUpdate({
        name: name.value.trim(),
        country: org.country,
        postalAddress: address.value.trim(),
        orgNumber: number.value.trim(),
      });
      ctx.onOrg(updated);
      toast(t('toast.saved'));
    } catch (err) {
      reportError(form, line, err, 'settings-org-');
    } finally {
      save.disabled = false;
    }
  });
  return form;
}

function branchSection(ctx) {
  const name = h('input', { type: 'text', id: nextId('branch-name'), 'data-testid': 'branch-name', autocomplete: 'off' });
  const add = h('button', { type: 'submit', class: 'btn', 'data-testid': 'branch-add' }, t('settings.branchAdd'));
  const line = generalErrorLine('branch-error');
  const list = h('ul', { class: 'ref-list', 'data-testid': 'branch-list' });
  const fill = () => {
    replace(list, store.branches.length
      ? store.branches.map((b) => h('li', { class: 'ref-item', 'data-testid': 'branch-item', dataset: { id: b.id } },
        h('span', { class: 'ref-name' }, b.name),
        h('span', { class: 'ref-count' }, tp('members.count', b.memberCount || 0))))
      : h('li', { class: 'muted' }, t('settings.noBranches')));
  };
  fill();
  const form = h('form', { class: 'inline-add', novalidate: true },
    field({ label: t('settings.branchName'), control: name, errorName: 'branch-name' }),
    h('div', { class: 'inline-actions' }, add));
  onAdd(ctx, {
    form, add, line, prefix: 'branch-', focus: 'branch-name', toastKey: 'toast.branchAdded',
    create: () => api.branchCreate(name.value.trim()),
  });
  return h('section', { class: 'card' }, h('h2', null, t('settings.branches')), list, form, line);
}

function workplaceSection(ctx) {
  const name = h('input', { type: 'text', id: nextId('workplace-name'), 'data-testid': 'workplace-name', autocomplete: 'off' });
  const branch = h('select', { id: nextId('workplace-branch'), 'data-testid': 'workplace-branch' },
    options([['', t('form.noBranch')], ...store.branches.map((b) => [b.id, b.name])], ''));
  const add = h('button', { type: 'submit', class: 'btn', 'data-testid': 'workplace-add' }, t('settings.workplaceAdd'));
  const line = generalErrorLine('workplace-error');
  const list = h('ul', { class: 'ref-list', 'data-testid': 'workplace-list' });
  replace(list, store.workplaces.length
    ? store.workplaces.map((w) => h('li', { class: 'ref-item', 'data-testid': 'workplace-item', dataset: { id: w.id } },
      h('span', { class: 'ref-name' }, w.name,
        w.branchName ? h('span', { class: 'ref-sub' }, ` · ${w.branchName}`) : null),
      h('span', { class: 'ref-count' }, tp('members.count', w.memberCount || 0))))
    : h('li', { class: 'muted' }, t('settings.noWorkplaces')));
  const form = h('form', { class: 'inline-add', novalidate: true },
    field({ label: t('settings.workplaceName'), control: name, errorName: 'workplace-name' }),
    field({ label: t('settings.workplaceBranch'), control: branch, errorName: 'workplace-branchId' }),
    h('div', { class: 'inline-actions' }, add));
  onAdd(ctx, {
    form, add, line, prefix: 'workplace-', focus: 'workplace-name', toastKey: 'toast.workplaceAdded',
    create: () => api.workplaceCreate(name.value.trim(), idFrom(store.branches, branch.value)),
  });
  return h('section', { class: 'card' }, h('h2', null, t('settings.workplaces')), list, form, line);
}

function aboutSection() {
  const info = store.info;
  return h('section', { class: 'card about' },
    h('h2', null, t('settings.about')),
    h('dl', { class: 'compact' },
      h('dt', null, t('settings.version')), h('dd', null, info.version || ''),
      h('dt', null, t('settings.database')), h('dd', { class: 'selectable path' }, info.dbPath || ''),
      h('dt', null, t('settings.schema')), h('dd', null, String(info.schemaVersion ?? ''))));
}
