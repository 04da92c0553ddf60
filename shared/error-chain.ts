// One line for an error and everything that caused it. Temporal's client wraps the gRPC failure
// that matters ("14 UNAVAILABLE: Connection refused", "4 DEADLINE_EXCEEDED", "8 RESOURCE_EXHAUSTED")
// in a ServiceError whose own message is only "Failed to signalWithStart": a log line that stops at
// the outer message cannot tell an operator why.
export function errorChain(err: unknown, maxDepth = 5): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < maxDepth; depth += 1) {
    const message = current instanceof Error ? current.message : String(current);
    // Some wrappers repeat their cause's message: say each thing once.
    if (message && !parts.some((p) => p.includes(message))) parts.push(message);
    current = current instanceof Error ? (current as Error & { cause?: unknown }).cause : undefined;
  }
  return parts.join(': ') || 'unknown error';
}
