// One grant application: its detail (everything about it, its budget lines,
// the dated steps, the attachments, the buttons for the steps its stage
// allows, the decision letter) and its form (applicant, what and when, the
// budget lines with a live sum). Each step is asked for in a dialog that
// shows the core's refusal where it belongs; a refusal for lack of money
// says what the fund has left and offers to approve that instead.
import { api, dialogPath } from './api.js';
import {
  h, replace, options, nextId, todayIso,
} from './dom.js';
import {
  t, has, formatDate, formatDateTime, formatNumber,
} from './i18n.js';
import {
  store, idFrom, errorText, field, clearFieldErrors, workplaceLabel,
} from './state.js';
import {
  submitForm, showValidation, formControls, cancelOnEscape,
} from './form.js';
import { editRows } from './editrows.js';
import { confirmDialog, openModal } from './dialog.js';
import { memberPicker, listName } from './picker.js';
import { fileDialog } from './print.js';
import {
  ACTIVITIES, formatAmount, amountText, stageName, activityName,
  applicantText, grantFieldText,
} from './grantnames.js';

// ---------------------------------------------------------------------------
// The detail

/**
 * Reads application `id` and shows it in `pane`. ctx: {fund, onChanged()
 * (after a step: the fund's overview and list), onEdit(view), isCurrent(id)}.
 */
export async function renderApplication(pane, id, ctx) {
  if (!pane.querySelector('[data-testid="application-detail"]')) {
    replace(pane, h('div', { class: 'detail-empty small', 'aria-busy': 'true' }, h('p', null, t('app.loading'))));
  }
  let view;
  try {
    view = await api.grantGet(id);
  } catch (err) {
    if (!ctx.isCurrent(id)) return;
    replace(pane, h('div', { class: 'detail-empty small' },
      h('p', { class: 'form-error', role: 'alert', 'data-testid': 'application-error' }, errorText(err))));
    return;
  }
  if (!ctx.isCurrent(id)) return;
  drawApplication(pane, view, ctx);
}

function dlRow(label, value, testid) {
  if ((value === null || value === undefined || value === '') && !testid) return null;
  return [h('dt', null, label), h('dd', { class: 'selectable' }, h('span', { 'data-testid': testid }, value || '–'))];
}

