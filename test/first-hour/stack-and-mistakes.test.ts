// The first hour of a new user (issue 16): commands find the stack `npm start` recorded, on
// whatever ports it runs; a mistake gets one sentence (retry while the mapping file is broken,
// all missing variables at once, a refused demo notification); the worker's metrics stay on loopback.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pino } from 'pino';
import { request } from 'undici';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import type { ParkDetails } from '../../mappings/sync-types.js';
import { withMappingLoadNotes } from '../../activities/mapping-load-note.js';
import { createGatewayApp } from '../../gateway/app.js';
import { createGatewayMetrics } from '../../gateway/metrics.js';
import { watchMappingConfig } from '../../mappings/config-loader.js';
import { ConfigError, loadWorkerConfig } from '../../shared/config.js';
import { DEMO_ENV } from '../../sandbox/demo-env.js';
import { readStackStateFile, withStackEnv, writeStackState, type StackState } from '../../shared/stack-state.js';
import { repoRoot } from '../../shared/temporal-binaries.js';
import { startWorkerMetricsServer, type WorkerStatus } from '../../worker/metrics.js';
import { EXIT } from '../../scripts/lib/ops/cli-io.js';
import { runOpsCli } from '../../scripts/lib/ops/ops-cli.js';
import { orderEvent } from '../support/events.js';
import { connectTestEnv, eventually, workflowBundle } from '../support/temporal.js';
import { captureIo, capturingLogger, fakeNetSuite, startOrder, uniqueRefNo } from '../ops/support.js';
import { orderStateQuery } from '../../workflows/messages.js';

const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');

function run(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(tsx, [join(repoRoot, script), ...args], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err, ms: Date.now() - started }));
  });
}

/** The environment of a fresh shell: nothing of the stack set. */
function bareEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TEMPORAL_CLI_PATH'];
  return { ...Object.fromEntries(keep.flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : []))), ...extra };
}

function stackState(over: Partial<StackState> & { temporalAddress: string; uiUrl: string }): StackState {
  return {
    version: 1,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    temporal: { address: over.temporalAddress, namespace: 'default', uiUrl: over.uiUrl, devServer: true },
    gateway: {
      url: 'http://127.0.0.1:18080',
      ipnUrl: 'http://127.0.0.1:18080/webhooks/2checkout/ipn',
      lcnUrl: 'http://127.0.0.1:18080/webhooks/2checkout/lcn',
      metricsUrl: 'http://127.0.0.1:18080/metrics',
    },
    worker: { metricsUrl: 'http://127.0.0.1:19464/metrics', statusUrl: 'http://127.0.0.1:19464/status' },
    netsuite: {
      baseUrl: 'http://127.0.0.1:18088',
      sandbox: true,
      sandboxEnv: { NETSUITE_ACCOUNT_ID: DEMO_ENV.NETSUITE_ACCOUNT_ID, NETSUITE_TOKEN_ID: DEMO_ENV.NETSUITE_TOKEN_ID },
    },
    twocheckout: { demoSecretKey: DEMO_ENV.TWOCHECKOUT_SECRET_KEY },
    services: {},
  };
}

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await connectTestEnv();
  await workflowBundle();
});
afterAll(async () => {
  await env?.teardown();
});

describe('commands find the stack npm start recorded', () => {
  it('npm run stuck talks to the recorded Temporal (not :7233) and links to the recorded Web UI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stack-'));
    const file = join(dir, 'stack.json');
    const address = inject('temporalAddress');
    expect(address).not.toMatch(/:7233$/);
    writeStackState(stackState({ temporalAddress: address, uiUrl: 'http://localhost:18233' }), file);
    const res = await run(
      'scripts/stuck.ts',
      ['--kind', 'order', '--reason', 'FX_RESIDUE'],
      bareEnv({ STACK_STATE_FILE: file }),
    );
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(res.out).toContain('http://localhost:18233/namespaces/default/workflows?query=');
  });

  it('the environment wins over the file; a file whose process is gone is ignored and says so', () => {
    const s = stackState({ temporalAddress: '127.0.0.1:17233', uiUrl: 'http://localhost:18233' });
    expect(withStackEnv({}, s)).toMatchObject({
      TEMPORAL_ADDRESS: '127.0.0.1:17233',
      TEMPORAL_UI_URL: 'http://localhost:18233',
      GATEWAY_URL: 'http://127.0.0.1:18080',
      NETSUITE_BASE_URL: 'http://127.0.0.1:18088',
      NETSUITE_ACCOUNT_ID: DEMO_ENV.NETSUITE_ACCOUNT_ID,
      TWOCHECKOUT_SECRET_KEY: DEMO_ENV.TWOCHECKOUT_SECRET_KEY,
    });
    expect(withStackEnv({ TEMPORAL_ADDRESS: 'temporal.internal:7233', NETSUITE_ACCOUNT_ID: '123' }, s)).toMatchObject({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      NETSUITE_ACCOUNT_ID: '123',
    });
    expect(withStackEnv({ NETSUITE_ACCOUNT_ID: '123' }, s).NETSUITE_BASE_URL).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'stack-'));
    const file = join(dir, 'stack.json');
    writeFileSync(file, JSON.stringify({ ...s, pid: 2 ** 22 + 17 }));
    const read = readStackStateFile(file);
    expect(read.state).toBeUndefined();
    expect(read.problem).toContain('no longer running');
  });
});

