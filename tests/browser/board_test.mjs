// The trainer's board in a real headless Chromium (Debian's chromium through playwright-core):
// sign in with the banner's URL (the token leaves the address bar, a cookie keeps it), activate
// cert-expired by clicking it, run curl, see the row appear live with the alert, open its story,
// download its events and key log lines, presenter mode and its keys, then restart tlsfault and see the board
// reconnect by itself. Fails on any console error or page error. Screenshots go to ARTIFACTS.
//
// usage: node board_test.mjs TLSFAULT_BINARY ARTIFACTS_DIR [DOCS_SCREENSHOT]
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEngine, run, waitFor } from './engine.mjs';

const [binary, artifacts, docsScreenshot] = process.argv.slice(2);
const DEADLINE_MS = 100000;
const started = Date.now();
const step = (text) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${text}`);

/** GET/POST on the API from the test itself (Bearer token), to assert what tlsfault recorded. */
async function apiCall(base, token, route, method = 'GET') {
  const response = await fetch(new URL(route, base), { method, headers: { Authorization: `Bearer ${token}` } });
  return { status: response.status, json: await response.json() };
}

function curlLab(engine, caPath, host) {
  return run('curl', ['-sS', '--max-time', '10', '--cacert', caPath, '--connect-to',
    `${host}:443:127.0.0.1:${engine.ports.sni}`, `https://${host}/`]);
}
const curlExpired = (engine, caPath) => curlLab(engine, caPath, 'expired.tlsfault.test');

