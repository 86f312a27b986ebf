// One connection's story: its events in order as a timeline (ClientHello, rule, certificate
// shown, staple, revocation fetches, tcp faults, requests, verdict and why, expectation, close),
// with the certificate field the profile breaks highlighted; its events (.jsonl) and key log lines
// to download.
import { api, state, el, verdictBadge, clock, download, report } from './api.js';
import { cipherName, groupName } from './names.js';

let current = null;  // the id shown

/** A value as a person reads it: lists joined, objects as JSON. */
function text(value) {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function kv(pairs, highlight = new Set()) {
  return el('dl', { class: 'kv' }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && !v.length))
    .flatMap(([k, v]) => [el('dt', {}, k),
      el('dd', { class: highlight.has(k) ? 'highlight' : null }, text(v))]));
}

function step(title, body, bad = false) {
  return el('li', { class: bad ? 'bad' : null }, el('h3', {}, title), body);
}

/** The certificate fields a profile is about, to highlight them ("expired" -> validity). */
function faultyFields(profile = '') {
  const rules = [[/expired|not-yet-valid|validity/, ['not before', 'not after']], [/host|san|wildcard/, ['SAN', 'subject']],
    [/self-signed|untrusted|leaf-is-ca/, ['issuer']], [/missing-intermediate|chain/, ['chain sent']],
    [/revoked|crl|ocsp/, ['CRL', 'OCSP', 'serial']], [/sha1|rsa-1024|weak|eku/, ['subject']]];
  const out = new Set();
  for (const [pattern, fields] of rules) if (pattern.test(profile)) fields.forEach((f) => out.add(f));
  return out;
}

function helloStep(h) {
  return step('ClientHello', kv([['SNI', h.sni || '(none)'], ['versions', h.versions], ['ALPN', h.alpn],
    ['cipher suites', (h.cipher_suites || []).map(cipherName)], ['groups', (h.groups || []).map(groupName)],
    ['JA3', h.ja3_hash], ['JA4', h.ja4]]));
}

function certificateStep(c) {
  const fields = [['profile', c.profile], ['subject', c.subject], ['issuer', c.issuer], ['not before', c.not_before],
    ['not after', c.not_after], ['SAN', c.san], ['CRL', c.crl_urls], ['OCSP', c.ocsp_urls], ['serial', c.serial],
    ['SHA-256', c.sha256], ['chain sent', c.chain_length === undefined ? undefined : `${c.chain_length} certificate(s) after the leaf`],
    ['note', c.note]];
  return step(`Certificate shown: ${c.profile || ''}`, kv(fields, faultyFields(c.profile)));
}

function listStep(title, items, describe) {
  return step(title, el('ul', {}, items.map((item) => el('li', {}, describe(item)))));
}

function verdictStep(v) {
  return step('Verdict', el('div', {}, verdictBadge(v), kv([['phase', v.phase], ['why', v.reason], ['alert sent by tlsfault', v.sent_alert],
    ['after', v.elapsed_ms !== undefined ? `${v.elapsed_ms} ms` : undefined]])), v.outcome !== 'accepted');
}

