// The command contract with src-tauri (docs/commands.md). Every function here
// returns a Promise; rejections are always normalised to {code, message, fields, details}.

export const ERROR_CODES = [
  'validation', 'not_found', 'no_organisation', 'newer_database',
  'database_unwritable', 'database_corrupt', 'io', 'file_not_found', 'internal', 'invalid_file', 'file_too_large',
  'missing_columns', 'import_problems', 'import_changed', 'cancelled',
  // backups
  'no_passphrase', 'wrong_passphrase', 'passphrase_needed', 'not_a_backup', 'backup_damaged',
  'newer_backup', 'backup_unverified', 'no_key_file', 'disk_full', 'backup_write_failed', 'in_use',
  // letters
  'unknown_field', 'template_syntax', 'address_too_long', 'unprintable', 'nothing_to_print', 'protected_file',
  // meetings
  'not_invited', 'reply_changed', 'below_seated', 'guests_not_allowed',
  // grants
  'step_not_allowed', 'no_amount', 'above_requested', 'above_cap', 'above_remaining', 'above_approved',
  'budget_below_used', 'fund_has_applications',
  // dues
  'nothing_to_bill', 'run_changed', 'reminders_changed', 'run_has_payments',
  'not_a_bank_file', 'bank_file_truncated', 'bank_file_malformed', 'other_account', 'payment_state',
  'nothing_to_export', 'invoice_state',
  // the office server
  'server_unreachable', 'server_login', 'not_on_server', 'member_changed', 'meeting_changed', 'application_changed', 'server_lost', 'register_not_empty',
  'server_certificate_new', 'tls_changed', 'tls_untrusted', 'server_no_tls', 'server_not_medlem',
];

export const FIELD_ERROR_CODES = [
  'required', 'invalid_email', 'invalid_date', 'invalid_number', 'duplicate',
  'too_long', 'too_short', 'invalid_choice', 'date_order', 'in_future', 'mismatch', 'invalid_link',
  'invalid_amount', 'invalid_character', 'invalid_month', 'invalid_day',
  'invalid_period', 'check_digit', 'invalid_bank_number',
];

/**
 * What an error names beyond its code (core's `Details`): part, field, line,
 * member, character, amount, count, stage, step, fingerprint. Only known keys of the
 * right type are kept.
 */
function normaliseDetails(d) {
  const out = {};
  if (!d || typeof d !== 'object') return out;
  for (const k of ['part', 'field', 'member', 'character', 'stage', 'step', 'fingerprint']) {
    if (typeof d[k] === 'string') out[k] = d[k];
  }
  for (const k of ['line', 'amount', 'count']) {
    if (Number.isFinite(d[k])) out[k] = d[k];
  }
  return out;
}

/** Any rejection (or a BackupEvent's error) as {code, message, fields, details} with a known code. */
export function normaliseError(e) {
  let err = e;
  if (typeof err === 'string') {
    try {
      const parsed = JSON.parse(err);
      if (parsed && typeof parsed === 'object') err = parsed;
    } catch (_) {
      return { code: 'internal', message: err, fields: [], details: {} };
    }
  }
  if (err && typeof err === 'object' && typeof err.code === 'string') {
    return {
      code: ERROR_CODES.includes(err.code) ? err.code : 'internal',
      message: typeof err.message === 'string' ? err.message : '',
      fields: Array.isArray(err.fields)
        ? err.fields.filter((f) => f && typeof f.field === 'string' && typeof f.code === 'string')
        : [],
      details: normaliseDetails(err.details),
    };
  }
  return { code: 'internal', message: String(err && err.message ? err.message : err), fields: [], details: {} };
}

export async function invoke(cmd, args) {
  const tauri = window.__TAURI__;
  if (!tauri || !tauri.core || typeof tauri.core.invoke !== 'function') {
    throw { code: 'internal', message: 'window.__TAURI__.core.invoke is not available', fields: [], details: {} };
  }
  try {
    return await tauri.core.invoke(cmd, args || {});
  } catch (e) {
    const err = normaliseError(e);
    if (err.code !== 'validation') console.error(`[medlem] ${cmd} failed: ${err.code}: ${err.message}`);
    // The window offers to connect anew, whichever area met it.
    if (err.code === 'server_lost') document.dispatchEvent(new CustomEvent('medlem:server-lost'));
    throw err;
  }
}

