// The governance pieces that need no Temporal: token configuration (validated at start-up, every
// problem at once), the resync confirmation token, what counts as personal data, rate limiting.
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Client } from '@temporalio/client';
import { ConfigError } from '../../shared/config.js';
import { anyWriteToken, loadMcpConfig, sha256Hex, stdioPrincipal } from '../../mcp/config.js';
import { ConfirmationTokens, digestOf } from '../../mcp/confirmation.js';
import { startMcpHttpServer } from '../../mcp/http.js';
import { personalCustomFields, REDACTED, redactPersonalData } from '../../mcp/personal-data.js';
import { demoMappings } from '../support/stack.js';

const token = 'a-long-enough-token-0123456789abcdef';

describe('token configuration', () => {
  it('reports every problem at once, naming the entry and field', () => {
    const tokens = JSON.stringify([
      { name: 'ops', sha256: 'abc', scopes: ['sync:read'] },
      { name: 'bot', token: 'short', scopes: ['sync:admin'] },
      { name: 'both', token, sha256: sha256Hex(token), scopes: ['sync:read'] },
      { name: 'none', scopes: [] },
    ]);
    let err: unknown;
    try {
      loadMcpConfig({ MCP_TOKENS: tokens, MCP_PORT: 'eighty', MCP_CONFIRM_SECRET: 'too short' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('MCP_PORT');
    expect(msg).toContain('MCP_CONFIRM_SECRET must be at least 32 characters');
    expect(msg).toContain('MCP_TOKENS[0].sha256: must be the 64 hex digits');
    expect(msg).toContain('MCP_TOKENS[1].token: must be at least 32 characters');
    expect(msg).toContain('MCP_TOKENS[1].scopes.0: unknown scope "sync:admin"');
    expect(msg).toContain('MCP_TOKENS[2]: give exactly one of "sha256" (preferred) or "token"');
    expect(msg).toContain('MCP_TOKENS[3].scopes: needs at least one scope');
  });

  it('refuses duplicate names and tokens, unreadable JSON and a missing file', () => {
    const dup = JSON.stringify([
      { name: 'a', token, scopes: ['sync:read'] },
      { name: 'a', sha256: sha256Hex(token), scopes: ['sync:write'] },
    ]);
    expect(() => loadMcpConfig({ MCP_TOKENS: dup })).toThrow(
      /the name "a" is used by more than one token[\s\S]*"a" and "a" have the same token/,
    );
    expect(() => loadMcpConfig({ MCP_TOKENS: '{nope' })).toThrow(/MCP_TOKENS: not valid JSON/);
    expect(() => loadMcpConfig({ MCP_TOKENS_FILE: '/nonexistent/tokens.json' })).toThrow(
      /MCP_TOKENS_FILE \(\/nonexistent\/tokens.json\): file not found/,
    );
  });

  it('accepts hashed tokens quietly and warns about clear ones; knows whether any token may write', () => {
    const c = loadMcpConfig({
      MCP_TOKENS: JSON.stringify([{ name: 'r', sha256: sha256Hex(token).toUpperCase(), scopes: ['sync:read'] }]),
      MCP_CONFIRM_SECRET: 'x'.repeat(32),
    });
    expect(c.tokens).toEqual([{ name: 'r', sha256: sha256Hex(token), scopes: ['sync:read'], ratePerMinute: 60 }]);
    expect(c.warnings).toEqual([]);
    expect(anyWriteToken(c.tokens)).toBe(false);
    const clear = loadMcpConfig({
      MCP_TOKENS: JSON.stringify([{ name: 'w', token, scopes: ['sync:read', 'sync:write'], ratePerMinute: 5 }]),
    });
    expect(clear.tokens[0]).toMatchObject({ sha256: sha256Hex(token), ratePerMinute: 5 });
    expect(clear.warnings.join('\n')).toMatch(/the token of "w" is given in clear/);
    expect(anyWriteToken(clear.tokens)).toBe(true);
    expect(JSON.stringify(clear)).not.toContain(token);
  });

  it('stdio takes its scopes and name from the environment, read-only by default', () => {
    expect(stdioPrincipal({ MCP_USER: 'dana' })).toMatchObject({
      name: 'dana',
      scopes: new Set(['sync:read']),
      via: 'stdio-env',
    });
    expect(stdioPrincipal({ OPS_USER: 'eve', MCP_SCOPES: 'sync:read sync:write,pii:read' }).scopes).toEqual(
      new Set(['sync:read', 'sync:write', 'pii:read']),
    );
    expect(() => stdioPrincipal({ MCP_SCOPES: 'sync:read,admin' })).toThrow(/MCP_SCOPES: unknown scope "admin"/);
  });
});

describe('resync confirmation tokens', () => {
  const subject = {
    workflowId: 'order/1',
    runId: 'run-1',
    previewDigest: digestOf({ a: 1n, b: [1, 2] }),
    reason: 'deleted by hand',
    principal: 'writer',
  };

  it('hold for the same sync, preview, reason and caller until they expire', () => {
    let now = 1_000_000;
    const tokens = new ConfirmationTokens(Buffer.from('k'.repeat(32)), 60_000, () => now);
    const { token: t } = tokens.issue(subject);
    expect(tokens.check(t, subject)).toBeUndefined();
    for (const change of [
      { runId: 'run-2' },
      { previewDigest: digestOf({ a: 2n }) },
      { reason: 'other' },
      { principal: 'someone else' },
    ]) {
      expect(tokens.check(t, { ...subject, ...change })).toMatch(/does not match this sync as it is now/);
    }
    expect(new ConfirmationTokens(Buffer.from('j'.repeat(32)), 60_000, () => now).check(t, subject)).toMatch(
      /does not match/,
    );
    now += 60_001;
    expect(tokens.check(t, subject)).toMatch(/expired at/);
    expect(tokens.check('garbage', subject)).toMatch(/malformed/);
    // The digest does not depend on key order.
    expect(digestOf({ x: 1, y: 2 })).toBe(digestOf({ y: 2, x: 1 }));
  });

  it('work once: a second use of the same token is refused, even when nothing changed (issue 24, item 4)', () => {
    let now = 1_000_000;
    const tokens = new ConfirmationTokens(Buffer.from('k'.repeat(32)), 60_000, () => now);
    const { token: t } = tokens.issue(subject);
    expect(tokens.check(t, subject)).toBeUndefined();
    expect(tokens.check(t, subject)).toMatch(/already used.*preview again/);
    now += 30_000;
    expect(tokens.check(t, subject)).toMatch(/already used/);
    // Another preview of the same sync gives another token, which works (once).
    const { token: t2 } = tokens.issue(subject);
    expect(t2).not.toBe(t);
    expect(tokens.check(t2, subject)).toBeUndefined();
    expect(tokens.check(t2, subject)).toMatch(/already used/);
  });
});

describe('personal data', () => {
  it('hides names, e-mail, phone and address fields, and e-mail addresses inside text; keeps business data', () => {
    const out = redactPersonalData({
      email: 'zoe@example.com',
      firstName: 'Zoë',
      addressBook: {
        items: [{ addressBookAddress: { addr1: '1 Main St', city: 'Springfield', zip: '12345', country: 'US' } }],
      },
      subsidiary: { id: '1' },
      total: '49.99',
      message: 'customer zoe@example.com has no subsidiary',
    });
    expect(out).toEqual({
      email: REDACTED,
      firstName: REDACTED,
      addressBook: {
        items: [{ addressBookAddress: { addr1: REDACTED, city: REDACTED, zip: REDACTED, country: REDACTED } }],
      },
      subsidiary: { id: '1' },
      total: '49.99',
      message: 'customer [e-mail] has no subsidiary',
    });
  });

  it('also hides custom fields the mapping fills from the shopper’s details', () => {
    const config = structuredClone(demoMappings());
    config.customFields.customer = {
      ...config.customFields.customer,
      custentity_contact_phone: { path: 'customer.billing.phone', type: 'text' },
    } as typeof config.customFields.customer;
    config.customFields.transaction = {
      ...config.customFields.transaction,
      custbody_buyer: { path: 'customer.delivery.lastName', type: 'text' },
    } as typeof config.customFields.transaction;
    const keys = personalCustomFields(config);
    expect([...keys].sort()).toEqual(['custbody_buyer', 'custentity_contact_phone']);
    expect(
      redactPersonalData(
        { custentity_contact_phone: '+1 555', custbody_2co_refno: '123', custbody_buyer: 'Doe' },
        keys,
      ),
    ).toEqual({
      custentity_contact_phone: REDACTED,
      custbody_2co_refno: '123',
      custbody_buyer: REDACTED,
    });
  });
});

describe('rate limit', () => {
  it('allows each token its calls per minute, then answers 429 with Retry-After', async () => {
    const config = loadMcpConfig({
      MCP_PORT: '0',
      MCP_TOKENS: JSON.stringify([{ name: 'slow', sha256: sha256Hex(token), scopes: ['sync:read'], ratePerMinute: 2 }]),
    });
    const logger = pino({ level: 'silent' });
    // tools/list needs no Temporal: a client that is never dialled is enough.
    const http = await startMcpHttpServer(
      config,
      {
        client: {} as Client,
        namespace: 'default',
        uiBase: config.uiBase,
        mappings: demoMappings,
        confirmations: new ConfirmationTokens(config.confirmSecret, 60_000),
        audit: logger,
      },
      logger,
    );
    try {
      const call = () =>
        fetch(http.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            authorization: `Bearer ${token}`,
            'mcp-protocol-version': '2025-11-25',
          },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
        });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await call()).status);
      expect(statuses.slice(0, 2)).toEqual([200, 200]);
      const limited = await call();
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await limited.json()) as { error: { message: string } }).error.message).toMatch(
        /rate limit: slow may make 2 calls a minute/,
      );

      // A port already taken is a configuration problem, said as one.
      const port = new URL(http.url).port;
      const second = startMcpHttpServer(
        { ...config, port: Number(port) },
        {
          client: {} as Client,
          namespace: 'default',
          uiBase: config.uiBase,
          mappings: demoMappings,
          confirmations: new ConfirmationTokens(config.confirmSecret, 60_000),
          audit: logger,
        },
        logger,
      );
      await expect(second).rejects.toThrow(
        new RegExp(`MCP_PORT ${port} on 127.0.0.1 is in use: set MCP_PORT to a free port`),
      );
    } finally {
      await http.close();
    }
  });
});
