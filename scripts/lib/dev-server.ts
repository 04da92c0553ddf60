// Runs the Temporal CLI dev server (with the Web UI) as a child process, persisting to a SQLite
// file so a restart loses nothing, and waits until it answers. The database holds every workflow
// history (shoppers' personal data unless payload encryption is on): the server runs with umask
// 077, so the database and its journal files are owner-only, and an older one is tightened.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { tightenFile } from '../../shared/private-files.js';
import { Connection } from '@temporalio/client';
import { temporalBinaries } from '../../shared/temporal-binaries.js';
import { registerSearchAttributes } from '../../shared/register-search-attributes.js';

export interface DevServer {
  address: string;
  uiUrl: string;
  /** The server's Prometheus endpoint (its `action` counter among them), when started with a metrics port. */
  metricsUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startDevServer(opts: {
  port: number;
  uiPort: number;
  dbFile?: string;
  ip?: string;
  extraArgs?: string[];
  /** Server errors go here instead of this process's stderr. */
  stderrFile?: string;
  /** Serve the server's metrics (Prometheus text) on this port: the bench reads its `action` counter. */
  metricsPort?: number;
}): Promise<DevServer> {
  const ip = opts.ip ?? '127.0.0.1';
  const args = [
    'server',
    'start-dev',
    '--ip',
    ip,
    '--port',
    String(opts.port),
    '--ui-port',
    String(opts.uiPort),
    '--log-level',
    'error',
    '--namespace',
    'default',
  ];
  if (opts.metricsPort !== undefined) args.push('--metrics-port', String(opts.metricsPort));
  const dbFiles = opts.dbFile ? ['', '-wal', '-shm', '-journal'].map((suffix) => `${opts.dbFile}${suffix}`) : [];
  if (opts.dbFile) {
    mkdirSync(dirname(opts.dbFile), { recursive: true, mode: 0o700 });
    args.push('--db-filename', opts.dbFile);
    for (const f of dbFiles) tightenFile(f);
  }
  args.push(...(opts.extraArgs ?? []));
  const errFd = opts.stderrFile ? openSync(opts.stderrFile, 'a') : undefined;
  const stdio: ['ignore', 'ignore', number | 'inherit'] = ['ignore', 'ignore', errFd ?? 'inherit'];
  // `exec` keeps the server's own pid, so stop() signals the server itself.
  const child =
    opts.dbFile && process.platform !== 'win32'
      ? spawn('/bin/sh', ['-c', 'umask 077 && exec "$0" "$@"', temporalBinaries().cli, ...args], { stdio })
      : spawn(temporalBinaries().cli, args, { stdio });
  if (errFd !== undefined) closeSync(errFd);
  const address = `${ip}:${opts.port}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let connection: Connection | undefined;
  const deadline = Date.now() + 30_000;
  while (!connection) {
    if (child.exitCode !== null)
      throw new Error(
        `Temporal dev server exited with code ${child.exitCode} (is port ${opts.port} or ${opts.uiPort} in use?)`,
      );
    try {
      connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({});
    } catch {
      connection = undefined;
      if (Date.now() > deadline) {
        child.kill('SIGTERM');
        throw new Error(`Temporal dev server did not answer on ${address} within 30 s`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  await registerSearchAttributes(connection);
  await connection.close();
  for (const f of dbFiles) tightenFile(f);
  return {
    address,
    uiUrl: `http://localhost:${opts.uiPort}`,
    ...(opts.metricsPort !== undefined ? { metricsUrl: `http://${ip}:${opts.metricsPort}/metrics` } : {}),
    process: child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
