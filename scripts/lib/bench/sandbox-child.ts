// Benchmark role: the NetSuite sandbox with the account limit and latency under test.
// BENCH_LIMIT, BENCH_LATENCY_MEDIAN_MS, BENCH_LATENCY_P99_MS (0 = no latency),
// BENCH_TRANSFORM_DROPS_EXTERNAL_ID=1 (a transform body's externalId is not kept).
import { DEMO_ENV } from '../../../sandbox/demo-env.js';
import { startNetSuiteSandbox } from '../../../sandbox/netsuite/index.js';
import { runChild } from './child-main.js';

runChild('sandbox', async () => {
  const median = Number(process.env.BENCH_LATENCY_MEDIAN_MS ?? 0);
  const p99 = Number(process.env.BENCH_LATENCY_P99_MS ?? median * 3);
  const sandbox = await startNetSuiteSandbox({
    port: 0,
    credentials: {
      accountId: DEMO_ENV.NETSUITE_ACCOUNT_ID,
      consumerKey: DEMO_ENV.NETSUITE_CONSUMER_KEY,
      consumerSecret: DEMO_ENV.NETSUITE_CONSUMER_SECRET,
      tokenId: DEMO_ENV.NETSUITE_TOKEN_ID,
      tokenSecret: DEMO_ENV.NETSUITE_TOKEN_SECRET,
    },
    concurrencyLimit: Number(process.env.BENCH_LIMIT ?? 5),
    ...(median > 0 ? { latency: { medianMs: median, p99Ms: Math.max(median, p99) } } : {}),
    transformKeepsExternalId: process.env.BENCH_TRANSFORM_DROPS_EXTERNAL_ID !== '1',
  });
  return {
    info: { url: sandbox.url },
    details: () => null,
    stop: () => sandbox.close(),
  };
});
