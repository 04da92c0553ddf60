// What `npm start` is running, recorded in a git-ignored file (.data/stack.json) so every other
// command (demo, stuck, ops, preview, mappings:check, replay, bench, the MCP server) talks to the
// stack that is actually up — on whatever ports it had to use — instead of assuming the defaults.
// The environment always wins: a variable that is set is never replaced by the file.
// Other edges that `npm start` grows (a 2Checkout API sandbox, …) add their URLs under `services`.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { repoRoot } from './temporal-binaries.js';
import { writePrivateFileSync } from './private-files.js';

/** Default location; STACK_STATE_FILE overrides it (tests, several stacks on one machine). */
export const DEFAULT_STACK_STATE_FILE = join(repoRoot, '.data', 'stack.json');

export function stackStateFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.STACK_STATE_FILE?.trim() || DEFAULT_STACK_STATE_FILE;
}

const url = z.url();

export const StackStateSchema = z.object({
  version: z.literal(1),
  /** The `npm start` process; a file whose process is gone is ignored. */
  pid: z.number().int().positive(),
  startedAt: z.string(),
  temporal: z.object({
    address: z.string().min(1),
    namespace: z.string().min(1),
    /** Web UI base URL (the dev server's, or TEMPORAL_UI_URL when Temporal is external). */
    uiUrl: url.optional(),
    /** True when `npm start` runs the dev server itself. */
    devServer: z.boolean(),
  }),
  gateway: z.object({ url, ipnUrl: url, lcnUrl: url, metricsUrl: url }),
  worker: z.object({ metricsUrl: url, statusUrl: url }),
  netsuite: z.object({
    baseUrl: url,
    sandbox: z.boolean(),
    /** Only for the local sandbox: its demo account and TBA credentials (they open nothing else). */
    sandboxEnv: z.record(z.string(), z.string()).optional(),
  }),
  twocheckout: z.object({
    /** Set only when the stack runs with the public demo key; a real key is never written here. */
    demoSecretKey: z.string().optional(),
    /** The REST API the worker reads (npm start's API sandbox, or TWOCHECKOUT_API_BASE_URL). */
    apiBaseUrl: url.optional(),
    /** Only for npm start's API sandbox: its base URL (demo orders are recorded there) and demo merchant code. */
    apiSandboxUrl: url.optional(),
    demoVendorCode: z.string().optional(),
  }),
  codecServer: z.object({ url }).optional(),
  statusPage: z.object({ url }).optional(),
  /** Further processes of the stack by name, e.g. `twocheckoutApiSandbox`: { url }. */
  services: z.record(z.string(), z.object({ url }).catchall(z.string())).default({}),
});
export type StackState = z.infer<typeof StackStateSchema>;

/** Written atomically, readable by the owner only (it may hold the sandbox's demo credentials). */
export function writeStackState(state: StackState, file: string = stackStateFile()): void {
  StackStateSchema.parse(state);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writePrivateFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}

/** Removes the file if it still describes this process's stack. */
export function clearStackState(file: string = stackStateFile(), pid: number = process.pid): void {
  const current = readStackStateFile(file);
  if (current.state && current.state.pid !== pid) return;
  rmSync(file, { force: true });
}

export type StackStateRead = { state: StackState; problem?: undefined } | { state?: undefined; problem?: string };

/** The recorded stack, or why there is none usable (missing file → neither). Never throws. */
export function readStackStateFile(file: string = stackStateFile()): StackStateRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  let parsed;
  try {
    parsed = StackStateSchema.safeParse(JSON.parse(text));
  } catch {
    return { problem: `${file} is not valid JSON; delete it and restart npm start` };
  }
  if (!parsed.success)
    return { problem: `${file} is not a stack file this version understands; delete it and restart npm start` };
  if (!processAlive(parsed.data.pid))
    return { problem: `${file} describes a stack that is no longer running (pid ${parsed.data.pid})` };
  return { state: parsed.data };
}

/** The running stack, or undefined (no file, stale or unreadable). */
export function readStackState(env: NodeJS.ProcessEnv = process.env): StackState | undefined {
  return readStackStateFile(stackStateFile(env)).state;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The environment a command should run with: `env` as given, plus whatever the running stack
 * recorded for the variables `env` leaves unset (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_UI_URL, GATEWAY_URL, WORKER_STATUS_URL, STATUS_PAGE_URL, NETSUITE_* for the sandbox,
 * the demo TWOCHECKOUT_SECRET_KEY, the 2Checkout API and its sandbox). When Temporal settings come from a profile
 * (TEMPORAL_PROFILE / TEMPORAL_CONFIG_FILE), the stack's Temporal address is not imposed.
 */
export function withStackEnv(
  env: NodeJS.ProcessEnv = process.env,
  state: StackState | undefined = readStackState(env),
): NodeJS.ProcessEnv {
  if (!state) return { ...env };
  const out: NodeJS.ProcessEnv = { ...env };
  const fill = (name: string, value: string | undefined) => {
    if (value !== undefined && (out[name] === undefined || out[name] === '')) out[name] = value;
  };
  const temporalFromProfile = Boolean(env.TEMPORAL_PROFILE || env.TEMPORAL_CONFIG_FILE);
  if (!temporalFromProfile && !env.TEMPORAL_ADDRESS) {
    fill('TEMPORAL_ADDRESS', state.temporal.address);
    fill('TEMPORAL_NAMESPACE', state.temporal.namespace);
  }
  fill('TEMPORAL_UI_URL', state.temporal.uiUrl);
  fill('GATEWAY_URL', state.gateway.url);
  fill('WORKER_STATUS_URL', state.worker.statusUrl);
  fill('STATUS_PAGE_URL', state.statusPage?.url);
  fill('CODEC_SERVER_URL', state.codecServer?.url);
  // The sandbox's credentials only when the caller has no NetSuite account of its own configured.
  if (state.netsuite.sandbox && !env.NETSUITE_BASE_URL && !env.NETSUITE_ACCOUNT_ID) {
    fill('NETSUITE_BASE_URL', state.netsuite.baseUrl);
    for (const [k, v] of Object.entries(state.netsuite.sandboxEnv ?? {})) fill(k, v);
  } else if (!state.netsuite.sandbox) {
    fill('NETSUITE_BASE_URL', state.netsuite.baseUrl);
  }
  fill('TWOCHECKOUT_SECRET_KEY', state.twocheckout.demoSecretKey);
  fill('TWOCHECKOUT_API_BASE_URL', state.twocheckout.apiBaseUrl);
  fill('TWOCHECKOUT_API_SANDBOX_URL', state.twocheckout.apiSandboxUrl);
  fill('TWOCHECKOUT_VENDOR_CODE', state.twocheckout.demoVendorCode);
  return out;
}

/**
 * For a command's entry point: fills process.env from the running stack (see withStackEnv) and
 * returns which variables came from the file, so messages can say where an address came from.
 */
export function applyStackEnv(env: NodeJS.ProcessEnv = process.env): {
  file: string;
  filled: string[];
  problem?: string;
} {
  const file = stackStateFile(env);
  const read = readStackStateFile(file);
  const next = withStackEnv(env, read.state);
  const filled = Object.keys(next).filter((k) => env[k] !== next[k]);
  for (const k of filled) env[k] = next[k];
  return { file, filled, ...(read.problem ? { problem: read.problem } : {}) };
}
