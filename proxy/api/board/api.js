// Calls to the control API (the token travels in the HttpOnly cookie the server set) and the
// state every part of the board shares.

/** An answer other than 2xx: `status` and the API's own `{error, field}` message. */
export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

/** The JSON answer of `method path`; throws ApiError on a non-2xx answer. */
export async function api(path, method = 'GET', body = undefined) {
  const init = { method, credentials: 'same-origin', headers: {} };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { error: text }; }
  if (!response.ok) throw new ApiError(response.status, (data && data.error) || response.statusText);
  return data;
}

/** Shows a failed call in the banner (a click's or a key's: nothing else would show it). */
export function report(error) {
  const banner = document.getElementById('banner');
  banner.hidden = false;
  banner.textContent = `tlsfault answered: ${error.message}`;
}

/** What the board knows; filled by board.js from the API and the event stream. */
export const state = {
  lab: null,               // GET /api/v1/lab: listeners, ca_path, lab_domain, groups
  records: new Map(),      // connection id -> record (GET /api/v1/connections/{id})
  events: new Map(),       // connection id -> [event with seq], as received
  lastSeq: 0,              // the newest event seen
  scenarios: [],           // GET /api/v1/scenarios
  active: [],              // names, in rule order
  lastVerdict: null,       // the newest record that has a verdict
};

/** Tells every listener registered with on(name) about a change. */
const listeners = new Map();
export function on(name, fn) {
  if (!listeners.has(name)) listeners.set(name, []);
  listeners.get(name).push(fn);
}
export function emit(name, detail) {
  for (const fn of listeners.get(name) || []) fn(detail);
}

/** Builds an element: el('td', {class: 'x'}, 'text', child). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** The address of the listener of `kind` ("proxy", "sni", ...), or "". */
export function listenerAddress(kind) {
  const found = (state.lab?.listeners || []).find((l) => l.kind === kind);
  return found ? found.address : '';
}

/** A verdict as a badge: colour from the outcome, and always its name as text. */
export function verdictBadge(verdict) {
  if (!verdict) return el('span', { class: 'verdict-badge v-pending' }, 'pending');
  const label = verdict.outcome === 'alert' ? `alert ${verdict.alert || ''}`.trim() : verdict.outcome;
  return el('span', { class: `verdict-badge v-${verdict.outcome}`, title: verdict.reason || label }, label);
}

/** "10:08:13.120" from an ISO time. */
export function clock(time) {
  return typeof time === 'string' && time.length >= 23 ? time.slice(11, 23) : (time || '');
}

/** Offers `text` as a file download named `name`. */
export function download(name, text, type = 'application/x-ndjson') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = el('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