describe('a mistake gets one sentence', () => {
  it('a worker without configuration names every missing variable at once', () => {
    let message = '';
    try {
      loadWorkerConfig({});
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as Error).message;
    }
    for (const v of [
      'NETSUITE_ACCOUNT_ID',
      'NETSUITE_CONSUMER_KEY',
      'NETSUITE_CONSUMER_SECRET',
      'NETSUITE_TOKEN_ID',
      'NETSUITE_TOKEN_SECRET',
    ])
      expect(message).toContain(v);
    expect(message).toContain('5 problems');
  });

  it('a worker reports the environment, the 2Checkout API settings and the mapping file in one error, before connecting anywhere', async () => {
    const { startWorkerProcess } = await import('../../worker/worker-process.js');
    const dir = mkdtempSync(join(tmpdir(), 'mapping-'));
    const broken = join(dir, 'mappings.yaml');
    writeFileSync(broken, 'version: 1\nproducts: { rules: [ { code: X } ] }\n');
    const attempt = startWorkerProcess({
      env: {
        TEMPORAL_ADDRESS: '127.0.0.1:1',
        MAPPINGS_FILE: broken,
        TWOCHECKOUT_VENDOR_CODE: 'ACME',
        TWOCHECKOUT_API_HASH_ALGORITHM: 'md5',
        COMPLETENESS_LEDGER_RECORD: 'ledger',
      },
      logger: pino({ level: 'silent' }),
    });
    const err = await attempt.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    // The environment (NetSuite), the API (hash algorithm and its key), the ledger record type and the mapping file.
    for (const part of [
      'NETSUITE_ACCOUNT_ID',
      'TWOCHECKOUT_API_HASH_ALGORITHM',
      'TWOCHECKOUT_API_SECRET_KEY',
      'COMPLETENESS_LEDGER_RECORD',
      broken,
    ])
      expect(message).toContain(part);
    expect(message).not.toContain('Cannot reach Temporal');
  });

  it('a gateway reports its environment and the payload encryption keys in one error', async () => {
    const { startGatewayProcess } = await import('../../gateway/gateway-process.js');
    const err = await startGatewayProcess({
      env: { PAYLOAD_ENCRYPTION_KEY: 'short' },
      logger: pino({ level: 'silent' }),
      port: 0,
    }).then(
      async (g) => {
        await g.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('TWOCHECKOUT_SECRET_KEY');
    expect((err as Error).message).toContain('PAYLOAD_ENCRYPTION_KEY');
  });

  it('npm start reports the MCP server’s, the status page’s and payload encryption’s problems in one error, before starting anything', async () => {
    const res = await run(
      'scripts/start.ts',
      [],
      bareEnv({
        MCP_AUTH: 'magic',
        MCP_ALLOWED_HOSTS: 'https://mcp.example.com',
        STATUS_PAGE_HOST: '0.0.0.0',
        STATUS_PAGE_TOKEN: 'short',
        PAYLOAD_ENCRYPTION_KEY: 'c2hvcnQ=',
        STACK_STATE_FILE: join(mkdtempSync(join(tmpdir(), 'stack-')), 'stack.json'),
      }),
    );
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/MCP_AUTH must be tokens, oidc or tokens,oidc/);
    expect(res.err).toMatch(/MCP_ALLOWED_HOSTS must be host names/);
    expect(res.err).toMatch(/STATUS_PAGE_TOKEN must be at least 16 characters/);
    expect(res.err).toMatch(/PAYLOAD_ENCRYPTION_KEY/);
    // Nothing was started: no Temporal dev server banner, no stack file.
    expect(res.out).not.toContain('is running');
  });

  it('a worker that cannot reach Temporal says so in one line, with the address and the variable', async () => {
    const { startWorkerProcess } = await import('../../worker/worker-process.js');
    const attempt = startWorkerProcess({
      env: {
        ...DEMO_ENV,
        TEMPORAL_ADDRESS: '127.0.0.1:1',
        NETSUITE_BASE_URL: 'http://127.0.0.1:1',
        MAPPINGS_FILE: join(repoRoot, 'config/mappings.yaml'),
        WORKER_METRICS_PORT: '1',
      },
      logger: pino({ level: 'silent' }),
    });
    await expect(attempt).rejects.toThrow(
      /^Cannot reach Temporal at 127\.0\.0\.1:1 \(connection refused\): start it \(npm start runs one\) or set TEMPORAL_ADDRESS/,
    );
  });

  it('npm run demo with a wrong secret stops at the first notification with the gateway’s reason and exits non-zero', async () => {
    const app = createGatewayApp({
      config: {
        secretKey: DEMO_ENV.TWOCHECKOUT_SECRET_KEY,
        signatureAlgorithms: ['sha3-256', 'sha256'],
        syncTestOrders: false,
      },
      handover: {
        deliverOrderEvent: (e) => Promise.resolve({ workflowId: `order/${e.refNo}` }),
        deliverLicenseEvent: (e) => Promise.resolve({ workflowId: `subscription/${e.licenseCode}` }),
        ready: () => Promise.resolve(true),
      },
      logger: pino({ level: 'silent' }),
      metrics: createGatewayMetrics(),
    });
    const server: Server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const res = await run(
        'scripts/demo.ts',
        [],
        bareEnv({
          STACK_STATE_FILE: '/nonexistent/stack.json',
          GATEWAY_URL: url,
          TEMPORAL_ADDRESS: inject('temporalAddress'),
          TWOCHECKOUT_SECRET_KEY: 'not-the-gateway-key',
        }),
      );
      expect(res.code).toBe(1);
      expect(res.err).toContain('The gateway refused IPN');
      expect(res.err).toContain('HTTP 401: bad signature');
      expect(res.err).toContain('does not match');
      expect(res.out).not.toContain('Web UI');
      expect(res.ms).toBeLessThan(20_000);
    } finally {
      server.close();
    }
  });

  it('retry of a mapping park is refused while the worker’s mapping file does not load, and accepted once it loads', async () => {
    const refNo = uniqueRefNo();
    const park: ParkDetails = {
      reason: 'UNMAPPED_PRODUCT',
      message: 'product code NEW-GADGET-X has no NetSuite item',
      path: 'lines[0].productCode',
    };
    const ns = await fakeNetSuite(env.nativeConnection, { upsertSalesOrder: [park] });
    try {
      const handle = await startOrder(env.client, ns.queues, orderEvent(refNo, 'COMPLETE'));
      await eventually(
        () => handle.query(orderStateQuery),
        (s) => s.park !== undefined,
      );
      const broken: WorkerStatus = {
        pid: 1,
        mappings: {
          file: 'config/mappings.yaml',
          version: 'abc123abc123',
          loadedAt: '2026-12-01T00:00:00Z',
          loadError: {
            message:
              'Invalid mapping config config/mappings.yaml (1 problem):\n  - config/mappings.yaml:12:5 products.rules[3].item: is missing',
            at: '2026-12-01T00:01:00Z',
          },
        },
      };
      const ops = async (status: WorkerStatus) => {
        const io = captureIo();
        const code = await runOpsCli(['retry', refNo], {
          client: env.client,
          namespace: 'default',
          uiBase: 'http://localhost:8233',
          io,
          logger: capturingLogger('ops').logger,
          env: { OPS_USER: 't' },
          workerStatus: () => Promise.resolve(status),
        });
        return { code, err: io.stderr.join('\n'), out: io.stdout.join('\n') };
      };
      const refused = await ops(broken);
      expect(refused.code).toBe(EXIT.usage);
      expect(refused.err).toContain(
        'config/mappings.yaml does not load, so the worker still uses version abc123abc123',
      );
      expect(refused.err).toContain('products.rules[3].item: is missing');
      expect((await handle.query(orderStateQuery)).park?.reason).toBe('UNMAPPED_PRODUCT');
      const accepted = await ops({
        pid: 1,
        mappings: { file: 'config/mappings.yaml', version: 'def456def456', loadedAt: '2026-12-01T00:02:00Z' },
      });
      expect(accepted.code).toBe(EXIT.ok);
    } finally {
      await ns.stop();
    }
  });

  it('a mapping park says when the file the fix is in does not load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mappings-'));
    const file = join(dir, 'mappings.yaml');
    const { readFileSync } = await import('node:fs');
    writeFileSync(file, readFileSync(join(repoRoot, 'config/mappings.yaml')));
    const provider = watchMappingConfig(file, { info: () => undefined, error: () => undefined });
    const parks = withMappingLoadNotes(
      {
        upsertSalesOrder: () =>
          Promise.reject(
            ApplicationFailure.create({
              message: 'NEW-GADGET-X has no item',
              type: 'MappingError',
              nonRetryable: true,
              details: [{ reason: 'UNMAPPED_PRODUCT', message: 'NEW-GADGET-X has no item' }],
            }),
          ),
      },
      provider,
    );
    const messageOf = async () =>
      ((await parks.upsertSalesOrder().catch((e: ApplicationFailure) => e)) as ApplicationFailure).message;
    expect(await messageOf()).toBe('NEW-GADGET-X has no item');
    writeFileSync(file, 'products: [oops\n');
    const msg = await messageOf();
    expect(msg).toContain(`Note: ${file} was changed but does not load`);
    expect(msg).toContain('YAML syntax error');
    expect(msg).toContain('Fix the file, then retry.');
  });

  it('the worker’s metrics and status listen on loopback, as the banner says', async () => {
    const server = await startWorkerMetricsServer({
      port: 0,
      mappings: () => ({ file: 'm.yaml', version: 'v1', loadedAt: 'now' }),
    });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const res = await request(server.url.replace('/metrics', '/status'));
      expect(await res.body.json()).toMatchObject({ mappings: { version: 'v1' } });
      const metrics = await server.render();
      expect(metrics).toContain('mappings_config_load_error 0');
    } finally {
      await server.close();
    }
  });
});
