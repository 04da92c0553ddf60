// `npm run chaos`: the product under faults, re-runnable from a seed. It starts its own stack
// (Temporal dev server on a file, NetSuite sandbox, a fault proxy, workers, gateway: each its own
// process), sends a fault-free baseline burst and then a burst under faults while it kills and
// restarts workers, the Temporal server and the gateway, then checks the NetSuite ledger against
// what was sent. Prints a summary and writes chaos-results/<timestamp>.json. `--help` lists the
// flags; docs/reliability.md explains the run and records its figures. Exit code 1 when it failed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from './lib/bench/options.js';
import { CHAOS_USAGE, parseChaosOptions, type ChaosOptions } from './lib/chaos/options.js';
import { formatChaos } from './lib/chaos/report.js';
import { runChaos } from './lib/chaos/run-chaos.js';

const load = (): number => Number(loadavg()[0]!.toFixed(2));

async function main(): Promise<number> {
  let opts: ChaosOptions | 'help';
  try {
    opts = parseChaosOptions(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  if (opts === 'help') {
    console.log(CHAOS_USAGE);
    return 0;
  }
  const startedAt = new Date();
  const loadAtStart = load();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const outDir = resolve(opts.outDir);
  const runDir = join(outDir, `run-${stamp}`);
  mkdirSync(runDir, { recursive: true });
  const log = (line: string) => console.log(line);
  log(`logs of this run: ${runDir}`);
  const result = await runChaos(opts, runDir, log);
  const record = {
    command: `npm run chaos -- ${process.argv.slice(2).join(' ')}`.trim(),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version, loadAverage1m: { atStart: loadAtStart, atEnd: load() } },
    ...result,
  };
  const file = join(outDir, `${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  log('');
  log(formatChaos(result));
  log(`load average (1 min): ${loadAtStart} at start, ${load()} at the end`);
  log(`written: ${file}`);
  return result.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
