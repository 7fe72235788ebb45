// Starts the release server on a free loopback port with a fresh data
// directory and demo data, and stops it afterwards.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..', '..', '..');

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

// `extraEnv`: e.g. { NIMO_TEST_CLOCK: '1' } for a test that moves time.
export async function startServer(extraEnv = {}) {
  const binary = join(root, 'target', 'release', 'nimo_server');
  if (!existsSync(binary)) throw new Error(`build first: ${binary} is missing (cargo leptos build --release)`);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'nimo-e2e-'));
  const baseURL = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    LEPTOS_OUTPUT_NAME: 'nimo',
    LEPTOS_SITE_ROOT: 'target/site',
    LEPTOS_SITE_PKG_DIR: 'pkg',
    LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    PUBLIC_URL: baseURL,
    DEMO_DATA: '1',
    RUST_LOG: 'warn',
    ...extraEnv,
  };
  // Mail goes to the test command's SMTP server when there is one.
  if (process.env.TEST_SMTP_PORT) {
    Object.assign(env, { SMTP_HOST: '127.0.0.1', SMTP_PORT: process.env.TEST_SMTP_PORT, SMTP_SECURITY: 'none' });
  }
  const child = spawn(binary, [], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  // Wait (bounded) for the health check.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${baseURL}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('server did not become healthy in 30 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseURL,
    dataDir,
    // Runs the server's command line against the same data (e.g. the
    // first secretariat invitation of a fresh install).
    cli(...args) {
      return execFileSync(binary, args, { cwd: root, env, encoding: 'utf8' });
    },
    // Moves the server's clock ahead (needs NIMO_TEST_CLOCK=1).
    async advanceClock(minutes) {
      const response = await fetch(`${baseURL}/test-clock/advance?minutes=${minutes}`, { method: 'POST' });
      if (!response.ok) throw new Error(`test clock: ${response.status}`);
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
