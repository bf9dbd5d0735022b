// Page shell: sign-in with a token (checked with GET /me, kept in sessionStorage only), and tabs shown
// according to the token's roles. The address's #fragment names the open tab, so it survives a reload.

import { api, token, whenUnauthorized } from './api.js';
import { announce } from './dom.js';
import { initSearch, focusSearch } from './search.js';
import { initReports, showReports } from './reports.js';
import { initOps, showOps } from './ops.js';
import { closeLive } from './live.js';

const $ = (id) => document.getElementById(id);
let me = null;

const TABS = {
  search: { show: () => focusSearch() },
  reports: { show: () => showReports() },
  ops: { show: () => showOps() },
};

function allowed(tabButton) {
  const roles = tabButton.dataset.roles.split(' ');
  return me && me.roles.some((r) => roles.includes(r));
}

function visibleTabs() {
  return [...document.querySelectorAll('[role=tab]')].filter((t) => !t.hidden);
}

function select(name, { focusTab = false } = {}) {
  const tabs = visibleTabs();
  const tab = tabs.find((t) => t.dataset.tab === name) || tabs[0];
  if (!tab) return;
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute('aria-selected', on ? 'true' : 'false');
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute('aria-controls')).hidden = !on;
  }
  if (focusTab) tab.focus();
  if (location.hash !== `#${tab.dataset.tab}`) history.replaceState(null, '', `#${tab.dataset.tab}`);
  TABS[tab.dataset.tab].show();
}

function initTabs() {
  const list = $('tabs');
  list.addEventListener('click', (e) => {
    const t = e.target.closest('[role=tab]');
    if (t) select(t.dataset.tab);
  });
  // Tabs pattern: arrow keys move between tabs, Tab goes into the panel.
  list.addEventListener('keydown', (e) => {
    const tabs = visibleTabs();
    const i = tabs.indexOf(document.activeElement);
    if (i < 0) return;
    let j = null;
    if (e.key === 'ArrowRight') j = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = tabs.length - 1;
    if (j === null) return;
    e.preventDefault();
    select(tabs[j].dataset.tab, { focusTab: true });
  });
  window.addEventListener('hashchange', () => me && select(location.hash.slice(1)));
}

function showLogin(message = '') {
  me = null;
  closeLive();
  $('login').hidden = false;
  $('tabs').hidden = true;
  $('who').hidden = true;
  for (const p of document.querySelectorAll('[role=tabpanel]')) p.hidden = true;
  $('login-error').textContent = message;
  $('token').value = '';
  $('token').focus();
}

function showApp() {
  $('login').hidden = true;
  $('who').hidden = false;
  $('who-name').textContent = `${me.subject} (${me.roles.join(', ')})`;
  $('tabs').hidden = false;
  for (const t of document.querySelectorAll('[role=tab]')) t.hidden = !allowed(t);
  select(location.hash.slice(1) || 'search');
}

async function signIn(candidate) {
  const button = $('login-submit');
  button.disabled = true;
  $('login-error').textContent = 'Checking the token…';
  try {
    me = await api('/me', { auth: candidate });
    token.set(candidate);
    announce(`Signed in as ${me.subject}.`);
    showApp();
  } catch (e) {
    if (e.status === 401 || e.status === 403) {
      token.clear();
      showLogin('This token is not valid (unknown, revoked or expired).');
    } else {
      // The server is down or slow: keep what was typed so pressing Sign in again retries.
      showLogin(`${e.message} Press Sign in to try again.`);
      $('token').value = candidate;
    }
  } finally {
    button.disabled = false;
  }
}

function init() {
  initTabs();
  initSearch();
  initReports();
  initOps();
  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const t = $('token').value.trim();
    if (!t) { $('login-error').textContent = 'Enter a token first.'; return; }
    signIn(t);
  });
  $('logout').addEventListener('click', () => { token.clear(); showLogin('Signed out.'); });
  whenUnauthorized(() => { if (me) { token.clear(); showLogin('Your session ended (the token was revoked or expired). Sign in again.'); } });
  const saved = token.get();
  if (saved) signIn(saved);
  else showLogin();
}

init();
