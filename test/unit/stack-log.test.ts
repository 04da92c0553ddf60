// Issue 28, a quiet start: where npm start's log lines go, and what a person sees of them.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/logger.js';
import { attentionLine, openStackLog } from '../../scripts/lib/stack-log.js';
import { shapeSdkLog } from '../../worker/runtime.js';

describe('npm start logs', () => {
  it('with a terminal attached: the file is readable text, the terminal gets one line per warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stack-log-'));
    const shown: string[] = [];
    const log = openStackLog({ dataDir: dir, terminal: { isTTY: true, write: (s: string) => shown.push(s) } });
    const logger = createLogger({ name: 'stack', destination: log.stream });
    logger.info({ url: 'http://127.0.0.1:8080' }, 'gateway listening');
    logger.warn({ workflowId: 'order/123', reason: 'UNMAPPED_PRODUCT', step: 'salesOrder' }, 'sync parked');
    logger.error({ err: new Error('NetSuite unavailable: 503\nmore') }, 'Activity failed');
    expect(log).toMatchObject({ format: 'pretty', file: join(dir, 'logs', 'stack.log') });
    const file = readFileSync(log.file, 'utf8');
    expect(file).toMatch(
      /INFO \(stack\): gateway listening\n\s+component: "stack"\n\s+url: "http:\/\/127\.0\.0\.1:8080"/,
    );
    expect(file).not.toMatch(/^\{/m);
    expect(shown.map((s) => s.replace(/^\d\d:\d\d:\d\d /, ''))).toEqual([
      'warning order/123: sync parked (UNMAPPED_PRODUCT at salesOrder)\n',
      'error Activity failed: NetSuite unavailable: 503\n',
    ]);
  });

  it('without a terminal the file is JSON lines; the last start is kept beside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stack-log-'));
    const first = openStackLog({ dataDir: dir, terminal: { write: () => true } });
    createLogger({ name: 'stack', destination: first.stream }).info('first start');
    const second = openStackLog({ dataDir: dir, terminal: { write: () => true } });
    createLogger({ name: 'stack', destination: second.stream }).info('second start');
    expect(second.format).toBe('json');
    expect(JSON.parse(readFileSync(second.file, 'utf8'))).toMatchObject({ msg: 'second start', level: 30 });
    expect(readFileSync(join(dir, 'logs', 'stack.previous.log'), 'utf8')).toContain('"msg":"first start"');
  });

  it('info lines never reach the terminal', () => {
    expect(attentionLine(JSON.stringify({ level: 30, time: 0, msg: 'worker started' }))).toBeUndefined();
    expect(attentionLine('not json')).toBeUndefined();
  });

  it('the SDK: bundler statistics and "No workflows registered" are debug; a park is not a failure with a stack', () => {
    expect(shapeSdkLog('INFO', 'asset workflow-bundle-646e.js 3.19 MiB [emitted]\norphan modules …', {}).level).toBe(
      'debug',
    );
    expect(shapeSdkLog('WARN', 'No workflows registered, not polling for workflow tasks', {}).level).toBe('debug');
    const park = ApplicationFailure.create({
      message: 'product code NEW-GADGET-X has no NetSuite item',
      type: 'MappingError',
      nonRetryable: true,
      details: [{ reason: 'UNMAPPED_PRODUCT' }],
    });
    const shaped = shapeSdkLog('WARN', 'Activity failed', { error: park, activityType: 'upsertSalesOrder' });
    expect(shaped).toEqual({
      level: 'info',
      meta: {
        activityType: 'upsertSalesOrder',
        failure: {
          type: 'MappingError',
          message: 'product code NEW-GADGET-X has no NetSuite item',
          nonRetryable: true,
        },
      },
    });
    // A failure that a retry may fix stays a warning, with its error.
    const outage = ApplicationFailure.create({ message: 'NetSuite unavailable: 503', type: 'NetSuiteUnavailable' });
    expect(shapeSdkLog('WARN', 'Activity failed', { error: outage })).toEqual({ level: 'warn', meta: { err: outage } });
  });
});
