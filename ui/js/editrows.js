// Rows a form edits in place (a member's roles, an application's budget
// lines): each row with its Remove button, an Add button under them, and the
// focus kept where the hands are.
import { h, replace } from './dom.js';
import { t } from './i18n.js';

/**
 * Draws `items` (an array, changed in place) into `box`, one
 * `drawRow(item, i, remove)` a row, `remove` being the row's Remove button
 * (test id `removeTestid`, label `removeLabel(i)`). Remove takes the row out
 * and gives the focus to the Remove button now in its place (else the last
 * one, else `add`); `add` (a button) appends `newItem()` and focuses the last
 * element with test id `focusTestid`. `empty()`: what an empty list shows;
 * `after()`: called after each drawing.
 */
export function editRows({
  items, box, add, newItem, focusTestid, removeTestid, removeLabel, drawRow, empty = null, after = null,
}) {
  const removeButton = (i) => {
    const remove = h('button', {
      type: 'button', class: 'btn small', 'data-testid': removeTestid, 'aria-label': removeLabel(i),
    }, t('action.remove'));
    remove.addEventListener('click', () => {
      items.splice(i, 1);
      draw();
      const btns = box.querySelectorAll(`[data-testid="${removeTestid}"]`);
      (btns[Math.min(i, btns.length - 1)] || add).focus();
    });
    return remove;
  };
  function draw() {
    if (!items.length && empty) {
      replace(box, empty());
      return;
    }
    replace(box, items.map((item, i) => drawRow(item, i, removeButton(i))));
    if (after) after();
  }
  add.addEventListener('click', () => {
    items.push(newItem());
    draw();
    const els = box.querySelectorAll(`[data-testid="${focusTestid}"]`);
    if (els.length) els[els.length - 1].focus();
  });
  draw();
}
