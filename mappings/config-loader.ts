// Loads config/mappings.yaml (or MAPPINGS_FILE), validates it, and reports EVERY problem at once
// with file, line, path inside the file and the fix, so one edit-and-rerun cycle fixes them all.
// watchMappingConfig lets an operator fix a mapping while the worker runs: the next activity sees
// the new file; an invalid edit keeps the last good config and logs why.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import {
  MappingConfigSchema,
  type MappingConfig,
  type MappingLoadState,
  type MappingProvider,
} from './config-schema.js';

export type { MappingConfig, MappingLoadState, MappingProvider } from './config-schema.js';

export interface MappingConfigProblem {
  /** Path inside the file, e.g. `products.rules[2].item` ('' for the whole file). */
  path: string;
  /** 1-based line/column when known. */
  line?: number;
  column?: number;
  /** What is wrong and how to fix it. */
  message: string;
}

export class MappingConfigError extends Error {
  override readonly name = 'MappingConfigError';
  constructor(
    readonly file: string,
    readonly problems: MappingConfigProblem[],
  ) {
    super(
      `Invalid mapping config ${file} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems
          .map((p) => `  - ${file}${p.line ? `:${p.line}:${p.column ?? 1}` : ''} ${p.path || '(file)'}: ${p.message}`)
          .join('\n'),
    );
  }
}

/** `products.rules[2].item` */
export function formatConfigPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

/** Parses and validates YAML text; `file` is only used in messages. */
export function parseMappingConfig(text: string, file: string): MappingConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new MappingConfigError(
      file,
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return {
          path: '',
          ...(pos ? { line: pos.line, column: pos.col } : {}),
          message: `YAML syntax error: ${e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}. Fix: correct the YAML at this line (indentation, a missing colon or an unclosed quote)`,
        };
      }),
    );
  }
  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined) {
    throw new MappingConfigError(file, [
      { path: '', message: 'the file is empty. Fix: start from config/mappings.example.yaml' },
    ]);
  }
  const result = MappingConfigSchema.safeParse(raw);
  if (result.success) return { ...result.data, sourceFile: file };
  const problems = result.error.issues.map((i) => toProblem(i, doc, lineCounter));
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  throw new MappingConfigError(file, problems);
}

export function loadMappingConfig(path: string): MappingConfig {
  return parseMappingConfig(readText(path), path);
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MappingConfigError(path, [
      {
        path: '',
        message:
          code === 'ENOENT'
            ? 'file not found. Fix: set MAPPINGS_FILE to your mapping file, or copy config/mappings.example.yaml to this path'
            : `cannot read the file (${code ?? (e as Error).message}). Fix: check the path and its permissions`,
      },
    ]);
  }
}

/** Minimal logger shape (pino-compatible). */
export interface ConfigLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * Loads the file now (throws when invalid: a worker must not start on a broken mapping) and
 * re-reads it whenever its mtime or size changes, checked on each `current()` call (one stat).
 */
export function watchMappingConfig(path: string, logger: ConfigLogger): MappingProvider {
  const load = () => {
    const text = readText(path);
    return {
      config: parseMappingConfig(text, path),
      version: mappingVersion(text),
      loadedAt: new Date().toISOString(),
    };
  };
  let loaded = load();
  let stamp = fileStamp(path);
  let rejectedStamp: string | undefined;
  let loadError: MappingLoadState['loadError'];
  const current = (): MappingConfig => {
    const now = fileStamp(path);
    if (now === stamp || now === rejectedStamp) return loaded.config;
    try {
      loaded = load();
      stamp = now;
      rejectedStamp = undefined;
      loadError = undefined;
      logger.info({ mappingsFile: path, version: loaded.version }, 'mapping config reloaded');
    } catch (e) {
      // Keep serving the last good config; say once per bad version what is wrong.
      rejectedStamp = now;
      loadError = { message: (e as Error).message, at: new Date().toISOString() };
      logger.error(
        { mappingsFile: path, err: (e as Error).message },
        'mapping config changed but is invalid; keeping the previous config',
      );
    }
    return loaded.config;
  };
  return {
    current,
    state(): MappingLoadState {
      current();
      return { file: path, version: loaded.version, loadedAt: loaded.loadedAt, ...(loadError ? { loadError } : {}) };
    },
  };
}

/** Short content hash: the same text is the same version on every worker. */
export function mappingVersion(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** A fixed config (tests, preview). */
export function staticMappingProvider(config: MappingConfig): MappingProvider {
  return { current: () => config };
}

function fileStamp(path: string): string {
  try {
    const s = statSync(path);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return 'missing';
  }
}

function toProblem(issue: z.core.$ZodIssue, doc: Document, lc: LineCounter): MappingConfigProblem {
  let path = [...issue.path];
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(path);
    const hints = issue.keys.map((k) => {
      const near = known.find((c) => similar(c, k));
      return near ? `${k} (did you mean ${near}?)` : k;
    });
    message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${hints.join(', ')}. Fix: remove or rename it${known.length ? `; allowed here: ${known.join(', ')}` : ''}`;
    if (issue.keys.length === 1) path = [...path, issue.keys[0]!];
  } else if (issue.code === 'invalid_key') {
    message = `key ${String(path[path.length - 1])} ${issue.issues[0]?.message ?? 'is not allowed here'}`;
  } else if (issue.code === 'invalid_type' && issue.input === undefined) {
    message = `is missing. Fix: add it (${expectedOf(issue)})`;
  } else if (!/Fix:/.test(message)) {
    message = `${message}. Fix: see config/mappings.example.yaml for the expected form`;
  }
  const pos = positionOf(doc, lc, path);
  return { path: formatConfigPath(path), ...pos, message };
}

function expectedOf(issue: z.core.$ZodIssue): string {
  return issue.code === 'invalid_type' ? `expected ${issue.expected}` : 'see config/mappings.example.yaml';
}

/** Line/column of the deepest existing node on the path (the key when the value is missing). */
function positionOf(doc: Document, lc: LineCounter, path: PropertyKey[]): { line?: number; column?: number } {
  let node: unknown = doc.contents;
  let offset: number | undefined = rangeStart(node);
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
      offset = rangeStart(node) ?? offset;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      offset = rangeStart(node) ?? offset;
    } else break;
  }
  if (offset === undefined) return {};
  const p = lc.linePos(offset);
  return { line: p.line, column: p.col };
}

