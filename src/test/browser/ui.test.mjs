// Drives Debian's chromium through the pharmaops web page against a running server (BrowserIT starts one
// and passes it in the environment): PHARMAOPS_URL, PHARMAOPS_ADMIN_TOKEN, PHARMAOPS_ATTENDANT_TOKEN,
// SEARCH_TYPO (a misspelt query), SEARCH_EXPECT (the leaflet it must find), FILTER_QUERY and FILTER_MANUFACTURER
// (a query whose results span several manufacturers, and one of them), DEAD_JOB_ID (a dead job to retry),
// SCREENSHOT_DIR.
// Prints one line per check and exits non-zero when any fails.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { checks, expect, run, summary } from './harness.mjs';

const env = (k) => {
  if (!process.env[k]) { console.error(`missing ${k}`); process.exit(2); }
  return process.env[k];
};
const URL_ = env('PHARMAOPS_URL');
const ADMIN = env('PHARMAOPS_ADMIN_TOKEN');
const ATTENDANT = env('PHARMAOPS_ATTENDANT_TOKEN');
const TYPO = env('SEARCH_TYPO');
const EXPECT = env('SEARCH_EXPECT');
const FILTER_QUERY = env('FILTER_QUERY');
const FILTER_MANUFACTURER = env('FILTER_MANUFACTURER');
const DEAD_JOB = env('DEAD_JOB_ID');
const OUT = env('SCREENSHOT_DIR');
fs.mkdirSync(OUT, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** A fresh tab at a viewport, watching for script errors and CSP violations. */
async function open(viewport, extra = {}) {
  const ctx = await browser.newContext({ viewport, acceptDownloads: true, ...extra });
  ctx.setDefaultTimeout(15000);
  const page = await ctx.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) page.problems.push(`CSP: ${m.text()}`); });
  await page.goto(URL_);
  return page;
}

async function signIn(page, token) {
  await page.fill('#token', token);
  await page.press('#token', 'Enter');
  await page.waitForSelector('#tabs:not([hidden])');
}

const shot = (page, name, fullPage = false) => page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage });
const visibleTabs = (page) => page.$$eval('[role=tab]', (ts) => ts.filter((t) => !t.hidden).map((t) => t.dataset.tab));
const optionNames = (page) => page.$$eval('#results [role=option]', (xs) => xs.map((x) => x.dataset.name));
const isSearch = (r) => r.url().includes('/api/v1/bulas?') && r.request().method() === 'GET';

/** A GET of the API as the admin the page signed in as, for facts the page only shows in words. */
async function apiGet(p) {
  const res = await fetch(new URL(p, URL_), { headers: { Authorization: `Bearer ${ADMIN}` } });
  expect(res.ok, `GET ${p}: ${res.status}`);
  return res.json();
}

await run('the page is served without a token, with security headers', async () => {
  const res = await fetch(URL_);
  expect(res.status === 200, `status ${res.status}`);
  const csp = res.headers.get('content-security-policy') || '';
  expect(/script-src 'self'/.test(csp) && !/unsafe-inline/.test(csp), `CSP: ${csp}`);
  expect(res.headers.get('x-content-type-options') === 'nosniff', 'nosniff missing');
  expect(res.headers.get('referrer-policy'), 'Referrer-Policy missing');
});

const desk = await open({ width: 1280, height: 860 });

await run('a wrong token is refused in plain words', async () => {
  await shot(desk, 'login');
  await desk.fill('#token', 'not-a-real-token-0000000000');
  await desk.press('#token', 'Enter');
  await desk.waitForFunction(() => /not valid/.test(document.getElementById('login-error').textContent));
  expect(await desk.isHidden('#tabs'), 'tabs must stay hidden');
});

await run('an admin sees every tab', async () => {
  await signIn(desk, ADMIN);
  const tabs = await visibleTabs(desk);
  expect(JSON.stringify(tabs) === '["search","reports","ops"]', `tabs ${tabs}`);
  expect(await desk.evaluate(() => sessionStorage.getItem('pharmaops.token') !== null && localStorage.length === 0), 'token must be in sessionStorage only');
});

