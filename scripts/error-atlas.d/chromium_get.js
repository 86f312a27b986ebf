// The Chromium client of scripts/error-atlas (and of the Chromium check test): Debian's chromium,
// headless, driven by playwright-core (tests/browser/node_modules, `npm ci --prefix tests/browser`),
// loading URL through tlsfault's explicit proxy. It trusts the lab root the way a browser with the
// root installed does: an NSS database in a fresh HOME ($HOME/.pki/nssdb, certutil from
// libnss3-tools), no --ignore-certificate-errors. Prints `HTTP <status> <text>` and the body's first
// line on an answer (exit 0, like curl without -f); on a failed load prints Chromium's net error
// (`net::ERR_CERT_DATE_INVALID`, or ERR_CONTENT_LENGTH_MISMATCH for a body cut short) on stderr and
// exits 1.
// Usage: node chromium_get.js URL PROXY_PORT CA_FILE
'use strict';
const { execFileSync } = require('node:child_process');
const { createRequire } = require('node:module');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const [url, proxyPort, ca] = process.argv.slice(2);
if (!url || !proxyPort || !ca) {
  console.error('usage: node chromium_get.js URL PROXY_PORT CA_FILE');
  process.exit(2);
}
const browserTests = path.join(__dirname, '..', '..', 'tests', 'browser');
let chromium;
try {
  ({ chromium } = createRequire(path.join(browserTests, 'package.json'))('playwright-core'));
} catch (e) {
  console.error(`error: playwright-core not found under ${browserTests}/node_modules: run npm ci --prefix ${browserTests}`);
  process.exit(2);
}

/**
 * A fresh HOME whose NSS database holds one trust anchor, CA_FILE, for TLS servers (Chromium keeps
 * its built-in public roots; no lab certificate chains to those).
 */
function homeTrusting(caFile) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tlsfault-chromium-'));
  const db = `sql:${path.join(home, '.pki', 'nssdb')}`;
  fs.mkdirSync(path.join(home, '.pki', 'nssdb'), { recursive: true });
  execFileSync('certutil', ['-N', '-d', db, '--empty-password']);
  execFileSync('certutil', ['-A', '-d', db, '-n', 'tlsfault lab root', '-t', 'C,,', '-i', caFile]);
  return home;
}

/** Chromium's own words for a failed load: the net error code, e.g. net::ERR_CERT_DATE_INVALID. */
function netError(error) {
  const match = /net::ERR_[A-Z0-9_]+/.exec(error.message);
  if (match) return match[0];
  if (error.name === 'TimeoutError') return 'error: timed out loading the page (30 s)';
  return `error: ${error.message.split('\n')[0]}`;
}

/**
 * Navigates to URL and waits for the document's body, not for `load`: a body cut short is the
 * scenario's answer (net::ERR_CONTENT_LENGTH_MISMATCH, ...), and what the page would fetch next
 * (its favicon) is not part of it.
 */
async function load(page) {
  const deadline = Date.now() + 30000;
  // Playwright's response.finished() stays pending when the body fails; the page's events do not.
  const ended = new Map();
  for (const event of ['requestfinished', 'requestfailed']) page.on(event, (request) => ended.get(request)?.());
  const response = await page.goto(url, { timeout: 30000, waitUntil: 'commit' });
  const request = response.request();
  const done = new Promise((resolve) => {
    ended.set(request, resolve);
    if (request.failure() || response.request().timing().responseEnd > 0) resolve();
  });
  const timedOut = new Promise((resolve) => setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now())));
  if (await Promise.race([done, timedOut]) === 'timeout') throw Object.assign(new Error('timed out'), { name: 'TimeoutError' });
  const failure = request.failure();
  if (failure) throw new Error(failure.errorText);
  console.log(`HTTP ${response.status()} ${response.statusText()}`.trim());
  const body = (await response.text()).split('\n')[0].slice(0, 200);
  if (body) console.log(body);
  return 0;
}

async function main() {
  const home = homeTrusting(ca);
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: process.env.TLSFAULT_CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox'],
      env: { ...process.env, HOME: home },
      proxy: { server: `http://127.0.0.1:${proxyPort}` },
    });
    const page = await browser.newPage();
    try {
      return await load(page);
    } catch (error) {
      console.error(netError(error));
      return 1;
    }
  } finally {
    if (browser) await browser.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (error) => {
  console.error(`error: ${error.message.split('\n')[0]}`);
  process.exit(2);
});
