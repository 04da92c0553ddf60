// The child side of the benchmark protocol: start a role, say ready, answer reports, stop cleanly.
import { isParentMessage, ownUsage, type ChildMessage } from './ipc.js';

export interface RunningRole {
  /** Sent with `ready`, e.g. the URL the role listens on. */
  info: Record<string, string | number>;
  /** Role-specific figures for the report (limiter snapshot, client stats, …). */
  details(): unknown;
  stop(): Promise<void>;
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

/** Runs `start` in a process forked by the benchmark (exits when the parent goes away). */
export function runChild(role: string, start: () => Promise<RunningRole>): void {
  if (!process.send) {
    console.error(`${role}: this file is started by scripts/bench.ts, not by hand`);
    process.exit(2);
  }
  let running: RunningRole | undefined;
  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    try {
      await running?.stop();
    } finally {
      process.exit(code);
    }
  };
  process.on('message', (message: unknown) => {
    if (!isParentMessage(message)) return;
    if (message.type === 'stop') {
      void stop(0);
      return;
    }
    send({ type: 'report', id: message.id, report: { role, ...ownUsage(), details: running?.details() ?? null } });
  });
  // The benchmark died or closed the channel: do not linger.
  process.on('disconnect', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  start()
    .then((r) => {
      running = r;
      send({ type: 'ready', info: r.info });
    })
    .catch((err: unknown) => {
      send({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      process.exit(1);
    });
}
