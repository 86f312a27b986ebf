// Starting and stopping a real tlsfault for the browser test: free loopback ports (port 0, read
// back from the `listen` events), the board URL from the start-up banner, stop by PID.
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Resolves once `check()` returns something truthy; rejects with `what` after `ms`. */
export async function waitFor(what, check, ms = 10000, every = 50) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

export function readEvents(file) {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.endsWith('}')).map((line) => JSON.parse(line));
}

/**
 * Starts `tlsfault run` in `dir` (state dir and event log there). `apiPort` 0 picks a free port;
 * a restart passes the port the page already uses; `scenarios` are names or files for `run`.
 * Resolves with {pid, ports, boardUrl, stop}.
 */
export async function startEngine(binary, dir, runIndex, apiPort = 0, scenarios = []) {
  const events = path.join(dir, `events-${runIndex}.jsonl`);
  const args = ['run', '--state-dir', path.join(dir, 'state'), '--events', events, '--proxy-listen', '127.0.0.1:0',
    '--sni-listen', '127.0.0.1:0', '--revocation-listen', '127.0.0.1:0', '--api-listen', `127.0.0.1:${apiPort}`,
    '--keylog', path.join(dir, 'keys.log'), ...scenarios];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let console = '';
  child.stdout.on('data', (chunk) => { console += chunk; });
  child.stderr.on('data', (chunk) => { console += chunk; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const ports = await waitFor('the listen events', () => {
    if (child.exitCode !== null) throw new Error(`tlsfault exited at start:\n${console}`);
    const listens = readEvents(events).filter((e) => e.event === 'listen');
    if (listens.length < 4) return null;
    return Object.fromEntries(listens.map((e) => [e.listener, e.port]));
  });
  const boardUrl = await waitFor('the board line of the banner', () => {
    const match = console.match(/trainer's board (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
    return match && match[1];
  });
  async function stop() {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');  // by PID
    const result = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve(null), 10000))]);
    if (!result) {
      child.kill('SIGKILL');
      throw new Error('tlsfault did not stop within 10 s of SIGTERM');
    }
  }
  return { pid: child.pid, ports, boardUrl, events, stop, console: () => console };
}

/** Runs a program (curl) and resolves with {code, stdout, stderr}; never rejects on exit status. */
export function run(program, args, ms = 20000) {
  return new Promise((resolve) => {
    execFile(program, args, { timeout: ms }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }));
  });
}