async function main() {
  fs.mkdirSync(artifacts, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlsfault-board-'));
  let engine = await startEngine(binary, dir, 1);
  const board = new URL(engine.boardUrl);
  const token = board.searchParams.get('token');
  const base = `${board.origin}/`;
  step(`tlsfault pid ${engine.pid}, board ${board.origin}`);

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const problems = [];
  let restarting = false;
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // While tlsfault is down on purpose, Chromium logs the refused stream reconnects.
    if (restarting && /ERR_CONNECTION_REFUSED|Failed to load resource/.test(message.text())) return;
    problems.push(`console error: ${message.text()}`);
  });
  try {
    await page.goto(engine.boardUrl);
    await page.waitForSelector('#status.live', { timeout: 10000 });
    assert.equal(page.url(), base, 'the token left the address bar');
    const cookie = (await context.cookies()).find((c) => c.name === 'tlsfault_token');
    assert.ok(cookie && cookie.value === token && cookie.httpOnly && cookie.sameSite === 'Strict', 'HttpOnly SameSite=Strict token cookie');
    step('signed in: token in an HttpOnly cookie, address bar clean');

    await page.click('[data-view="switchboard"]');
    await page.fill('#scenario-search', 'cert-expired');
    await page.click('button[data-scenario="cert-expired"]');
    await page.waitForSelector('button[data-scenario="cert-expired"][aria-pressed="true"]', { timeout: 5000 });
    const active = await apiCall(base, token, 'api/v1/active');
    assert.deepEqual(active.json.scenarios.map((s) => s.name), ['cert-expired'], 'tlsfault has cert-expired active');
    await page.click('article[data-name="cert-expired"] summary');
    await page.waitForSelector('article[data-name="cert-expired"] .try', { timeout: 5000 });
    const lines = await page.locator('article[data-name="cert-expired"] .try').allTextContents();
    const lab = (await apiCall(base, token, 'api/v1/lab')).json;
    assert.ok(lines.some((l) => l.includes(lab.ca_path) && l.includes(`127.0.0.1:${engine.ports.proxy}`)), `client lines use the real CA and proxy port: ${lines}`);
    await page.screenshot({ path: path.join(artifacts, 'board-switchboard.png') });
    step('cert-expired activated by a click; client lines name the real CA file and ports');

    await page.click('[data-view="connections"]');
    await page.evaluate(() => { window.notReloaded = true; });
    const good = await curlLab(engine, lab.ca_path, 'good.tlsfault.test');
    assert.equal(good.code, 0, `curl to good.tlsfault.test (stderr: ${good.stderr})`);
    await page.waitForSelector('tr[data-verdict="accepted"]:has-text("good.tlsfault.test"):has-text("GET / 200")', { timeout: 5000 });
    step('an accepted connection shows its request GET / 200');
    const curl = await curlExpired(engine, lab.ca_path);
    const curlDone = Date.now();
    assert.equal(curl.code, 60, `curl exit status (stderr: ${curl.stderr})`);
    assert.match(curl.stderr, /certificate has expired/);
    const row = 'tr[data-verdict="alert"]:has-text("certificate_expired"):has-text("expired.tlsfault.test")';
    await page.waitForSelector(row, { timeout: 5000 });
    const latency = Date.now() - curlDone;
    assert.ok(await page.evaluate(() => window.notReloaded === true), 'the row came without a reload');
    await page.waitForSelector(`${row} .pass`, { timeout: 5000 });
    const record = (await apiCall(base, token, 'api/v1/connections?host=expired.tlsfault.test&limit=1')).json.connections[0];
    assert.equal(record.verdict.alert, 'certificate_expired');
    step(`row with alert certificate_expired and expectation pass appeared ${latency} ms after curl ended`);
    await page.screenshot({ path: path.join(artifacts, 'board-connections.png') });
    await page.fill('#filters input[name="host"]', 'good.');
    await waitFor('the host filter', async () => (await page.locator('#rows tr').count()) === 1, 3000);
    await page.fill('#filters input[name="host"]', '');
    await page.selectOption('#filters select[name="verdict"]', 'alert');
    assert.equal(await page.locator('#rows tr').count(), 1, 'the verdict filter keeps the alert row only');
    assert.match(await page.textContent('#rows tr'), /expired\.tlsfault\.test/);
    await page.selectOption('#filters select[name="verdict"]', '');
    step('host and verdict filters narrow the table');
    if (docsScreenshot) fs.copyFileSync(path.join(artifacts, 'board-connections.png'), docsScreenshot);

    await page.focus(row);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#story[open]', { timeout: 5000 });
    const story = await page.textContent('#story');
    for (const text of ['ClientHello', 'Certificate shown: expired', 'alert certificate_expired', 'JA4', 'Expectation: pass'])
      assert.ok(story.includes(text), `the story shows "${text}"`);
    assert.ok((await page.textContent('#story .highlight')).length > 0, 'the expired field is highlighted');
    await page.screenshot({ path: path.join(artifacts, 'board-story.png') });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-events')]);
    const events = fs.readFileSync(await download.path(), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(events.every((e) => e.conn === record.id) && events.some((e) => e.event === 'verdict'), 'the .jsonl holds this connection');
    const [keylog] = await Promise.all([page.waitForEvent('download'), page.click('#download-keylog')]);
    const keyLines = fs.readFileSync(await keylog.path(), 'utf8').trim().split('\n');
    const random = events.find((e) => e.event === 'client_hello').client_random;
    assert.ok(keyLines.length > 0 && keyLines.every((l) => l.split(' ')[1] === random), 'the .keylog holds this connection\'s lines');
    await page.keyboard.press('Escape');
    step(`story: ClientHello, certificate, alert, expectation; ${events.length} events and ${keyLines.length} key log lines downloaded`);

    await page.keyboard.press('g');
    await page.waitForSelector('#view-presenter:not([hidden])');
    const title = (await apiCall(base, token, 'api/v1/scenarios/cert-expired')).json.title;
    assert.equal(await page.textContent('#p-title'), title);
    assert.match(await page.textContent('#p-verdict'), /alert certificate_expired/);
    const fontSize = await page.$eval('#p-verdict .verdict-badge', (e) => parseFloat(getComputedStyle(e).fontSize));
    assert.ok(fontSize >= 40, `the verdict is projector-sized (${fontSize}px)`);
    await page.screenshot({ path: path.join(artifacts, 'board-presenter.png') });
    await page.keyboard.press('n');
    await waitFor('the next scenario to be the only active one', async () => {
      const now = (await apiCall(base, token, 'api/v1/active')).json.scenarios.map((s) => s.name);
      return now.length === 1 && now[0] !== 'cert-expired' && (await page.textContent('#p-name')).startsWith(now[0]);
    }, 5000);
    await page.keyboard.press('?');
    await page.waitForSelector('#help[open]');
    await page.keyboard.press('Escape');
    step('presenter: title and verdict large, n stepped to the next scenario, ? shows the shortcuts');

    restarting = true;
    await engine.stop();
    await page.waitForSelector('#banner:has-text("disconnected")', { timeout: 5000 });
    await page.screenshot({ path: path.join(artifacts, 'board-disconnected.png') });
    engine = await startEngine(binary, dir, 2, board.port);
    await page.waitForSelector('#banner', { state: 'hidden', timeout: 10000 });
    await page.waitForSelector('#status.live', { timeout: 10000 });
    restarting = false;
    await page.keyboard.press('c');
    await apiCall(base, token, 'api/v1/active/cert-expired', 'POST');
    const again = await curlExpired(engine, lab.ca_path);
    assert.equal(again.code, 60);
    await page.waitForSelector(row, { timeout: 5000 });
    step('tlsfault restarted: the board reconnected by itself and shows the new run\'s connection');
  } finally {
    await page.screenshot({ path: path.join(artifacts, 'board-last.png') }).catch(() => {});
    await browser.close();
    await engine.stop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(problems, [], 'no console error and no page error');
}

const timer = setTimeout(() => {
  console.error(`board test: deadline of ${DEADLINE_MS / 1000} s passed`);
  process.exit(1);
}, DEADLINE_MS);
main().then(() => {
  clearTimeout(timer);
  step('board test passed');
}, (error) => {
  console.error(error.stack || error);
  process.exit(1);
});
