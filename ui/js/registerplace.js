// Settings → Register location: where the register is, moving it from this
// computer onto an empty database on the office server, and saving a copy of
// the server's register on this computer. Whole or nothing, with progress and
// a Stop button; the register moved from is left as it was.
import { api, channel, dialogPath } from './api.js';
import { h, replace, nextId } from './dom.js';
import { t, tp, formatNumber } from './i18n.js';
import { store, field } from './state.js';
import { onSubmit, showFormError } from './form.js';

/** The card in Settings. */
export function registerPlaceSection() {
  const server = store.info.server;
  const titleId = nextId('place-title');
  const where = server
    ? t('place.onServer', { place: server })
    : t('place.onComputer', { path: store.info.dbPath || '' });
  const open = h('button', { type: 'button', class: 'btn', 'data-testid': server ? 'place-copy' : 'place-move' },
    t(server ? 'place.copyButton' : 'place.moveButton'));
  open.addEventListener('click', () => (server ? openCopy(open) : openMove(open)));
  return h('section', { class: 'card', 'aria-labelledby': titleId, 'data-testid': 'register-location' },
    h('h2', { id: titleId }, t('place.title')),
    h('p', { class: 'selectable', 'data-testid': 'place-where' }, where),
    h('p', { class: 'muted' }, t(server ? 'place.copyIntro' : 'place.moveIntro')),
    h('div', { class: 'actions' }, open));
}

/** A dialog around `form`, closed with `finish()` (the focus back on `opener`). */
function dialogFor(testid, titleId, form, opener) {
  const dialog = h('dialog', { class: 'dialog', 'data-testid': testid, 'aria-labelledby': titleId }, form);
  document.body.appendChild(dialog);
  const finish = () => {
    if (dialog.open) dialog.close();
    dialog.remove();
    if (opener && opener.isConnected) opener.focus();
  };
  // Esc closes it, except while a copy runs (Stop ends that).
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    const close = form.querySelector('[data-testid="place-close"]');
    if (!close || !close.disabled) finish();
  });
  if (typeof dialog.showModal === 'function') dialog.showModal();
  return finish;
}

/**
 * Runs `start(onProgress)` showing a bar of tables done in `slot`, with a Stop
 * button; `done(report)` or the refusal's sentence in `line`.
 */
async function runCopy({ slot, line, buttons, start, done }) {
  const bar = h('progress', { 'data-testid': 'place-progress', max: '1' });
  const stop = h('button', { type: 'button', class: 'btn', 'data-testid': 'place-stop' }, t('place.stop'));
  stop.addEventListener('click', () => {
    stop.disabled = true;
    api.registerMoveCancel().catch(() => {});
  });
  replace(slot, h('div', { class: 'progress-field', 'aria-busy': 'true' },
    h('label', null, t('place.working')), bar, stop));
  for (const b of buttons) b.disabled = true;
  const ch = channel((p) => {
    if (p && p.total) bar.value = p.done / p.total;
  });
  try {
    const report = await start(ch);
    replace(slot, done(report));
  } catch (err) {
    replace(slot);
    showFormError(slot.closest('form'), line, err, { prefix: 'place-', focus: true });
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

/** What a move copied, in a sentence. */
function movedText(report) {
  const rows = (table) => (report.moved.tables.find((x) => x.table === table) || { rows: 0 }).rows;
  return tp('place.moved', rows('members'), {
    place: report.place,
    history: formatNumber(rows('member_history')),
    invoices: formatNumber(rows('invoices')),
  });
}

function openMove(opener) {
  const titleId = nextId('move-server-title');
  const input = (name, attrs = {}) => h('input', {
    type: 'text', 'data-testid': `place-${name}`, autocomplete: 'off', spellcheck: 'false', ...attrs,
  });
  const host = input('host');
  const port = input('port', { inputmode: 'numeric', value: '5432' });
  const database = input('database', { value: 'medlem' });
  const user = input('user');
  const password = input('password', { type: 'password' });
  const go = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'place-go' }, t('place.moveGo'));
  const close = h('button', { type: 'button', class: 'btn', 'data-testid': 'place-close' }, t('action.close'));
  const slot = h('div', { 'data-testid': 'place-slot' });
  const line = h('p', { class: 'form-error', 'data-testid': 'place-error', role: 'alert', tabindex: '-1' });
  const form = h('form', { class: 'dialog-form', novalidate: true },
    h('h2', { id: titleId }, t('place.moveTitle')),
    h('p', { class: 'muted' }, t('place.moveExplain')),
    field({ label: t('place.host'), control: host, errorName: 'place-host' }),
    field({ label: t('place.port'), control: port, errorName: 'place-port' }),
    field({ label: t('place.database'), control: database, errorName: 'place-database' }),
    field({ label: t('place.user'), control: user, errorName: 'place-user' }),
    field({ label: t('place.password'), control: password, errorName: 'place-password' }),
    slot, line,
    h('div', { class: 'actions' }, go, close));
  const finish = dialogFor('place-dialog', titleId, form, opener);
  close.addEventListener('click', finish);
  onSubmit(form, line, () => runCopy({
    slot,
    line,
    buttons: [go, close],
    start: (onProgress) => api.registerMoveToServer({
      host: host.value, port: port.value, database: database.value, user: user.value, password: password.value,
    }, onProgress),
    done: (report) => h('div', { class: 'ok-box', 'data-testid': 'place-result', role: 'status' },
      h('p', { class: 'result-title' }, movedText(report)),
      h('p', null, t('place.nextStart')),
      h('p', null, h('code', { class: 'selectable place-address', 'data-testid': 'place-address' }, `medlem --db ${report.address}`))),
  }));
  host.focus();
}

function openCopy(opener) {
  const titleId = nextId('copy-file-title');
  const path = h('input', {
    type: 'text', 'data-testid': 'place-path', class: 'path-input', autocomplete: 'off', spellcheck: 'false',
  });
  const choose = h('button', { type: 'button', class: 'btn', 'data-testid': 'place-choose' }, t('backup.choose'));
  choose.addEventListener('click', async () => {
    try {
      const chosen = dialogPath(await api.dialogSave({ defaultPath: 'medlem.sqlite' }));
      if (chosen) path.value = chosen;
    } catch (_) { /* no dialog: the path is typed */ }
  });
  const go = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'place-go' }, t('place.copyGo'));
  const close = h('button', { type: 'button', class: 'btn', 'data-testid': 'place-close' }, t('action.close'));
  const slot = h('div', { 'data-testid': 'place-slot' });
  const line = h('p', { class: 'form-error', 'data-testid': 'place-error', role: 'alert', tabindex: '-1' });
  const form = h('form', { class: 'dialog-form', novalidate: true },
    h('h2', { id: titleId }, t('place.copyTitle')),
    h('p', { class: 'muted' }, t('place.copyExplain')),
    field({ label: t('place.file'), control: h('div', { class: 'path-row' }, path, choose), errorName: 'place-path' }),
    slot, line,
    h('div', { class: 'actions' }, go, close));
  const finish = dialogFor('place-dialog', titleId, form, opener);
  close.addEventListener('click', finish);
  onSubmit(form, line, () => runCopy({
    slot,
    line,
    buttons: [go, close, choose],
    start: (onProgress) => api.registerCopyToFile(path.value.trim(), onProgress),
    done: (report) => h('div', { class: 'ok-box', 'data-testid': 'place-result', role: 'status' },
      h('p', { class: 'result-title' }, movedText(report))),
  }));
  path.focus();
}
