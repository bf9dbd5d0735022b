// Reports: pick a type, fill its filters, request it, watch it run (WebSocket, else polling), download it,
// and browse the reports asked for before.

import { api, download, ApiError } from './api.js';
import { el, errorBox, announce, badge, when, table } from './dom.js';
import { watchJob, TERMINAL } from './live.js';

const $ = (id) => document.getElementById(id);
let types = [];
let listNext = null;
let stopWatching = () => {};
let pollCtl = null;

export function initReports() {
  $('report-type').addEventListener('change', renderFilters);
  $('report-form').addEventListener('submit', (e) => { e.preventDefault(); request(); });
  $('reports-refresh').addEventListener('click', () => loadList());
}

export async function showReports() {
  if (!types.length) await loadTypes();
  await loadList();
}

async function loadTypes() {
  const err = $('report-error');
  err.replaceChildren();
  try {
    types = (await api('/reports/types')).items || [];
    $('report-type').replaceChildren(...types.map((t) => el('option', { value: t.type }, label(t.type))));
    $('report-submit').disabled = !types.length;
    renderFilters();
  } catch (e) {
    $('report-submit').disabled = true;
    err.replaceChildren(errorBox(e.unavailable ? new ApiError('Reports are not available on this server right now.') : e, loadTypes));
  }
}

