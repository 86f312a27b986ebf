// The live feed: Server-Sent Events from /api/v1/events/stream. A reconnecting EventSource
// resumes by itself with Last-Event-ID; when tlsfault restarted meanwhile (its event numbers
// start again), the board notices through /api/v1/health, forgets the old run and starts over.
import { api, state, emit } from './api.js';

// Every event name the log writes (docs/events.md); SSE delivers named events only to
// listeners of that name.
const EVENT_NAMES = ['accept', 'original_destination', 'client_hello', 'certificate', 'staple', 'verdict', 'tls',
  'request', 'upstream', 'upstream_stale', 'response', 'rule', 'fault', 'fault_fired', 'client_cert', 'alpn', 'expectation',
  'revocation', 'revocation_end', 'close', 'listen', 'error', 'scenario_reloaded', 'scenario_reload_failed',
  'active_changed', 'counters_reset', 'shutdown', 'stopped', 'message'];

let source = null;
let disconnected = false;
let startedAt = 0;          // the engine's start, from health.uptime_s
const pending = new Set();  // connection ids whose record needs fetching
let refreshTimer = null;

function banner(text) {
  const node = document.getElementById('banner');
  node.textContent = text || '';
  node.hidden = !text;
}

function status(text, live) {
  const node = document.getElementById('status');
  node.textContent = text;
  node.classList.toggle('live', live);
}

/** Remembers the engine's start so a restart can be told from a network blip. */
export async function checkEngine() {
  const health = await api('/api/v1/health');
  const started = Date.now() - health.uptime_s * 1000;
  const restarted = startedAt !== 0 && (health.last_event < state.lastSeq || Math.abs(started - startedAt) > 3000);
  startedAt = started;
  return { health, restarted };
}

function scheduleRefresh(id) {
  pending.add(id);
  if (!refreshTimer) refreshTimer = setTimeout(refreshPending, 80);
}

async function refreshPending() {
  refreshTimer = null;
  const ids = [...pending];
  pending.clear();
  for (const id of ids) {
    try {
      const record = await api(`/api/v1/connections/${id}`);
      state.records.set(id, record);
      if (record.verdict && (!state.lastVerdict || record.id >= state.lastVerdict.id)) state.lastVerdict = record;
      emit('record', record);
    } catch (error) {
      // 404: evicted from the store. No status: tlsfault is unreachable; the stream's
      // reconnection brings the news again. Otherwise (5xx) try again.
      if (error.status && error.status !== 404) scheduleRefresh(id);
    }
  }
}

function onEvent(message) {
  if (!(message instanceof MessageEvent)) return;  // EventSource's own 'error' is a plain Event
  let event;
  try { event = JSON.parse(message.data); } catch { return; }
  if (typeof event.seq !== 'number' || event.seq <= state.lastSeq) return;
  state.lastSeq = event.seq;
  if (typeof event.conn === 'number') {
    if (!state.events.has(event.conn)) state.events.set(event.conn, []);
    state.events.get(event.conn).push(event);
    scheduleRefresh(event.conn);
  }
  if (event.event === 'active_changed' || event.event === 'counters_reset' || event.event === 'scenario_reloaded') emit('active', event);
  if (event.event === 'shutdown') banner('tlsfault is shutting down — the board reconnects when it is back');
}

async function onOpen() {
  status('live', true);
  if (!disconnected) return;
  disconnected = false;
  banner('');
  try {
    const { restarted } = await checkEngine();
    if (restarted) startOver();
  } catch { /* the next error event shows the banner again */ }
}

function onError() {
  disconnected = true;
  status('disconnected', false);
  banner('disconnected from tlsfault — retrying every second…');
  if (source && source.readyState === EventSource.CLOSED) {
    // Closed for good (e.g. an HTTP error while tlsfault restarts): open a new one later.
    source = null;
    setTimeout(() => connect(state.lastSeq), 2000);
  }
}

/** tlsfault restarted: its connection ids and event numbers start again, so does the board. */
function startOver() {
  if (source) source.close();
  state.records.clear();
  state.events.clear();
  state.lastVerdict = null;
  state.lastSeq = 0;
  emit('restart');
  banner('');
  connect(0);
}

/** Opens the stream after event `since`. */
export function connect(since) {
  if (source) source.close();
  source = new EventSource(`/api/v1/events/stream?since=${since}`);
  for (const name of EVENT_NAMES) source.addEventListener(name, onEvent);
  source.addEventListener('open', onOpen);
  source.addEventListener('error', onError);
}

/** Loads the recent past (records and their events), then follows the stream from there. */
export async function start() {
  const { health } = await checkEngine();
  const since = Math.max(0, health.last_event - 5000);
  const past = await api(`/api/v1/events?since=${since}&limit=5000`);
  for (const event of past.events) {
    if (typeof event.conn !== 'number') continue;
    if (!state.events.has(event.conn)) state.events.set(event.conn, []);
    state.events.get(event.conn).push(event);
  }
  state.lastSeq = past.last_seq;
  const list = await api('/api/v1/connections?limit=300');
  for (const record of list.connections) {
    state.records.set(record.id, record);
    if (record.verdict) state.lastVerdict = record;
  }
  emit('restart');
  connect(state.lastSeq);
}