function drawApplication(pane, view, ctx) {
  const a = view.application;
  const again = async (focusTestid) => {
    await ctx.onChanged();
    if (!ctx.isCurrent(a.id)) return;
    await renderApplication(pane, a.id, ctx);
    const el = pane.querySelector(`[data-testid="${focusTestid}"]`) || pane.querySelector('#application-title');
    if (el) el.focus();
  };
  const error = h('p', { class: 'form-error', 'data-testid': 'application-error', role: 'alert' });
  const actions = [];
  // Core says which steps the stage allows and whether the form may change.
  if (view.editable) {
    actions.push(h('button', { type: 'button', class: 'btn', 'data-testid': 'application-edit', onclick: () => ctx.onEdit(view) }, t('action.edit')));
  }
  if (a.stage === 'approved' || a.stage === 'rejected') {
    actions.push(h('button', {
      type: 'button', class: 'btn', 'data-testid': 'grant-letter', onclick: (e) => openLetter(e.currentTarget, a),
    }, t('grants.letter')));
  }
  const steps = (view.nextSteps || []).map((step) => h('button', {
    type: 'button',
    // Steps forward are primary; those that turn back or end it are not.
    class: ['btn', ['withdraw', 'reject', 'reopen'].includes(step) ? '' : 'primary'],
    'data-testid': `step-${step}`,
    onclick: (e) => openStep(e.currentTarget, view, step, ctx.fund, () => again('step-list')),
  }, t(`grants.step.${step}`)));

  const money = [
    dlRow(t('grants.requested'), formatAmount(a.requested), 'application-requested'),
    a.approved !== null ? dlRow(t('grants.approvedAmount'), formatAmount(a.approved), 'application-approved') : null,
    a.conditions ? dlRow(t('grants.conditions'), a.conditions, 'application-conditions') : null,
    a.reason ? dlRow(t('grants.reason'), a.reason, 'application-reason') : null,
    a.paid !== null ? dlRow(t('grants.paidAmount'),
      [formatAmount(a.paid), a.paidOn ? formatDate(a.paidOn) : '', a.paymentRef].filter(Boolean).join(' · '), 'application-paid') : null,
    a.reportDue ? dlRow(t('grants.reportDue'), formatDate(a.reportDue), 'application-report-due') : null,
  ];
  const lines = h('table', { class: 'lines-table', 'data-testid': 'application-lines' },
    h('caption', { class: 'visually-hidden' }, t('grants.lines')),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('grants.lineItem')), h('th', { scope: 'col', class: 'num' }, t('grants.lineAmount')))),
    h('tbody', null, view.lines.map((l) => h('tr', { 'data-testid': 'application-line' },
      h('td', { class: 'selectable' }, l.item), h('td', { class: 'num' }, formatAmount(l.amount))))),
    h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, t('grants.linesSum')), h('td', { class: 'num' }, formatAmount(a.requested)))));

  const stepList = h('ol', { class: 'step-list', 'data-testid': 'step-list' }, view.steps.map((s) => h('li', {
    class: 'step-entry', 'data-testid': 'step-entry', dataset: { step: s.step },
  },
  h('span', { class: 'history-when', title: formatDateTime(s.at) }, formatDate(s.onDate)),
  ' ',
  h('span', { class: 'step-name' }, has(`grants.stepDone.${s.step}`) ? t(`grants.stepDone.${s.step}`) : s.step),
  s.amount !== null ? ` · ${formatAmount(s.amount)}` : '',
  s.note ? h('span', { class: 'muted' }, ` · ${s.note}`) : null,
  s.by ? h('span', { class: 'history-by', 'data-testid': 'step-by' }, ` · ${t('history.by', { user: s.by })}`) : null)));

  replace(pane, h('article', { class: 'application-detail', 'data-testid': 'application-detail', 'aria-labelledby': 'application-title' },
    h('header', { class: 'detail-header' },
      h('div', { class: 'detail-title' },
        h('h3', { id: 'application-title', 'data-testid': 'application-title', tabindex: '-1' }, a.title),
        h('p', { class: 'detail-meta' },
          h('span', { class: `badge stage-${a.stage}`, 'data-testid': 'application-stage' }, stageName(a.stage)),
          h('span', { class: 'sep', 'aria-hidden': 'true' }, ' · '),
          h('span', { 'data-testid': 'application-applicant' }, applicantText(a)))),
      actions.length ? h('div', { class: 'actions' }, actions) : null),
    view.reportOverdue ? h('div', { class: 'warn-box', 'data-testid': 'application-report-overdue', role: 'note' },
      h('p', { class: 'result-title' }, t('grants.reportOverdue')), h('p', null, t('grants.reportOverdueHint'))) : null,
    steps.length ? h('div', { class: 'actions step-actions', role: 'group', 'aria-label': t('grants.nextSteps') }, steps) : null,
    error,
    h('section', { class: 'detail-section' },
      h('dl', null,
        money,
        dlRow(t('grants.field.activity'), activityName(a.activity)),
        dlRow(t('grants.field.plannedDate'), a.plannedDate ? formatDate(a.plannedDate) : ''),
        dlRow(t('grants.field.participants'), a.participants === null ? '' : formatNumber(a.participants)))),
    a.purpose ? [h('h4', null, t('grants.field.purpose')), h('p', { class: 'notes selectable', 'data-testid': 'application-purpose' }, a.purpose)] : null,
    h('h4', null, t('grants.lines')),
    lines,
    h('h4', null, t('grants.steps')),
    stepList,
    attachmentsSection(view, error, () => again('attach-add'))));
}

// ---------------------------------------------------------------------------
// Attachments

function sizeText(bytes) {
  if (bytes < 1024) return t('grants.sizeBytes', { n: formatNumber(bytes) });
  if (bytes < 1024 * 1024) return t('grants.sizeKb', { n: formatNumber(Math.round(bytes / 1024)) });
  return t('grants.sizeMb', { n: formatNumber(Math.round((bytes / (1024 * 1024)) * 10) / 10) });
}

