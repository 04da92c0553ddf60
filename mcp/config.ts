// The MCP server's configuration, validated at start-up with every problem reported at once.
//  - HTTP (a team): MCP_AUTH says how callers sign in: `tokens` (default), `oidc`, or both
//    (`tokens,oidc`).
//    tokens: named bearer tokens with scopes, from MCP_TOKENS (JSON) or MCP_TOKENS_FILE. A token
//    is given by its SHA-256 (preferred: the configuration then holds no usable secret) or in clear.
//    oidc: access tokens (JWTs) of the team's identity provider, MCP_OIDC_ISSUER and
//    MCP_OIDC_AUDIENCE (shared/oidc.ts); the server is an OAuth 2.1 resource server and publishes
//    its protected resource metadata (RFC 9728).
//    Around both: the Host and Origin headers it answers (MCP_ALLOWED_HOSTS, MCP_ALLOWED_ORIGINS),
//    a per-address limit before authentication (MCP_ADDRESS_RATE_LIMIT), the proxies whose
//    X-Forwarded-For it believes (MCP_TRUST_PROXY), and its public URL (MCP_PUBLIC_URL).
//  - stdio (one person's assistant): no token; the scopes come from MCP_SCOPES and the name the
//    journal records from MCP_USER (else OPS_USER, else the login name).
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { z } from 'zod';
import { isIP } from 'node:net';
import { ConfigError } from '../shared/config.js';
import { oidcSettingsFromEnv, type OidcSettings } from '../shared/oidc.js';
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

export interface McpAuth {
  /** Static bearer tokens (MCP_TOKENS / MCP_TOKENS_FILE) are accepted. */
  tokens: boolean;
  /** Access tokens of this identity provider are accepted. */
  oidc?: OidcSettings;
}

export interface McpConfig {
  port: number;
  host: string;
  auth: McpAuth;
  tokens: TokenEntry[];
  /** Calls per minute of one OIDC caller (static tokens have their own `ratePerMinute`). */
  ratePerMinute: number;
  /** Requests per minute from one client address, counted before authentication. */
  addressRatePerMinute: number;
  /** Host names (no port; IPv6 in brackets) the Host header may name. */
  allowedHosts: string[];
  /** Origin host names (or `scheme://*`) a browser's Origin header may name; requests without one pass. */
  allowedOrigins: string[];
  /** Express's `trust proxy`: which proxies' X-Forwarded-For names the client address. */
  trustProxy: false | number | string[];
  /** Where clients reach /mcp (the OAuth resource identifier); unset: the address it listens on. */
  publicUrl?: string;
  /** Key of the resync confirmation tokens. */
  confirmSecret: Buffer;
  confirmTtlMs: number;
  uiBase: string;
  mappingsFile: string;
  /** Things worth a warning at start-up (e.g. a token given in clear). */
  warnings: string[];
}

const scope = z.enum(ALL_SCOPES as [Scope, ...Scope[]], {
  error: (i) => `unknown scope ${JSON.stringify(i.input)} (known: ${ALL_SCOPES.join(', ')})`,
});
const tokenEntry = z
  .strictObject({
    name: z.string().trim().min(1, 'needs a name (recorded as "by" in the journal)').max(120),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/i, 'must be the 64 hex digits of the token’s SHA-256')
      .optional(),
    token: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
    scopes: z.array(scope).min(1, 'needs at least one scope'),
    ratePerMinute: z.number().int().min(1).optional(),
  })
  .refine(
    (t) => (t.sha256 === undefined) !== (t.token === undefined),
    'give exactly one of "sha256" (preferred) or "token"',
  );
const tokenList = z.array(tokenEntry);

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);
const list = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
/** `::1` → `[::1]`, `Example.COM` → `example.com` (how the SDK's Host and Origin checks compare). */
const hostKey = (h: string) => (isIP(h) === 6 ? `[${h}]` : h).toLowerCase();
const HOST_NAME = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*)$/;

