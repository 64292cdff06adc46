// Small DOM helpers: no framework, no inline styles (the console's CSP allows none).

/** h('button', { class: 'x', onclick }, 'text', child…): an element with attributes, handlers and children. */
export function h(tag, attrs = {}, ...children) {
  const svg = ['svg', 'rect', 'g', 'text', 'title', 'line'].includes(tag);
  const el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'value' && !svg) el.value = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export const fmt = {
  int: (n) => (n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US')),
  ms: (n) => (n === null || n === undefined ? '–' : `${Math.round(n)} ms`),
  money: (n, currency) => (n === null || n === undefined ? '–' : `${Number(n).toFixed(6)}${currency ? ' ' + currency : ''}`),
  time: (iso) => (iso ? new Date(iso).toLocaleString() : '–'),
  num: (n, digits = 2) => (n === null || n === undefined ? '–' : Number(n).toFixed(digits)),
};

/** A table with a caption, headers and rows of cells (strings or nodes). */
export function table(caption, headers, rows, { onRowClick, rowLabel } = {}) {
  return h('div', { class: 'table-wrap' },
    h('table', {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.length === 0
        ? h('tr', {}, h('td', { colspan: headers.length, class: 'empty' }, 'Nothing yet.'))
        : rows.map((cells, i) => h('tr', onRowClick
            ? { tabindex: 0, class: 'clickable', 'aria-label': rowLabel?.(i), onclick: () => onRowClick(i), onkeydown: (e) => { if (e.key === 'Enter') onRowClick(i); } }
            : {}, cells.map((c) => h('td', {}, c)))))));
}

/** Horizontal bars as inline SVG: one per [label, value]. */
export function bars(title, items, format = fmt.int) {
  const max = Math.max(0, ...items.map(([, v]) => Number(v) || 0)) || 1;
  const rowHeight = 22;
  const height = Math.max(rowHeight, items.length * rowHeight);
  return h('figure', { class: 'bars' },
    h('figcaption', {}, title),
    h('svg', { viewBox: `0 0 400 ${height}`, role: 'img', 'aria-label': title, preserveAspectRatio: 'none', width: '100%', height },
      items.map(([label, value], i) => h('g', {},
        h('rect', { x: 140, y: i * rowHeight + 3, height: rowHeight - 6, width: Math.max(1, (Number(value) || 0) / max * 190), class: 'bar' }),
        h('text', { x: 0, y: i * rowHeight + 15, class: 'bar-label' }, String(label ?? '(none)').slice(0, 22)),
        h('text', { x: 335, y: i * rowHeight + 15, class: 'bar-value' }, format(value)),
        h('title', {}, `${label}: ${format(value)}`)))));
}

/**
 * Columns over time as inline SVG: one per [label, value], oldest left, with the largest value and
 * the first and last labels written out (every column has its label and value as a tooltip).
 */
export function columns(title, items, format = fmt.int) {
  const max = Math.max(0, ...items.map(([, v]) => Number(v) || 0));
  const width = 400;
  const height = 120;
  const step = width / Math.max(1, items.length);
  return h('figure', { class: 'bars columns' },
    h('figcaption', {}, title),
    h('svg', { viewBox: `0 0 ${width} ${height + 16}`, role: 'img', 'aria-label': `${title}: highest ${format(max)}`, preserveAspectRatio: 'none', width: '100%', height: height + 16 },
      h('line', { x1: 0, x2: width, y1: height, y2: height, class: 'axis' }),
      items.map(([label, value], i) => {
        const v = Number(value) || 0;
        const barHeight = max > 0 ? Math.max(v > 0 ? 1 : 0, (v / max) * (height - 14)) : 0;
        return h('rect', { x: i * step + step * 0.1, y: height - barHeight, width: Math.max(1, step * 0.8), height: barHeight, class: 'bar', 'data-value': v },
          h('title', {}, `${label}: ${format(value)}`));
      }),
      h('text', { x: 2, y: 11, class: 'bar-value' }, `max ${format(max)}`),
      items.length ? h('text', { x: 0, y: height + 13, class: 'bar-label' }, items[0][0]) : null,
      items.length > 1 ? h('text', { x: width, y: height + 13, class: 'bar-label end' }, items[items.length - 1][0]) : null));
}

export function errorBox(message) {
  return h('p', { class: 'error', role: 'alert' }, message);
}

/** Calls fn now and every periodMs until the returned stop function is called. */
export function every(periodMs, fn) {
  let stopped = false;
  let timer = 0;
  const tick = async () => {
    if (stopped) return;
    try { await fn(); } finally { if (!stopped) timer = setTimeout(tick, periodMs); }
  };
  tick();
  return () => { stopped = true; clearTimeout(timer); };
}