function attachmentsSection(view, error, again) {
  const a = view.application;
  const add = h('button', { type: 'button', class: 'btn', 'data-testid': 'attach-add' }, t('grants.attach'));
  add.addEventListener('click', async () => {
    error.textContent = '';
    let path;
    try {
      path = dialogPath(await api.dialogOpen({ multiple: false, directory: false }));
      if (!path) return;
      await api.grantAttach(a.id, path);
    } catch (err) {
      error.textContent = errorText(err);
      return;
    }
    again();
  });
  const rows = view.attachments.map((f) => {
    const save = h('button', { type: 'button', class: 'btn small', 'data-testid': 'attachment-save', 'aria-label': t('grants.saveNamed', { name: f.name }) }, t('grants.saveFile'));
    save.addEventListener('click', async () => {
      error.textContent = '';
      try {
        const path = dialogPath(await api.dialogSave({ defaultPath: f.name }));
        if (path) await api.grantAttachmentSave(f.id, path);
      } catch (err) {
        error.textContent = errorText(err);
      }
    });
    const remove = h('button', { type: 'button', class: 'btn small', 'data-testid': 'attachment-remove', 'aria-label': t('grants.removeNamed', { name: f.name }) }, t('action.remove'));
    remove.addEventListener('click', async () => {
      const yes = await confirmDialog({
        testid: 'detach-dialog', title: t('grants.detachTitle'), body: [t('grants.detachText', { name: f.name })], confirmLabel: t('action.remove'), danger: true,
      });
      if (!yes) return;
      try {
        await api.grantDetach(f.id);
      } catch (err) {
        error.textContent = errorText(err);
        return;
      }
      again();
    });
    return h('li', { class: 'picked-item', 'data-testid': 'attachment-row', dataset: { id: f.id } },
      h('span', { class: 'picked-name selectable' }, f.name),
      h('span', { class: 'muted' }, `${sizeText(f.size)} · ${formatDateTime(f.addedAt)}`),
      h('span', { class: 'actions' }, save, remove));
  });
  return [
    h('h4', null, t('grants.attachments')),
    rows.length ? h('ul', { class: 'picked-list', 'data-testid': 'attachment-list' }, rows)
      : h('p', { class: 'muted', 'data-testid': 'attachment-empty' }, t('grants.noAttachments')),
    h('div', { class: 'actions attach-actions' }, add),
  ];
}

// ---------------------------------------------------------------------------
// Steps

/** The dialog for one step of application `view`; `after()` once it is taken. */
function openStep(opener, view, step, fund, after) {
  const a = view.application;
  const input = (name, value, extra = {}) => h('input', {
    type: 'text', id: nextId(`step-${name}`), 'data-testid': `step-${name}`, value, autocomplete: 'off', ...extra,
  });
  const c = {};
  if (step === 'approve') c.amount = input('amount', amountText(a.requested), { class: 'number-input', inputmode: 'decimal' });
  if (step === 'pay') c.amount = input('amount', amountText(a.approved), { class: 'number-input', inputmode: 'decimal' });
  if (step === 'approve') c.conditions = h('textarea', { id: nextId('step-conditions'), 'data-testid': 'step-conditions', rows: '3' });
  if (step === 'reject') c.reason = h('textarea', { id: nextId('step-reason'), 'data-testid': 'step-reason', rows: '3' });
  if (step === 'pay') c.reference = input('reference', '');
  c.date = input('date', todayIso(), { class: 'date-input', placeholder: t('date.placeholder'), spellcheck: 'false' });
  const label = { amount: step === 'pay' ? 'grants.paidAmount' : 'grants.approvedAmount' };
  const fields = Object.entries(c).map(([name, control]) => field({
    label: t(label[name] || `grants.stepField.${name}`), control, errorName: `step-${name}`,
    hint: name === 'amount' && step === 'approve' ? t('grants.approveHint', { requested: formatAmount(a.requested) }) : null,
  }));
  const error = h('p', { class: 'form-error', 'data-testid': 'step-error', role: 'alert', tabindex: '-1' });
  const remaining = h('button', { type: 'button', class: 'btn', 'data-testid': 'approve-remaining', hidden: true });
  const confirm = h('button', { type: 'submit', class: ['btn', step === 'withdraw' ? 'danger' : 'primary'], 'data-testid': 'step-confirm' }, t(`grants.step.${step}`).replace(/…$/, ''));
  const cancel = h('button', { type: 'button', class: 'btn', 'data-testid': 'step-cancel' }, t('action.cancel'));
  const titleId = nextId('step-title');
  const form = h('form', { class: 'dialog-form step-form', novalidate: true },
    h('h2', { id: titleId }, t(`grants.stepTitle.${step}`)),
    h('p', { class: 'muted' }, t('grants.stepIntro', { title: a.title, applicant: applicantText(a) })),
    step === 'withdraw' ? h('p', null, t('grants.withdrawText')) : null,
    fields,
    error,
    h('div', { class: 'actions' }, confirm, remaining, cancel));
  const dialog = h('dialog', { class: 'dialog confirm-dialog', 'data-testid': 'step-dialog', 'aria-labelledby': titleId }, form);
  let busy = false;
  const close = openModal(dialog, { opener, onCancel: () => { if (!busy) close(); } });
  cancel.addEventListener('click', () => { if (!busy) close(); });

  const take = async (upToRemaining) => {
    if (busy) return;
    clearFieldErrors(form);
    error.textContent = '';
    const value = (name) => (c[name] ? c[name].value.trim() : '');
    const stepInput = {
      step,
      amount: value('amount'),
      upToRemaining,
      date: value('date'),
      reason: value('reason'),
      conditions: value('conditions'),
      reference: value('reference'),
      reportDue: '',
    };
    busy = true;
    confirm.disabled = true;
    remaining.disabled = true;
    try {
      await api.grantStep(a.id, stepInput);
    } catch (err) {
      busy = false;
      confirm.disabled = false;
      remaining.disabled = false;
      if (err.code === 'validation' && err.fields.length) {
        showValidation(form, error, err.fields, { prefix: 'step-', textFor: grantFieldText, lead: true });
      } else if (err.code === 'above_remaining') {
        await offerRemaining(fund, error, remaining);
      } else {
        error.textContent = errorText(err);
        if (c.amount && /^(no_amount|above_)/.test(err.code)) {
          c.amount.setAttribute('aria-invalid', 'true');
          c.amount.focus();
        } else {
          error.focus();
        }
      }
      return;
    }
    close();
    after();
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); take(false); });
  remaining.addEventListener('click', () => take(true));
  (c.amount || c.reason || (step === 'withdraw' ? cancel : confirm)).focus();
}