await run('search with a typo finds the leaflet as you type, highlighted, with fewer requests than keystrokes', async () => {
  const requests = [];
  const count = (r) => { if (r.url().includes('/api/v1/bulas?')) requests.push(r.url()); };
  desk.on('request', count);
  await desk.click('#q');
  await desk.keyboard.type(TYPO, { delay: 25 });
  await desk.waitForFunction((want) => [...document.querySelectorAll('#results [role=option]')]
    .some((o) => o.dataset.name.toLowerCase().includes(want)), EXPECT.toLowerCase());
  desk.off('request', count);
  expect((await desk.getAttribute('#q', 'aria-expanded')) === 'true', 'combobox must be expanded');
  const marks = await desk.locator('#results mark').count();
  console.log(`# typed ${TYPO.length} characters, ${requests.length} search requests sent; marks shown: ${marks}`);
  expect(marks >= 1, 'no <mark> highlights the match in the results');
  expect(requests.length >= 1 && requests.length < TYPO.length,
    `${requests.length} search requests for ${TYPO.length} characters typed: the debounce does not hold them back`);
  await shot(desk, 'search');
});

await run('arrow keys and Enter open the leaflet, its contents jump to a section', async () => {
  const names = await optionNames(desk);
  const target = names.findIndex((n) => n.toLowerCase().includes(EXPECT.toLowerCase()));
  for (let i = 0; i < target; i++) await desk.keyboard.press('ArrowDown');
  expect((await desk.getAttribute('#q', 'aria-activedescendant')) === `result-${target}`, 'active option must follow the arrows');
  await desk.keyboard.press('Enter');
  await desk.waitForSelector('#leaflet .toc a');
  const title = await desk.textContent('#leaflet-title');
  expect(title.toLowerCase().includes(EXPECT.toLowerCase()), `leaflet title ${title}`);
  const toc = await desk.$$eval('#leaflet .toc a', (as) => as.map((a) => a.textContent));
  expect(toc.length >= 2, `contents: ${toc}`);
  const dosage = toc.findIndex((t) => /dosage/i.test(t));
  await desk.click(`#leaflet .toc a >> nth=${dosage >= 0 ? dosage : toc.length - 1}`);
  const focused = await desk.evaluate(() => document.activeElement.id);
  expect(focused.startsWith('sec-'), `focus after jump: ${focused}`);
  await shot(desk, 'leaflet');
});

await run('Escape closes the leaflet, then clears the search', async () => {
  await desk.keyboard.press('Escape');
  await desk.waitForSelector('#leaflet', { state: 'hidden' });
  expect(await desk.evaluate(() => document.activeElement.id === 'q'), 'focus must return to the search box');
  await desk.keyboard.press('Escape');
  expect((await desk.inputValue('#q')) === '' && (await desk.locator('#results [role=option]').count()) === 0, 'search not cleared');
});

await run('a manufacturer filter narrows the results to that manufacturer', async () => {
  const [all] = await Promise.all([desk.waitForResponse((r) => isSearch(r) && !r.url().includes('manufacturer=')),
    desk.fill('#q', FILTER_QUERY)]);
  const unfiltered = (await all.json()).items || [];
  const [some] = await Promise.all([desk.waitForResponse((r) => isSearch(r) && r.url().includes('manufacturer=')),
    desk.fill('#f-manufacturer', FILTER_MANUFACTURER)]);
  const filtered = (await some.json()).items || [];
  expect(filtered.length >= 1 && filtered.length < unfiltered.length,
    `${filtered.length} results with the filter, ${unfiltered.length} without`);
  const others = filtered.filter((b) => !String(b.manufacturer || '').toLowerCase().includes(FILTER_MANUFACTURER.toLowerCase()));
  expect(others.length === 0, `results of other manufacturers: ${others.map((b) => b.manufacturer)}`);
  await desk.waitForFunction((n) => document.querySelectorAll('#results [role=option]').length === n, filtered.length);
  expect(/1 active/.test(await desk.textContent('#filters-summary')), 'the filters summary must count the active filter');
  await shot(desk, 'search-filtered');
  await Promise.all([desk.waitForResponse((r) => isSearch(r) && !r.url().includes('manufacturer=')), desk.fill('#f-manufacturer', '')]);
});

await run('highlights honour only <mark>; any other markup stays text', async () => {
  const r = await desk.evaluate(async () => {
    const { highlighted } = await import('/js/dom.js');
    const box = document.createElement('div');
    box.append(highlighted('<img src=x onerror="window.__pwned=1"><mark>Dip</mark>irona &amp; <b>co</b>'));
    return { tags: [...box.querySelectorAll('*')].map((e) => e.tagName), text: box.textContent, pwned: window.__pwned };
  });
  expect(JSON.stringify(r.tags) === '["MARK"]', `elements: ${r.tags}`);
  expect(r.text.includes('Dipirona & <b>co</b>') && !r.pwned, `text: ${r.text}`);
});

