// Small DOM helpers. Nothing here assigns innerHTML: text always goes in as text nodes, so data from the
// server can never become markup.

/** el('p', {class: 'x', onclick: fn}, 'text', child) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };

/**
 * The server's `highlight` string with only <mark> honoured: it is split on <mark> and </mark>, and every
 * other piece (including any other tag) becomes plain text. Entities the server may have escaped are decoded
 * first, since they end up in text nodes, not markup.
 */
export function highlighted(text, fallback = '') {
  const src = typeof text === 'string' && text.length ? text : fallback;
  const frag = document.createDocumentFragment();
  let marked = false;
  for (const part of src.split(/(<\/?mark>)/i)) {
    if (/^<mark>$/i.test(part)) { marked = true; continue; }
    if (/^<\/mark>$/i.test(part)) { marked = false; continue; }
    if (!part) continue;
    const plain = part.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (m) => ENTITIES[m]);
    frag.append(marked ? el('mark', {}, plain) : document.createTextNode(plain));
  }
  return frag;
}

export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

export function seconds(s) {
  if (s === null || s === undefined) return '—';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

export function announce(message) {
  const live = document.getElementById('announce');
  live.textContent = '';
  // A fresh text change is what makes screen readers speak again for an identical message.
  setTimeout(() => { live.textContent = message; }, 30);
}

/** A message box with a retry button, for a section whose data could not be loaded. */
export function errorBox(err, retry) {
  const box = el('div', { class: 'error-box', role: 'alert' }, el('p', {}, err.message));
  if (err.requestId && err.status >= 500) box.append(el('p', { class: 'hint' }, `Request id: ${err.requestId}`));
  if (retry) box.append(el('button', { type: 'button', class: 'secondary', onclick: retry }, 'Try again'));
  return box;
}

export function badge(text, tone = '') {
  return el('span', { class: `badge ${tone}`.trim() }, text ?? '—');
}

/** A table with a caption (read by screen readers) and one row per item. */
export function table(caption, headers, rows) {
  return el('div', { class: 'table-wrap' },
    el('table', {},
      el('caption', { class: 'visually-hidden' }, caption),
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c, i) => el('td', { 'data-label': headers[i] }, el('span', { class: 'cell' }, c))))))));
}
