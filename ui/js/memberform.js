// The member form (new / edit) of the Members area: person, address,
// contact, membership, roles (rows added and removed in place) and notes.
import { api } from './api.js';
import {
  h, replace, options, todayIso, nextId,
} from './dom.js';
import { t, countryName, language } from './i18n.js';
import {
  store, idFrom, field, STATUSES, KINDS, MEMBERSHIP_TYPES, ROLES, MEMBER_COUNTRIES, workplaceLabel,
  branchFollowsWorkplace,
} from './state.js';
import { submitForm, formControls, cancelOnEscape } from './form.js';
import { editRows } from './editrows.js';
import { fullName, fieldErrorLine } from './membernames.js';

const COUNTRY_LANGUAGE = { SE: 'sv', DK: 'da', NO: 'nb' };

function textInput(name, value, extra = {}) {
  return h('input', {
    type: 'text', id: nextId(`f-${name}`), name, 'data-testid': `field-${name}`, value: value || '', autocomplete: 'off', ...extra,
  });
}

function dateInput(name, value) {
  return textInput(name, value, { placeholder: t('date.placeholder'), spellcheck: 'false', class: 'date-input' });
}

function selectInput(name, items, value) {
  return h('select', { id: nextId(`f-${name}`), name, 'data-testid': `field-${name}` }, options(items, value));
}

function countryItems(current) {
  const codes = [...MEMBER_COUNTRIES];
  if (current && !codes.includes(current)) codes.push(current);
  return codes.map((c) => [c, countryName(c)]);
}

/** A role's row: its type, from and to (the dates as typed), its Remove button. */
function roleRow(r, i, remove) {
  const type = h('select', { id: nextId('role-type'), 'data-testid': 'role-type' }, options(ROLES.map((x) => [x, t(`role.${x}`)]), r.role));
  type.addEventListener('change', () => { r.role = type.value; });
  const from = h('input', { type: 'text', id: nextId('role-from'), 'data-testid': 'role-from', value: r.from, placeholder: t('date.placeholder'), class: 'date-input', autocomplete: 'off', spellcheck: 'false' });
  from.addEventListener('input', () => { r.from = from.value; });
  const to = h('input', { type: 'text', id: nextId('role-to'), 'data-testid': 'role-to', value: r.to, placeholder: t('date.placeholder'), class: 'date-input', autocomplete: 'off', spellcheck: 'false' });
  to.addEventListener('input', () => { r.to = to.value; });
  return h('div', { class: 'role-row', 'data-testid': 'role-row' },
    field({ label: t('role.type'), control: type, errorName: `roles.${i}.role` }),
    field({ label: t('role.from'), control: from, errorName: `roles.${i}.from` }),
    field({ label: t('role.to'), control: to, errorName: `roles.${i}.to` }),
    h('div', { class: 'role-remove' }, remove));
}

/**
 * The form for `member` (null: a new one) in `pane`. ctx: {kind, branchId
 * (the list's filters: a new member's defaults), onCancel(), onSaved(member)
 * (while the form is still shown)}.
 */