export const api = {
  appInfo: () => invoke('app_info'),
  orgCreate: (org) => invoke('org_create', { org }),
  orgUpdate: (org) => invoke('org_update', { org }),
  demoCreate: (count = null) => invoke('demo_create', { count }),
  setLanguage: (language) => invoke('settings_set_language', { language }),
  membersList: (query) => invoke('members_list', { query }),
  membersIds: (query) => invoke('members_ids', { query }),
  membersPosition: (query, prefix) => invoke('members_position', { query, prefix }),
  membersBulk: (ids, change, onProgress) => invoke('members_bulk', { ids, change, onProgress }),
  membersBulkCancel: () => invoke('members_bulk_cancel'),
  memberViewGet: () => invoke('member_view_get'),
  memberViewSet: (view) => invoke('member_view_set', { view }),
  memberGet: (id) => invoke('member_get', { id }),
  memberCreate: (member) => invoke('member_create', { member }),
  memberUpdate: (id, member) => invoke('member_update', { id, member }),
  memberSetStatus: (id, status, date) => invoke('member_set_status', { id, status, date }),
  memberHistory: (id) => invoke('member_history', { id }),
  branchesList: () => invoke('branches_list'),
  branchCreate: (name) => invoke('branch_create', { name }),
  workplacesList: () => invoke('workplaces_list'),
  workplaceCreate: (name, branchId) => invoke('workplace_create', { name, branchId }),
  importPreview: (path, mapping) => invoke('import_preview', { path, mapping }),
  importCommit: (path, mapping, options, onProgress) => invoke('import_commit', { path, mapping, options, onProgress }),
  importCancel: () => invoke('import_cancel'),
  registerMoveToServer: (server, onProgress) => invoke('register_move_to_server', { server, onProgress }),
  registerCopyToFile: (path, onProgress) => invoke('register_copy_to_file', { path, onProgress }),
  registerMoveCancel: () => invoke('register_move_cancel'),
  serverLogin: (password) => invoke('server_login', { password }),
  serverTrust: (fingerprint) => invoke('server_trust', { fingerprint }),
  serverReconnect: () => invoke('server_reconnect'),
  registerLocationConnect: (server) => invoke('register_location_connect', { server }),
  registerLocationSet: (address) => invoke('register_location_set', { address }),
  fileExists: (path) => invoke('file_exists', { path }),
  exportMembers: (path, format, query, language) => invoke('export_members', {
    path, format, query, language,
  }),
  backupStatus: () => invoke('backup_status'),
  backupSetPassphrase: (passphrase, repeat) => invoke('backup_set_passphrase', { passphrase, repeat }),
  backupNow: (folder, onProgress) => invoke('backup_now', { folder, onProgress }),
  backupScheduleSet: (schedule) => invoke('backup_schedule_set', { schedule }),
  backupInspect: (file, passphrase) => invoke('backup_inspect', { file, passphrase }),
  backupRestore: (file, passphrase, onProgress) => invoke('backup_restore', { file, passphrase, onProgress }),
  backupWatch: (onEvent) => invoke('backup_watch', { onEvent }),
  safetyCopiesList: () => invoke('safety_copies_list'),
  safetyCopyRestore: (file) => invoke('safety_copy_restore', { file }),
  lockOpenAnyway: () => invoke('lock_open_anyway'),
  appClose: () => invoke('app_close'),
  letterTemplatesList: () => invoke('letter_templates_list'),
  letterTemplateSave: (template) => invoke('letter_template_save', { template }),
  letterTemplateReset: (key, language) => invoke('letter_template_reset', { key, language }),
  letterPreview: (template, memberId) => invoke('letter_preview', { template, memberId }),
  letterSettingsGet: () => invoke('letter_settings_get'),
  letterSettingsSet: (settings) => invoke('letter_settings_set', { settings }),
  letterLogoSet: (path) => invoke('letter_logo_set', { path }),
  lettersPrint: (key, query, path, onProgress) => invoke('letters_print', {
    key, query, path, onProgress,
  }),
  lettersCancel: () => invoke('letters_cancel'),
  labelsPrint: ({
    query, sheet, households, offsetX, offsetY, path,
  }) => invoke('labels_print', {
    query, sheet, households, offsetX, offsetY, path,
  }),
  listPrint: (query, kind, path) => invoke('list_print', { query, kind, path }),
  calibrationPrint: (path) => invoke('calibration_print', { path }),
  pdfOpen: (path) => invoke('pdf_open', { path }),
  selectionsList: () => invoke('selections_list'),
  selectionSave: (name, query) => invoke('selection_save', { name, query }),
  selectionDelete: (name) => invoke('selection_delete', { name }),
  meetingsList: () => invoke('meetings_list'),
  meetingGet: (id) => invoke('meeting_get', { id }),
  meetingCreate: (meeting) => invoke('meeting_create', { meeting }),
  meetingUpdate: (id, meeting, moveToWaiting = null) => invoke('meeting_update', { id, meeting, moveToWaiting }),
  meetingDelete: (id) => invoke('meeting_delete', { id }),
  meetingRepeat: (id, every, count) => invoke('meeting_repeat', { id, every, count }),
  meetingInvite: (id, selection) => invoke('meeting_invite', { id, selection }),
  meetingUninvite: (id, memberId) => invoke('meeting_uninvite', { id, memberId }),
  /** A page of the people list: {place, find, offset, limit, keep}. */
  meetingPeople: (id, query) => invoke('meeting_people', { id, query }),
  meetingReply: (id, memberId, yes) => invoke('meeting_reply', { id, memberId, yes }),
  meetingReplyUndo: (id, undo) => invoke('meeting_reply_undo', { id, undo }),
  meetingAttend: (id, memberId, present) => invoke('meeting_attend', { id, memberId, present }),
  meetingEmails: (id) => invoke('meeting_emails', { id }),
  meetingLettersPrint: (id, seats, path, onProgress) => invoke('meeting_letters_print', {
    id, seats, path, onProgress,
  }),
  meetingIcsSave: (id, path) => invoke('meeting_ics_save', { id, path }),
  meetingSignaturesPrint: (id, path) => invoke('meeting_signatures_print', { id, path }),
  meetingVotersFreeze: (id, cutoff) => invoke('meeting_voters_freeze', { id, cutoff }),
  meetingVotersPrint: (id, path) => invoke('meeting_voters_print', { id, path }),
  statutesGet: () => invoke('statutes_get'),
  statutesSet: (statutes) => invoke('statutes_set', { statutes }),
  fundsList: () => invoke('funds_list'),
  fundGet: (id) => invoke('fund_get', { id }),
  fundCreate: (fund) => invoke('fund_create', { fund }),
  fundUpdate: (id, fund) => invoke('fund_update', { id, fund }),
  fundDelete: (id) => invoke('fund_delete', { id }),
  grantsList: (query) => invoke('grants_list', { query }),
  grantGet: (id) => invoke('grant_get', { id }),
  grantApply: (application) => invoke('grant_apply', { application }),
  grantEdit: (id, application) => invoke('grant_edit', { id, application }),
  grantStep: (id, step) => invoke('grant_step', { id, step }),
  grantLetterPrint: (id, path) => invoke('grant_letter_print', { id, path }),
  grantRemindersPrint: (path) => invoke('grant_reminders_print', { path }),
  grantAttach: (id, path) => invoke('grant_attach', { id, path }),
  grantAttachmentSave: (file, path) => invoke('grant_attachment_save', { file, path }),
  grantDetach: (file) => invoke('grant_detach', { file }),
  outgoingList: () => invoke('outgoing_list'),
  outgoingSave: (id, outgoing) => invoke('outgoing_save', { id, outgoing }),
  outgoingDelete: (id) => invoke('outgoing_delete', { id }),
  amountsParse: (texts) => invoke('amounts_parse', { texts }),
  // dues
  paymentsGet: () => invoke('payments_get'),
  paymentsSet: (input) => invoke('payments_set', { input }),
  feeRulesList: () => invoke('fee_rules_list'),
  feeRuleSet: (rule) => invoke('fee_rule_set', { rule }),
  feeRuleDelete: (id) => invoke('fee_rule_delete', { id }),
  duesPreview: (options) => invoke('dues_preview', { options }),
  duesRun: (options) => invoke('dues_run', { options }),
  duesRunsList: () => invoke('dues_runs_list'),
  duesRunCancel: (id) => invoke('dues_run_cancel', { id }),
  invoicesList: (filter) => invoke('invoices_list', { filter }),
  invoicesPrint: (filter, path) => invoke('invoices_print', { filter, path }),
  duesSettingsGet: () => invoke('dues_settings_get'),
  duesSettingsSet: (input) => invoke('dues_settings_set', { input }),
  remindersDue: () => invoke('reminders_due'),
  remindersPrint: (path) => invoke('reminders_print', { path }),
  arrearsGet: () => invoke('arrears_get'),
  bankFileImport: (path, dryRun) => invoke('bank_file_import', { path, dryRun }),
  paymentsList: (filter) => invoke('payments_list', { filter }),
  paymentAssign: (id, to) => invoke('payment_assign', { id, to }),
  paymentAdd: (payment) => invoke('payment_add', { payment }),
  paymentReverse: (id) => invoke('payment_reverse', { id }),
  memberAccount: (memberId) => invoke('member_account', { memberId }),
  invoiceWriteOff: (id) => invoke('invoice_write_off', { id }),
  duesOverview: () => invoke('dues_overview'),
  memberDuesSet: (memberId, dues) => invoke('member_dues_set', { memberId, dues }),
  bookAccountsGet: () => invoke('book_accounts_get'),
  bookAccountsSet: (input) => invoke('book_accounts_set', { input }),
  booksPreview: (input) => invoke('books_preview', { input }),
  booksExport: (input, path) => invoke('books_export', { input, path }),
  // The dialog plugin: the chosen path, or null when the user cancels.
  dialogOpen: (options) => invoke('plugin:dialog|open', { options }),
  dialogSave: (options) => invoke('plugin:dialog|save', { options }),
};

/** A path from the dialog plugin's answer (a string; tolerate {path} and [path]). */
export function dialogPath(answer) {
  const a = Array.isArray(answer) ? answer[0] : answer;
  if (typeof a === 'string') return a;
  if (a && typeof a === 'object' && typeof a.path === 'string') return a.path;
  return null;
}

/**
 * A Tauri Channel whose messages go to `onMessage` (progress of a long command,
 * background backup events). Null outside Tauri.
 */
export function channel(onMessage) {
  const core = window.__TAURI__ && window.__TAURI__.core;
  if (!core || typeof core.Channel !== 'function') return null;
  const ch = new core.Channel();
  ch.onmessage = (message) => {
    try {
      onMessage(message);
    } catch (e) {
      console.error('[medlem] a channel message could not be handled', e);
    }
  };
  return ch;
}
