// Operations (admin): one card per subsystem. Each card loads on its own, so one failing or absent
// subsystem (404/503: not deployed or switched off) shows a sentence and leaves the others working.

import { api } from './api.js';
import { el, errorBox, announce, badge, when, seconds, table } from './dom.js';

const CARDS = [
  { id: 'erp', title: 'ERP sources', path: '/sync/sources', render: erp, action: ['Sync now', () => post('/sync/runs', { full: false }, 'ERP sync started.')] },
  { id: 'queues', title: 'Job queues', path: '/jobs/stats', render: queues },
  { id: 'dead', title: 'Dead jobs', path: '/jobs?state=dead', render: dead },
  { id: 'scraping', title: 'Scraping sources', path: '/scraping/sources', render: scrapingSources },
  { id: 'items', title: 'Recent scraped items', path: '/scraping/items', render: items, after: 'scraping' }, // names its sources
  { id: 'kyc', title: 'KYC runs', path: '/kyc/runs', render: kyc, action: ['Run KYC check now', () => post('/kyc/runs', {}, 'KYC check started.')] },
];

export function initOps() {
  const grid = document.getElementById('ops');
  grid.replaceChildren(...CARDS.map((c) => el('section', { class: 'card ops-card', id: `ops-${c.id}`, 'aria-labelledby': `ops-${c.id}-h` },
    el('div', { class: 'row-head' }, el('h3', { id: `ops-${c.id}-h` }, c.title),
      c.action ? el('button', { type: 'button', class: 'secondary action', onclick: () => c.action[1]().then(() => load(c)) }, c.action[0]) : null),
    el('div', { class: 'ops-body' }))));
  document.getElementById('ops-refresh').addEventListener('click', showOps);
}

/** Loads every card; one sentence is announced at the end rather than six live regions talking at once. */
export async function showOps() {
  const loaded = {};
  await Promise.all(CARDS.map((c) => { loaded[c.id] = c.after ? loaded[c.after].then(() => load(c)) : load(c); return loaded[c.id]; }));
  const problems = document.querySelectorAll('#ops .error-box').length;
  announce(problems ? `Operations loaded; ${problems} section${problems > 1 ? 's' : ''} could not be loaded.` : 'Operations loaded.');
}

async function load(card) {
  const body = document.querySelector(`#ops-${card.id} .ops-body`);
  const action = document.querySelector(`#ops-${card.id} .action`);
  body.setAttribute('aria-busy', 'true');
  if (!body.childElementCount) body.replaceChildren(el('p', { class: 'status' }, 'Loading…'));
  try {
    const data = await api(card.path);
    body.replaceChildren(card.render(data, () => load(card)));
    if (action) action.hidden = false;
  } catch (e) {
    if (e.name === 'AbortError') return;
    if (action) action.hidden = e.unavailable;
    body.replaceChildren(e.unavailable
      ? el('p', { class: 'hint unavailable' }, `${card.title}: not available on this server (the feature is not installed or is switched off).`)
      : errorBox(e, () => load(card)));
  } finally {
    body.setAttribute('aria-busy', 'false');
  }
}

async function post(path, body, done) {
  try {
    await api(path, { method: 'POST', body });
    announce(done);
  } catch (e) {
    announce(e.message);
    window.alert(e.message);
  }
}

const COUNTERS = [['fetched', 'fetched'], ['inserted', 'new'], ['updated', 'updated'], ['quarantined', 'quarantined'],
  ['itemsFound', 'found'], ['itemsNew', 'new'], ['itemsEdited', 'edited'], ['selected', 'selected'], ['sent', 'sent'],
  ['skipped', 'skipped'], ['failed', 'failed'], ['outstanding', 'outstanding']];
const HEALTH = { ok: 'good', failing: 'bad', blocked: 'bad', empty: 'busy', disabled: '', new: '' };
const sourceNames = new Map();

const empty = (text) => el('p', { class: 'hint' }, text);

function breakerBadge(b) {
  const state = String((b && b.state) || 'unknown').toLowerCase();
  const tone = state === 'closed' ? 'good' : state === 'open' ? 'bad' : 'busy';
  return [badge(state.replace('_', '-'), tone), b && b.failures ? ` ${b.failures} failures` : ''];
}

