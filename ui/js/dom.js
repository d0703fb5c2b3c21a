// Tiny DOM helpers. Everything is built with createElement + textContent;
// nothing in this UI ever assigns HTML strings, so data is always shown as text.

// Properties that must be set on the element object (after children exist, so
// that e.g. a <select>'s value can pick one of its options).
const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'readOnly', 'required', 'multiple', 'hidden']);

/**
 * h('button', {class: 'x', 'data-testid': 'y', onclick: fn}, 'text', otherNode)
 * Attributes whose value is null/undefined/false are skipped; `true` sets an empty
 * attribute. Children may be strings, numbers, nodes, arrays or null.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  append(el, children);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined) continue;
      if (k.startsWith('on') && typeof v === 'function') {
        el.addEventListener(k.slice(2).toLowerCase(), v);
      } else if (PROPS.has(k)) {
        el[k] = v;
      } else if (k === 'class') {
        if (v) el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
      } else if (k === 'dataset') {
        for (const [dk, dv] of Object.entries(v)) if (dv !== null && dv !== undefined) el.dataset[dk] = String(dv);
      } else if (v === false) {
        continue;
      } else if (v === true) {
        el.setAttribute(k, '');
      } else {
        el.setAttribute(k, String(v));
      }
    }
  }
  return el;
}

export function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
  return el;
}

/** Remove all children. */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** Replace all children of el with the given children. */
export function replace(el, ...children) {
  clear(el);
  return append(el, children);
}

/** querySelector by data-testid inside root (default document). */
export function byTestId(id, root = document) {
  return root.querySelector(`[data-testid="${CSS.escape(id)}"]`);
}

/** <option> list for a <select>: items are [value, label]. */
export function options(items, selected) {
  return items.map(([value, label]) => {
    const o = h('option', { value: String(value) }, label);
    if (selected !== undefined && selected !== null && String(selected) === String(value)) o.selected = true;
    return o;
  });
}

/** A unique id for label/for pairs. */
let uid = 0;
export function nextId(prefix = 'id') {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** Today's local date as YYYY-MM-DD. */
export function todayIso() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Returns a debounced version of fn. */
/**
 * Runs the async `fn` at once; calls made while it runs fold into one more run
 * when it ends. Typing waits for no timer and never queues more than one query
 * behind the one in flight. `fn` gets `stale()`: true when a newer run waits,
 * so the answer it is about to show is already out of date.
 */
export function coalesce(fn) {
  let running = false;
  let again = false;
  const stale = () => again;
  const run = async () => {
    if (running) { again = true; return; }
    running = true;
    try {
      await fn(stale);
    } finally {
      running = false;
      if (again) { again = false; run(); }
    }
  };
  return run;
}

export function debounce(fn, ms) {
  let timer = null;
  const d = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => { timer = null; fn(...args); }, ms);
  };
  d.cancel = () => { clearTimeout(timer); timer = null; };
  return d;
}