await run('leaflet text from PDFs reflows, keeping headings and sentence ends on their own lines', async () => {
  const out = await desk.evaluate(async () => (await import('/js/leaflet.js')).reflow(
    'Se você for idoso, seu médico poderá fazer um ajuste\n(redução) na dose. Essas reações geralmente são\nrevertidas.\nGravidez e lactação\nEste medicamento não deve ser usado sem o cirurgião-\ndentista.'));
  expect(out === 'Se você for idoso, seu médico poderá fazer um ajuste (redução) na dose. Essas reações geralmente são revertidas.\n'
    + 'Gravidez e lactação\nEste medicamento não deve ser usado sem o cirurgião-dentista.', `reflowed: ${JSON.stringify(out)}`);
});

await run('a failing or unreachable search shows a plain message and a retry that works', async () => {
  await desk.route('**/api/v1/bulas?*', (route) => route.fulfill({
    status: 503, contentType: 'application/problem+json',
    body: JSON.stringify({ status: 503, title: 'Service unavailable', detail: 'Search is warming up; try again in a minute.' }),
  }));
  await desk.fill('#q', TYPO);
  await desk.waitForSelector('#search-status [role=alert] >> text=Search is warming up');
  await desk.unroute('**/api/v1/bulas?*');
  await desk.route('**/api/v1/bulas?*', (route) => route.abort('failed'));
  await desk.click('#search-status button');
  await desk.waitForSelector('#search-status [role=alert] >> text=Cannot reach the server');
  await shot(desk, 'search-error');
  await desk.unroute('**/api/v1/bulas?*');
  await desk.click('#search-status button');
  await desk.waitForSelector('#results [role=option]');
});

let frames = 0;
desk.on('websocket', (ws) => { if (ws.url().includes('/ws/jobs')) ws.on('framereceived', () => { frames += 1; }); });

/** Requests a catalogue report with these filters (input id rf-<name>) and waits until that report succeeded. */
async function requestReport(page, name, filters = {}) {
  await page.click('#tab-reports');
  await page.waitForSelector('#report-type option', { state: 'attached' });
  const types = await page.$$eval('#report-type option', (os) => os.map((o) => o.value));
  if (types.includes('catalogue')) await page.selectOption('#report-type', 'catalogue');
  for (const [k, v] of Object.entries(filters)) await page.fill(`#rf-${k}`, v);
  const [posted] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/reports' && r.request().method() === 'POST'),
    page.click('#report-submit')]);
  const view = await posted.json();
  expect(posted.status() === 202, `submit: ${posted.status()} ${JSON.stringify(view)}`);
  // the box of this report, not the one the last report left behind
  await page.waitForSelector(`#report-current[data-report="${view.id}"][data-state=succeeded]`, { timeout: 90000 });
  await shot(page, name);
  return { view, sent: posted.request().postDataJSON() };
}

let wholeCatalogueRows = null;

await run('a requested report shows live progress over the WebSocket and completes', async () => {
  const { view } = await requestReport(desk, 'reports');
  expect(frames > 0, 'no job update arrived over /ws/jobs');
  await desk.waitForSelector('#reports-list td >> text=succeeded');
  wholeCatalogueRows = (await apiGet(`/api/v1/reports/${view.id}`)).rowsWritten;
});

await run('the finished report downloads as CSV', async () => {
  const [download] = await Promise.all([desk.waitForEvent('download'), desk.click('#report-current .download')]);
  const file = path.join(OUT, 'report.csv');
  await download.saveAs(file);
  const head = fs.readFileSync(file, 'utf8').split('\n')[0];
  expect(head.includes(','), `first line: ${head}`);
});

await run('a report filtered by manufacturer completes with only part of the catalogue', async () => {
  const { view, sent } = await requestReport(desk, 'reports-filtered', { manufacturer: FILTER_MANUFACTURER });
  expect(sent.filters && sent.filters.manufacturer === FILTER_MANUFACTURER, `sent ${JSON.stringify(sent)}`);
  const done = await apiGet(`/api/v1/reports/${view.id}`);
  expect(done.state === 'succeeded' && done.rowsWritten >= 1 && done.rowsWritten < wholeCatalogueRows,
    `filtered report: ${done.state}, ${done.rowsWritten} rows; whole catalogue: ${wholeCatalogueRows}`);
  await desk.fill('#rf-manufacturer', '');
});