function rangeStart(node: unknown): number | undefined {
  return isNode(node) && node.range ? node.range[0] : undefined;
}

function knownKeysAt(path: PropertyKey[]): string[] {
  // Walk the schema's shape along the path (arrays and records are skipped over).
  let schema: unknown = MappingConfigSchema;
  for (const seg of path) {
    schema = unwrap(schema);
    const shape = shapeOf(schema);
    if (shape && typeof seg === 'string') schema = shape[seg];
    else {
      const def = (schema as { def?: { element?: unknown; valueType?: unknown } } | undefined)?.def;
      schema = def?.element ?? def?.valueType;
    }
  }
  const shape = shapeOf(unwrap(schema));
  return shape ? Object.keys(shape) : [];
}

function unwrap(schema: unknown): unknown {
  let s = schema as { def?: { type?: string; innerType?: unknown; in?: unknown; schema?: unknown } } | undefined;
  for (let i = 0; i < 10 && s?.def; i++) {
    const next = s.def.innerType ?? s.def.in ?? (s.def.type === 'pipe' ? s.def.in : undefined);
    if (!next) break;
    s = next as typeof s;
  }
  return s;
}

function shapeOf(schema: unknown): Record<string, unknown> | undefined {
  const shape = (schema as { shape?: unknown } | undefined)?.shape;
  return shape && typeof shape === 'object' ? (shape as Record<string, unknown>) : undefined;
}

function similar(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x === y || x.startsWith(y) || y.startsWith(x) || levenshtein(x, y) <= 2;
}

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}
