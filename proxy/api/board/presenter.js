// Presenter mode: the active scenario's title and the last verdict in type a room can read,
// and n / p to step through the talk (each step makes that scenario the only active one).
import { api, state, on, el, verdictBadge } from './api.js';
import { talkList, clientLines, toggleScenario, refreshScenarios } from './switchboard.js';

let shown = '';  // the talk's current scenario (active or not)

function currentName() {
  return state.active[0] || shown;
}

async function render() {
  const name = currentName();
  const talk = talkList();
  const scenario = state.scenarios.find((s) => s.name === name);
  const index = talk.indexOf(name);
  document.getElementById('p-step').textContent =
    index >= 0 ? `scenario ${index + 1} of ${talk.length}` : `${talk.length} scenarios in the talk — press n to start`;
  document.getElementById('p-title').textContent = scenario ? scenario.title : 'No scenario active';
  document.getElementById('p-name').textContent = scenario
    ? `${scenario.name}${state.active.includes(name) ? '' : ' (not active — press a)'}` : '';
  const last = state.lastVerdict;
  document.getElementById('p-verdict').replaceChildren(last ? verdictBadge(last.verdict)
    : el('span', { class: 'verdict-badge v-none' }, 'waiting for a connection'));
  document.getElementById('p-detail').textContent = last
    ? `#${last.id} ${last.sni || last.host || last.peer || ''}${last.expectation ? ' — expectation ' + last.expectation.result : ''}` : '';
  let lines = [];
  if (scenario) {
    try { lines = clientLines(await api(`/api/v1/scenarios/${encodeURIComponent(name)}`)); } catch { /* shown without */ }
  }
  const tryBox = document.getElementById('p-try');
  tryBox.textContent = lines.slice(-1).join('\n');
  tryBox.hidden = !lines.length;
}

/** Makes the talk's next (+1) or previous (-1) scenario the only active one. */
export async function step(direction) {
  const talk = talkList();
  if (!talk.length) return;
  const index = talk.indexOf(currentName());
  const next = talk[index < 0 ? (direction > 0 ? 0 : talk.length - 1) : (index + direction + talk.length) % talk.length];
  shown = next;
  await api('/api/v1/active', 'PUT', { scenarios: [next] });
  await refreshScenarios();
}

/** Activates or deactivates the scenario shown. */
export async function toggleCurrent() {
  const name = currentName();
  if (name) {
    shown = name;
    await toggleScenario(name);
  }
}

export function setupPresenter() {
  on('scenarios', render);
  on('record', (record) => { if (record === state.lastVerdict) render(); });
  on('restart', render);
}
