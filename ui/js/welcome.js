// The first screen, shown while there is no organisation: create one, open a
// demo, or take over a register from a backup (a new computer).
import { api } from './api.js';
import { h, replace, options, nextId } from './dom.js';
import { createRestoreFlow } from './restore.js';
import {
  t, language, setLanguage, LANGUAGES, NATIVE_NAMES,
} from './i18n.js';
import {
  ORG_COUNTRIES, CURRENCY, errorText, field, clearFieldErrors, showFieldErrors, fieldErrorText, store,
} from './state.js';

const LANGUAGE_COUNTRY = { sv: 'SE', da: 'DK', nb: 'NO' };

/**
 * `kept`: what was typed before the language was changed (the form is drawn
 * again in the new language with it).
 */
export function renderWelcome(root, { onDone, onRestored }, kept = null) {
  const country0 = (kept && kept.country) || LANGUAGE_COUNTRY[language()] || 'SE';
  let countryChosen = !!(kept && kept.country);

  // The language first: a computer without a Nordic locale starts in English.
  const languageId = nextId('welcome-language');
  const languageSel = h('select', { id: languageId, 'data-testid': 'welcome-language' },
    options(LANGUAGES.map((l) => [l, NATIVE_NAMES[l]]), language()));
  const languageLine = h('p', { class: 'form-error', 'data-testid': 'welcome-language-error', role: 'alert' });

  const name = h('input', {
    type: 'text', id: nextId('org-name'), 'data-testid': 'org-name', autocomplete: 'organization', value: kept ? kept.name : '',
  });
  const country = h('select', { id: nextId('org-country'), 'data-testid': 'org-country' },
    options(ORG_COUNTRIES.map((c) => [c, t(`country.${c}`)]), country0));
  const address = h('textarea', { id: nextId('org-address'), 'data-testid': 'org-address', rows: '3', autocomplete: 'street-address' });
  if (kept) address.value = kept.address;
  const number = h('input', {
    type: 'text', id: nextId('org-number'), 'data-testid': 'org-number', autocomplete: 'off', spellcheck: 'false', value: kept ? kept.number : '',
  });
  const currencyId = nextId('org-currency');
  const currency = h('output', { id: currencyId, class: 'readonly-value', 'data-testid': 'org-currency', for: country.id }, CURRENCY[country0]);
  country.addEventListener('change', () => {
    countryChosen = true;
    currency.textContent = CURRENCY[country.value] || '';
  });
  languageSel.addEventListener('change', async () => {
    const lang = languageSel.value;
    languageSel.disabled = true;
    try {
      await api.setLanguage(lang);
    } catch (err) {
      languageSel.disabled = false;
      languageLine.textContent = errorText(err);
      return;
    }
    if (store.info) store.info.language = lang;
    await setLanguage(lang);
    renderWelcome(root, { onDone, onRestored }, {
      name: name.value, address: address.value, number: number.value, country: countryChosen ? country.value : null,
    });
    const again = root.querySelector('[data-testid="welcome-language"]');
    if (again) again.focus();
  });

  const formError = h('p', { class: 'form-error', 'data-testid': 'welcome-error', role: 'alert', tabindex: '-1' });
  const create = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'org-create' }, t('welcome.create'));
  const demo = h('button', { type: 'button', class: 'btn', 'data-testid': 'demo-open' }, t('welcome.demoOpen'));
  const restore = h('button', { type: 'button', class: 'btn', 'data-testid': 'welcome-restore' }, t('welcome.restoreOpen'));
  restore.addEventListener('click', () => {
    if (!busy) renderWelcomeRestore(root, { onDone, onRestored });
  });
  const busyLine = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });

  const form = h('form', { class: 'org-form', novalidate: true },
    h('h2', null, t('welcome.orgHeading')),
    field({ label: t('org.name'), control: name, errorName: 'name' }),
    h('div', { class: 'grid' },
      field({ label: t('org.country'), control: country, errorName: 'country' }),
      h('div', { class: 'field' },
        h('label', { for: currencyId }, t('org.currency')),
        currency,
        h('p', { class: 'hint' }, t('org.currencyHint')))),
    field({ label: t('org.address'), control: address, errorName: 'postalAddress' }),
    field({ label: t('org.number'), control: number, errorName: 'orgNumber', hint: t('org.numberHint') }),
    formError,
    h('div', { class: 'form-actions' }, create));

  let busy = false;
  const setBusy = (on, text = '') => {
    busy = on;
    create.disabled = on;
    demo.disabled = on;
    restore.disabled = on;
    busyLine.textContent = text;
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    clearFieldErrors(form);
    formError.textContent = '';
    setBusy(true, t('welcome.creating'));
    try {
      await api.orgCreate({
        name: name.value.trim(),
        country: country.value,
        postalAddress: address.value.trim(),
        orgNumber: number.value.trim(),
      });
    } catch (err) {
      setBusy(false);
      if (err.code === 'validation' && err.fields.length) {
        const unplaced = showFieldErrors(form, err.fields);
        formError.textContent = [t('error.validation'), ...unplaced.map((f) => `${f.field}: ${fieldErrorText(f.code)}`)].join(' ');
      } else {
        formError.textContent = errorText(err);
        formError.focus();
      }
      return;
    }
    await onDone();
  });

  demo.addEventListener('click', async () => {
    if (busy) return;
    formError.textContent = '';
    setBusy(true, t('welcome.demoCreating'));
    try {
      await api.demoCreate(null);
    } catch (err) {
      setBusy(false);
      formError.textContent = errorText(err);
      return;
    }
    await onDone();
  });

  replace(root, h('main', { class: 'welcome', 'data-testid': 'welcome' },
    h('div', { class: 'welcome-card' },
      h('header', { class: 'welcome-head' },
        h('div', { class: 'welcome-language' },
          h('label', { for: languageId }, t('settings.language')), languageSel, languageLine),
        h('h1', null, t('welcome.title')),
        h('p', null, t('welcome.intro'))),
      form,
      h('section', { class: 'demo' },
        h('h2', null, t('welcome.restoreHeading')),
        h('p', null, t('welcome.restoreText')),
        restore),
      h('section', { class: 'demo' },
        h('h2', null, t('welcome.demoHeading')),
        h('p', null, t('welcome.demoText')),
        demo),
      busyLine)));
  name.focus();
}

/** A new computer: restore the register from a backup (file, passphrase, contents, restore). */
function renderWelcomeRestore(root, hooks) {
  const flow = createRestoreFlow({ mode: 'welcome', onRestored: (report) => hooks.onRestored(report) });
  const back = h('button', { type: 'button', class: 'btn', 'data-testid': 'welcome-restore-back' }, t('welcome.restoreBack'));
  back.addEventListener('click', () => {
    if (flow.busy()) return;
    renderWelcome(root, hooks);
  });
  const holder = h('div');
  const titleId = nextId('welcome-restore-title');
  replace(root, h('main', { class: 'welcome', 'data-testid': 'welcome-restore-panel', 'aria-labelledby': titleId },
    h('div', { class: 'welcome-card' },
      h('header', { class: 'welcome-head' },
        h('h1', { id: titleId }, t('welcome.restoreTitle')),
        h('p', null, t('welcome.restoreIntro'))),
      holder,
      h('div', { class: 'form-actions welcome-back' }, back))));
  flow.mount(holder);
  const file = holder.querySelector('[data-testid="restore-file"]');
  if (file) file.focus();
}
