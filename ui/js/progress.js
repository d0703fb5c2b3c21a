// A labelled <progress> for backups and restores, fed with BackupProgress
// {step, fraction} messages from a Tauri Channel.
import { h, nextId } from './dom.js';
import { t, has, formatNumber } from './i18n.js';

/** The sentence for a step ("Checking the backup…"). */
export function stepText(step) {
  return has(`backup.step.${step}`) ? t(`backup.step.${step}`) : t('backup.step.working');
}

/**
 * {el, set(progress|null)}: `el` is the block to put in the page; `set` updates
 * it in place (null: indeterminate, before the first report).
 */
export function progressView(testid, title) {
  const bar = h('progress', { class: 'backup-progress', 'data-testid': testid, id: nextId(testid), max: '1' });
  const text = h('p', { class: 'progress-text', 'aria-live': 'polite' });
  const el = h('div', { class: 'progress-field', 'aria-busy': 'true' },
    h('label', { for: bar.id }, title), bar, text);
  const set = (p) => {
    if (p && typeof p.fraction === 'number' && Number.isFinite(p.fraction)) {
      const f = Math.min(Math.max(p.fraction, 0), 1);
      bar.value = f;
      text.textContent = t('backup.progress', { step: stepText(p.step), percent: formatNumber(Math.round(f * 100)) });
    } else {
      bar.removeAttribute('value');
      text.textContent = '';
    }
  };
  set(null);
  return { el, set };
}
