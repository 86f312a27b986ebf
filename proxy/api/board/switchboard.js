// The switchboard: the catalogue grouped as `tlsfault list` groups it, searchable; each
// scenario with its training text and client command lines using this engine's real CA file
// and ports; one click activates or deactivates it through the API.
import { api, state, on, emit, el, listenerAddress, report } from './api.js';

const TALK_KEY = 'tlsfault-board-talk';
const details = new Map();  // name -> GET /api/v1/scenarios/{name}

/** The scenarios presenter mode steps through: the ones ticked "In talk", else all, in board order. */
export function talkList() {
  const chosen = JSON.parse(localStorage.getItem(TALK_KEY) || '[]');
  const ordered = orderedScenarios().map((s) => s.name);
  const picked = ordered.filter((name) => chosen.includes(name));
  return picked.length ? picked : ordered;
}

function orderedScenarios() {
  const groups = (state.lab?.groups || []).map((g) => g.id);
  const rank = (s) => (groups.indexOf(s.group) + 1 || groups.length + 1);
  return [...state.scenarios].sort((a, b) => rank(a) - rank(b));
}

/** The catalogue's generic command lines with this engine's real proxy address and CA file. */
export function clientLines(scenario) {
  const ca = `'${state.lab?.ca_path || 'tlsfault-root.pem'}'`;
  const proxy = listenerAddress('proxy');
  const sni = listenerAddress('sni');
  const lines = (scenario.try || []).filter((line) => !line.startsWith('tlsfault run')).map((line) => {
    let out = line.replaceAll('"$(tlsfault ca path)"', ca);
    if (proxy) out = out.replaceAll('127.0.0.1:8080', proxy);
    return out;
  });
  const url = (scenario.try || []).join(' ').match(/'(https:\/\/([^/':]+)[^']*)'/);
  if (sni && url) lines.push(`curl -v --cacert ${ca} --connect-to ${url[2]}:443:${sni} '${url[1]}'`);
  return lines;
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    button.textContent = 'Select and copy';
  }
  setTimeout(() => { button.textContent = 'Copy'; }, 1500);
}

function trainingText(d) {
  const lines = clientLines(d);
  return el('div', { class: 'training' },
    el('dl', {}, el('dt', {}, 'Symptom'), el('dd', {}, d.symptom), el('dt', {}, 'Cause'), el('dd', {}, d.cause),
      el('dt', {}, 'Fix'), el('dd', {}, d.fix),
      d.messages?.length ? [el('dt', {}, 'What each client says'),
        el('dd', {}, el('ul', {}, d.messages.map((m) => el('li', {}, el('strong', {}, m.client + ': '), el('code', {}, m.text)))))] : null,
      el('dt', {}, 'What tlsfault does'), el('dd', {}, el('ol', {}, (d.rules || []).map((r) => el('li', {}, r.summary))))),
    el('p', {}, el('strong', {}, 'Try it')),
    lines.map((line) => {
      const button = el('button', { type: 'button' }, 'Copy');
      button.addEventListener('click', () => copy(line, button));
      return el('div', { class: 'try-line' }, el('pre', { class: 'try' }, line), button);
    }));
}

async function loadDetails(name) {
  if (!details.has(name)) details.set(name, await api(`/api/v1/scenarios/${encodeURIComponent(name)}`));
  return details.get(name);
}

/** Switches `name` on (last in rule order) or off. */
export async function toggleScenario(name) {
  try {
    if (state.active.includes(name)) await api(`/api/v1/active/${encodeURIComponent(name)}`, 'DELETE');
    else await api(`/api/v1/active/${encodeURIComponent(name)}`, 'POST');
  } catch (error) {
    if (error.status !== 409 && error.status !== 404) throw error;  // someone else got there first
  }
  await refreshScenarios();
}

function scenarioCard(s) {
  const active = state.active.includes(s.name);
  const chosen = JSON.parse(localStorage.getItem(TALK_KEY) || '[]');
  const talk = el('input', { type: 'checkbox', checked: chosen.includes(s.name), 'aria-label': `${s.name} in talk` });
  talk.addEventListener('change', () => {
    const now = new Set(JSON.parse(localStorage.getItem(TALK_KEY) || '[]'));
    if (talk.checked) now.add(s.name); else now.delete(s.name);
    localStorage.setItem(TALK_KEY, JSON.stringify([...now]));
  });
  const button = el('button', { type: 'button', class: active ? 'on' : null, 'aria-pressed': String(active), 'data-scenario': s.name },
    active ? 'Deactivate' : 'Activate');
  button.addEventListener('click', () => toggleScenario(s.name).catch(report));
  const more = el('details', {}, el('summary', {}, 'Training text and client lines'));
  more.addEventListener('toggle', async () => {
    if (!more.open || more.dataset.loaded) return;
    more.dataset.loaded = '1';
    more.append(trainingText(await loadDetails(s.name)));
  });
  return el('article', { class: `scenario${active ? ' active' : ''}`, 'data-name': s.name },
    el('div', { class: 'scenario-line' }, button, el('span', { class: 'name' }, s.name), el('span', { class: 'title' }, s.title),
      active ? el('span', { class: 'state' }, 'active') : null, el('label', {}, talk, ' In talk')), more);
}

function render() {
  const query = document.getElementById('scenario-search').value.trim().toLowerCase();
  const container = document.getElementById('groups');
  const open = new Set([...container.querySelectorAll('details[open]')].map((d) => d.closest('[data-name]').dataset.name));
  const headings = new Map((state.lab?.groups || []).map((g) => [g.id, g.heading]));
  const byGroup = new Map();
  for (const s of orderedScenarios()) {
    if (query && !`${s.name} ${s.title} ${s.group}`.toLowerCase().includes(query)) continue;
    if (!byGroup.has(s.group)) byGroup.set(s.group, []);
    byGroup.get(s.group).push(s);
  }
  container.replaceChildren(...[...byGroup].map(([group, list]) =>
    el('section', { class: 'group' }, el('h2', {}, headings.get(group) || group), list.map(scenarioCard))));
  for (const name of open) container.querySelector(`[data-name="${CSS.escape(name)}"] details`)?.setAttribute('open', '');
  if (!byGroup.size) container.append(el('p', { class: 'note' }, `No scenario matches “${query}”.`));
}

/** Reloads the catalogue and the active set, then tells the board. */
export async function refreshScenarios() {
  const list = await api('/api/v1/scenarios');
  state.scenarios = list.scenarios;
  const active = await api('/api/v1/active');
  state.active = active.scenarios.map((s) => s.name);
  render();
  emit('scenarios');
}

export function setupSwitchboard() {
  document.getElementById('scenario-search').addEventListener('input', render);
  // A change announced by the stream: when tlsfault stops before this reload is answered
  // (a restart), the reconnected stream announces the new run's state again.
  on('active', () => refreshScenarios().catch(() => {}));
  on('restart', () => { details.clear(); });
}
