// Issue 28, a quiet start: `npm start` shows the banner and what needs a person, nothing else — no
// JSON lines, no bundler statistics, no "No workflows registered", no stack trace, not even when a
// sync parks; the rest is in .data/logs/ (JSON lines when no terminal is attached, as here).
// The whole stack runs as a child process, on free ports, with its state in a temporary folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ENV } from '../../sandbox/demo-env.js';
import { postNotification, signedIpn } from '../../sandbox/twocheckout/sender.js';
import { unmappedProductOrder } from '../../sandbox/twocheckout/scenarios.js';
import { readStackStateFile } from '../../shared/stack-state.js';
import { repoRoot } from '../../shared/temporal-binaries.js';
import { freePort } from '../../scripts/lib/free-port.js';
import { eventually } from '../support/temporal.js';

const dataDir = mkdtempSync(join(tmpdir(), 'quiet-start-'));
const stateFile = join(dataDir, 'stack.json');
let child: ChildProcess;
let stdout = '';
let stderr = '';

beforeAll(async () => {
  const ports: Record<string, string> = {};
  for (const name of [
    'TEMPORAL_DEV_PORT',
    'TEMPORAL_UI_PORT',
    'NETSUITE_SANDBOX_PORT',
    'GATEWAY_PORT',
    'STATUS_PAGE_PORT',
    'MCP_PORT',
    'WORKER_METRICS_PORT',
    'WORKER_SDK_METRICS_PORT',
    'TWOCHECKOUT_SANDBOX_PORT',
  ]) {
    ports[name] = String(await freePort());
  }
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TEMPORAL_CLI_PATH'];
  const env = {
    ...Object.fromEntries(keep.flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : []))),
    ...ports,
    STACK_DATA_DIR: dataDir,
    STACK_STATE_FILE: stateFile,
  };
  child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await eventually(
    async () => stdout,
    (out) => out.includes('Ctrl-C stops everything') || child.exitCode !== null,
    150_000,
  );
  expect(child.exitCode, `npm start exited early:\n${stdout}\n${stderr}`).toBeNull();
}, 180_000);

afterAll(async () => {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}, 30_000);

const noise = (text: string) => ({
  json: text.split('\n').filter((l) => l.trimStart().startsWith('{')),
  stackTrace: /\n\s+at .+\(.+:\d+:\d+\)|\n\s+at .+:\d+:\d+/.test(text),
});

describe('npm start in a terminal', () => {
  it('prints the banner and nothing else: short, no JSON, no stack trace; the log file has the rest', () => {
    const lines = stdout.trimEnd().split('\n');
    expect(lines.length, stdout).toBeLessThanOrEqual(25);
    expect(noise(stdout)).toEqual({ json: [], stackTrace: false });
    expect(stdout).not.toMatch(/webpack|No workflows registered|Nexus/);
    expect(stderr).toBe('');
    expect(stdout).toContain('2checkout-netsuite-sync is running:');
    // The MCP line says where the local token is (docs/mcp.md).
    expect(stdout).toMatch(
      new RegExp(
        `MCP server \\(HTTP\\) +http://127\\.0\\.0\\.1:\\d+/mcp +\\(bearer token in ${join(dataDir, 'mcp-token').replace(/[/.]/g, '\\$&')}`,
      ),
    );
    const logFile = join(dataDir, 'logs', 'stack.log');
    expect(stdout).toContain(`Logs                   ${logFile} (JSON lines)`);
    const logged = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; level: number });
    expect(logged.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['worker started', 'gateway listening', 'Workflow bundle created']),
    );
    // What was noise on the terminal is in the file, below the warning level.
    expect(
      logged.filter((l) => /No workflows registered|^asset workflow-bundle/.test(l.msg)).every((l) => l.level < 40),
    ).toBe(true);
  });

  it('a parked sync is one line on the terminal, without a stack trace, in the file too', async () => {
    const state = readStackStateFile(stateFile).state!;
    const refNo = String(87_000_000 + Math.floor(Math.random() * 900_000));
    const res = await postNotification(
      state.gateway.ipnUrl,
      signedIpn(unmappedProductOrder(refNo), DEMO_ENV.TWOCHECKOUT_SECRET_KEY),
      { secretKey: DEMO_ENV.TWOCHECKOUT_SECRET_KEY },
    );
    expect(res.receiptValid).toBe(true);
    const shown = await eventually(
      async () => stdout,
      (out) => out.includes(`order/${refNo}: sync parked`),
      60_000,
    );
    const attention = shown.split('\n').filter((l) => l.includes(refNo));
    expect(attention).toEqual([
      expect.stringMatching(
        new RegExp(`^\\d\\d:\\d\\d:\\d\\d warning order/${refNo}: sync parked \\(UNMAPPED_PRODUCT at salesOrder\\)$`),
      ),
    ]);
    expect(noise(shown)).toEqual({ json: [], stackTrace: false });
    const file = readFileSync(join(dataDir, 'logs', 'stack.log'), 'utf8');
    const about = file.split('\n').filter((l) => l.includes(refNo));
    expect(about.join('\n')).not.toMatch(/"stack":/);
    expect(existsSync(join(dataDir, 'logs', 'temporal.log'))).toBe(true);
  });
});
