// `npm run fuzz [-- --long] [--bodies N] [--seed S]`: fuzz bodies (scripts/lib/fuzz/bodies.ts)
// against the live gateway, its hand-over to a real Temporal dev server included. Sends only bodies
// whose signature does not hold (tampered after signing, unsigned, signed with another key, bytes
// that were never a notification) and reports what came back: every one must get a 4xx that says
// what is wrong, none a 5xx or a dropped connection, and Temporal must hold no workflow at the end.
// (Validly signed bodies with broken content are covered by test/security/fuzz.test.ts.)
// `--long` sends 100,000; the default 2,000. Writes fuzz-results/<timestamp>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { Client, Connection } from '@temporalio/client';
import { Agent, request } from 'undici';
import { startGatewayChild, startTemporal } from './lib/bench/stack.js';
import { fuzzCase, judge, signatureHolds, type FuzzCase } from './lib/fuzz/bodies.js';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { long: { type: 'boolean' }, bodies: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' } }, strict: true });
  const total = Number(values.bodies ?? (values.long ? 100_000 : 2_000));
  const seed = Number(values.seed ?? 14);
  if (!Number.isInteger(total) || total < 1 || !Number.isInteger(seed)) {
    console.error('usage: npm run fuzz -- [--long] [--bodies N] [--seed S] [--out DIR]');
    return 2;
  }
  const outDir = resolve(values.out ?? 'fuzz-results');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const runDir = join(outDir, `run-${stamp}`);
  mkdirSync(runDir, { recursive: true });
  const temporal = await startTemporal({ stderrFile: join(runDir, 'temporal.log') });
  const gateway = await startGatewayChild({ logDir: runDir, logLevel: 'error', temporalAddress: temporal.address, postingMode: 'salesOrder', sink: 'temporal' });
  const connection = await Connection.connect({ address: temporal.address });
  const agent = new Agent({ connections: 16 });
  const counts = { sent: 0, byStatus: {} as Record<string, number>, byMutation: {} as Record<string, number>, crashes: 0, fiveXx: 0, problems: 0, workflowsStarted: 0 };
  const problems: string[] = [];
  const t0 = Date.now();
  let answered = 0;
  try {
    // Drawn in chunks from one seeded stream: the same seed sends the same bodies.
    const rng = fc.sample(fc.infiniteStream(fuzzCase().filter((c) => !signatureHolds(c.body))), { numRuns: 1, seed })[0]!;
    const it = rng[Symbol.iterator]();
    const next = (): FuzzCase | undefined => (counts.sent < total ? (counts.sent++, it.next().value as FuzzCase) : undefined);
    const lane = async (): Promise<void> => {
      for (let c = next(); c; c = next()) {
        counts.byMutation[c.mutation] = (counts.byMutation[c.mutation] ?? 0) + 1;
        try {
          const res = await request(`${gateway.info.url}/webhooks/2checkout/${c.endpoint}`, { method: 'POST', body: c.body, dispatcher: agent, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
          const text = await res.body.text();
          counts.byStatus[res.statusCode] = (counts.byStatus[res.statusCode] ?? 0) + 1;
          if (res.statusCode >= 500) counts.fiveXx += 1;
          const problem = judge(c, { status: res.statusCode, body: text }, false);
          if (problem) {
            counts.problems += 1;
            if (problems.length < 20) problems.push(problem);
          }
        } catch (err) {
          counts.crashes += 1;
          if (problems.length < 20) problems.push(`no answer (${c.mutation}): ${err instanceof Error ? err.message : String(err)}`);
        }
        // `sent` counts bodies drawn (16 lanes ahead of their answers): report on answers instead.
        if (++answered % 5_000 === 0) console.log(`  ${answered}/${total} answered (${Math.round((Date.now() - t0) / 1000)} s)`);
      }
    };
    await Promise.all(Array.from({ length: 16 }, lane));
    counts.workflowsStarted = (await new Client({ connection }).workflow.count('')).count;
  } finally {
    await agent.close();
    await connection.close();
    await gateway.stop();
    await temporal.stop();
  }
  const passed = counts.crashes === 0 && counts.fiveXx === 0 && counts.problems === 0 && counts.workflowsStarted === 0;
  const record = { command: `npm run fuzz -- ${process.argv.slice(2).join(' ')}`.trim(), seed, seconds: Math.round((Date.now() - t0) / 1000), ...counts, problems, passed };
  const file = join(outDir, `${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`fuzz: ${counts.sent} unsigned or tampered bodies against the live gateway in ${record.seconds} s`);
  console.log(`answers: ${Object.entries(counts.byStatus).map(([s, n]) => `${s} ×${n}`).join(', ')}`);
  console.log(`crashes (no answer) ${counts.crashes}, 5xx ${counts.fiveXx}, answers without a named problem ${counts.problems}, workflows started ${counts.workflowsStarted}  [${passed ? 'ok' : 'FAIL'}]`);
  for (const p of problems) console.log(`  ! ${p}`);
  console.log(`written: ${file}`);
  return passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
