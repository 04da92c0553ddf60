// The MCP server's configuration, validated at start-up with every problem reported at once.
//  - HTTP (a team): named bearer tokens with scopes, from MCP_TOKENS (JSON) or MCP_TOKENS_FILE.
//    A token is given by its SHA-256 (preferred: the configuration then holds no usable secret)
//    or in clear.
//  - stdio (one person's assistant): no token; the scopes come from MCP_SCOPES and the name the
//    journal records from MCP_USER (else OPS_USER, else the login name).
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { z } from 'zod';
import { ConfigError } from '../shared/config.js';
import { parseDuration } from '../operations/durations.js';
import { uiBaseUrl } from '../operations/web-ui.js';
import { ALL_SCOPES, SCOPES, type Principal, type Scope } from './scopes.js';

export const DEFAULT_MCP_PORT = 8091;

export interface TokenEntry {
  name: string;
  /** Hex SHA-256 of the bearer token. */
  sha256: string;
  scopes: Scope[];
  /** Calls per minute allowed for this token. */
  ratePerMinute: number;
}

export interface McpConfig {
  port: number;
  host: string;
  tokens: TokenEntry[];
  /** Key of the resync confirmation tokens. */
  confirmSecret: Buffer;
  confirmTtlMs: number;
  uiBase: string;
  mappingsFile: string;
  /** Things worth a warning at start-up (e.g. a token given in clear). */
  warnings: string[];
}

const scope = z.enum(ALL_SCOPES as [Scope, ...Scope[]], { error: (i) => `unknown scope ${JSON.stringify(i.input)} (known: ${ALL_SCOPES.join(', ')})` });
const tokenEntry = z
  .strictObject({
    name: z.string().trim().min(1, 'needs a name (recorded as "by" in the journal)').max(120),
    sha256: z.string().regex(/^[0-9a-f]{64}$/i, 'must be the 64 hex digits of the token’s SHA-256').optional(),
    token: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
    scopes: z.array(scope).min(1, 'needs at least one scope'),
    ratePerMinute: z.number().int().min(1).optional(),
  })
  .refine((t) => (t.sha256 === undefined) !== (t.token === undefined), 'give exactly one of "sha256" (preferred) or "token"');
const tokenList = z.array(tokenEntry);

const envSchema = z.object({
  MCP_PORT: z.coerce.number().int().min(0).max(65535).default(DEFAULT_MCP_PORT),
  MCP_HOST: z.string().min(1).default('127.0.0.1'),
  MCP_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
  MCP_CONFIRM_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
  MCP_CONFIRM_TTL: z.string().default('10m'),
  MAPPINGS_FILE: z.string().default('config/mappings.yaml'),
});

export const sha256Hex = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export function loadMcpConfig(env: NodeJS.ProcessEnv = process.env): McpConfig {
  const problems: string[] = [];
  const warnings: string[] = [];
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) for (const i of parsed.error.issues) problems.push(`${i.path.join('.')} ${i.message}`);

  let confirmTtlMs = 600_000;
  try {
    confirmTtlMs = parseDuration(env.MCP_CONFIRM_TTL ?? '10m');
  } catch (err) {
    problems.push(`MCP_CONFIRM_TTL: ${(err as Error).message}`);
  }

  const tokens = readTokens(env, problems, warnings);
  if (problems.length > 0) throw new ConfigError(`MCP server configuration is invalid:\n  - ${problems.join('\n  - ')}`);
  const c = parsed.data!;
  if (!c.MCP_CONFIRM_SECRET) warnings.push('MCP_CONFIRM_SECRET is not set: resync confirmations are signed with a key of this process only (they do not survive a restart)');
  return {
    port: c.MCP_PORT,
    host: c.MCP_HOST,
    tokens,
    confirmSecret: c.MCP_CONFIRM_SECRET ? Buffer.from(c.MCP_CONFIRM_SECRET, 'utf8') : randomBytes(32),
    confirmTtlMs,
    uiBase: uiBaseUrl(env),
    mappingsFile: c.MAPPINGS_FILE,
    warnings,
  };
}

function readTokens(env: NodeJS.ProcessEnv, problems: string[], warnings: string[]): TokenEntry[] {
  const inline = env.MCP_TOKENS?.trim();
  const file = env.MCP_TOKENS_FILE?.trim();
  if (inline && file) {
    problems.push('set MCP_TOKENS or MCP_TOKENS_FILE, not both');
    return [];
  }
  if (!inline && !file) return [];
  const where = inline ? 'MCP_TOKENS' : `MCP_TOKENS_FILE (${file})`;
  let raw: unknown;
  try {
    raw = JSON.parse(inline ?? readFileSync(file!, 'utf8'));
  } catch (err) {
    problems.push(`${where}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `not valid JSON (${(err as Error).message})`}; expected [{"name": "…", "sha256": "…", "scopes": ["sync:read"]}]`);
    return [];
  }
  const list = tokenList.safeParse(raw);
  if (!list.success) {
    for (const i of list.error.issues) {
      const [index, ...field] = i.path;
      problems.push(`${where}${index !== undefined ? `[${String(index)}]` : ''}${field.length ? `.${field.join('.')}` : ''}: ${i.message}`);
    }
    return [];
  }
  const rate = Number(env.MCP_RATE_LIMIT ?? 60);
  const entries: TokenEntry[] = list.data.map((t) => {
    if (t.token !== undefined) warnings.push(`${where}: the token of "${t.name}" is given in clear; prefer "sha256" (echo -n TOKEN | sha256sum)`);
    return { name: t.name, sha256: (t.sha256 ?? sha256Hex(t.token!)).toLowerCase(), scopes: [...new Set(t.scopes)], ratePerMinute: t.ratePerMinute ?? (Number.isInteger(rate) && rate > 0 ? rate : 60) };
  });
  const seen = new Map<string, string>();
  for (const e of entries) {
    if (entries.filter((x) => x.name === e.name).length > 1 && !seen.has(`name:${e.name}`)) problems.push(`${where}: the name "${e.name}" is used by more than one token`);
    seen.set(`name:${e.name}`, e.name);
    const other = seen.get(`hash:${e.sha256}`);
    if (other !== undefined) problems.push(`${where}: "${other}" and "${e.name}" have the same token`);
    seen.set(`hash:${e.sha256}`, e.name);
  }
  return entries;
}

/** Whether any configured token may write; with none, the write tools are not offered at all. */
export const anyWriteToken = (tokens: readonly TokenEntry[]): boolean => tokens.some((t) => t.scopes.includes(SCOPES.write));

/** The stdio caller: one local user, scopes from MCP_SCOPES (default: read only). */
export function stdioPrincipal(env: NodeJS.ProcessEnv = process.env): Principal {
  const raw = (env.MCP_SCOPES ?? SCOPES.read).split(/[\s,]+/).filter(Boolean);
  const unknown = raw.filter((s) => !(ALL_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new ConfigError(`MCP_SCOPES: unknown scope ${unknown.map((s) => `"${s}"`).join(', ')} (known: ${ALL_SCOPES.join(', ')})`);
  return { name: env.MCP_USER?.trim() || env.OPS_USER?.trim() || loginName() || 'mcp-stdio', scopes: new Set(raw), via: 'stdio-env' };
}

function loginName(): string | undefined {
  try {
    return userInfo().username || undefined;
  } catch {
    return undefined;
  }
}