/** The fund has less left than the approval: say how much, offer to approve that. */
async function offerRemaining(fund, error, button) {
  let left = null;
  try {
    left = (await api.fundGet(fund.id)).remaining;
  } catch (_) { /* the sentence without the amount */ }
  const amount = left === null ? '' : formatAmount(left);
  error.textContent = left === null ? t('error.above_remaining') : t('grants.aboveRemaining', { remaining: amount });
  if (left !== null && left > 0) {
    button.textContent = t('grants.approveRemaining', { amount });
    button.hidden = false;
    button.focus();
  } else {
    error.focus();
  }
}

// ---------------------------------------------------------------------------
// The decision letter

function openLetter(opener, a) {
  fileDialog(opener, {
    prefix: 'grant-letter',
    title: t('grants.letterTitle'),
    intro: t(a.stage === 'approved' ? 'grants.letterIntroApproved' : 'grants.letterIntroRejected', { name: a.memberName || '' }),
    stem: () => `${a.title || 'grant'}-${t('grants.letterStem')}`,
    itemsKey: 'print.letters',
    run: ({ path }) => api.grantLetterPrint(a.id, path),
  });
}

// ---------------------------------------------------------------------------
// The form (new / edit)

/** A budget line's row: what and how much (the sum follows), its Remove button. */
function lineRow(l, i, remove, drawSum) {
  const item = h('input', {
    type: 'text', id: nextId('line-item'), 'data-testid': 'line-item', value: l.item, autocomplete: 'off',
  });
  item.addEventListener('input', () => { l.item = item.value; });
  const amount = h('input', {
    type: 'text', id: nextId('line-amount'), 'data-testid': 'line-amount', value: l.amount, class: 'number-input', inputmode: 'decimal', autocomplete: 'off',
  });
  amount.addEventListener('input', () => { l.amount = amount.value; drawSum(); });
  return h('div', { class: 'role-row line-row', 'data-testid': 'line-row' },
    field({ label: t('grants.lineItem'), control: item, errorName: `lines.${i}.item` }),
    field({ label: t('grants.lineAmount'), control: amount, errorName: `lines.${i}.amount` }),
    h('div', { class: 'role-remove' }, remove));
}

/**
 * The application form in `pane`. ctx: {fund, view (null: a new one),
 * onSaved(view), onCancel()}.
 */
