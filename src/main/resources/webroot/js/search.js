// Type-ahead search over the catalogue: an ARIA combobox (the input) driving a listbox (the results).
// Each keystroke restarts a short debounce; a new request aborts the one still in flight, so a slow
// answer to an old query can never overwrite the answer to the current one.

import { api } from './api.js';
import { el, highlighted, errorBox, announce, badge } from './dom.js';
import { openLeaflet, closeLeaflet, leafletOpen } from './leaflet.js';

const DEBOUNCE_MS = 150;
const PAGE_SIZE = 20;
const $ = (id) => document.getElementById(id);

let timer = null;
let inflight = null;
let items = [];
let next = null;
let active = -1;
let lastKey = '';

export function initSearch() {
  const q = $('q');
  q.addEventListener('input', () => schedule());
  q.addEventListener('keydown', onKey);
  for (const id of ['f-manufacturer', 'f-category', 'f-status']) {
    $(id).addEventListener(id === 'f-manufacturer' ? 'input' : 'change', () => schedule());
  }
  // Filters start open where there is room, folded on a phone so results show without scrolling.
  $('filters-box').open = window.matchMedia('(min-width: 801px)').matches;
  $('search-form').addEventListener('submit', (e) => { e.preventDefault(); run(); });
  $('more').addEventListener('click', () => run({ append: true }));
  $('leaflet').addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { e.preventDefault(); closeLeaflet(); q.focus(); }
  });
}

export function focusSearch() {
  $('q').focus();
}

function query() {
  const params = new URLSearchParams();
  const q = $('q').value.trim();
  if (q) params.set('q', q);
  const m = $('f-manufacturer').value.trim();
  if (m) params.set('manufacturer', m);
  if ($('f-category').value) params.set('category', $('f-category').value);
  if ($('f-status').value) params.set('status', $('f-status').value);
  return params;
}

function schedule() {
  const active = ['f-manufacturer', 'f-category', 'f-status'].filter((id) => $(id).value.trim()).length;
  $('filters-summary').textContent = active ? `Filters (${active} active)` : 'Filters';
  clearTimeout(timer);
  timer = setTimeout(() => run(), DEBOUNCE_MS);
}

async function run({ append = false } = {}) {
  clearTimeout(timer);
  timer = null;
  const params = query();
  const key = params.toString();
  // The server wants two letters or digits at least; filters narrow a query, they are not one.
  if ((params.get('q') || '').replace(/[^\p{L}\p{N}]/gu, '').length < 2) {
    if (inflight) inflight.abort();
    reset(params.has('q') ? 'Keep typing: at least two letters or digits.' : '');
    return;
  }
  if (!append && key === lastKey && items.length) return;
  if (inflight) inflight.abort();
  const ctl = new AbortController();
  inflight = ctl;
  params.set('size', String(PAGE_SIZE));
  if (append && next) params.set('cursor', next);
  setStatus(append ? 'Loading more…' : 'Searching…', true);
  try {
    const page = await api(`/bulas?${params}`, { signal: ctl.signal });
    if (inflight !== ctl) return;
    lastKey = key;
    items = append ? items.concat(page.items || []) : (page.items || []);
    next = page.next || null;
    if (!append) active = items.length ? 0 : -1;
    render();
    const n = items.length;
    setStatus(n === 0 ? 'No leaflet matches. Check the spelling or remove a filter.'
      : `${n}${next ? '+' : ''} leaflet${n === 1 ? '' : 's'} found.`);
  } catch (e) {
    if (e.name === 'AbortError') return;
    if (inflight !== ctl) return;
    lastKey = '';
    items = [];
    next = null;
    render();
    setStatus('');
    $('search-status').replaceChildren(errorBox(e, () => run()));
  } finally {
    if (inflight === ctl) inflight = null;
  }
}

function reset(message) {
  items = [];
  next = null;
  active = -1;
  lastKey = '';
  render();
  setStatus(message);
}

function setStatus(text, busy = false) {
  const s = $('search-status');
  s.replaceChildren(text);
  $('results-col').setAttribute('aria-busy', busy ? 'true' : 'false');
}

function render() {
  const list = $('results');
  const q = $('q');
  list.replaceChildren(...items.map((b, i) => option(b, i)));
  q.setAttribute('aria-expanded', items.length ? 'true' : 'false');
  $('more').hidden = !next;
  markActive();
}

function option(b, i) {
  const meta = [b.manufacturer, b.registration && `Reg. ${b.registration}`].filter(Boolean).join(' · ');
  return el('li', {
    id: `result-${i}`, role: 'option', class: 'result', 'aria-selected': 'false', 'data-id': b.id, 'data-name': b.name,
    onclick: () => { active = i; markActive(); open(i); },
    onmousedown: (e) => e.preventDefault(), // keep focus in the input, as a combobox expects
  },
  ...nameAndSnippet(b),
  (b.activeIngredients || []).length ? el('span', { class: 'result-ingredients' }, b.activeIngredients.join(' + ')) : null,
  el('span', { class: 'result-meta' }, meta,
    b.category ? badge(b.category) : null,
    b.status ? badge(b.status, /CANCEL|CADUC/i.test(b.status) ? 'bad' : 'good') : null));
}

/**
 * The server's highlight marks the name when the match is in the name; when it is a passage from elsewhere
 * (an ingredient, a leaflet section) the name stays plain and the passage is shown under it.
 */
function nameAndSnippet(b) {
  const h = typeof b.highlight === 'string' ? b.highlight : '';
  const plain = document.createElement('span');
  plain.append(highlighted(h));
  if (!h || plain.textContent.trim().toLowerCase() === String(b.name).trim().toLowerCase()) return [el('span', { class: 'result-name' }, highlighted(h, b.name))];
  return [el('span', { class: 'result-name' }, b.name), el('span', { class: 'result-snippet' }, highlighted(h))];
}

function markActive() {
  const q = $('q');
  [...$('results').children].forEach((li, i) => li.setAttribute('aria-selected', i === active ? 'true' : 'false'));
  if (active >= 0 && items.length) {
    q.setAttribute('aria-activedescendant', `result-${active}`);
    $(`result-${active}`).scrollIntoView({ block: 'nearest' });
  } else {
    q.removeAttribute('aria-activedescendant');
  }
}

function onKey(e) {
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    if (!items.length) return;
    e.preventDefault();
    const step = e.key === 'ArrowDown' ? 1 : -1;
    active = active < 0 ? 0 : (active + step + items.length) % items.length;
    markActive();
  } else if (e.key === 'Home' && e.ctrlKey && items.length) {
    e.preventDefault(); active = 0; markActive();
  } else if (e.key === 'End' && e.ctrlKey && items.length) {
    e.preventDefault(); active = items.length - 1; markActive();
  } else if (e.key === 'Enter') {
    e.preventDefault();
    if (timer || inflight) { run(); return; }
    if (items.length) open(active < 0 ? 0 : active);
  } else if (e.key === 'Escape') {
    e.preventDefault();
    if (leafletOpen()) closeLeaflet();
    else if (items.length) { $('q').value = ''; if (inflight) inflight.abort(); reset(''); announce('Search cleared.'); }
    else $('q').value = '';
  }
}

function open(i) {
  const b = items[i];
  if (!b) return;
  openLeaflet(b.id, b.name);
}
