// `npm run fuzz [-- --long] [--bodies N] [--mcp N] [--seed S]`: fuzz bodies (scripts/lib/fuzz/bodies.ts)
// against the live gateway, its hand-over to a real Temporal dev server included. Sends only bodies
// whose signature does not hold (tampered after signing, unsigned, signed with another key, bytes
// that were never a notification) and reports what came back: every one must get a 4xx that says
// what is wrong, none a 5xx or a dropped connection, and Temporal must hold no workflow at the end.
// (Validly signed bodies with broken content are covered by test/security/fuzz.test.ts.)
// `--long` sends 100,000; the default 2,000.
// Then requests at the MCP server's HTTP surface (scripts/lib/fuzz/mcp.ts: malformed JSON-RPC,
// random tool calls, huge inputs, wrong tokens, foreign Host/Origin), the server reading the same
// Temporal: every one must get an answer, no 5xx, no success without the token, and JSON that names
// what happened. `--mcp N` (default 1,000; 0 skips it; `--bodies 0` skips the gateway).
// Writes fuzz-results/<timestamp>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { Client, Connection } from '@temporalio/client';
import { Agent, request } from 'undici';
import { pino } from 'pino';
import { startGatewayChild, startTemporal } from './lib/bench/stack.js';
import { fuzzCase, judge, signatureHolds, type FuzzCase } from './lib/fuzz/bodies.js';
import { judgeMcp, mcpFuzzCase, sendMcpCase, type McpFuzzCase } from './lib/fuzz/mcp.js';
import { ConfirmationTokens } from '../mcp/confirmation.js';
import { loadMcpConfig, sha256Hex } from '../mcp/config.js';
import { startMcpHttpServer } from '../mcp/http.js';
import { loadMappingConfig } from '../mappings/config-loader.js';
import { repoRoot } from '../shared/temporal-binaries.js';
import { randomBytes } from 'node:crypto';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      long: { type: 'boolean' },
      bodies: { type: 'string' },
      mcp: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  });
  const total = Number(values.bodies ?? (values.long ? 100_000 : 2_000));
  const mcpTotal = Number(values.mcp ?? 1_000);
  const seed = Number(values.seed ?? 14);
  if (
    !Number.isInteger(total) ||
    total < 0 ||
    !Number.isInteger(mcpTotal) ||
    mcpTotal < 0 ||
    total + mcpTotal < 1 ||
    !Number.isInteger(seed)
  ) {
    console.error('usage: npm run fuzz -- [--long] [--bodies N] [--mcp N] [--seed S] [--out DIR]');
    return 2;
  }
  const outDir = resolve(values.out ?? 'fuzz-results');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const runDir = join(outDir, `run-${stamp}`);
  mkdirSync(runDir, { recursive: true });
  const temporal = await startTemporal({ stderrFile: join(runDir, 'temporal.log') });
  const gateway = await startGatewayChild({
    logDir: runDir,
    logLevel: 'error',
    temporalAddress: temporal.address,
    postingMode: 'salesOrder',
    sink: 'temporal',
  });
  const connection = await Connection.connect({ address: temporal.address });
  const agent = new Agent({ connections: 16 });
  const counts = {
    sent: 0,
    byStatus: {} as Record<string, number>,
    byMutation: {} as Record<string, number>,
    crashes: 0,
    fiveXx: 0,
    problems: 0,
    workflowsStarted: 0,
  };
  const problems: string[] = [];
  const t0 = Date.now();
  let answered = 0;
  let mcp: McpFuzzCounts | undefined;
  try {
    // Drawn in chunks from one seeded stream: the same seed sends the same bodies.
    const rng = fc.sample(fc.infiniteStream(fuzzCase().filter((c) => !signatureHolds(c.body))), {
      numRuns: 1,
      seed,
    })[0]!;
    const it = rng[Symbol.iterator]();
    const next = (): FuzzCase | undefined =>
      counts.sent < total ? (counts.sent++, it.next().value as FuzzCase) : undefined;
    const lane = async (): Promise<void> => {
      for (let c = next(); c; c = next()) {
        counts.byMutation[c.mutation] = (counts.byMutation[c.mutation] ?? 0) + 1;
        try {
          const res = await request(`${gateway.info.url}/webhooks/2checkout/${c.endpoint}`, {
            method: 'POST',
            body: c.body,
            dispatcher: agent,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          });
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
          if (problems.length < 20)
            problems.push(`no answer (${c.mutation}): ${err instanceof Error ? err.message : String(err)}`);
        }
        // `sent` counts bodies drawn (16 lanes ahead of their answers): report on answers instead.
        if (++answered % 5_000 === 0)
          console.log(`  ${answered}/${total} answered (${Math.round((Date.now() - t0) / 1000)} s)`);
      }
    };
    await Promise.all(Array.from({ length: 16 }, lane));
    counts.workflowsStarted = (await new Client({ connection }).workflow.count('')).count;
    if (mcpTotal > 0) mcp = await fuzzMcp({ total: mcpTotal, seed, connection, agent });
  } finally {
    await agent.close();
    await connection.close();
    await gateway.stop();
    await temporal.stop();
  }
  const gatewayPassed =
    counts.crashes === 0 && counts.fiveXx === 0 && counts.problems === 0 && counts.workflowsStarted === 0;
  const mcpPassed = !mcp || (mcp.crashes === 0 && mcp.fiveXx === 0 && mcp.problems === 0);
  const passed = gatewayPassed && mcpPassed;
  const record = {
    command: `npm run fuzz -- ${process.argv.slice(2).join(' ')}`.trim(),
    seed,
    seconds: Math.round((Date.now() - t0) / 1000),
    ...counts,
    problems,
    ...(mcp ? { mcp } : {}),
    passed,
  };
  const file = join(outDir, `${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  if (total > 0) {
    console.log(`fuzz: ${counts.sent} unsigned or tampered bodies against the live gateway`);
    console.log(
      `answers: ${Object.entries(counts.byStatus)
        .map(([s, n]) => `${s} ×${n}`)
        .join(', ')}`,
    );
    console.log(
      `crashes (no answer) ${counts.crashes}, 5xx ${counts.fiveXx}, answers without a named problem ${counts.problems}, workflows started ${counts.workflowsStarted}  [${gatewayPassed ? 'ok' : 'FAIL'}]`,
    );
    for (const p of problems) console.log(`  ! ${p}`);
  }
  if (mcp) {
    console.log(
      `fuzz: ${mcp.sent} requests at the MCP HTTP surface (${Object.entries(mcp.byKind)
        .map(([k, n]) => `${k} ×${n}`)
        .join(', ')})`,
    );
    console.log(
      `answers: ${Object.entries(mcp.byStatus)
        .map(([s, n]) => `${s} ×${n}`)
        .join(', ')}`,
    );
    console.log(
      `crashes (no answer) ${mcp.crashes}, 5xx ${mcp.fiveXx}, answers without a named problem ${mcp.problems}  [${mcpPassed ? 'ok' : 'FAIL'}]`,
    );
    for (const p of mcp.problemSamples) console.log(`  ! ${p}`);
  }
  console.log(`${record.seconds} s in all`);
  console.log(`written: ${file}`);
  return passed ? 0 : 1;
}

interface McpFuzzCounts {
  sent: number;
  byKind: Record<string, number>;
  byStatus: Record<string, number>;
  crashes: number;
  fiveXx: number;
  problems: number;
  problemSamples: string[];
}

/** The MCP server as `npm start` runs it (one static token), reading the fuzz run's Temporal. */
async function fuzzMcp(opts: {
  total: number;
  seed: number;
  connection: Connection;
  agent: Agent;
}): Promise<McpFuzzCounts> {
  const token = randomBytes(32).toString('hex');
  const config = loadMcpConfig({
    MCP_PORT: '0',
    // Budgets high enough that the fuzz exercises what is behind them (the limits have their own tests).
    MCP_ADDRESS_RATE_LIMIT: String(opts.total * 10),
    MCP_TOKENS: JSON.stringify([
      { name: 'fuzz', sha256: sha256Hex(token), scopes: ['sync:read', 'sync:write'], ratePerMinute: opts.total * 10 },
    ]),
  });
  const logger = pino({ level: 'silent' });
  const mappings = loadMappingConfig(join(repoRoot, 'config', 'mappings.yaml'));
  const client = new Client({ connection: opts.connection });
  const http = await startMcpHttpServer(
    config,
    {
      client,
      namespace: 'default',
      uiBase: config.uiBase,
      mappings: () => mappings,
      confirmations: new ConfirmationTokens(config.confirmSecret, 60_000),
      audit: logger,
    },
    logger,
  );
  const counts: McpFuzzCounts = {
    sent: 0,
    byKind: {},
    byStatus: {},
    crashes: 0,
    fiveXx: 0,
    problems: 0,
    problemSamples: [],
  };
  try {
    const stream = fc.sample(fc.infiniteStream(mcpFuzzCase()), { numRuns: 1, seed: opts.seed })[0]!;
    const it = stream[Symbol.iterator]();
    const next = (): McpFuzzCase | undefined =>
      counts.sent < opts.total ? (counts.sent++, it.next().value as McpFuzzCase) : undefined;
    const origin = new URL(http.url).origin;
    const lane = async (): Promise<void> => {
      for (let c = next(); c; c = next()) {
        counts.byKind[c.kind] = (counts.byKind[c.kind] ?? 0) + 1;
        try {
          const answer = await sendMcpCase(origin, c, token, opts.agent);
          counts.byStatus[answer.status] = (counts.byStatus[answer.status] ?? 0) + 1;
          if (answer.status >= 500) counts.fiveXx += 1;
          const problem = judgeMcp(c, answer);
          if (problem) {
            counts.problems += 1;
            if (counts.problemSamples.length < 20) counts.problemSamples.push(problem);
          }
        } catch (err) {
          counts.crashes += 1;
          if (counts.problemSamples.length < 20)
            counts.problemSamples.push(
              `no answer (${c.kind} ${c.mutation}): ${err instanceof Error ? err.message : String(err)}`,
            );
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, lane));
  } finally {
    await http.close();
  }
  return counts;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
