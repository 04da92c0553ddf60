// `npm run replay -- <workflowId> | --file <history.json> | --dir <folder>`: replays recorded
// histories against the workflow code in this checkout and says, per history, whether it still
// replays, or where and how the code diverged.
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { EXIT, errorMessage, type CliIo } from './cli-io.js';
import {
  fetchWorkflowHistory,
  formatReplayReport,
  readHistoryFile,
  replayHistory,
  type ReplayReport,
  type WorkflowCode,
} from './replay-history.js';

export const REPLAY_USAGE = `usage: npm run replay -- <workflowId> [--run-id ID]
       npm run replay -- --query "<List Filter>" [--limit N]
       npm run replay -- --file <history.json> [--file …] [--workflow-id ID]
       npm run replay -- --dir <folder of history .json files>

  <workflowId>   fetch the history from Temporal (TEMPORAL_* env) and replay it
  --query        every workflow the query lists (default at most 100), e.g. before a deploy:
                 "ExecutionStatus = 'Running'" or "WorkflowType = 'orderSyncWorkflow' AND StartTime > '2026-11-01T00:00:00Z'"
  --file         a JSON history: \`temporal workflow show -w <id> --output json > h.json\` or the Web UI's download
  --dir          every *.json history in a folder (e.g. test/replay-histories)

Exit code 0: every history replays; 3: a determinism error (or another replay failure); 1/2: could not run.`;

export interface ReplayCliDeps {
  io: CliIo;
  /** The workflow code to replay against (bundled once). */
  code: () => Promise<WorkflowCode>;
  /** Only needed to fetch a history by workflow id. */
  client: () => Client;
  /** Payload encryption of the deployment, if any (the same keys as the worker). */
  dataConverter?: DataConverter;
}

interface Source {
  label: string;
  workflowId: string;
  load: () => Promise<Parameters<typeof replayHistory>[0]>;
}

export async function runReplayCli(argv: string[], deps: ReplayCliDeps): Promise<number> {
  const { io } = deps;
  let sources: Source[];
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        file: { type: 'string', multiple: true },
        dir: { type: 'string' },
        'workflow-id': { type: 'string' },
        'run-id': { type: 'string' },
        query: { type: 'string' },
        limit: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.out(REPLAY_USAGE);
      return EXIT.ok;
    }
    const files = [...(values.file ?? []), ...(values.dir ? historyFilesIn(values.dir) : [])];
    if (positionals.length > 1) throw new Error(`one workflow id at a time (got ${positionals.join(' ')})`);
    const kinds = [positionals.length > 0, files.length > 0, values.query !== undefined].filter(Boolean).length;
    if (kinds > 1) throw new Error('give a workflow id, --query, or --file/--dir, not both');
    if (kinds === 0) throw new Error('nothing to replay');
    if (values.limit !== undefined && !/^\d+$/.test(values.limit))
      throw new Error(`--limit must be a whole number, not "${values.limit}"`);
    const [workflowId] = positionals;
    const runId = values['run-id'];
    sources =
      values.query !== undefined
        ? await listedSources(deps.client(), values.query, values.limit ? Number(values.limit) : 100)
        : workflowId
          ? [{ label: workflowId, workflowId, load: () => fetchWorkflowHistory(deps.client(), workflowId, runId) }]
          : files.map((f) => ({
              label: f,
              // Histories do not carry the workflow id; our workflows do not depend on it.
              workflowId: values['workflow-id'] ?? basename(f, '.json'),
              load: async () => readHistoryFile(f),
            }));
  } catch (err) {
    io.err(errorMessage(err));
    io.err(REPLAY_USAGE);
    return EXIT.usage;
  }

  const code = await deps.code();
  const reports: ReplayReport[] = [];
  for (const source of sources) {
    let history;
    try {
      history = await source.load();
    } catch (err) {
      io.err(`${source.label}: cannot load the history: ${errorMessage(err)}`);
      return EXIT.failed;
    }
    const report = await replayHistory(history, {
      code,
      workflowId: source.workflowId,
      ...(deps.dataConverter ? { dataConverter: deps.dataConverter } : {}),
    });
    reports.push(report);
    const lines = formatReplayReport(report);
    if (sources.length > 1 || source.label !== source.workflowId) lines[0] = `${lines[0]}  [${source.label}]`;
    for (const line of lines) (report.ok ? io.out : io.err)(line);
  }
  const bad = reports.filter((r) => !r.ok).length;
  if (reports.length > 1) io.out(`${reports.length - bad} of ${reports.length} histories replay.`);
  return bad > 0 ? EXIT.found : EXIT.ok;
}

async function listedSources(client: Client, query: string, limit: number): Promise<Source[]> {
  const sources: Source[] = [];
  for await (const wf of client.workflow.list({ query })) {
    sources.push({
      label: `${wf.workflowId} (${wf.runId})`,
      workflowId: wf.workflowId,
      load: () => fetchWorkflowHistory(client, wf.workflowId, wf.runId),
    });
    if (sources.length >= limit) break;
  }
  if (sources.length === 0) throw new Error(`no workflow matches ${query}`);
  return sources;
}

function historyFilesIn(dir: string): string[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
  if (files.length === 0) throw new Error(`no .json histories in ${dir}`);
  return files;
}
