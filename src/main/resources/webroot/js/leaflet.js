// The leaflet view: the whole bula, its sections in the leaflet's usual order, and a table of contents
// to jump between them (long leaflets are read on the phone while a doctor waits).

import { api } from './api.js';
import { el, errorBox, announce, badge, when } from './dom.js';

const SECTIONS = [
  ['indications', 'Indications'],
  ['contraindications', 'Contraindications'],
  ['dosage', 'Dosage and how to use'],
  ['adverseReactions', 'Adverse reactions'],
  ['warnings', 'Warnings and precautions'],
  ['interactions', 'Interactions'],
  ['howItWorks', 'How it works'],
  ['missedDose', 'Missed dose'],
  ['overdose', 'Overdose'],
  ['storage', 'Storage'],
  ['composition', 'Composition'],
];

const view = () => document.getElementById('leaflet');
let inflight = null;
let returnFocus = null;

export function leafletOpen() {
  return !view().hidden;
}

export async function openLeaflet(id, name) {
  if (inflight) inflight.abort();
  const ctl = new AbortController();
  inflight = ctl;
  returnFocus = document.activeElement;
  const v = view();
  v.hidden = false;
  document.body.classList.add('reading');
  v.setAttribute('aria-busy', 'true');
  v.replaceChildren(el('h2', { id: 'leaflet-title' }, name || 'Leaflet'), el('p', { class: 'status' }, 'Loading the leaflet…'));
  try {
    const bula = await api(`/bulas/${encodeURIComponent(id)}`, { signal: ctl.signal });
    if (inflight !== ctl) return;
    render(bula);
    announce(`Leaflet of ${bula.name} open. Press Escape to go back to the results.`);
  } catch (e) {
    if (e.name === 'AbortError' || inflight !== ctl) return;
    v.replaceChildren(closeButton(), el('h2', { id: 'leaflet-title' }, name || 'Leaflet'), errorBox(e, () => openLeaflet(id, name)));
  } finally {
    if (inflight === ctl) inflight = null;
    v.setAttribute('aria-busy', 'false');
  }
  v.focus();
}

export function closeLeaflet() {
  if (inflight) inflight.abort();
  const v = view();
  v.hidden = true;
  v.replaceChildren();
  document.body.classList.remove('reading');
  if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
  announce('Leaflet closed.');
}

function closeButton() {
  return el('button', { type: 'button', class: 'secondary close', onclick: closeLeaflet, 'aria-label': 'Close the leaflet and go back to the results' }, '← Back to results');
}

function render(b) {
  const sections = b.sections || {};
  const present = SECTIONS.filter(([key]) => typeof sections[key] === 'string' && sections[key].trim());
  const facts = [
    ['Active ingredients', (b.activeIngredients || []).join(' + ')],
    ['Manufacturer', b.manufacturer],
    ['Registration', b.registration],
    ['Therapeutic class', b.therapeuticClass],
    ['Presentation', b.presentation],
    ['EAN', (b.eans || []).join(', ')],
    ['Updated', b.updatedAt && when(b.updatedAt)],
  ].filter(([, v]) => v);

  const toc = present.length
    ? el('nav', { class: 'toc', 'aria-label': 'Leaflet sections' },
      el('ul', {}, present.map(([key, label]) => el('li', {},
        el('a', { href: `#sec-${key}`, onclick: (e) => { e.preventDefault(); jump(key); } }, label)))))
    : el('p', { class: 'hint' }, 'This leaflet has no section text yet; only its registration data is known.');

  view().replaceChildren(
    closeButton(),
    el('header', { class: 'leaflet-head' },
      el('h2', { id: 'leaflet-title' }, b.name),
      el('p', { class: 'badges' }, b.category ? badge(b.category) : null,
        b.status ? badge(b.status, /CANCEL|CADUC/i.test(b.status) ? 'bad' : 'good') : null,
        b.source ? badge(`source: ${b.source}`, 'muted') : null)),
    el('dl', { class: 'facts' }, facts.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    el('div', { class: 'leaflet-body' }, toc,
      el('div', { class: 'leaflet-sections' }, present.map(([key, label]) => el('section', {
        id: `sec-${key}`, class: 'leaflet-section', tabindex: '-1', 'aria-labelledby': `h-${key}`,
      },
      el('h3', { id: `h-${key}` }, label),
      ...paragraphs(sections[key]),
      el('p', { class: 'to-top' }, el('a', { href: '#leaflet-title', onclick: (e) => { e.preventDefault(); top(); } }, 'Back to sections')))))));
}

function paragraphs(text) {
  return text.split(/\n\s*\n/).map((p) => reflow(p.trim())).filter(Boolean).map((p) => el('p', {}, p));
}

/**
 * Leaflet text comes from PDFs with hard line breaks every ~80 characters. A break is kept where it looks
 * meant (after a sentence, before a capitalised short heading line) and dropped inside running text,
 * so the text reflows to the screen, which matters most at phone width.
 */
export function reflow(p) {
  const lines = p.split('\n').map((l) => l.trim()).filter(Boolean);
  let out = lines[0] || '';
  for (let i = 1; i < lines.length; i++) {
    const prev = lines[i - 1];
    const next = lines[i];
    const openEnd = !/[.:;!?]$/.test(prev);
    const join = openEnd && (/^[a-zà-ÿ(,]/.test(next) || prev.length >= 70);
    if (join && /[a-zà-ÿ]-$/.test(prev)) out += next; // Portuguese compounds (cirurgião-dentista) keep the hyphen
    else out += (join ? ' ' : '\n') + next;
  }
  return out;
}

function jump(key) {
  for (const a of view().querySelectorAll('.toc a')) {
    if (a.getAttribute('href') === `#sec-${key}`) a.setAttribute('aria-current', 'location');
    else a.removeAttribute('aria-current');
  }
  const s = document.getElementById(`sec-${key}`);
  const v = view();
  // On a wide screen the leaflet scrolls inside its own pane: move only that, so the page (and the
  // leaflet's title) stays put. On a phone the page itself scrolls.
  if (getComputedStyle(v).overflowY === 'auto' && v.scrollHeight > v.clientHeight) v.scrollTo({ top: s.offsetTop - 8 });
  else s.scrollIntoView({ block: 'start' });
  s.focus({ preventScroll: true });
}

function top() {
  const v = view();
  v.scrollIntoView({ block: 'start' });
  const first = v.querySelector('.toc a');
  (first || v).focus();
}
