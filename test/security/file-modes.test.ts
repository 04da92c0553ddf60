// Issue 24, item 6: what the stack writes to disk must not be readable by other local users.
// `.data/` is 0700; the audit log, the sandbox ledger, stack.json, the Temporal database and the
// MCP token file are 0600; an existing token file others could read is refused, in one sentence.
// The umask is set to the usual 022 here, so "owner-only" comes from the code, not the machine.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pino } from 'pino';
import { prepareMcpForStack } from '../../mcp/for-stack.js';
import { ConfigError } from '../../shared/config.js';
import { ensurePrivateDir } from '../../shared/private-files.js';
import { writeStackState, type StackState } from '../../shared/stack-state.js';
import { repoRoot } from '../../shared/temporal-binaries.js';
import { DebouncedWriter } from '../../sandbox/netsuite/persistence.js';
import { startDevServer } from '../../scripts/lib/dev-server.js';
import { freePort } from '../../scripts/lib/free-port.js';

const mode = (path: string) => statSync(path).mode & 0o777;
const logger = pino({ level: 'silent' });
let previousUmask: number;
let root: string;
beforeAll(() => {
  previousUmask = process.umask(0o022);
  root = mkdtempSync(join(tmpdir(), 'file-modes-'));
});
afterAll(() => {
  process.umask(previousUmask);
});

describe.skipIf(process.platform === 'win32')('files on disk', () => {
  it('makes .data 0700, tightening one an older version left 0755', () => {
    const data = join(root, 'old', '.data');
    mkdirSync(data, { recursive: true, mode: 0o755 });
    expect(mode(data)).toBe(0o755);
    expect(ensurePrivateDir(data)).toBe(true);
    expect(mode(data)).toBe(0o700);
    expect(ensurePrivateDir(data)).toBe(false);
  });

  it('writes stack.json 0600 in a .data it creates 0700', () => {
    const file = join(root, 'fresh', '.data', 'stack.json');
    const state: StackState = {
      version: 1,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      temporal: { address: '127.0.0.1:7233', namespace: 'default', devServer: true },
      gateway: {
        url: 'http://127.0.0.1:8080',
        ipnUrl: 'http://127.0.0.1:8080/i',
        lcnUrl: 'http://127.0.0.1:8080/l',
        metricsUrl: 'http://127.0.0.1:8080/metrics',
      },
      worker: { metricsUrl: 'http://127.0.0.1:9464/metrics', statusUrl: 'http://127.0.0.1:9464/status' },
      netsuite: { baseUrl: 'http://127.0.0.1:8088', sandbox: true },
      twocheckout: {},
      services: {},
    };
    writeStackState(state, file);
    expect(mode(join(root, 'fresh', '.data'))).toBe(0o700);
    expect(mode(file)).toBe(0o600);
  });

  it('saves the NetSuite sandbox ledger 0600', async () => {
    const file = join(root, 'netsuite-sandbox.json');
    writeFileSync(file, '{}', { mode: 0o644 });
    const writer = new DebouncedWriter(file, () => ({
      version: 1,
      counters: {},
      records: { customer: [{ id: '1', email: 'zoe@example.com' }] },
    }));
    await writer.flush();
    expect(mode(file)).toBe(0o600);
  });

  it('opens the operator audit log 0600 (npm run ops)', () => {
    const log = join(root, 'ops', 'ops-audit.log');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/ops.ts', '--help'], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        OPS_AUDIT_LOG: log,
        TEMPORAL_ADDRESS: '127.0.0.1:1',
        STACK_STATE_FILE: join(root, 'none.json'),
      },
      encoding: 'utf8',
    });
    expect(run.stdout + run.stderr).toMatch(/usage: npm run ops/);
    expect(existsSync(log)).toBe(true);
    expect(mode(log)).toBe(0o600);
    expect(mode(join(root, 'ops'))).toBe(0o700);
  });

  it('keeps the Temporal dev server database owner-only, new or left 0644 by an older version', async () => {
    const dir = join(root, 'temporal', '.data');
    const db = join(dir, 'temporal.sqlite');
    const fresh = await startDevServer({
      port: await freePort(),
      uiPort: await freePort(),
      dbFile: db,
      extraArgs: ['--headless'],
      stderrFile: join(root, 'temporal.log'),
    });
    try {
      expect(mode(dir)).toBe(0o700);
      expect(mode(db)).toBe(0o600);
    } finally {
      await fresh.stop();
    }
    chmodSync(db, 0o644);
    const again = await startDevServer({
      port: await freePort(),
      uiPort: await freePort(),
      dbFile: db,
      extraArgs: ['--headless'],
      stderrFile: join(root, 'temporal.log'),
    });
    try {
      expect(mode(db)).toBe(0o600);
      for (const side of ['-wal', '-shm'])
        if (existsSync(`${db}${side}`)) expect(mode(`${db}${side}`), side).toBe(0o600);
    } finally {
      await again.stop();
    }
  }, 60_000);

  describe('the MCP token file of `npm start`', () => {
    const prepare = (dataDir: string) =>
      prepareMcpForStack({ env: { TEMPORAL_ADDRESS: inject('temporalAddress') }, logger, dataDir, repoRoot: root });

    it('is created 0600', () => {
      const dataDir = join(root, 'mcp-new', '.data');
      prepare(dataDir);
      expect(mode(join(dataDir, 'mcp-token'))).toBe(0o600);
      expect(mode(dataDir)).toBe(0o700);
    });

    it('is refused, in one sentence that says what to do, when other users can read it or it is a link', () => {
      const dataDir = join(root, 'mcp-weak', '.data');
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(join(dataDir, 'mcp-token'), 'a'.repeat(64), { mode: 0o644 });
      let err: unknown;
      try {
        prepare(dataDir);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      expect(message).toBe(
        'mcp-weak/.data/mcp-token can be read by other users of this machine (mode 0644): run `chmod 600 mcp-weak/.data/mcp-token` if no one else has read it, otherwise delete it to get a new token, then start again',
      );
      expect(message.split(/\.\s/)).toHaveLength(1);

      const linked = join(root, 'mcp-link', '.data');
      mkdirSync(linked, { recursive: true });
      writeFileSync(join(root, 'elsewhere'), 'b'.repeat(64), { mode: 0o600 });
      symlinkSync(join(root, 'elsewhere'), join(linked, 'mcp-token'));
      expect(() => prepare(linked)).toThrow(/is a symbolic link/);
    });
  });
});