export function renderMemberForm(pane, member, ctx) {
  const editing = !!member;
  const org = store.info && store.info.org;
  const orgCountry = org ? org.country : 'SE';
  const m = member || {
    number: '', kind: ctx.kind || 'member', firstName: '', lastName: '', careOf: '', address1: '', address2: '',
    postcode: '', city: '', country: orgCountry, email: '', phone: '', birthDate: null,
    language: COUNTRY_LANGUAGE[orgCountry] || language(), membershipType: 'ordinary', status: 'active',
    joinedDate: null, branchId: ctx.branchId ? idFrom(store.branches, ctx.branchId) : null,
    workplaceId: null, notes: '', roles: [],
  };

  const f = {
    number: textInput('number', m.number, { inputmode: 'numeric', spellcheck: 'false' }),
    firstName: textInput('firstName', m.firstName, { autocomplete: 'off' }),
    lastName: textInput('lastName', m.lastName),
    careOf: textInput('careOf', m.careOf),
    address1: textInput('address1', m.address1),
    address2: textInput('address2', m.address2),
    postcode: textInput('postcode', m.postcode, { class: 'short' }),
    city: textInput('city', m.city),
    country: selectInput('country', countryItems(m.country), m.country || orgCountry),
    email: textInput('email', m.email, { type: 'email', spellcheck: 'false' }),
    phone: textInput('phone', m.phone, { type: 'tel' }),
    birthDate: dateInput('birthDate', m.birthDate),
    language: selectInput('language', ['sv', 'da', 'nb', 'en'].map((l) => [l, t(`language.${l}`)]), m.language),
    membershipType: selectInput('membershipType', MEMBERSHIP_TYPES.map((x) => [x, t(`membershipType.${x}`)]), m.membershipType),
    status: editing ? null : selectInput('status', STATUSES.map((x) => [x, t(`status.${x}`)]), m.status || 'active'),
    joinedDate: dateInput('joinedDate', m.joinedDate),
    branchId: selectInput('branchId', [['', t('form.noBranch')], ...store.branches.map((b) => [b.id, b.name])], m.branchId ?? ''),
    workplaceId: selectInput('workplaceId', [['', t('form.noWorkplace')], ...store.workplaces.map((w) => [w.id, workplaceLabel(w)])], m.workplaceId ?? ''),
    notes: h('textarea', { id: nextId('f-notes'), name: 'notes', 'data-testid': 'field-notes', rows: '4', value: m.notes || '' }),
    kind: selectInput('kind', KINDS.map((k) => [k, t(`kind.${k}`)]), m.kind),
  };
  branchFollowsWorkplace(f.workplaceId, f.branchId);

  const fld = (name, opts = {}) => field({ label: t(`field.${name}`), control: f[name], errorName: name, ...opts });

  // Roles editor
  const roles = (m.roles || []).map((r) => ({ id: r.id ?? null, role: r.role, from: r.from || '', to: r.to || '' }));
  const rolesBox = h('div', { class: 'roles' });
  const addRole = h('button', { type: 'button', class: 'btn', 'data-testid': 'role-add' }, t('role.add'));
  editRows({
    items: roles,
    box: rolesBox,
    add: addRole,
    newItem: () => ({ id: null, role: 'board_member', from: todayIso(), to: '' }),
    focusTestid: 'role-type',
    removeTestid: 'role-remove',
    removeLabel: (i) => t('role.removeNamed', { n: i + 1 }),
    drawRow: roleRow,
    empty: () => h('p', { class: 'muted' }, t('detail.noRoles')),
  });

  const { line: formError, save, cancel } = formControls(() => ctx.onCancel());

  const titleId = nextId('form-title');
  const form = h('form', { class: 'member-form', 'data-testid': 'member-form', novalidate: true, 'aria-labelledby': titleId },
    h('h2', { id: titleId }, editing ? t('form.editTitle', { name: fullName(m) }) : t('form.newTitle')),
    h('fieldset', null, h('legend', null, t('group.person')),
      h('div', { class: 'grid' }, fld('firstName'), fld('lastName'), fld('birthDate'), fld('language'))),
    h('fieldset', null, h('legend', null, t('group.address')),
      h('div', { class: 'grid' }, fld('careOf', { wide: true }), fld('address1', { wide: true }), fld('address2', { wide: true }),
        fld('postcode'), fld('city'), fld('country'))),
    h('fieldset', null, h('legend', null, t('group.contact')),
      h('div', { class: 'grid' }, fld('email'), fld('phone'))),
    h('fieldset', null, h('legend', null, t('group.membership')),
      h('div', { class: 'grid' }, fld('kind'), fld('number', { hint: t('form.numberHint') }), fld('membershipType'),
        editing ? null : fld('status'), fld('joinedDate'), fld('branchId'), fld('workplaceId'))),
    h('fieldset', null, h('legend', null, t('group.roles')), rolesBox, h('div', { class: 'roles-actions' }, addRole)),
    h('fieldset', null, h('legend', null, t('group.notes')), fld('notes', { wide: true })),
    formError,
    h('div', { class: 'form-actions' }, save, cancel));

  cancelOnEscape(form, () => ctx.onCancel());

  const val = (x) => x.value.trim();
  submitForm({
    form,
    save,
    line: formError,
    unplacedText: fieldErrorLine,
    read: () => ({
      input: {
        number: val(f.number),
        kind: f.kind.value,
        firstName: val(f.firstName),
        lastName: val(f.lastName),
        careOf: val(f.careOf),
        address1: val(f.address1),
        address2: val(f.address2),
        postcode: val(f.postcode),
        city: val(f.city),
        country: f.country.value,
        email: val(f.email),
        phone: val(f.phone),
        birthDate: val(f.birthDate) || null,
        language: f.language.value,
        membershipType: f.membershipType.value,
        status: editing ? member.status : f.status.value,
        joinedDate: val(f.joinedDate) || null,
        branchId: idFrom(store.branches, f.branchId.value),
        workplaceId: idFrom(store.workplaces, f.workplaceId.value),
        notes: f.notes.value.replace(/\s+$/, ''),
        roles: roles.map((r) => ({ id: r.id, role: r.role, from: r.from.trim(), to: r.to.trim() || null })),
        // The save is refused if someone else saved the member since the form opened.
        version: editing ? member.version : null,
      },
    }),
    send: (input) => (editing ? api.memberUpdate(member.id, input) : api.memberCreate(input)),
    done: (saved) => ctx.onSaved(saved),
  });

  replace(pane, form);
  pane.scrollTop = 0;
  f.firstName.focus();
}
