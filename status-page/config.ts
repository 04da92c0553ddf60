// The status page's settings from the environment, validated at start-up with every problem named
// at once (scripts/start.ts collects them with the other components' problems).
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { ConfigError } from '../shared/config.js';
import { oidcSettingsFromEnv, type OidcSettings } from '../shared/oidc.js';

export interface StatusPageSettings {
  port: number;
  host: string;
  token?: string;
  oidc?: OidcSettings;
  allowedHosts: string[];
  publicUrl?: string;
  trustedProxies: string[];
  tls?: { cert: Buffer; key: Buffer };
}

const list = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

const envSchema = z.object({
  STATUS_PAGE_PORT: z.coerce.number().int().min(0).max(65535).default(8090),
  STATUS_PAGE_HOST: z.string().trim().min(1).default('127.0.0.1'),
  STATUS_PAGE_AUTH: z
    .string()
    .default('token')
    .transform((s) => list(s.toLowerCase()))
    .refine((a) => a.length > 0 && a.every((x) => x === 'token' || x === 'oidc'), 'must be token, oidc or token,oidc'),
  STATUS_PAGE_TOKEN: z.string().trim().min(16, 'must be at least 16 characters (e.g. openssl rand -hex 24)').optional(),
  STATUS_PAGE_ALLOWED_HOSTS: z
    .string()
    .transform(list)
    .refine(
      (a) => a.every((h) => /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/i.test(h)),
      'must be host names without scheme or port, comma-separated (e.g. status.example.com)',
    )
    .optional(),
  STATUS_PAGE_PUBLIC_URL: z
    .string()
    .trim()
    .refine(
      (s) => URL.canParse(s) && ['http:', 'https:'].includes(new URL(s).protocol),
      'must be the http(s) URL people open, e.g. https://status.example.com/',
    )
    .optional(),
  STATUS_PAGE_TRUSTED_PROXIES: z
    .string()
    .transform(list)
    .refine(
      (a) => a.every((x) => isIP(x) > 0),
      'must be the IP addresses of the proxies in front of the page, comma-separated (their X-Forwarded-Proto is believed)',
    )
    .optional(),
  STATUS_PAGE_TLS_CERT_FILE: z.string().trim().min(1).optional(),
  STATUS_PAGE_TLS_KEY_FILE: z.string().trim().min(1).optional(),
});

export function loadStatusPageConfig(env: NodeJS.ProcessEnv = process.env): StatusPageSettings {
  const problems: string[] = [];
  // An empty variable (e.g. `${STATUS_PAGE_TOKEN:-}` in compose) means unset.
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('STATUS_PAGE_') && v !== '')),
  );
  if (!parsed.success) for (const i of parsed.error.issues) problems.push(`${i.path.join('.')} ${i.message}`);
  // Read on its own, so the identity provider's settings are checked even when another variable is wrong.
  const modes = envSchema.shape.STATUS_PAGE_AUTH.safeParse(env.STATUS_PAGE_AUTH || undefined).data ?? ['token'];
  const oidc = modes.includes('oidc') ? oidcSettingsFromEnv(env, 'STATUS_PAGE', problems) : undefined;
  const c = parsed.success ? parsed.data : undefined;
  if (c && modes.includes('oidc') && !modes.includes('token') && c.STATUS_PAGE_TOKEN) {
    problems.push(
      'STATUS_PAGE_TOKEN is set but STATUS_PAGE_AUTH does not include token: set STATUS_PAGE_AUTH=token,oidc to accept both, or unset the token',
    );
  }
  let tls: StatusPageSettings['tls'];
  if (c && (c.STATUS_PAGE_TLS_CERT_FILE || c.STATUS_PAGE_TLS_KEY_FILE)) {
    if (!c.STATUS_PAGE_TLS_CERT_FILE || !c.STATUS_PAGE_TLS_KEY_FILE)
      problems.push(
        'STATUS_PAGE_TLS_CERT_FILE and STATUS_PAGE_TLS_KEY_FILE go together: set both (PEM files) or neither',
      );
    else {
      const read = (name: string, file: string) => {
        try {
          return readFileSync(file);
        } catch (err) {
          problems.push(
            `${name} (${file}) cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
          );
          return undefined;
        }
      };
      const cert = read('STATUS_PAGE_TLS_CERT_FILE', c.STATUS_PAGE_TLS_CERT_FILE);
      const key = read('STATUS_PAGE_TLS_KEY_FILE', c.STATUS_PAGE_TLS_KEY_FILE);
      if (cert && key) tls = { cert, key };
    }
  }
  const loopback = c ? ['127.0.0.1', '::1', 'localhost'].includes(c.STATUS_PAGE_HOST) : true;
  if (c && !loopback && !c.STATUS_PAGE_TOKEN && !oidc && problems.length === 0) {
    problems.push(
      `STATUS_PAGE_TOKEN (or STATUS_PAGE_AUTH=oidc) is required when the status page listens on ${c.STATUS_PAGE_HOST} (not loopback): set it to a long random string, or set STATUS_PAGE_HOST=127.0.0.1`,
    );
  }
  if (problems.length > 0)
    throw new ConfigError(`Status page configuration is invalid:\n  - ${problems.join('\n  - ')}`);
  return {
    port: c!.STATUS_PAGE_PORT,
    host: c!.STATUS_PAGE_HOST,
    ...(c!.STATUS_PAGE_TOKEN && modes.includes('token') ? { token: c!.STATUS_PAGE_TOKEN } : {}),
    ...(oidc ? { oidc } : {}),
    allowedHosts: c!.STATUS_PAGE_ALLOWED_HOSTS ?? [],
    ...(c!.STATUS_PAGE_PUBLIC_URL ? { publicUrl: c!.STATUS_PAGE_PUBLIC_URL } : {}),
    trustedProxies: c!.STATUS_PAGE_TRUSTED_PROXIES ?? [],
    ...(tls ? { tls } : {}),
  };
}
