// Live job updates over the WebSocket /ws/jobs. One socket per page, opened on first use; when it cannot
// be opened or drops, every watcher learns it through onLost and falls back to polling the report.
// Browsers cannot put headers on a WebSocket, hence the token in the query string (the server accepts it
// there only).

import { token } from './api.js';

const watchers = new Map(); // job id (string) -> {onUpdate, onLost}
let socket = null;
let ready = null;

function connect() {
  if (ready) return ready;
  ready = new Promise((resolve, reject) => {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}/ws/jobs?access_token=${encodeURIComponent(token.get() || '')}`);
    const giveUp = setTimeout(() => { ws.close(); reject(new Error('timeout')); }, 5000);
    ws.addEventListener('open', () => { clearTimeout(giveUp); socket = ws; resolve(ws); });
    ws.addEventListener('message', (e) => {
      let msg;
      try { msg = JSON.parse(e.data); } catch { return; }
      const keys = [msg.id, msg.details && msg.details.reportId].filter((k) => k !== undefined && k !== null).map(String);
      for (const k of keys) {
        const w = watchers.get(k);
        if (w) w.onUpdate(msg);
      }
    });
    const lost = () => {
      clearTimeout(giveUp);
      socket = null;
      ready = null;
      reject(new Error('closed'));
      for (const w of [...watchers.values()]) w.onLost();
      watchers.clear();
    };
    ws.addEventListener('error', lost);
    ws.addEventListener('close', lost);
  });
  return ready;
}

/**
 * Calls onUpdate with each jobs.updated message about `jobId` (or whose details name `reportId`).
 * Resolves once subscribed; rejects when the socket is unavailable (then the caller polls instead).
 * onLost is called if the socket drops later. Returns a function that stops watching.
 */
export async function watchJob(jobId, reportId, onUpdate, onLost) {
  const ws = await connect();
  const w = { onUpdate, onLost };
  const keys = [String(jobId), String(reportId)];
  for (const k of keys) watchers.set(k, w);
  ws.send(JSON.stringify({ subscribe: jobId }));
  return () => { for (const k of keys) if (watchers.get(k) === w) watchers.delete(k); };
}

export function closeLive() {
  watchers.clear();
  if (socket) socket.close();
}

/** States a job never leaves by itself (failed is retried after a backoff). */
export const TERMINAL = new Set(['succeeded', 'dead', 'cancelled']);
