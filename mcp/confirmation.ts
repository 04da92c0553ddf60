// Resync is the one tool that re-posts an order, so it acts only on a confirmation token from its
// own preview: an HMAC (server key) over the workflow id, the run id, a digest of what the preview
// showed (the sync's journal included), the reason, who asked, a nonce and an expiry. If the sync
// moved on (another run, new records, a new event, a journal entry), the digest no longer matches
// and the token is refused: the caller must look again.
//
// A token works once. This server remembers the tokens it accepted until they expire, so a second
// call with the same token is refused even when the sync looks the same. That memory is the
// process's own: after a restart it is empty, but a token that was used cannot match any more
// either, because the resync it confirmed wrote "resync requested by operator" into the sync's
// journal, which is part of the digest. (Without MCP_CONFIRM_SECRET the key itself is new after a
// restart and every earlier token is void.) Two servers sharing MCP_CONFIRM_SECRET behind one
// address could both accept the same token if it reached them at the same instant; the resync they
// would then both ask for adopts every record by externalId, so NetSuite still gets each once.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

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
  /** MACs of the tokens accepted, until they expire (single use). */
  private readonly used = new Map<string, number>();

  constructor(
    private readonly key: Buffer,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(subject: ConfirmationSubject): { token: string; expiresAt: string } {
    const expires = this.now() + this.ttlMs;
    // The nonce makes every preview's token its own (the MAC covers it).
    const stamp = `${expires.toString(36)}${randomBytes(6).readUIntBE(0, 6).toString(36).padStart(10, '0')}`;
    return { token: `${stamp}.${this.mac(subject, stamp)}`, expiresAt: new Date(expires).toISOString() };
  }

  /**
   * Redeems the token: undefined when it is valid (and from now on used); otherwise why not, in
   * words the caller can act on.
   */
  check(token: string, subject: ConfirmationSubject): string | undefined {
    const m = /^([0-9a-z]{1,12})([0-9a-z]{10})\.([A-Za-z0-9_-]{43})$/.exec(token.trim());
    if (!m) return 'the confirmation token is malformed: call resync without one to get a preview and a token';
    const expires = parseInt(m[1]!, 36);
    const expected = Buffer.from(this.mac(subject, `${m[1]!}${m[2]!}`));
    const given = Buffer.from(m[3]!);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return 'the confirmation token does not match this sync as it is now (another run, changed records, a new journal entry, another reason or another caller): call resync without a token to preview again';
    }
    const now = this.now();
    if (now > expires)
      return `the confirmation token expired at ${new Date(expires).toISOString()}: call resync without a token to preview again`;
    for (const [mac, until] of this.used) if (until < now) this.used.delete(mac);
    if (this.used.has(m[3]!))
      return 'the confirmation token was already used (a token confirms one resync): call resync without a token to preview again';
    this.used.set(m[3]!, expires);
    return undefined;
  }

  private mac(s: ConfirmationSubject, stamp: string): string {
    return createHmac('sha256', this.key)
      .update(['resync', s.workflowId, s.runId, s.previewDigest, s.reason, s.principal, stamp].join('\n'))
      .digest('base64url');
  }
}
