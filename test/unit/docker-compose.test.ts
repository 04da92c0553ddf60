// docker-compose.yml cannot run here (no Docker engine), so this pins down what can be checked:
// it parses, it has the production-shaped services, and the env it passes to the gateway and the
// worker is exactly what their config loaders read (a typo would otherwise only show in production).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import {
  GATEWAY_ENV_VARS,
  NETSUITE_OAUTH2_ENV_VARS,
  NETSUITE_TBA_ENV_VARS,
  REQUIRED_GATEWAY_ENV_VARS,
  REQUIRED_WORKER_ENV_VARS,
  TEMPORAL_ENV_VARS,
  WORKER_ENV_VARS,
} from '../../shared/config.js';
import { allSearchAttributes } from '../../shared/search-attributes.js';
import { PAYLOAD_ENCRYPTION_ENV_VARS } from '../../shared/payload-codec.js';
import { repoRoot } from '../../shared/temporal-binaries.js';
import { TWOCHECKOUT_API_ENV_VARS } from '../../shared/twocheckout-api-config.js';
import { COMPLETENESS_ENV_VARS } from '../../worker/completeness.js';

const Service = z.object({
  image: z.string().optional(),
  build: z.unknown().optional(),
  command: z.unknown().optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
const Compose = z.object({ services: z.record(z.string(), Service) });
const compose = Compose.parse(parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }));

describe('docker-compose.yml', () => {
  it('has Temporal on PostgreSQL, the Web UI, the gateway and the worker', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgresql', 'temporal', 'temporal-ui', 'gateway', 'worker']),
    );
    expect(compose.services.temporal?.environment?.DB).toBe('postgres12');
  });

  it.each([
    ['gateway', GATEWAY_ENV_VARS, REQUIRED_GATEWAY_ENV_VARS],
    // The worker's completeness wiring reads the API and ledger variables (TWOCHECKOUT_SECRET_KEY is the API key's default).
    [
      'worker',
      [...WORKER_ENV_VARS, ...TWOCHECKOUT_API_ENV_VARS, ...COMPLETENESS_ENV_VARS, 'TWOCHECKOUT_SECRET_KEY'],
      REQUIRED_WORKER_ENV_VARS,
    ],
  ] as const)('passes the %s only variables its config reads, and every required one', (name, known, required) => {
    const env = Object.keys(compose.services[name]?.environment ?? {});
    const unknown = env.filter(
      (k) => !known.includes(k) && !TEMPORAL_ENV_VARS.includes(k) && !PAYLOAD_ENCRYPTION_ENV_VARS.includes(k),
    );
    expect(unknown).toEqual([]);
    expect(env).toEqual(expect.arrayContaining([...required, 'TEMPORAL_ADDRESS']));
  });

  it('passes the worker the variables of both NetSuite auth modes, defaulting to TBA', () => {
    const env = compose.services.worker?.environment ?? {};
    expect(Object.keys(env)).toEqual(
      expect.arrayContaining(['NETSUITE_AUTH', ...NETSUITE_TBA_ENV_VARS, ...NETSUITE_OAUTH2_ENV_VARS]),
    );
    expect(String(env.NETSUITE_AUTH)).toBe('${NETSUITE_AUTH:-tba}');
  });

  it('runs the Temporal server image with its schema tool as an init step (auto-setup is not published for current releases)', () => {
    const images = Object.values(compose.services).map((s) => s.image ?? '');
    expect(images.filter((i) => i.includes('auto-setup'))).toEqual([]);
    expect(compose.services.temporal?.image).toMatch(/^temporalio\/server:/);
    const schema = JSON.stringify(compose.services['temporal-schema']?.command);
    for (const step of ['create-database', 'setup-schema', 'update-schema', 'temporal_visibility'])
      expect(schema).toContain(step);
    // Server, schema tool and CLI of one release.
    const tag = (name: string) => compose.services[name]?.image?.split(':').slice(1).join(':');
    expect(tag('temporal-schema')).toBe(tag('temporal'));
    expect(tag('temporal-search-attributes')).toBe(tag('temporal'));
  });

  it('passes the worker the 2Checkout API settings, so backfill, reconciliation and payouts can be turned on', () => {
    const env = compose.services.worker?.environment ?? {};
    expect(Object.keys(env)).toEqual(
      expect.arrayContaining(['TWOCHECKOUT_VENDOR_CODE', 'TWOCHECKOUT_SECRET_KEY', 'COMPLETENESS_LEDGER_RECORD']),
    );
  });

  it('creates the nightly reconciliation Schedule when a Merchant Code is set, with the schedule settings', () => {
    const s = compose.services.schedules;
    const cmd = JSON.stringify(s?.command);
    expect(cmd).toContain('scripts/reconcile.ts --schedule');
    expect(cmd).toContain('TWOCHECKOUT_VENDOR_CODE');
    expect(Object.keys(s?.environment ?? {})).toEqual(
      expect.arrayContaining(['TEMPORAL_ADDRESS', 'RECONCILE_SCHEDULE_CRON', 'RECONCILE_DAYS']),
    );
  });

  it('registers every search attribute the workflows set', () => {
    const cmd = JSON.stringify(compose.services['temporal-search-attributes']?.command);
    for (const key of allSearchAttributes) expect(cmd).toContain(`${key.name}=`);
  });
});
