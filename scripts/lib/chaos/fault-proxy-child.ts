// Chaos role: the fault proxy (fault-proxy.ts) as its own process between the workers and the
// sandbox. CHAOS_TARGET, CHAOS_RATES (JSON), CHAOS_SEED, CHAOS_HANG_MS; the parent changes the
// rates between phases with a `{ type: 'rates', rates }` message.
import { z } from 'zod';
import { runChild } from '../bench/child-main.js';
import { PROXY_FAULT_KINDS, startFaultProxy, type FaultRates } from './fault-proxy.js';

const rates = z.object(
  Object.fromEntries(PROXY_FAULT_KINDS.map((k) => [k, z.number().min(0).max(1)])) as Record<
    (typeof PROXY_FAULT_KINDS)[number],
    z.ZodNumber
  >,
);

runChild('fault-proxy', async () => {
  const proxy = await startFaultProxy({
    target: z.url().parse(process.env.CHAOS_TARGET),
    rates: rates.parse(JSON.parse(process.env.CHAOS_RATES ?? '{}')) as FaultRates,
    seed: Number(process.env.CHAOS_SEED ?? 1),
    hangMs: Number(process.env.CHAOS_HANG_MS ?? 20_000),
  });
  // The parent switches faults on and off between phases with a message of its own.
  process.on('message', (m: unknown) => {
    const parsed = z.object({ type: z.literal('rates'), rates }).safeParse(m);
    if (parsed.success) proxy.setRates(parsed.data.rates as FaultRates);
  });
  return { info: { url: proxy.url }, details: () => proxy.counts(), stop: () => proxy.close() };
});
