// An error and everything that caused it, walked once here for every reader. Temporal's client
// wraps the gRPC failure that matters ("14 UNAVAILABLE: Connection refused", "4 DEADLINE_EXCEEDED",
// "8 RESOURCE_EXHAUSTED") in a ServiceError whose own message is only "Failed to signalWithStart":
// a log line or a test that stops at the outer error cannot tell why.

/** The error, then its `cause`, its cause's `cause`… (at most `maxDepth`; stops at a non-Error). */
export function causeChain(err: unknown, maxDepth = 8): unknown[] {
  const chain: unknown[] = [];
  for (let current: unknown = err; current !== undefined && current !== null && chain.length < maxDepth;) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

/** One line for an error and its causes, each message said once. */
export function errorChain(err: unknown, maxDepth = 5): string {
  const parts: string[] = [];
  for (const e of causeChain(err, maxDepth)) {
    const message = e instanceof Error ? e.message : String(e);
    // Some wrappers repeat their cause's message: say each thing once.
    if (message && !parts.some((p) => p.includes(message))) parts.push(message);
  }
  return parts.join(': ') || 'unknown error';
}
