// The parent side: fork a role as its own Node process (TypeScript through tsx), wait until it is
// ready, ask it for reports, stop it. Each process's output goes to its own log file, so a chatty
// child does not slow the benchmark's terminal and its logs can be read afterwards.
import { fork, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { isChildMessage, type ChildReport, type ProcessUsage } from './ipc.js';

export interface BenchChild {
  role: string;
  pid: number;
  info: Record<string, string | number>;
  report<T = unknown>(): Promise<ChildReport<T>>;
  stop(): Promise<void>;
  /** Sends `signal` (the chaos run's SIGKILL, or SIGTERM for a graceful stop) and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Resolves when the process has exited, for whatever reason. */
  exited: Promise<number | null>;
  /** A role-specific message over the IPC channel (e.g. the fault proxy's rates). */
  send(message: object): void;
}

export async function startChild(opts: {
  role: string;
  file: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  readyTimeoutMs?: number;
  execArgv?: string[];
}): Promise<BenchChild> {
  const log = openSync(opts.logFile, 'a');
  const child: ChildProcess = fork(opts.file, [], {
    execArgv: ['--import', 'tsx', ...(opts.execArgv ?? [])],
    env: opts.env,
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  let stopping = false;
  let ready = false;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A process that dies during the run leaves orders unsynced: say so at once, not only in the totals.
  void exited.then((code) => {
    if (!stopping && ready) console.error(`${opts.role} exited unexpectedly (code ${code}); its log: ${opts.logFile}`);
  });
  let nextId = 1;
  const pending = new Map<number, (r: ChildReport) => void>();
  child.on('message', (m: unknown) => {
    if (isChildMessage(m) && m.type === 'report') pending.get(m.id)?.(m.report);
  });

  const info = await new Promise<Record<string, string | number>>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `${opts.role} did not start within ${(opts.readyTimeoutMs ?? 120_000) / 1000} s (log: ${opts.logFile})`,
          ),
        ),
      opts.readyTimeoutMs ?? 120_000,
    );
    child.on('message', (m: unknown) => {
      if (!isChildMessage(m)) return;
      if (m.type === 'ready') {
        clearTimeout(timer);
        ready = true;
        resolve(m.info);
      } else if (m.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${opts.role} failed to start: ${m.message}`));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `${opts.role} exited with code ${code} before it was ready; its log (${opts.logFile}) ends:\n${tail(opts.logFile)}`,
        ),
      );
    });
  });

  return {
    role: opts.role,
    pid: child.pid ?? -1,
    info,
    report<T>() {
      const id = nextId++;
      return new Promise<ChildReport<T>>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${opts.role} did not answer a report request`));
        }, 10_000);
        pending.set(id, (r) => {
          clearTimeout(timer);
          pending.delete(id);
          resolve(r as ChildReport<T>);
        });
        child.send({ type: 'report', id });
      });
    },
    exited,
    send(message) {
      if (child.connected) child.send(message);
    },
    async kill(signal) {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Peak RSS and CPU of a process that is not ours to instrument (the Temporal dev server), read
 * from /proc (Linux). Undefined elsewhere.
 */
export function procUsage(pid: number): ProcessUsage | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwmKb = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticksPerSecond = 100;
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    if (!Number.isFinite(hwmKb) || !Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
    return {
      pid,
      peakRssBytes: hwmKb * 1024,
      cpuUserMs: (utime * 1000) / ticksPerSecond,
      cpuSystemMs: (stime * 1000) / ticksPerSecond,
    };
  } catch {
    return undefined;
  }
}
