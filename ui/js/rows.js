// Lists of row buttons with one of them selected (the Members and Meetings
// areas): finding the rows, marking the selected one, and the keys that move
// the selection (ArrowUp/Down, Home, End).

/** The row buttons with this test id in `list` (none without a list). */
export function listRows(list, testid) {
  return list ? [...list.querySelectorAll(`[data-testid="${testid}"]`)] : [];
}

/** The row whose data-id is `id`, or null. */
export function selectedIn(rows, id) {
  return rows.find((b) => id !== null && b.dataset.id === String(id)) || null;
}

/** Marks the row whose data-id is `id` as the selected one (class, aria-current). */
export function markIn(rows, id) {
  for (const b of rows) {
    const on = id !== null && b.dataset.id === String(id);
    b.classList.toggle('selected', on);
    if (on) b.setAttribute('aria-current', 'true'); else b.removeAttribute('aria-current');
  }
}

/**
 * The row a key moves to from the focused row (else the selected one), or
 * null for other keys and with a modifier.
 */
export function keyTarget(e, rows, selectedId) {
  if (e.altKey || e.ctrlKey || e.metaKey || !rows.length) return null;
  let i = rows.indexOf(document.activeElement);
  if (i < 0) i = rows.findIndex((b) => b.dataset.id === String(selectedId));
  if (e.key === 'ArrowDown') return rows[Math.min(rows.length - 1, i + 1)];
  if (e.key === 'ArrowUp') return rows[Math.max(0, i - 1)];
  if (e.key === 'Home') return rows[0];
  if (e.key === 'End') return rows[rows.length - 1];
  return null;
}

/**
 * The rows of a list whose element `getList()` gives and whose selected id
 * `getId()` gives: {rows(), selected(), mark()}.
 */
export function rowSet(getList, testid, getId) {
  const rows = () => listRows(getList(), testid);
  return {
    rows,
    selected: () => selectedIn(rows(), getId()),
    mark: () => markIn(rows(), getId()),
  };
}
