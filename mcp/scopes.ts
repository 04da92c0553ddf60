// What an MCP caller may do. Scopes are checked by the server on every call: tool annotations
// only tell an assistant what a tool does, they control nothing.
// A new scope is one line here: token configuration, MCP_SCOPES, the scopes taken from an OIDC
// token, the protected resource metadata and the docs' table all read this object.
export const SCOPES = {
  /** Read sync state, stuck lists and previews (without personal data). */
  read: 'sync:read',
  /** Retry, skip and resync syncs through the workflow's operator update. */
  write: 'sync:write',
  /** See the shopper's personal data (name, e-mail, phone, address, company, IP) in answers. */
  pii: 'pii:read',
  /** Ask for a refund or a subscription action in 2Checkout (docs/actions.md); never implied by sync:write. */
  moneyRequest: 'money:request',
  /** Approve or reject such a request (someone else's): give it to people's tokens, never an assistant's. */
  moneyApprove: 'money:approve',
} as const;

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];
export const ALL_SCOPES: readonly Scope[] = Object.values(SCOPES);

export const isScope = (s: string): s is Scope => (ALL_SCOPES as readonly string[]).includes(s);

/** Who is calling: a named token over HTTP, a person signed in through the identity provider, or the local user over stdio. */
export interface Principal {
  /** Recorded as `by` in the workflow journal and in the audit log. */
  name: string;
  scopes: ReadonlySet<string>;
  /** How the principal was established, for the audit log. */
  via: 'http-token' | 'oidc' | 'stdio-env';
  /** The identity provider's subject (`sub`) of an OIDC caller, for the audit log. */
  subject?: string;
}

export const hasScope = (p: Principal, scope: Scope): boolean => p.scopes.has(scope);

export class AuthorizationError extends Error {
  override readonly name = 'AuthorizationError';
  constructor(
    readonly principal: string,
    readonly missing: Scope,
    what: string,
  ) {
    super(`not authorized: ${what} needs the ${missing} scope, which ${principal} does not have`);
  }
}

export function requireScope(p: Principal, scope: Scope, what: string): void {
  if (!hasScope(p, scope)) throw new AuthorizationError(p.name, scope, what);
}
