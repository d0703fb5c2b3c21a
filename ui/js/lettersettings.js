// Settings → Letters: the envelope window the address is printed in (a preset
// plus fine offsets), the contact line, the logo, and the calibration page to
// hold against an envelope.
import { api } from './api.js';
import { h, replace, options, nextId } from './dom.js';
import { t } from './i18n.js';
import { mayReplace } from './dialog.js';
import {
  toast, fieldErrorText, clearFieldErrors, showFieldErrors, pickFile,
} from './state.js';
import { presetName, letterErrorText } from './letternames.js';
import {
  pathField, pathProblem, withPdf, doneBox, rememberFolder, readOffset,
} from './print.js';

/** Draws the section into a card that loads its settings itself. */
export function letterSettingsSection() {
  const titleId = nextId('letter-settings-title');
  const card = h('section', { class: 'card letter-settings', 'data-testid': 'letter-settings', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, t('letterSettings.title')),
    h('p', { class: 'muted', role: 'status' }, t('app.loading')));
  load(card, titleId);
  return card;
}

async function load(card, titleId) {
  let setup;
  try {
    setup = await api.letterSettingsGet();
  } catch (err) {
    replace(card, h('h2', { id: titleId }, t('letterSettings.title')),
      h('p', { class: 'form-error', role: 'alert', 'data-testid': 'letter-settings-error' }, letterErrorText(err)));
    return;
  }
  if (!card.isConnected) return;
  fill(card, titleId, setup);
}

function numberText(n) {
  const v = Number(n) || 0;
  return String(Math.round(v * 10) / 10);
}

