// Talks to /api/v1 with the session's token. Every call has a timeout, and every failure becomes an
// ApiError whose message a person can read (the server's problem+json `detail` when there is one).

const TOKEN_KEY = 'pharmaops.token';
const DEFAULT_TIMEOUT_MS = 10000;
let onUnauthorized = () => {};

export class ApiError extends Error {
  constructor(message, status = 0, requestId = null) {
    super(message);
    this.status = status;
    this.requestId = requestId;
  }

  /** True when this part of the server is absent or switched off, not when the call itself was wrong. */
  get unavailable() {
    return this.status === 404 || this.status === 501 || this.status === 503;
  }
}

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (t) => sessionStorage.setItem(TOKEN_KEY, t),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export function whenUnauthorized(fn) {
  onUnauthorized = fn;
}

/**
 * fetch() with the bearer token, a timeout and JSON in and out. `signal` lets the caller abort (a stale
 * type-ahead request); that abort surfaces as a DOMException named AbortError, which callers ignore.
 */
export async function api(path, { method = 'GET', body, signal, timeoutMs = DEFAULT_TIMEOUT_MS, raw = false, auth } = {}) {
  const ctl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; ctl.abort(); }, timeoutMs);
  const relay = () => ctl.abort();
  if (signal) {
    if (signal.aborted) ctl.abort();
    else signal.addEventListener('abort', relay, { once: true });
  }
  const headers = { Accept: 'application/json, application/problem+json' };
  const bearer = auth ?? token.get();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(`/api/v1${path}`, {
      method, headers, signal: ctl.signal, cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw await problem(res);
    if (raw) return res;
    if (res.status === 204) return null;
    return await res.json();
  } catch (e) {
    if (e instanceof ApiError) throw e;
    if (e.name === 'AbortError' && !timedOut) throw e;
    if (timedOut) throw new ApiError(`The server did not answer within ${Math.round(timeoutMs / 1000)} seconds. Try again in a moment.`);
    throw new ApiError('Cannot reach the server. Check the connection and try again.');
  } finally {
    clearTimeout(timer);
    if (signal) signal.removeEventListener('abort', relay);
  }
}

async function problem(res) {
  let detail = null;
  let requestId = res.headers.get('X-Request-Id');
  try {
    const doc = await res.json();
    detail = doc.detail || doc.title || null;
    requestId = doc.requestId || requestId;
  } catch {
    // not a problem document (a proxy's HTML page, say): fall back to the status below
  }
  const err = new ApiError(detail || plainStatus(res.status), res.status, requestId);
  if (res.status === 401) onUnauthorized(err);
  return err;
}

function plainStatus(status) {
  if (status === 401) return 'Your token was not accepted; sign in again.';
  if (status === 403) return 'Your token does not allow this.';
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many requests; wait a moment and try again.';
  if (status >= 500) return `The server had a problem (${status}). Try again in a moment.`;
  return `The request was refused (${status}).`;
}

/** Downloads a file that needs the token (a plain link could not send it) and hands it to the browser. */
export async function download(path, fallbackName) {
  const res = await api(path.replace(/^\/api\/v1/, ''), { raw: true, timeoutMs: 120000 });
  const blob = await res.blob();
  const disposition = res.headers.get('Content-Disposition') || '';
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = m ? decodeURIComponent(m[1]) : fallbackName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}
