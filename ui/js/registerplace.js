// Settings → Register location: where the register is, moving it from this
// computer onto an empty database on the office server, and saving a copy of
// the server's register on this computer. Whole or nothing, with progress and
// a Stop button; the register moved from is left as it was.
import { api, channel, dialogPath } from './api.js';
import { h, replace, nextId } from './dom.js';
import { t, tp, formatNumber } from './i18n.js';
import { store, field, toast, errorText } from './state.js';
import { onSubmit, showFormError } from './form.js';

/** The card in Settings. */
export function registerPlaceSection() {
  const server = store.info.server;
  const titleId = nextId('place-title');
  const where = server
    ? t('place.onServer', { place: server })
    : t('place.onComputer', { path: store.info.dbPath || '' });
  const button = (testid, key, open) => {
    const b = h('button', { type: 'button', class: 'btn', 'data-testid': testid }, t(key));
    b.addEventListener('click', () => open(b));
    return b;
  };
  const remembered = h('div', { class: 'place-next', 'data-testid': 'place-next' });
  showRemembered(remembered);
  const buttons = server
    ? [button('place-copy', 'place.copyButton', openCopy)]
    : [button('place-move', 'place.moveButton', (b) => openServer(b, 'move', remembered)),
      button('place-connect', 'place.connectButton', (b) => openServer(b, 'connect', remembered))];
  return h('section', { class: 'card', 'aria-labelledby': titleId, 'data-testid': 'register-location' },
    h('h2', { id: titleId }, t('place.title')),
    h('p', { class: 'selectable', 'data-testid': 'place-where' }, where),
    server ? h('p', { 'data-testid': 'place-tls' }, t(store.info.encrypted ? 'place.encrypted' : 'place.plain')) : null,
    h('p', { class: 'muted' }, t(server ? 'place.copyIntro' : 'place.moveIntro')),
    remembered,
    h('div', { class: 'actions' }, ...buttons));
}

/**
 * What Medlem opens from the next start without --db (the register chosen
 * here), with the way back to the file on this computer; empty for the file.
 */
function showRemembered(el) {
  const address = store.info.remembered;
  if (!address) { replace(el); return; }
  const line = h('p', { class: 'form-error', 'data-testid': 'place-forget-error', role: 'alert' });
  const back = forgetButton('place-forget', line, () => {
    store.info.remembered = null;
    showRemembered(el);
    toast(t('place.forgotten'));
  });
  replace(el,
    h('p', { 'data-testid': 'place-remembered' }, t('place.remembered'), ' ',
      h('code', { class: 'selectable place-address' }, address)),
    h('div', { class: 'actions' }, back),
    line);
}

/**
 * "Open the file on this computer again" (`testid`): forgets the register
 * chosen for the starts without --db, then `onForgotten()`; what went wrong
 * is said in `line`.
 */
export function forgetButton(testid, line, onForgotten) {
  const back = h('button', { type: 'button', class: 'btn', 'data-testid': testid }, t('place.forgetButton'));
  back.addEventListener('click', async () => {
    back.disabled = true;
    try {
      await api.registerLocationSet(null);
    } catch (err) {
      back.disabled = false;
      line.textContent = errorText(err);
      return;
    }
    onForgotten();
  });
  return back;
}

