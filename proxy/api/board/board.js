// The board's entry point: signs in (or says how), loads the lab, the catalogue and the recent
// connections, follows the event stream, and wires the views and keyboard shortcuts.
import { api, ApiError, el, report } from './api.js';
import { start } from './stream.js';
import { setupConnections, togglePause } from './connections.js';
import { setupStory } from './story.js';
import { setupSwitchboard, refreshScenarios } from './switchboard.js';
import { setupPresenter, step, toggleCurrent } from './presenter.js';
import { state } from './api.js';

const VIEWS = ['connections', 'switchboard', 'presenter'];

/** Shows one view; the address keeps it (#presenter) so a reload stays there. */
function show(view) {
  for (const name of VIEWS) {
    document.getElementById(`view-${name}`).hidden = name !== view;
    document.querySelector(`[data-view="${name}"]`).setAttribute('aria-pressed', String(name === view));
  }
  document.body.classList.toggle('presenting', view === 'presenter');
  if (location.hash !== `#${view}`) history.replaceState(null, '', view === 'connections' ? location.pathname : `#${view}`);
}

function currentView() {
  return VIEWS.find((name) => !document.getElementById(`view-${name}`).hidden);
}

function typing(target) {
  return target.closest('input, select, textarea, [contenteditable]') !== null;
}

/** Keys act unless the user is typing or a dialog is open (Esc closes dialogs natively). */
function onKey(e) {
  if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || document.querySelector('dialog[open]')) return;
  const view = currentView();
  const actions = {
    '?': () => document.getElementById('help').showModal(),
    c: () => show('connections'),
    s: () => show('switchboard'),
    g: () => show('presenter'),
    Escape: () => view === 'presenter' && show('connections'),
    '/': () => view !== 'presenter' && (view === 'switchboard' ? document.getElementById('scenario-search')
      : document.querySelector('#filters input[name="host"]')).focus(),
    ' ': () => view === 'connections' && !e.target.closest('button, tr') && togglePause(),
    n: () => view === 'presenter' && step(1).catch(report),
    p: () => view === 'presenter' && step(-1).catch(report),
    a: () => view === 'presenter' && toggleCurrent().catch(report),
  };
  const action = actions[e.key];
  if (!action) return;
  e.preventDefault();
  action();
}

function signInHelp() {
  const banner = document.getElementById('banner');
  banner.hidden = false;
  banner.replaceChildren('Not signed in: open the address the banner of ', el('code', {}, 'tlsfault run'),
    ' prints (', el('code', {}, 'http://…/?token=…'), '); the token is kept in a cookie for this browser.');
  document.getElementById('status').textContent = 'not signed in';
}

async function boot() {
  for (const button of document.querySelectorAll('[data-view]')) button.addEventListener('click', () => show(button.dataset.view));
  document.getElementById('help-button').addEventListener('click', () => document.getElementById('help').showModal());
  document.addEventListener('keydown', onKey);
  setupConnections();
  setupStory();
  setupSwitchboard();
  setupPresenter();
  show(VIEWS.includes(location.hash.slice(1)) ? location.hash.slice(1) : 'connections');
  try {
    state.lab = await api('/api/v1/lab');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return signInHelp();
    throw error;
  }
  await refreshScenarios();
  await start();
}

boot().catch((error) => {
  // tlsfault not reachable at first: the page stays, and a reload once it runs fixes it.
  report(error);
  document.getElementById('status').textContent = 'not connected — reload when tlsfault runs';
});
