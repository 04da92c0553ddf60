// Where a CLI writes: stdout for results, stderr for problems. Tests pass capturing versions.

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Exit codes shared by the ops scripts. */
export const EXIT = {
  ok: 0,
  /** Could not do it: Temporal unreachable, workflow not found, replay could not run. */
  failed: 1,
  /** The request was wrong: bad arguments, or the workflow's validator rejected the action. */
  usage: 2,
  /** `npm run stuck -- --exit-code` found something stuck; `npm run replay` found a determinism error. */
  found: 3,
} as const;

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
