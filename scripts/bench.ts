// `npm run bench`: a re-runnable benchmark of the whole product on this machine. It starts its own
// stack (Temporal dev server in memory, NetSuite sandbox, worker(s), gateway: each its own process),
// sends a burst of signed IPNs over HTTP, waits until every order is in NetSuite, and prints and
// writes (bench-results/<timestamp>.json) what it measured. `--help` lists the flags;
// docs/performance.md explains the figures and records the ones measured so far.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseBenchOptions, USAGE, UsageError, type BenchOptions } from './lib/bench/options.js';
import { formatFull, formatGatewayOnly } from './lib/bench/report.js';
import { runFull } from './lib/bench/run-full.js';
import { runGatewayOnly } from './lib/bench/run-gateway-only.js';
import { formatCpuProfile, summarizeCpuProfiles } from './lib/bench/cpu-profile.js';

function machine() {
  const cores = cpus();
  return {
    cpus: cores.length,
    cpuModel: cores[0]?.model ?? 'unknown',
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** 1-minute load average: other work on the machine competes for the same cores. */
function load(): number {
  return Number(loadavg()[0]!.toFixed(2));
}

async function main(): Promise<void> {
  let opts: BenchOptions | 'help';
  try {
    opts = parseBenchOptions(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  if (opts === 'help') {
    console.log(USAGE);
    return;
  }
  const startedAt = new Date();
  const loadAtStart = load();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const outDir = resolve(opts.outDir);
  const logDir = join(outDir, `logs-${stamp}`);
  mkdirSync(logDir, { recursive: true });
  const log = (line: string) => console.log(line);
  log(`logs of the processes: ${logDir}`);

  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  const result = opts.gatewayOnly ? await runGatewayOnly(opts, logDir, log) : await runFull(opts, logDir, log);
  const finishedAt = new Date();
  // The workers wrote their profiles when they stopped (at the end of the run).
  const cpuProfile =
    opts.cpuProf && result.kind === 'full'
      ? summarizeCpuProfiles(
          Array.from({ length: opts.workers }, (_, i) => join(logDir, `cpu-profile-worker-${i + 1}`)),
        )
      : undefined;
  const record = {
    command,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    machine: { ...machine(), loadAverage1m: { atStart: loadAtStart, atEnd: load() } },
    ...result,
    ...(cpuProfile ? { cpuProfile } : {}),
  };
  const file = join(outDir, `${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  log('');
  log(result.kind === 'full' ? formatFull(result) : formatGatewayOnly(result));
  if (cpuProfile && result.kind === 'full')
    for (const line of formatCpuProfile(cpuProfile, result.orders.synced + (result.bulk?.synced ?? 0))) log(line);
  log('');
  log(`written: ${file}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
