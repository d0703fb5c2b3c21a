// Submitting a form and showing what the core refused: the field errors go
// beside their inputs (state.js showFieldErrors), the rest into the form's
// general error line.
import { h } from './dom.js';
import { t } from './i18n.js';
import { confirmDialog } from './dialog.js';
import {
  errorText, fieldErrorText, clearFieldErrors, showFieldErrors,
} from './state.js';

/**
 * The general error line (`form-error`) and the Save and Cancel buttons
 * (`form-save`, `form-cancel`) of a new/edit form: {line, save, cancel}.
 */
export function formControls(onCancel) {
  return {
    line: h('p', { class: 'form-error', 'data-testid': 'form-error', role: 'alert', tabindex: '-1' }),
    save: h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'form-save' }, t('action.save')),
    cancel: h('button', { type: 'button', class: 'btn', 'data-testid': 'form-cancel', onclick: () => onCancel() }, t('action.cancel')),
  };
}

/** Every control's value in `form`, as one text (to see whether anything was typed). */
function formState(form) {
  // Buttons hold nothing typed (and some, like a date field's calendar
  // button, are added after the form opens).
  const values = Array.from(form.elements)
    .filter((el) => el.tagName !== 'BUTTON' && el.tagName !== 'FIELDSET')
    .map((el) => (el.type === 'checkbox' || el.type === 'radio' ? el.checked : el.value));
  return JSON.stringify(values);
}

/**
 * Esc in `form` (not taken by a control in it) calls `onCancel()`; when
 * something in the form was changed since it opened, it first asks in
 * `discard-dialog` (Cancel has the focus, and keeps the edits).
 */
export function cancelOnEscape(form, onCancel) {
  let before = null;
  queueMicrotask(() => { before = formState(form); });
  form.addEventListener('keydown', async (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    e.preventDefault();
    e.stopPropagation();
    if (before !== null && formState(form) !== before) {
      const discard = await confirmDialog({
        testid: 'discard-dialog',
        title: t('form.discardTitle'),
        body: t('form.discardText'),
        confirmLabel: t('form.discard'),
        danger: true,
      });
      if (!discard || !form.isConnected) return;
    }
    onCancel();
  });
}

/**
 * On submit: the old field errors and the general line `line` are cleared,
 * then `run()` is called (its promise is the caller's).
 */
export function onSubmit(form, line, run) {
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    line.textContent = '';
    run();
  });
}

/**
 * Shows the field errors `fields` in `form`: each beside its input (the first
 * bad input gets the focus), those without a place in `line`. Returns those.
 * opts: {prefix (of the error lines' test ids, `error-<prefix><field>`),
 * mapFields(fields) (may move a field's error to another place), textFor(f)
 * (a field's own sentence, else the code's), unplacedText(f) (for the line;
 * default textFor, else the code's sentence), lead (the line starts with
 * error.validation's sentence), focus (the line gets the focus when no input
 * did)}.
 */
export function showValidation(form, line, fields, opts = {}) {
  const {
    prefix = '', textFor = null, lead = false, focus = false,
  } = opts;
  const unplacedText = opts.unplacedText || textFor || ((f) => fieldErrorText(f.code));
  const unplaced = showFieldErrors(form, opts.mapFields ? opts.mapFields(fields) : fields, prefix, textFor);
  line.textContent = (lead ? [t('error.validation')] : []).concat(unplaced.map(unplacedText)).join(' ');
  if (focus && unplaced.length === fields.length) line.focus();
  return unplaced;
}

/**
 * Shows the refusal `err` of a form's request: a validation error with fields
 * as showValidation does, any other as its sentence in `line`, which gets the
 * focus with opts.focus.
 */
export function showFormError(form, line, err, opts = {}) {
  if (err.code === 'validation' && err.fields.length) {
    showValidation(form, line, err.fields, opts);
  } else {
    line.textContent = errorText(err);
    if (opts.focus) line.focus();
  }
}

/**
 * The submit of a new/edit form with a Save button `save` and a general error
 * line `line` (members, meetings, funds, applications). On submit the old
 * errors go and `read()` gives {input, errors}: errors found here are shown
 * as the core's would be and nothing is sent. Else Save is disabled and the
 * form busy while `send(input)` runs and then, while the form is still shown,
 * `done(result)`. A refusal: `fail(err)` may deal with it itself (it returns
 * true), else showFormError shows it (with `opts`, and lead and focus on). A
 * second submit while one runs is ignored.
 */
export function submitForm({
  form, save, line, read, send, done, fail = null, ...rest
}) {
  const opts = { lead: true, focus: true, ...rest };
  let saving = false;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (saving) return;
    clearFieldErrors(form);
    line.textContent = '';
    const { input, errors } = read();
    if (errors && errors.length) {
      showValidation(form, line, errors, opts);
      return;
    }
    saving = true;
    save.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const result = await send(input);
      if (form.isConnected) await done(result);
    } catch (err) {
      if (!form.isConnected || (fail && fail(err))) return;
      showFormError(form, line, err, opts);
    } finally {
      saving = false;
      save.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });
}