/** Remembers `address` for the next start, and says so in `el`. */
async function useFromNextStart(address, remembered, button) {
  button.disabled = true;
  try {
    await api.registerLocationSet(address);
  } catch (err) {
    button.disabled = false;
    toast(errorText(err));
    return;
  }
  store.info.remembered = address;
  showRemembered(remembered);
  replace(button.parentNode, h('p', { 'data-testid': 'place-used' }, t('place.used')));
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
 * button; `done(report)` or the refusal's sentence in `line` (and `failed(err)`).
 */
async function runCopy({
  slot, line, buttons, start, done, failed = () => {}, working = t('place.working'), stoppable = true,
}) {
  const bar = h('progress', { 'data-testid': 'place-progress', max: '1' });
  const stop = h('button', { type: 'button', class: 'btn', 'data-testid': 'place-stop' }, t('place.stop'));
  stop.addEventListener('click', () => {
    stop.disabled = true;
    api.registerMoveCancel().catch(() => {});
  });
  replace(slot, h('div', { class: 'progress-field', 'aria-busy': 'true' },
    h('label', null, working), bar, stoppable ? stop : null));
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
    failed(err);
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

/**
 * The office server's fields: `kind` 'move' copies the register in the file
 * onto its empty database; 'connect' checks that the register there opens
 * and makes it the one of the next start. `remembered`: the card's line for
 * that.
 */
function openServer(opener, kind, remembered) {
  const move = kind === 'move';
  const titleId = nextId('move-server-title');
  const input = (name, attrs = {}) => h('input', {
    type: 'text', 'data-testid': `place-${name}`, autocomplete: 'off', spellcheck: 'false', ...attrs,
  });
  const host = input('host');
  const port = input('port', { inputmode: 'numeric', value: '5432' });
  const database = input('database', { value: 'medlem' });
  const user = input('user');
  const password = input('password', { type: 'password' });
  const tls = h('input', { type: 'checkbox', id: nextId('place-tls'), 'data-testid': 'place-tls-on', checked: true });
  const goText = t(move ? 'place.moveGo' : 'place.connectGo');
  const go = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'place-go' }, goText);
  // The certificate the server showed, once the officer has seen it: the
  // next Move trusts it. Another server typed in forgets it.
  let shown = null;
  const forget = () => { shown = null; go.textContent = goText; };
  for (const el of [host, port, tls]) el.addEventListener('input', forget);
  const close = h('button', { type: 'button', class: 'btn', 'data-testid': 'place-close' }, t('action.close'));
  const slot = h('div', { 'data-testid': 'place-slot' });
  const line = h('p', { class: 'form-error', 'data-testid': 'place-error', role: 'alert', tabindex: '-1' });
  const form = h('form', { class: 'dialog-form', novalidate: true },
    h('h2', { id: titleId }, t(move ? 'place.moveTitle' : 'place.connectTitle')),
    h('p', { class: 'muted' }, t(move ? 'place.moveExplain' : 'place.connectExplain')),
    field({ label: t('place.host'), control: host, errorName: 'place-host' }),
    field({ label: t('place.port'), control: port, errorName: 'place-port' }),
    field({ label: t('place.database'), control: database, errorName: 'place-database' }),
    field({ label: t('place.user'), control: user, errorName: 'place-user' }),
    field({ label: t('place.password'), control: password, errorName: 'place-password' }),
    h('label', { class: 'check-line' }, tls, ' ', t('place.tls')),
    slot, line,
    h('div', { class: 'actions' }, go, close));
  const finish = dialogFor('place-dialog', titleId, form, opener);
  close.addEventListener('click', finish);
  onSubmit(form, line, () => runCopy({
    slot,
    line,
    buttons: [go, close],
    working: t(move ? 'place.working' : 'place.connecting'),
    stoppable: move,
    start: (onProgress) => {
      const server = {
        host: host.value,
        port: port.value,
        database: database.value,
        user: user.value,
        password: password.value,
        tlsOff: !tls.checked,
        trusted: shown,
      };
      return move ? api.registerMoveToServer(server, onProgress) : api.registerLocationConnect(server);
    },
    failed: (err) => {
      const fingerprint = err && err.details && err.details.fingerprint;
      if (!fingerprint) return;
      shown = fingerprint;
      go.textContent = t('place.trustGo');
    },
    done: (report) => {
      if (!move) {
        store.info.remembered = report.address;
        showRemembered(remembered);
        return h('div', { class: 'ok-box', 'data-testid': 'place-result', role: 'status' },
          h('p', { class: 'result-title' }, t('place.connected', { place: report.place })));
      }
      const use = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'place-use' }, t('place.useButton'));
      use.addEventListener('click', () => useFromNextStart(report.address, remembered, use));
      return h('div', { class: 'ok-box', 'data-testid': 'place-result', role: 'status' },
        h('p', { class: 'result-title' }, movedText(report)),
        h('p', null, t('place.nextStart')),
        h('p', null, h('code', { class: 'selectable place-address', 'data-testid': 'place-address' }, `medlem --db ${report.address}`)),
        h('div', { class: 'actions' }, use));
    },
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
