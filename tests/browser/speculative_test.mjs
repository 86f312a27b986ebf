// Chromium's speculative connections are not answers (issue 10): Chromium, through tlsfault's
// explicit proxy, loads https://good.tlsfault.test/ (scenario cert-good, `expect: accept`) a few
// times and is closed. It may open a second connection that completes the handshake and is
// closed unused; such a connection must be `not_judged` ("speculative connection: ..."), never
// `fail`. Asserts what Chromium showed (the page) and every `expectation` tlsfault recorded.
//
// usage: node speculative_test.mjs TLSFAULT_BINARY
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEngine, readEvents, waitFor } from './engine.mjs';

const [binary] = process.argv.slice(2);
const host = 'good.tlsfault.test';

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlsfault-speculative-'));
  const engine = await startEngine(binary, dir, 1, 0, ['cert-good']);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--ignore-certificate-errors'],
    proxy: { server: `http://127.0.0.1:${engine.ports.proxy}` } });
  try {
    const context = await browser.newContext();
    // Three tabs at once, each with parallel requests: Chromium opens more connections than it
    // ends up using (late binding), and closes the spare ones unused.
    await Promise.all([0, 1, 2].map(async (i) => {
      const page = await context.newPage();
      const response = await page.goto(`https://${host}/?load=${i}`, { timeout: 15000 });
      assert.equal(response.status(), 200, 'Chromium got the origin page');
      const statuses = await page.evaluate(() => Promise.all([...Array(12).keys()].map((n) => fetch(`/part-${n}?t=${Date.now()}`).then((r) => r.status))));
      assert.deepEqual(statuses, Array(12).fill(200));
      await page.close();
    }));
    await context.close();
  } finally {
    await browser.close();
  }
  // Every connection to the host is closed once the browser is gone: wait for their close events.
  const conns = () => readEvents(engine.events).filter((e) => e.event === 'verdict' && e.host === host).map((e) => e.conn);
  await waitFor('the close of every connection to the host', () => {
    const closed = new Set(readEvents(engine.events).filter((e) => e.event === 'close').map((e) => e.conn));
    const open = conns().filter((c) => !closed.has(c));
    return conns().length > 0 && open.length === 0;
  }, 20000);
  const expectations = readEvents(engine.events).filter((e) => e.event === 'expectation');
  const verdicts = readEvents(engine.events).filter((e) => e.event === 'verdict' && e.host === host);
  console.log(verdicts.map((v) => `#${v.conn} ${v.outcome} ${v.phase}`).join('\n'));
  console.log(expectations.map((e) => `#${e.conn} ${e.result}: ${e.reason}`).join('\n'));
  await engine.stop();
  assert.ok(expectations.some((e) => e.result === 'pass'), 'the served connection passed');
  for (const e of expectations) {
    assert.notEqual(e.result, 'fail', `#${e.conn} judged fail: ${e.reason}`);
    if (e.result === 'not_judged') assert.match(e.reason, /^speculative connection: /);
  }
  for (const v of verdicts.filter((v) => v.outcome !== 'accepted' && v.phase === 'request')) {
    const e = expectations.find((x) => x.conn === v.conn);
    assert.ok(e && e.result === 'not_judged', `the unused connection #${v.conn} is not judged`);
  }
  const unused = verdicts.filter((v) => v.outcome !== 'accepted').length;
  console.log(`${verdicts.length} connections, ${unused} closed unused (speculative)`);
}

const timer = setTimeout(() => { console.error('speculative test: deadline of 90 s passed'); process.exit(1); }, 90000);
main().then(() => { clearTimeout(timer); }, (error) => { console.error(error); process.exit(1); });