const envSchema = z.object({
  MCP_PORT: z.coerce.number().int().min(0).max(65535).default(DEFAULT_MCP_PORT),
  MCP_HOST: z.string().min(1).default('127.0.0.1'),
  MCP_AUTH: z
    .string()
    .default('tokens')
    .transform((s) => list(s.toLowerCase()))
    .refine(
      (a) => a.length > 0 && a.every((x) => x === 'tokens' || x === 'oidc'),
      'must be tokens, oidc or tokens,oidc',
    ),
  MCP_PUBLIC_URL: z
    .string()
    .trim()
    .refine(
      (s) =>
        URL.canParse(s) && ['http:', 'https:'].includes(new URL(s).protocol) && !new URL(s).search && !new URL(s).hash,
      'must be the http(s) URL clients use for /mcp, e.g. https://mcp.example.com/mcp',
    )
    .optional(),
  MCP_ALLOWED_HOSTS: z
    .string()
    .transform((s) => list(s).map(hostKey))
    .refine(
      (a) => a.every((h) => HOST_NAME.test(h)),
      'must be host names without scheme or port, comma-separated (e.g. mcp.example.com)',
    )
    .optional(),
  MCP_ALLOWED_ORIGINS: z
    .string()
    .transform((s) =>
      list(s).map((o) =>
        /^[a-z][a-z0-9+.-]*:\/\/\*$/i.test(o)
          ? o.toLowerCase()
          : URL.canParse(o)
            ? new URL(o).hostname.toLowerCase()
            : hostKey(o),
      ),
    )
    .refine(
      (a) => a.every((h) => HOST_NAME.test(h) || /^[a-z][a-z0-9+.-]*:\/\/\*$/.test(h)),
      'must be origins or their host names, comma-separated (e.g. https://assistant.example.com)',
    )
    .optional(),
  MCP_ADDRESS_RATE_LIMIT: z.coerce.number().int().min(1).default(300),
  MCP_TRUST_PROXY: z
    .string()
    .trim()
    .transform((s): false | number | string[] =>
      s === '' || s === 'false' ? false : /^\d+$/.test(s) ? Number(s) : list(s),
    )
    .refine(
      (v) =>
        v === false ||
        (typeof v === 'number'
          ? v >= 1 && v <= 10
          : v.every((x) => ['loopback', 'linklocal', 'uniquelocal'].includes(x) || isIP(x.split('/')[0]!) > 0)),
      'must be false, a number of proxy hops (1-10), or proxy addresses/CIDRs (or loopback, linklocal, uniquelocal), comma-separated; never true (any client could then name its own address)',
    )
    .optional(),
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
  // Read on its own, so the identity provider's settings are checked even when another variable is wrong.
  const modes = envSchema.shape.MCP_AUTH.safeParse(env.MCP_AUTH).data ?? ['tokens'];
  const oidc = modes.includes('oidc')
    ? oidcSettingsFromEnv(env, 'MCP', problems, {
        ...(env.MCP_PUBLIC_URL?.trim() ? { audience: env.MCP_PUBLIC_URL.trim() } : {}),
      })
    : undefined;
  if (!modes.includes('oidc') && Object.keys(env).some((k) => k.startsWith('MCP_OIDC_') && env[k]?.trim())) {
    warnings.push(
      'MCP_OIDC_* is set but MCP_AUTH does not include oidc: the identity provider is not used (set MCP_AUTH=oidc or tokens,oidc)',
    );
  }
  if (!modes.includes('tokens') && (env.MCP_TOKENS?.trim() || env.MCP_TOKENS_FILE?.trim())) {
    problems.push(
      'MCP_TOKENS / MCP_TOKENS_FILE is set but MCP_AUTH does not include tokens: set MCP_AUTH=tokens,oidc to accept both, or remove the static tokens',
    );
  }
  if (problems.length > 0)
    throw new ConfigError(`MCP server configuration is invalid:\n  - ${problems.join('\n  - ')}`);
  const c = parsed.data!;
  if (!c.MCP_CONFIRM_SECRET)
    warnings.push(
      'MCP_CONFIRM_SECRET is not set: resync confirmations are signed with a key of this process only (they do not survive a restart)',
    );
  const publicHost = c.MCP_PUBLIC_URL ? hostKey(new URL(c.MCP_PUBLIC_URL).hostname) : undefined;
  const ownHost = WILDCARD_HOSTS.has(c.MCP_HOST) ? undefined : hostKey(c.MCP_HOST);
  return {
    port: c.MCP_PORT,
    host: c.MCP_HOST,
    auth: { tokens: modes.includes('tokens'), ...(oidc ? { oidc } : {}) },
    tokens,
    ratePerMinute: c.MCP_RATE_LIMIT,
    addressRatePerMinute: c.MCP_ADDRESS_RATE_LIMIT,
    allowedHosts: [
      ...new Set([
        ...LOOPBACK_NAMES,
        ...(ownHost ? [ownHost] : []),
        ...(publicHost ? [publicHost] : []),
        ...(c.MCP_ALLOWED_HOSTS ?? []),
      ]),
    ],
    allowedOrigins: [
      ...new Set([...LOOPBACK_NAMES, ...(publicHost ? [publicHost] : []), ...(c.MCP_ALLOWED_ORIGINS ?? [])]),
    ],
    trustProxy: c.MCP_TRUST_PROXY ?? false,
    ...(c.MCP_PUBLIC_URL ? { publicUrl: c.MCP_PUBLIC_URL } : {}),
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
    problems.push(
      `${where}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `not valid JSON (${(err as Error).message})`}; expected [{"name": "…", "sha256": "…", "scopes": ["sync:read"]}]`,
    );
    return [];
  }
  const list = tokenList.safeParse(raw);
  if (!list.success) {
    for (const i of list.error.issues) {
      const [index, ...field] = i.path;
      problems.push(
        `${where}${index !== undefined ? `[${String(index)}]` : ''}${field.length ? `.${field.join('.')}` : ''}: ${i.message}`,
      );
    }
    return [];
  }
  const rate = Number(env.MCP_RATE_LIMIT ?? 60);
  const entries: TokenEntry[] = list.data.map((t) => {
    if (t.token !== undefined)
      warnings.push(
        `${where}: the token of "${t.name}" is given in clear; prefer "sha256" (echo -n TOKEN | sha256sum)`,
      );
    return {
      name: t.name,
      sha256: (t.sha256 ?? sha256Hex(t.token!)).toLowerCase(),
      scopes: [...new Set(t.scopes)],
      ratePerMinute: t.ratePerMinute ?? (Number.isInteger(rate) && rate > 0 ? rate : 60),
    };
  });
  const seen = new Map<string, string>();
  for (const e of entries) {
    if (entries.filter((x) => x.name === e.name).length > 1 && !seen.has(`name:${e.name}`))
      problems.push(`${where}: the name "${e.name}" is used by more than one token`);
    seen.set(`name:${e.name}`, e.name);
    const other = seen.get(`hash:${e.sha256}`);
    if (other !== undefined) problems.push(`${where}: "${other}" and "${e.name}" have the same token`);
    seen.set(`hash:${e.sha256}`, e.name);
  }
  return entries;
}

/** Whether any configured token may write; with none, the write tools are not offered at all. */
export const anyWriteToken = (tokens: readonly TokenEntry[]): boolean =>
  tokens.some((t) => t.scopes.includes(SCOPES.write));

/** Whether any caller could ever write: a static token with sync:write, or anyone signing in through the identity provider. */
export const anyWriter = (config: Pick<McpConfig, 'auth' | 'tokens'>): boolean =>
  config.auth.oidc !== undefined || anyWriteToken(config.tokens);

/** The stdio caller: one local user, scopes from MCP_SCOPES (default: read only). */
export function stdioPrincipal(env: NodeJS.ProcessEnv = process.env): Principal {
  const raw = (env.MCP_SCOPES ?? SCOPES.read).split(/[\s,]+/).filter(Boolean);
  const unknown = raw.filter((s) => !(ALL_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0)
    throw new ConfigError(
      `MCP_SCOPES: unknown scope ${unknown.map((s) => `"${s}"`).join(', ')} (known: ${ALL_SCOPES.join(', ')})`,
    );
  return {
    name: env.MCP_USER?.trim() || env.OPS_USER?.trim() || loginName() || 'mcp-stdio',
    scopes: new Set(raw),
    via: 'stdio-env',
  };
}

function loginName(): string | undefined {
  try {
    return userInfo().username || undefined;
  } catch {
    return undefined;
  }
}