function fill(card, titleId, setup) {
  const s = setup.settings;
  let saved = { ...s };
  let hasLogo = !!setup.hasLogo;
  const ids = setup.presets.map((p) => p.id);
  if (!ids.includes(s.window)) ids.push(s.window);
  const windowSel = h('select', { id: nextId('letter-window'), 'data-testid': 'letter-window' },
    options(ids.map((id) => [id, presetName(id)]), s.window));
  const describe = () => {
    const p = setup.presets.find((x) => x.id === windowSel.value);
    return p ? t('letterSettings.windowSize', {
      x: numberText(p.window.x), y: numberText(p.window.y), w: numberText(p.window.w), h: numberText(p.window.h),
    }) : '';
  };
  const windowHint = h('p', { class: 'hint' }, describe());
  windowSel.addEventListener('change', () => { windowHint.textContent = describe(); });
  const offX = h('input', {
    type: 'number', id: nextId('letter-offset-x'), 'data-testid': 'letter-offset-x', class: 'number-input',
    step: '0.5', min: '-30', max: '30', value: numberText(s.offsetX), inputmode: 'decimal',
  });
  const offY = h('input', {
    type: 'number', id: nextId('letter-offset-y'), 'data-testid': 'letter-offset-y', class: 'number-input',
    step: '0.5', min: '-30', max: '30', value: numberText(s.offsetY), inputmode: 'decimal',
  });
  const contact = h('input', {
    type: 'text', id: nextId('letter-contact'), 'data-testid': 'letter-contact', value: s.contact || '', maxlength: '200',
    autocomplete: 'off', placeholder: t('letterSettings.contactPlaceholder'),
  });
  const line = h('p', { class: 'form-error', 'data-testid': 'letter-settings-error', role: 'alert', tabindex: '-1' });
  const save = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'letter-settings-save' }, t('action.save'));

  const fld = (label, control, errorName, hint) => {
    const err = h('p', { class: 'field-error', 'data-testid': `error-letter-${errorName}`, id: `${control.id}-err` });
    const hintEl = hint ? h('p', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
    control.setAttribute('aria-describedby', [hintEl ? hintEl.id : null, err.id].filter(Boolean).join(' '));
    return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl, err);
  };

  // -- logo
  const logoState = h('p', { class: 'logo-state', 'data-testid': 'letter-logo-state' });
  const logoChoose = h('button', { type: 'button', class: 'btn', 'data-testid': 'letter-logo-choose' }, t('letterSettings.logoChoose'));
  const logoRemove = h('button', { type: 'button', class: 'btn', 'data-testid': 'letter-logo-remove' }, t('action.remove'));
  const logoError = h('p', { class: 'field-error', 'data-testid': 'error-letter-logo', role: 'alert' });
  const showLogo = () => {
    logoState.textContent = t(hasLogo ? 'letterSettings.logoSet' : 'letterSettings.logoNone');
    logoState.classList.toggle('ok-line', hasLogo);
    logoRemove.hidden = !hasLogo;
  };
  showLogo();
  const setLogo = async (path) => {
    logoError.textContent = '';
    logoChoose.disabled = true;
    logoRemove.disabled = true;
    try {
      hasLogo = !!(await api.letterLogoSet(path));
      showLogo();
      toast(t(path ? 'letterSettings.logoDone' : 'letterSettings.logoRemoved'));
    } catch (err) {
      logoError.textContent = err.code === 'validation' ? t('letterSettings.logoInvalid') : letterErrorText(err);
    } finally {
      logoChoose.disabled = false;
      logoRemove.disabled = false;
    }
    logoChoose.focus();
  };
  logoChoose.addEventListener('click', async () => {
    let path;
    try {
      path = await pickFile({
        title: t('letterSettings.logoChooseTitle'), filterName: t('letterSettings.logoFiles'), extensions: ['png', 'jpg', 'jpeg'],
      });
    } catch (err) {
      logoError.textContent = letterErrorText(err);
      return;
    }
    if (path) setLogo(path);
  });
  logoRemove.addEventListener('click', () => setLogo(null));

  const form = h('form', { class: 'letter-settings-form', novalidate: true },
    h('div', { class: 'grid letter-grid' },
      fld(t('letterSettings.window'), windowSel, 'window', null),
      h('div', { class: 'offset-grid' },
        fld(t('print.offsetRight'), offX, 'offsetX'),
        fld(t('print.offsetDown'), offY, 'offsetY'))),
    windowHint,
    h('p', { class: 'hint' }, t('letterSettings.offsetsHint')),
    fld(t('letterSettings.contact'), contact, 'contact', t('letterSettings.contactHint')),
    line,
    h('div', { class: 'form-actions' }, save));

  const read = () => {
    const x = readOffset(offX);
    const y = readOffset(offY);
    const bad = [];
    if (x === null) bad.push({ field: 'offsetX', code: 'invalid_number' });
    if (y === null) bad.push({ field: 'offsetY', code: 'invalid_number' });
    return {
      bad,
      settings: {
        window: windowSel.value, offsetX: x ?? 0, offsetY: y ?? 0, contact: contact.value.trim(),
      },
    };
  };
  const changed = (v) => v.window !== saved.window || v.offsetX !== Number(saved.offsetX)
    || v.offsetY !== Number(saved.offsetY) || v.contact !== (saved.contact || '');

  /** Field errors next to their inputs; an offset says what it may be. */
  const showErrors = (fields) => {
    const unplaced = showFieldErrors(form, fields, 'letter-');
    for (const f of fields) {
      if (f.field !== 'offsetX' && f.field !== 'offsetY') continue;
      const el = form.querySelector(`[data-testid="error-letter-${f.field}"]`);
      if (el) el.textContent = t('print.offsetInvalid');
    }
    return unplaced;
  };

  /** Saves the form; resolves true when the stored settings match it. */
  const store = async (quiet) => {
    clearFieldErrors(form);
    line.textContent = '';
    const { bad, settings } = read();
    if (bad.length) {
      showErrors(bad);
      line.textContent = t('error.validation');
      return false;
    }
    if (quiet && !changed(settings)) return true;
    save.disabled = true;
    try {
      saved = await api.letterSettingsSet(settings);
      offX.value = numberText(saved.offsetX);
      offY.value = numberText(saved.offsetY);
      contact.value = saved.contact || '';
      if (!quiet) toast(t('toast.saved'));
      return true;
    } catch (err) {
      if (err.code === 'validation' && err.fields.length) {
        const unplaced = showErrors(err.fields);
        line.textContent = unplaced.length
          ? unplaced.map((f) => `${f.field}: ${fieldErrorText(f.code)}`).join(' ')
          : t('error.validation');
      } else {
        line.textContent = letterErrorText(err);
      }
      return false;
    } finally {
      save.disabled = false;
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); store(false); });

  // -- calibration
  const calTitle = nextId('calibration-title');
  const calError = h('p', { class: 'form-error', 'data-testid': 'calibration-error', role: 'alert' });
  const calPath = pathField('calibration', () => t('letterSettings.calibrationStem'), (text) => { calError.textContent = text; });
  const calPrint = h('button', { type: 'submit', class: 'btn', 'data-testid': 'calibration-print' }, t('letterSettings.calibrationPrint'));
  const calSlot = h('div');
  const calForm = h('form', { class: 'calibration', novalidate: true, 'aria-labelledby': calTitle },
    h('h3', { id: calTitle }, t('letterSettings.calibrationTitle')),
    h('p', { class: 'hint' }, t('letterSettings.calibrationIntro')),
    calPath.el,
    calError,
    h('div', { class: 'actions' }, calPrint),
    calSlot);
  calForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    calError.textContent = '';
    replace(calSlot);
    let file = calPath.input.value.trim();
    const problem = pathProblem(file);
    if (problem) {
      calError.textContent = t(problem);
      calPath.input.focus();
      return;
    }
    // The page shows the window as it is set here: save a change first.
    if (!(await store(true))) return;
    file = withPdf(file);
    calPath.input.value = file;
    if (!(await mayReplace(file, calPath.chosen()))) {
      calPath.input.focus();
      return;
    }
    calPrint.disabled = true;
    try {
      const summary = await api.calibrationPrint(file);
      rememberFolder(file);
      const out = doneBox('calibration', null, summary, file);
      replace(calSlot, out.box);
      out.open.focus();
    } catch (err) {
      calError.textContent = letterErrorText(err);
    } finally {
      calPrint.disabled = false;
    }
  });

  replace(card,
    h('h2', { id: titleId }, t('letterSettings.title')),
    h('p', { class: 'muted' }, t('letterSettings.intro')),
    form,
    h('div', { class: 'logo-box', role: 'group', 'aria-label': t('letterSettings.logo') },
      h('h3', null, t('letterSettings.logo')),
      logoState,
      h('p', { class: 'hint' }, t('letterSettings.logoHint')),
      h('div', { class: 'actions' }, logoChoose, logoRemove),
      logoError),
    calForm);
}
