// Resync is the one tool that re-posts an order, so it acts only on a confirmation token from its
// own preview: an HMAC (server key) over the workflow id, the run id, a digest of what the preview
// showed, the reason, who asked, and an expiry. If the sync moved on (another run, new records, a
// new event), the digest no longer matches and the token is refused: the caller must look again.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface ConfirmationSubject {
  workflowId: string;
  runId: string;
  /** Digest of the preview the caller was shown. */
  previewDigest: string;
  reason: string;
  principal: string;
}

/** Stable digest of any JSON-able preview (keys sorted, bigints as strings). */
export function digestOf(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('base64url');
}

function stableJson(v: unknown): string {
  if (typeof v === 'bigint') return JSON.stringify(v.toString());
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export class ConfirmationTokens {
  constructor(
    private readonly key: Buffer,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(subject: ConfirmationSubject): { token: string; expiresAt: string } {
    const expires = this.now() + this.ttlMs;
    return { token: `${expires.toString(36)}.${this.mac(subject, expires)}`, expiresAt: new Date(expires).toISOString() };
  }

  /** Undefined when valid; otherwise why not, in words the caller can act on. */
  check(token: string, subject: ConfirmationSubject): string | undefined {
    const m = /^([0-9a-z]+)\.([A-Za-z0-9_-]{43})$/.exec(token.trim());
    if (!m) return 'the confirmation token is malformed: call resync without one to get a preview and a token';
    const expires = parseInt(m[1]!, 36);
    const expected = Buffer.from(this.mac(subject, expires));
    const given = Buffer.from(m[2]!);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return 'the confirmation token does not match this sync as it is now (another run, changed records, another reason or another caller): call resync without a token to preview again';
    }
    if (this.now() > expires) return `the confirmation token expired at ${new Date(expires).toISOString()}: call resync without a token to preview again`;
    return undefined;
  }

  private mac(s: ConfirmationSubject, expires: number): string {
    return createHmac('sha256', this.key)
      .update(['resync', s.workflowId, s.runId, s.previewDigest, s.reason, s.principal, String(expires)].join('\n'))
      .digest('base64url');
  }
}
