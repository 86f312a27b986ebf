// The live connections table: one row per connection, newest first, updated in place as its
// events arrive; filters by host, scenario and verdict; pause (the table stops moving, the data
// keeps coming) and clear (hides what is there now).
import { state, on, el, verdictBadge, clock } from './api.js';
import { openStory } from './story.js';

const rows = () => document.getElementById('rows');
const form = () => document.getElementById('filters');
let paused = false;
let missedWhilePaused = 0;
let clearedUpTo = 0;
const scenariosSeen = new Set();

function requestsCell(record) {
  const requests = record.requests || [];
  if (!requests.length) return '';
  return requests.slice(0, 4).map((r) => {
    const status = r.status ?? '…';
    return el('div', { class: 'mono' }, `${r.method || ''} ${r.target || ''} `,
      el('span', { class: `status-${String(status)[0]}` }, String(status)));
  }).concat(requests.length > 4 ? [el('div', { class: 'note' }, `+${requests.length - 4} more`)] : []);
}

function expectationCell(record) {
  const e = record.expectation;
  if (!e) return record.expectation_pending ? el('span', { class: 'note' }, 'waiting') : '';
  const kind = e.result === 'pass' ? 'pass' : e.result === 'not_judged' ? 'note' : 'fail';
  return el('span', { class: kind, title: [e.expected, e.reason].filter(Boolean).join(' — ') }, e.result);
}

function row(record) {
  const scenario = record.scenario ? `${record.scenario}${record.rule ? ' · ' + record.rule : ''}` : '';
  return el('tr', { tabindex: 0, 'data-id': record.id, 'data-verdict': record.verdict?.outcome || 'pending',
    'aria-label': `connection ${record.id}: ${record.sni || record.host || ''} ${record.verdict?.outcome || 'pending'}` },
  el('td', {}, record.id), el('td', { class: 'mono' }, clock(record.time)), el('td', { class: 'mono' }, record.peer || ''),
  el('td', {}, record.listener || ''), el('td', {}, record.sni || record.host || ''), el('td', {}, scenario),
  el('td', {}, record.profile || ''), el('td', {}, verdictBadge(record.verdict)), el('td', {}, requestsCell(record)),
  el('td', {}, expectationCell(record)));
}

function matches(record) {
  if (record.id <= clearedUpTo) return false;
  const data = new FormData(form());
  const host = String(data.get('host') || '').trim().toLowerCase();
  const scenario = data.get('scenario');
  const verdict = data.get('verdict');
  if (host && !`${record.sni || ''} ${record.host || ''}`.toLowerCase().includes(host)) return false;
  if (scenario && record.scenario !== scenario) return false;
  if (verdict && (record.verdict?.outcome || 'pending') !== verdict) return false;
  return true;
}

function noteScenario(name) {
  if (!name || scenariosSeen.has(name)) return;
  scenariosSeen.add(name);
  form().elements.scenario.append(el('option', {}, name));
}

/** Redraws every row (filters changed, cleared, resumed, restarted). */
function renderAll() {
  const body = rows();
  body.replaceChildren(...[...state.records.values()].filter(matches).sort((a, b) => b.id - a.id).map(row));
  document.getElementById('empty').hidden = body.children.length > 0;
}

/** Puts `record`'s row in place (replacing its old one), newest first. */
function upsert(record) {
  noteScenario(record.scenario);
  if (paused) {
    missedWhilePaused++;
    document.getElementById('paused-note').textContent = `paused — ${missedWhilePaused} update(s) waiting`;
    return;
  }
  const body = rows();
  const old = body.querySelector(`tr[data-id="${record.id}"]`);
  if (!matches(record)) {
    if (old) old.remove();
    return;
  }
  const fresh = row(record);
  if (old) {
    const hadFocus = document.activeElement === old;
    old.replaceWith(fresh);
    if (hadFocus) fresh.focus();
  } else {
    fresh.classList.add('fresh');
    const after = [...body.children].find((tr) => Number(tr.dataset.id) < record.id);
    body.insertBefore(fresh, after || null);
  }
  document.getElementById('empty').hidden = true;
}

export function togglePause() {
  paused = !paused;
  const button = document.getElementById('pause');
  button.setAttribute('aria-pressed', String(paused));
  button.textContent = paused ? 'Resume' : 'Pause';
  const note = document.getElementById('paused-note');
  note.hidden = !paused;
  note.textContent = 'paused';
  missedWhilePaused = 0;
  if (!paused) renderAll();
}

export function setupConnections() {
  form().addEventListener('input', renderAll);
  form().addEventListener('submit', (e) => e.preventDefault());
  document.getElementById('pause').addEventListener('click', togglePause);
  document.getElementById('clear').addEventListener('click', () => {
    clearedUpTo = Math.max(0, ...state.records.keys());
    renderAll();
  });
  rows().addEventListener('click', (e) => {
    const tr = e.target.closest('tr[data-id]');
    if (tr) openStory(Number(tr.dataset.id));
  });
  rows().addEventListener('keydown', (e) => {
    const tr = e.target.closest('tr[data-id]');
    if (!tr) return;
    if (e.key === 'Enter') openStory(Number(tr.dataset.id));
    else if (e.key === 'ArrowDown' && tr.nextElementSibling) tr.nextElementSibling.focus();
    else if (e.key === 'ArrowUp' && tr.previousElementSibling) tr.previousElementSibling.focus();
    else return;
    e.preventDefault();
  });
  on('record', upsert);
  on('restart', () => {
    clearedUpTo = 0;
    for (const record of state.records.values()) noteScenario(record.scenario);
    renderAll();
  });
}