function timeline(record) {
  const steps = [step(`Accepted ${clock(record.time)}`, kv([['client', record.peer], ['listener', `${record.listener || ''} ${record.local || ''}`]]))];
  if (record.client_hello) steps.push(helloStep(record.client_hello));
  if (record.scenario) steps.push(step('Rule', kv([['scenario', record.scenario], ['rule', record.rule], ['attempt', record.attempt]])));
  if (record.certificate) steps.push(certificateStep(record.certificate));
  for (const other of record.other || []) {
    if (other.event === 'staple') steps.push(step('OCSP staple', kv(Object.entries(other).filter(([k]) => !['time', 'conn', 'event'].includes(k)))));
    // Which upstream connection served it: upstream_conn, reused from the pool, TLS resumed.
    if (other.event === 'upstream' || other.event === 'upstream_stale') {
      steps.push(step(other.event === 'upstream' ? 'Upstream connection' : 'Stale pooled upstream connection',
        kv(Object.entries(other).filter(([k]) => !['time', 'conn', 'event'].includes(k))), other.ok === false));
    }
  }
  if (record.revocation?.length) steps.push(listStep('Revocation fetches', record.revocation, (r) =>
    `${r.event === 'revocation_end' ? 'ended' : `${r.method || ''} ${r.target || ''}`}: ${r.answered || r.outcome || ''} ${r.status ? '(' + r.status + ')' : ''}`));
  if (record.tls_details?.length) steps.push(listStep('TLS details', record.tls_details, (d) => JSON.stringify(d)));
  if (record.faults?.length) steps.push(listStep('Faults', record.faults, (f) =>
    f.event === 'fault_fired' ? `fired: ${f.outcome} (${f.reason || ''})` : `${f.type}${f.detail ? ': ' + f.detail : ''}${f.alert ? ' ' + f.alert : ''}`));
  if (record.tls) steps.push(step('TLS established', kv(Object.entries(record.tls))));
  if (record.requests?.length) steps.push(listStep('Requests', record.requests, (r) =>
    `${r.method || ''} ${r.target || ''} → ${r.status ?? '…'} ${r.reason || ''} ${r.source ? '(' + r.source + ')' : ''}`));
  if (record.verdict) steps.push(verdictStep(record.verdict));
  else steps.push(step('Verdict', el('p', {}, 'not yet — the connection is still in its handshake or request')));
  if (record.expectation) {
    const e = record.expectation;
    steps.push(step(`Expectation: ${e.result}`, kv([['expected', e.expected], ['saw', `${e.outcome || ''} ${e.alert || ''} ${e.status || ''}`.trim()],
      ['reason', e.reason], ['note', e.note]]), e.result === 'fail'));
  }
  if (record.close) steps.push(step('Closed', kv(Object.entries(record.close))));
  return el('ol', { class: 'timeline' }, steps);
}

/** The events of `id` as JSON lines: the ones received, or (opened later) from the event ring. */
async function eventsOf(id) {
  if (state.events.get(id)?.length) return state.events.get(id);
  const all = await api('/api/v1/events?since=0&limit=20000');
  return all.events.filter((e) => e.conn === id);
}

/** Downloads connection `id`'s key log lines (GET connections/{id}/keylog); shows the API's
 *  reason instead when there are none (key logging off, no TLS handshake, ...). */
async function downloadKeylog(id) {
  const note = document.getElementById('keylog-note');
  note.hidden = true;
  const response = await fetch(`/api/v1/connections/${id}/keylog`, { credentials: 'same-origin' });
  const text = await response.text();
  if (response.ok) {
    download(`tlsfault-connection-${id}.keylog`, text, 'text/plain');
    return;
  }
  let reason = text;
  try { reason = JSON.parse(text).error || text; } catch { /* not JSON: show it as is */ }
  note.hidden = false;
  note.textContent = `No key log lines for connection ${id}: ${reason}`;
}

/** Opens the dialog with connection `id`'s story (fetched fresh). */
export async function openStory(id) {
  current = id;
  const dialog = document.getElementById('story');
  document.getElementById('keylog-note').hidden = true;
  let record = state.records.get(id);
  try { record = await api(`/api/v1/connections/${id}`); state.records.set(id, record); } catch { /* keep what we have */ }
  if (!record || current !== id) return;
  document.getElementById('story-title').textContent =
    `Connection ${id}: ${record.sni || record.host || record.peer || ''}`;
  document.getElementById('story-body').replaceChildren(timeline(record));
  if (!dialog.open) dialog.showModal();
}

export function setupStory() {
  const dialog = document.getElementById('story');
  document.getElementById('story-close').addEventListener('click', () => dialog.close());
  document.getElementById('download-keylog').addEventListener('click', () => downloadKeylog(current).catch(report));
  document.getElementById('download-events').addEventListener('click', () => {
    const id = current;
    eventsOf(id).then((events) => {
      download(`tlsfault-connection-${id}.jsonl`, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    }).catch(report);
  });
  dialog.addEventListener('close', () => {
    const row = document.querySelector(`tr[data-id="${current}"]`);
    if (row) row.focus();
  });
}