await run('without the WebSocket the report is followed by polling', async () => {
  const polls = [];
  desk.on('request', (r) => { if (/\/api\/v1\/reports\/\d+\?wait=/.test(r.url())) polls.push(r.url()); });
  await desk.routeWebSocket('**/ws/jobs**', (ws) => ws.close());
  await desk.evaluate(async () => (await import('/js/live.js')).closeLive());
  await requestReport(desk, 'reports-polling');
  expect(polls.length > 0, 'the report was not polled');
});

await run('operations: every section loads or says in plain words why not', async () => {
  await desk.click('#tab-ops');
  await desk.waitForFunction(() => document.querySelectorAll('.ops-body[aria-busy=true]').length === 0
    && ![...document.querySelectorAll('.ops-body')].some((b) => b.textContent.includes('Loading')));
  const cards = await desk.$$eval('.ops-card', (cs) => cs.map((c) => ({ id: c.id, error: !!c.querySelector('.error-box'), text: c.textContent.slice(0, 80) })));
  for (const c of cards) expect(!c.error, `${c.id} shows an error: ${c.text}`);
  const queues = await desk.textContent('#ops-queues .ops-body');
  expect(await desk.locator('#ops-queues .unavailable').count() === 0 && /Type|queues are empty/.test(queues), `job queues: ${queues}`);
  await shot(desk, 'operations', true);
});

await run('operations: a dead job is retried and shows up queued', async () => {
  const retry = desk.locator(`#ops-dead button[aria-label="Retry job ${DEAD_JOB}"]`);
  await retry.click();
  await desk.waitForFunction((id) => ![...document.querySelectorAll('#ops-dead button')].some((b) => b.getAttribute('aria-label') === `Retry job ${id}`), DEAD_JOB);
  await desk.click('#ops-refresh');
  await desk.waitForSelector('#ops-queues td >> text=browser.check');
});

await run('no script errors or CSP violations on the desktop run', async () => {
  expect(desk.problems.length === 0, desk.problems.join('; '));
});

await run('an attendant sees only the search tab', async () => {
  const page = await open({ width: 1280, height: 860 });
  await signIn(page, ATTENDANT);
  const tabs = await visibleTabs(page);
  expect(JSON.stringify(tabs) === '["search"]', `tabs ${tabs}`);
  await page.context().close();
});

await run('at phone width (375 px) search, leaflet, reports and operations fit the screen', async () => {
  const phone = await open({ width: 375, height: 812 }, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const fits = () => phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
  await signIn(phone, ADMIN);
  await phone.fill('#q', TYPO);
  await phone.waitForSelector('#results [role=option]');
  expect(await fits(), 'search page scrolls sideways');
  await shot(phone, 'search-phone');
  const names = await optionNames(phone);
  await phone.tap(`#result-${Math.max(0, names.findIndex((n) => n.toLowerCase().includes(EXPECT.toLowerCase())))}`);
  await phone.waitForSelector('#leaflet .toc a');
  expect(await phone.isHidden('#results-col'), 'results should give way to the leaflet');
  expect(await fits(), 'leaflet scrolls sideways');
  await shot(phone, 'leaflet-phone');
  await phone.click('#leaflet .close');
  await phone.click('#tab-reports');
  await phone.waitForSelector('#reports-list table, #reports-list .hint');
  expect(await fits(), 'reports page scrolls sideways');
  await shot(phone, 'reports-phone', true);
  await phone.click('#tab-ops');
  await phone.waitForFunction(() => document.querySelectorAll('.ops-body[aria-busy=true]').length === 0);
  expect(await fits(), 'operations page scrolls sideways');
  await shot(phone, 'operations-phone', true);
  expect(phone.problems.length === 0, phone.problems.join('; '));
  await phone.context().close();
});

await run('every form control has a label', async () => {
  const unlabelled = await desk.$$eval('input, select', (xs) => xs.filter((x) => x.type !== 'hidden'
    && !(x.labels && x.labels.length) && !x.getAttribute('aria-label')).map((x) => x.id || x.outerHTML));
  expect(unlabelled.length === 0, `unlabelled: ${unlabelled}`);
});

await browser.close();
process.exit(summary(checks) ? 0 : 1);