function label(name) {
  const words = String(name).replace(/[._-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function renderFilters() {
  const box = $('report-filters');
  const t = types.find((x) => x.type === $('report-type').value);
  const fields = (t && t.filters) || [];
  box.replaceChildren(el('legend', {}, 'Filters (optional)'));
  box.hidden = !fields.length;
  for (const f of fields) box.append(field(f));
}

function field(f) {
  const id = `rf-${f.name}`;
  const kind = String(f.kind || 'string').toLowerCase();
  let input;
  if (Array.isArray(f.values) && f.values.length) {
    input = el('select', { id, 'data-filter': f.name }, el('option', { value: '' }, 'Any'), f.values.map((v) => el('option', { value: v }, v)));
  } else if (kind === 'boolean' || kind === 'bool') {
    input = el('select', { id, 'data-filter': f.name, 'data-kind': 'boolean' },
      el('option', { value: '' }, 'Any'), el('option', { value: 'true' }, 'Yes'), el('option', { value: 'false' }, 'No'));
  } else if (['date', 'datetime', 'instant', 'timestamp'].includes(kind)) {
    input = el('input', { id, type: 'date', 'data-filter': f.name });
  } else if (['int', 'integer', 'number', 'long'].includes(kind)) {
    input = el('input', { id, type: 'number', inputmode: 'numeric', 'data-filter': f.name, 'data-kind': 'number' });
  } else {
    input = el('input', { id, type: 'text', spellcheck: 'false', 'data-filter': f.name });
    // Free-text filters named like the search filters get the same known values as suggestions.
    const known = document.getElementById(`f-${f.name}`);
    if (known && known.tagName === 'SELECT') {
      const list = el('datalist', { id: `${id}-values` }, [...known.options].filter((o) => o.value).map((o) => el('option', { value: o.value })));
      input.setAttribute('list', list.id);
      return el('div', { class: 'field' }, el('label', { for: id }, label(f.name)), input, list);
    }
  }
  return el('div', { class: 'field' }, el('label', { for: id }, label(f.name)), input);
}

function filters() {
  const out = {};
  for (const input of $('report-filters').querySelectorAll('[data-filter]')) {
    const v = input.value.trim();
    if (!v) continue;
    const kind = input.dataset.kind;
    out[input.dataset.filter] = kind === 'boolean' ? v === 'true' : kind === 'number' ? Number(v) : v;
  }
  return out;
}

async function request() {
  const err = $('report-error');
  const btn = $('report-submit');
  err.replaceChildren();
  btn.disabled = true;
  try {
    const view = await api('/reports', { method: 'POST', body: { type: $('report-type').value, filters: filters() } });
    announce('Report requested.');
    follow(view);
    loadList();
  } catch (e) {
    err.replaceChildren(e.message);
  } finally {
    btn.disabled = false;
  }
}

/** Shows one report's progress until it ends: live from the WebSocket, or by polling when that fails. */
async function follow(view) {
  stopWatching();
  if (pollCtl) pollCtl.abort();
  renderLive(view);
  if (TERMINAL.has(view.state)) return;
  let current = view;
  let idle = null;
  const refresh = async () => {
    try {
      current = await api(`/reports/${view.id}`);
      renderLive(current);
      if (TERMINAL.has(current.state)) finish(current);
    } catch (e) {
      // the next message or poll will try again
    }
  };
  // If the socket stays silent (an id that is not the job's, a lost event), a quiet refresh keeps us honest.
  const nudge = () => { clearTimeout(idle); idle = setTimeout(() => { refresh().then(() => { if (!TERMINAL.has(current.state)) nudge(); }); }, 10000); };
  const finish = (v) => { clearTimeout(idle); stopWatching(); stopWatching = () => {}; loadList(); announce(`Report ${v.state}.`); };
  try {
    const stop = await watchJob(view.jobId ?? view.id, view.id, (msg) => {
      if (msg.state && msg.state !== current.state && !TERMINAL.has(msg.state)) announce(`Report ${STATE_WORDS[msg.state] || msg.state}.`);
      current = { ...current, state: msg.state ?? current.state, progress: msg.progress ?? current.progress, error: msg.error ?? current.error };
      renderLive(current);
      if (TERMINAL.has(msg.state)) refresh();
      else nudge();
    }, () => { clearTimeout(idle); if (!TERMINAL.has(current.state)) poll(current); });
    stopWatching = () => { clearTimeout(idle); stop(); };
    nudge();
    refresh(); // it may have finished before we subscribed
  } catch {
    poll(view);
  }
}

/** Fallback: long-poll the report (?wait=) until it reaches a final state. */
async function poll(view) {
  const ctl = new AbortController();
  pollCtl = ctl;
  let v = view;
  let failures = 0;
  while (!ctl.signal.aborted && !TERMINAL.has(v.state)) {
    try {
      v = await api(`/reports/${view.id}?wait=20`, { signal: ctl.signal, timeoutMs: 30000 });
      failures = 0;
      renderLive(v);
    } catch (e) {
      if (e.name === 'AbortError') return;
      failures += 1;
      renderLive(v, e);
      await new Promise((r) => setTimeout(r, Math.min(30000, 1000 * 2 ** failures)));
    }
  }
  if (TERMINAL.has(v.state)) { loadList(); announce(`Report ${v.state}.`); }
}

function renderLive(v, problem) {
  const pct = Math.max(0, Math.min(100, Math.round(v.progress ?? (v.state === 'succeeded' ? 100 : 0))));
  // data-report: which report the box shows, so a reader (or a test) can tell the new one from the last one
  const box = el('div', { class: `report-live state-${v.state}`, 'data-state': v.state, 'data-report': String(v.id), id: 'report-current' },
    el('p', {}, el('strong', {}, label(v.type || 'report')), ' — ', stateBadge(v.state),
      v.rowsWritten !== undefined && v.rowsWritten !== null ? ` ${v.rowsWritten} rows` : ''),
    el('progress', { max: '100', value: String(pct), 'aria-label': 'Report progress' }),
    el('span', { class: 'pct' }, `${pct} %`));
  if (v.error) box.append(el('p', { class: v.state === 'dead' ? 'error' : 'hint' }, `${v.state === 'dead' ? 'The report failed' : 'Last attempt failed'}: ${v.error}`));
  if (problem) box.append(el('p', { class: 'hint' }, `${problem.message} Still trying…`));
  if (v.state === 'succeeded') box.append(downloadButton(v));
  $('report-live').replaceChildren(box);
}

// A failed attempt is retried after a backoff; only dead (out of attempts) is final.
const STATE_WORDS = { failed: 'failed, retrying', dead: 'failed' };

function stateBadge(state) {
  const tone = state === 'succeeded' ? 'good' : ['dead', 'cancelled'].includes(state) ? 'bad' : 'busy';
  return badge(STATE_WORDS[state] || state || 'unknown', tone);
}

function downloadButton(v) {
  const btn = el('button', { type: 'button', class: 'download' }, 'Download CSV');
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    try {
      await download(v.fileUrl || `/api/v1/reports/${v.id}/file`, `report-${v.id}.csv`);
    } catch (e) {
      announce(e.message);
      btn.after(el('span', { class: 'error', role: 'alert' }, ` ${e.message}`));
    } finally {
      btn.disabled = false;
    }
  });
  return btn;
}

async function loadList(append = false) {
  const box = $('reports-list');
  if (!append) box.replaceChildren(el('p', { class: 'status' }, 'Loading…'));
  try {
    const page = await api(`/reports${append && listNext ? `?cursor=${encodeURIComponent(listNext)}` : ''}`);
    listNext = page.next || null;
    const items = page.items || [];
    const rows = items.map((r) => [when(r.createdAt), label(r.type), stateBadge(r.state),
      r.rowsWritten ?? '—', actions(r)]);
    const t = table('Your reports, newest first', ['Requested', 'Report', 'State', 'Rows', ''], rows);
    if (!append) box.replaceChildren();
    else box.querySelector('.more')?.remove();
    if (!items.length && !append) box.append(el('p', { class: 'hint' }, 'No reports yet.'));
    else box.append(t);
    if (listNext) box.append(el('button', { type: 'button', class: 'secondary more', onclick: () => loadList(true) }, 'Show older reports'));
  } catch (e) {
    box.replaceChildren(errorBox(e.unavailable ? new ApiError('Reports are not available on this server right now.') : e, () => loadList()));
  }
}

function actions(r) {
  const cell = el('span', { class: 'actions' });
  if (r.state === 'succeeded') cell.append(downloadButton(r));
  if (!TERMINAL.has(r.state)) cell.append(el('button', { type: 'button', class: 'secondary', onclick: () => follow(r) }, 'Watch'));
  cell.append(el('button', {
    type: 'button', class: 'secondary', 'aria-label': `${TERMINAL.has(r.state) ? 'Delete' : 'Cancel'} report of ${when(r.createdAt)}`,
    onclick: async () => {
      if (!window.confirm(TERMINAL.has(r.state) ? 'Delete this report and its file?' : 'Cancel this report?')) return;
      try { await api(`/reports/${r.id}`, { method: 'DELETE' }); announce('Done.'); } catch (e) { announce(e.message); }
      loadList();
    },
  }, TERMINAL.has(r.state) ? 'Delete' : 'Cancel'));
  return cell;
}