export function renderApplicationForm(pane, ctx) {
  const { fund, view } = ctx;
  const editing = !!view;
  const a = view ? view.application : {
    applicantKind: fund.applicants[0] || 'member', memberId: null, memberName: '', memberNumber: '', branchId: null, workplaceId: null,
    title: '', purpose: '', activity: '', plannedDate: null, participants: null,
  };
  const lines = view ? view.lines.map((l) => ({ item: l.item, amount: amountText(l.amount) })) : [{ item: '', amount: '' }];
  let member = a.memberId !== null && a.memberId !== undefined
    ? { id: a.memberId, name: `${a.memberName || ''}${a.memberNumber ? ` (${a.memberNumber})` : ''}` } : null;

  const text = (name, value, extra = {}) => h('input', {
    type: 'text', id: nextId(`app-${name}`), name, 'data-testid': `field-${name}`, value: value || '', autocomplete: 'off', ...extra,
  });
  const kinds = fund.applicants.length ? fund.applicants : ['member'];
  const datalistId = nextId('activities');
  const c = {
    applicantKind: h('select', { id: nextId('app-kind'), 'data-testid': 'field-applicantKind' },
      options(kinds.map((k) => [k, t(`grants.applicantKind.${k}`)]), a.applicantKind)),
    branchId: h('select', { id: nextId('app-branch'), 'data-testid': 'field-branchId' },
      options([['', t('grants.chooseBranch')], ...store.branches.map((b) => [b.id, b.name])], a.branchId ?? '')),
    workplaceId: h('select', { id: nextId('app-workplace'), 'data-testid': 'field-workplaceId' },
      options([['', t('grants.chooseWorkplace')], ...store.workplaces.map((w) => [w.id, workplaceLabel(w)])], a.workplaceId ?? '')),
    title: text('title', a.title, { maxlength: '200' }),
    purpose: h('textarea', { id: nextId('app-purpose'), 'data-testid': 'field-purpose', rows: '4', value: a.purpose || '' }),
    activity: text('activity', activityName(a.activity), { list: datalistId }),
    plannedDate: text('plannedDate', a.plannedDate || '', { class: 'date-input', placeholder: t('date.placeholder'), spellcheck: 'false' }),
    participants: text('participants', a.participants === null ? '' : String(a.participants), { class: 'number-input', inputmode: 'numeric' }),
  };
  const fld = (name, opts = {}) => field({ label: t(`grants.field.${name}`), control: c[name], errorName: name, ...opts });
  const branchField = fld('branchId');
  const workplaceField = fld('workplaceId');

  // The member: the applicant, or the contact of a branch or workplace.
  const chosen = h('p', { class: 'hint chosen-member', 'data-testid': 'applicant-chosen', 'aria-live': 'polite', id: nextId('chosen') });
  const memberError = h('p', { class: 'field-error', 'data-testid': 'error-memberId', id: nextId('member-err') });
  const memberLabel = h('label', { class: 'picker-label' });
  const picker = memberPicker({
    prefix: 'applicant',
    placeholder: t('grants.memberSearch'),
    label: t('grants.memberSearch'),
    resultsLabel: t('invite.results'),
    detail: (r) => [r.number, r.city].filter(Boolean).join(' · '),
    onPick: (r) => {
      member = { id: r.id, name: `${listName(r)}${r.number ? ` (${r.number})` : ''}` };
      memberError.textContent = '';
      picker.input.removeAttribute('aria-invalid');
      drawChosen();
    },
  });
  memberLabel.setAttribute('for', picker.input.id);
  picker.input.setAttribute('aria-describedby', `${chosen.id} ${memberError.id}`);
  const drawChosen = () => {
    chosen.textContent = member ? t('grants.chosenMember', { name: member.name }) : t('grants.noMemberChosen');
  };
  drawChosen();
  const memberField = h('div', { class: 'field wide picker' }, memberLabel, picker.input, picker.results, chosen, memberError);
  const showKind = () => {
    const k = c.applicantKind.value;
    memberLabel.textContent = t(k === 'member' ? 'grants.field.member' : 'grants.field.contact');
    branchField.hidden = k !== 'branch';
    workplaceField.hidden = k !== 'workplace';
  };
  c.applicantKind.addEventListener('change', showKind);
  showKind();

  // Budget lines with the live sum.
  const linesBox = h('div', { class: 'roles lines' });
  const sum = h('p', { class: 'lines-sum', 'data-testid': 'lines-sum', 'aria-live': 'polite' });
  const amountError = h('p', { class: 'field-error', 'data-testid': 'error-amount' });
  // Core reads the amounts (amounts_parse); only the latest answer is shown.
  let asked = 0;
  const drawSum = async () => {
    const mine = ++asked;
    let values;
    try {
      values = await api.amountsParse(lines.map((l) => l.amount));
    } catch (_) {
      return;
    }
    if (mine !== asked) return;
    const known = values.filter((v) => v !== null);
    sum.textContent = t('grants.linesTotal', { amount: formatAmount(known.reduce((x, y) => x + y, 0)) })
      + (known.length < values.length ? ` ${t('grants.linesUnread')}` : '');
  };
  const addLine = h('button', { type: 'button', class: 'btn', 'data-testid': 'line-add' }, t('grants.addLine'));
  editRows({
    items: lines,
    box: linesBox,
    add: addLine,
    newItem: () => ({ item: '', amount: '' }),
    focusTestid: 'line-item',
    removeTestid: 'line-remove',
    removeLabel: (i) => t('grants.removeLine', { n: i + 1 }),
    drawRow: (l, i, remove) => lineRow(l, i, remove, drawSum),
    after: drawSum,
  });

  const { line: formError, save, cancel } = formControls(() => ctx.onCancel());
  const titleId = nextId('app-form-title');
  const form = h('form', { class: 'member-form application-form', 'data-testid': 'application-form', novalidate: true, 'aria-labelledby': titleId },
    h('h3', { id: titleId }, editing ? t('grants.editApplication', { title: a.title }) : t('grants.newApplicationTitle', { fund: fund.name })),
    h('fieldset', null, h('legend', null, t('grants.group.who')),
      h('div', { class: 'grid' }, fld('applicantKind'), branchField, workplaceField, memberField)),
    h('fieldset', null, h('legend', null, t('grants.group.what')),
      h('div', { class: 'grid' }, fld('title', { wide: true }), fld('purpose', { wide: true }),
        fld('activity', { hint: t('grants.activityHint') }), fld('plannedDate'), fld('participants')),
      h('datalist', { id: datalistId }, ACTIVITIES.map((x) => h('option', { value: activityName(x) })))),
    h('fieldset', null, h('legend', null, t('grants.lines')),
      linesBox, h('div', { class: 'lines-foot' }, addLine, sum), amountError),
    formError,
    h('div', { class: 'form-actions' }, save, cancel));
  cancelOnEscape(form, () => ctx.onCancel());

  submitForm({
    form,
    save,
    line: formError,
    textFor: grantFieldText,
    read: () => {
      const participants = c.participants.value.trim();
      if (participants && !/^\d+$/.test(participants)) return { errors: [{ field: 'participants', code: 'invalid_number' }] };
      const kind = c.applicantKind.value;
      return {
        input: {
          fundId: fund.id,
          applicantKind: kind,
          memberId: member ? member.id : null,
          branchId: kind === 'branch' ? idFrom(store.branches, c.branchId.value) : null,
          workplaceId: kind === 'workplace' ? idFrom(store.workplaces, c.workplaceId.value) : null,
          title: c.title.value.trim(),
          purpose: c.purpose.value.replace(/\s+$/, ''),
          activity: c.activity.value.trim(),
          plannedDate: c.plannedDate.value.trim(),
          participants: participants ? Number(participants) : null,
          lines: lines.map((l) => ({ item: l.item.trim(), amount: l.amount.trim() })),
          amount: '',
          // Another officer's save since the form opened is refused, not overwritten.
          version: editing ? a.version : null,
        },
      };
    },
    send: (input) => (editing ? api.grantEdit(a.id, input) : api.grantApply(input)),
    done: (saved) => ctx.onSaved(saved),
    fail: (err) => {
      // No member chosen: the search box is marked, and the errors shown as usual.
      if (err.code === 'validation' && err.fields.some((f) => f.field === 'memberId')) {
        picker.input.setAttribute('aria-invalid', 'true');
      }
      if (!/^above_/.test(err.code) && err.code !== 'no_amount') return false;
      amountError.textContent = errorText(err);
      formError.textContent = t('error.validation');
      const first = linesBox.querySelector('[data-testid="line-amount"]');
      if (first) first.focus();
      return true;
    },
  });
  replace(pane, form);
  (editing ? c.title : (kinds.length > 1 ? c.applicantKind : picker.input)).focus();
}
