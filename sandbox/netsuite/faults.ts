// Deterministic fault injection for tests and benchmarks: the next matching request(s) get the
// fault. `commitThen500` is the lost-response case (the write happened, the client saw a 5xx)
// that makes externalId idempotency necessary; `slow401` imitates NetSuite answering an
// overloaded account with a late "Invalid login attempt" (#ns-errors notes). `recordChanged` is
// another writer saving the record first (nothing stored); `mandatoryField` and `sourceClosed`
// refuse a `!transform` the way a form with a mandatory field the source leaves empty, or a
// source someone closed or billed in full, does (nothing stored; sandbox/netsuite/README.md).
import { z } from 'zod';

export const FAULT_KINDS = [
  'error500BeforeCommit',
  'commitThen500',
  'hang',
  'status429',
  'slow401',
  'recordChanged',
  'mandatoryField',
  'sourceClosed',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const faultRuleSchema = z.object({
  /** HTTP method to match (any when absent). */
  method: z.string().min(1).optional(),
  /** Substring of the request path and query to match (any when absent). */
  pathIncludes: z.string().min(1).optional(),
  kind: z.enum(FAULT_KINDS),
  /** How many matching requests get the fault (default 1). */
  times: z.number().int().min(1).optional(),
  /** `hang`: how long before the request proceeds (forever when absent); `slow401`: delay before the 401 (default 2000). */
  hangMs: z.number().int().min(0).optional(),
  /** `mandatoryField`: the field label NetSuite names (default "Department"). */
  field: z.string().min(1).optional(),
});
export type FaultRule = z.infer<typeof faultRuleSchema>;

interface ArmedFault {
  rule: FaultRule;
  remaining: number;
}

export class FaultInjector {
  private armed: ArmedFault[] = [];

  add(rule: FaultRule): void {
    this.armed.push({ rule, remaining: rule.times ?? 1 });
  }

  clear(): void {
    this.armed = [];
  }

  /** Consumes and returns the first fault matching this request, if any. */
  take(method: string, pathAndQuery: string): FaultRule | undefined {
    const hit = this.armed.find(
      (f) =>
        (f.rule.method === undefined || f.rule.method.toUpperCase() === method.toUpperCase()) &&
        (f.rule.pathIncludes === undefined || pathAndQuery.includes(f.rule.pathIncludes)),
    );
    if (!hit) return undefined;
    hit.remaining -= 1;
    if (hit.remaining <= 0) this.armed = this.armed.filter((f) => f !== hit);
    return hit.rule;
  }
}
