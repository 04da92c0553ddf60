// Where a worker's CPU went: the V8 CPU profiles `npm run bench -- --cpu-prof` writes (node
// --cpu-prof, one file per thread: the main thread runs activities and the NetSuite client, each
// workflow worker's thread runs workflow activations), summed by self time into the parts of the
// product the performance work is about. CPU the Temporal SDK's Rust core spends on its own threads
// (polling, protobuf, history) is not in these profiles: it is the process's CPU minus their sum.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Parts of the worker's work, matched on the source file of the function that was running. */
const CATEGORIES: Array<[string, RegExp]> = [
  ['workflow code (bundle: order, subscription workflows)', /workflow-bundle|\/workflows\/|webpack/],
  ['Temporal SDK, workflow side (activations, replay)', /@temporalio\/workflow/],
  ['payload codec and converters', /payload-codec|payload-converter|data-converter|@temporalio\/common/],
  ['protobuf (SDK bridge messages)', /protobufjs|@temporalio\/proto/],
  ['Temporal SDK, worker side', /@temporalio\/(worker|activity|client|core-bridge)/],
  ['logging (pino)', /pino|sonic-boom|thread-stream/],
  ['NetSuite limiter', /netsuite\/limiter/],
  ['NetSuite client, OAuth, answers', /\/netsuite\//],
  ['activities and mappings', /\/activities\/|\/mappings\//],
  ['HTTP (undici)', /undici/],
  ['tracing (OpenTelemetry)', /opentelemetry/],
  ['validation (zod)', /zod/],
  ['loader (tsx, esbuild: start-up)', /tsx|esbuild/],
  ['Node.js internals', /^node:|^internal\//],
];

export interface CpuProfileSummary {
  files: number;
  /** Sampled ms across all threads, by category (garbage collection and idle apart). */
  byCategoryMs: Record<string, number>;
  /** The functions with the most self time. */
  topFunctions: Array<{ name: string; where: string; ms: number }>;
  totalMs: number;
}

function categoryOf(frame: CallFrame): string {
  if (frame.url === '') {
    if (frame.functionName === '(garbage collector)') return 'garbage collection';
    if (frame.functionName === '(idle)') return 'idle';
    if (frame.functionName === '(program)') return 'native / program';
    return 'native / program';
  }
  for (const [name, re] of CATEGORIES) if (re.test(frame.url)) return name;
  return 'other JavaScript';
}

export function summarizeCpuProfiles(dirs: string[], top = 25): CpuProfileSummary {
  const byCategoryMs: Record<string, number> = {};
  const byFunction = new Map<string, { name: string; where: string; ms: number }>();
  let files = 0;
  for (const dir of dirs) {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    } catch {
      continue;
    }
    for (const file of entries) {
      files += 1;
      const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
      const nodes = new Map(p.nodes.map((n) => [n.id, n]));
      p.samples.forEach((id, i) => {
        const node = nodes.get(id);
        if (!node) return;
        const ms = (p.timeDeltas[i] ?? 0) / 1000;
        const cat = categoryOf(node.callFrame);
        byCategoryMs[cat] = (byCategoryMs[cat] ?? 0) + ms;
        if (cat === 'idle') return;
        const where = `${node.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(workflows|activities|netsuite|mappings|shared|worker|scripts)\//, '$1/')}:${node.callFrame.lineNumber + 1}`;
        const key = `${node.callFrame.functionName}@${where}`;
        const f = byFunction.get(key) ?? { name: node.callFrame.functionName || '(anonymous)', where, ms: 0 };
        f.ms += ms;
        byFunction.set(key, f);
      });
    }
  }
  const round = (x: number) => Math.round(x);
  const busy = Object.entries(byCategoryMs).filter(([k]) => k !== 'idle');
  return {
    files,
    byCategoryMs: Object.fromEntries(busy.sort(([, a], [, b]) => b - a).map(([k, v]) => [k, round(v)])),
    topFunctions: [...byFunction.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
      .map((f) => ({ ...f, ms: round(f.ms) })),
    totalMs: round(busy.reduce((s, [, v]) => s + v, 0)),
  };
}

export function formatCpuProfile(s: CpuProfileSummary, orders: number): string[] {
  const per = (ms: number) => `${(ms / Math.max(1, orders)).toFixed(2)} ms/order`;
  return [
    `worker CPU profile (${s.files} threads, ${s.totalMs} ms sampled = ${per(s.totalMs)}), by part:`,
    ...Object.entries(s.byCategoryMs).map(([k, v]) => `  ${k.padEnd(52)} ${String(v).padStart(8)} ms  ${per(v)}`),
    'top functions (self time):',
    ...s.topFunctions.slice(0, 15).map((f) => `  ${String(f.ms).padStart(7)} ms  ${f.name} ${f.where}`),
  ];
}
