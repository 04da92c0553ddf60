// Where `npm start` writes its logs. The terminal shows the banner and what needs a person — one
// short line per warning or error, never JSON, never a stack trace; everything else goes to
// .data/logs/stack.log: readable (pino-pretty, no colours) when a person started the stack in a
// terminal, JSON lines otherwise (a service manager, CI), for machines to read. The previous start's
// log is kept as stack.previous.log.
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type DestinationStream } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { ensurePrivateDir, ensurePrivateFile } from '../../shared/private-files.js';

export interface StackLog {
  /** The logger's destination: the file, and the terminal for warnings and errors. */
  stream: DestinationStream;
  /** The log file, for the banner. */
  file: string;
  format: 'pretty' | 'json';
}

const LEVELS: Record<number, string> = { 40: 'warning', 50: 'error', 60: 'fatal' };

/**
 * One line a person reads, for a JSON log line at warning level or above; undefined for the rest.
 * "14:18:30 warning order/1366531613: sync parked (UNMAPPED_PRODUCT at salesOrder)"
 */
export function attentionLine(jsonLine: string): string | undefined {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const level = typeof entry.level === 'number' ? entry.level : 0;
  if (level < 40) return undefined;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const firstLine = (v: unknown) => text(v)?.split('\n')[0];
  const time = typeof entry.time === 'number' ? new Date(entry.time).toTimeString().slice(0, 8) : '';
  const who = text(entry.workflowId) ?? (text(entry.refNo) ? `order/${text(entry.refNo)}` : undefined);
  const reason = text(entry.reason);
  const step = text(entry.step);
  const err = entry.err as { message?: unknown } | undefined;
  const why = firstLine(err?.message) ?? firstLine(entry.error);
  const parts = [
    time,
    LEVELS[level >= 60 ? 60 : level >= 50 ? 50 : 40],
    `${who ? `${who}: ` : ''}${firstLine(entry.msg) ?? ''}`,
  ];
  let line = parts.filter(Boolean).join(' ');
  if (reason) line += ` (${reason}${step ? ` at ${step}` : ''})`;
  if (why && !line.includes(why)) line += `: ${why}`;
  return line;
}

/** Opens .data/logs/stack.log (moving the last one aside) and the terminal's attention lines. */
export function openStackLog(opts: {
  dataDir: string;
  terminal: { write(s: string): unknown; isTTY?: boolean };
}): StackLog {
  // Owner-only, as the rest of .data/ (shared/private-files.ts): logs name orders and accounts.
  const dir = join(opts.dataDir, 'logs');
  ensurePrivateDir(dir);
  const file = join(dir, 'stack.log');
  if (existsSync(file)) renameSync(file, join(dir, 'stack.previous.log'));
  ensurePrivateFile(file);
  const format = opts.terminal.isTTY ? 'pretty' : 'json';
  const dest = pino.destination({ dest: file, sync: true, append: true });
  const prettify =
    format === 'pretty'
      ? prettyFactory({ colorize: false, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l', ignore: 'pid,hostname,service' })
      : undefined;
  const toFile: DestinationStream = { write: (line: string) => void dest.write(prettify ? prettify(line) : line) };
  const toTerminal: DestinationStream = {
    write: (line: string) => {
      const shown = attentionLine(line);
      if (shown) opts.terminal.write(`${shown}\n`);
    },
  };
  const stream = pino.multistream([
    { level: 'trace', stream: toFile },
    { level: 'warn', stream: toTerminal },
  ]);
  return { stream, file, format };
}