function runSummary(run) {
  if (!run) return 'never';
  const at = run.finishedAt || run.startedAt || run.at || run.createdAt;
  const state = run.state || run.status || '';
  // The counters each subsystem reports (ERP: fetched/inserted/..., scraping: itemsNew/..., KYC: selected/sent/...).
  const counts = COUNTERS.filter(([k]) => typeof run[k] === 'number' && (run[k] > 0 || k === 'fetched' || k === 'selected'))
    .map(([k, label]) => `${run[k]} ${label}`);
  return [state ? badge(state, /fail|error|dead/i.test(state) ? 'bad' : /succ|ok|done|complete/i.test(state) ? 'good' : 'busy') : null,
    ` ${when(at)}`, counts.length ? ` · ${counts.join(', ')}` : '', run.error ? ` · ${run.error}` : ''];
}

function erp(data) {
  const list = data.items || [];
  if (!list.length) return empty('No ERP source is configured.');
  return table('ERP sources', ['Source', 'Breaker', 'Last sync', 'Cursor'],
    list.map((s) => [el('span', {}, el('strong', {}, s.name), ` (${s.kind || '?'})`), breakerBadge(s.breaker), runSummary(s.lastRun), s.cursor ?? '—']));
}

function queues(data) {
  const list = data.queues || [];
  if (!list.length) return empty('All queues are empty: no job is waiting, running or dead.');
  return table('Job queue depth per type', ['Type', 'Queued', 'Running', 'Dead', 'Oldest queued'],
    list.map((q) => [q.type, q.queued ?? 0, q.running ?? 0,
      q.dead ? badge(String(q.dead), 'bad') : '0', seconds(q.oldestQueuedSeconds)]));
}

function dead(data, reload) {
  const list = data.items || [];
  if (!list.length) return empty('No dead jobs. Good.');
  return table('Dead jobs', ['Job', 'Type', 'Attempts', 'Error', ''], list.map((j) => [
    String(j.id), j.type, j.attempts ?? j.attempt ?? '—', el('span', { class: 'wrap' }, j.error || '—'),
    el('button', {
      type: 'button', class: 'secondary', 'aria-label': `Retry job ${j.id}`,
      onclick: async (e) => {
        e.target.disabled = true;
        try {
          await api(`/jobs/${j.id}/retry`, { method: 'POST' });
          announce(`Job ${j.id} queued again.`);
        } catch (err) {
          announce(err.message);
          window.alert(err.message);
        }
        reload();
      },
    }, 'Retry')]));
}

function scrapingSources(data, reload) {
  const list = data.items || [];
  if (!list.length) return empty('No scraping source yet.');
  for (const s of list) sourceNames.set(s.id, s.name);
  return table('Scraping sources', ['Source', 'Schedule', 'Health', 'Last run', ''], list.map((s) => [
    el('span', {}, el('strong', {}, s.name), el('br'), el('span', { class: 'hint wrap' }, s.url || '')),
    s.schedule || '—',
    badge(String(s.health || 'unknown'), HEALTH[s.health] ?? ''),
    runSummary(s.lastRun),
    el('button', {
      type: 'button', class: 'secondary', 'aria-label': `Scrape ${s.name} now`,
      onclick: () => post(`/scraping/sources/${s.id}/scrape`, {}, `Scraping ${s.name}.`).then(reload),
    }, 'Scrape now')]));
}

function safeLink(href, text) {
  try {
    const u = new URL(href, location.href);
    if (u.protocol === 'http:' || u.protocol === 'https:') return el('a', { href: u.href, target: '_blank', rel: 'noopener noreferrer' }, text);
  } catch {
    // not a URL: plain text below
  }
  return el('span', {}, text);
}

function items(data) {
  const list = data.items || [];
  if (!list.length) return empty('Nothing scraped yet.');
  return el('ul', { class: 'items' }, list.slice(0, 20).map((i) => el('li', {},
    safeLink(i.link, i.title || '(untitled)'),
    el('span', { class: 'hint' }, ` · ${sourceNames.get(i.sourceId) || `source ${i.sourceId}`} · posted ${when(i.postedAt)}`
      + ` · seen ${when(i.firstSeenAt)}${i.version > 1 ? ` · edited (version ${i.version})` : ''}`),
    i.body ? el('p', { class: 'snippet' }, String(i.body).slice(0, 240)) : null)));
}

function kyc(data) {
  const list = data.items || [];
  if (!list.length) return empty('No KYC check has run yet.');
  return table('KYC runs', ['Run', 'Result', 'Period', 'Trigger'], list.slice(0, 20).map((r) => [
    String(r.id ?? '—'), runSummary(r), r.period || '—', r.trigger || '—']));
}
