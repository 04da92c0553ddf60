// A local SuiteTalk REST server (docs/reference-notes.md#netsuite): TBA- or OAuth 2.0-authenticated record CRUD, upsert by
// externalId, transforms, SuiteQL, problem-details errors, the account concurrency limit,
// latency and deterministic faults. A NetSuite client only changes its base URL and
// credentials to talk to it.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { TbaCredentials } from '../../netsuite/types.js';
import { ADMIN_PREFIX, handleAdmin } from './admin.js';
import { applyAccountSetup, checkPermission, type UnpreparedAccount } from './account-setup.js';
import { routeApi, type ApiContext, type ApiResponse } from './api-routes.js';
import { TbaVerifier } from './auth.js';
import { CreationLog } from './creation-log.js';
import { EditConflicts } from './edit-conflicts.js';
import { findDuplicates } from './duplicates.js';
import {
  ApiError,
  ERROR_CONTENT_TYPE,
  concurrencyLimitExceeded,
  invalidLogin,
  missingValue,
  recordHasBeenChanged,
  unexpectedError,
  userError,
  type ProblemBody,
} from './errors.js';
import { OAuth2Authority, TOKEN_ENDPOINT_PATH, notConfigured, type SandboxOAuth2Options } from './oauth2.js';
import { FaultInjector, faultRuleSchema } from './faults.js';
import { sampleLatencyMs, type Latency } from './latency.js';
import { DebouncedWriter, loadSnapshot } from './persistence.js';
import { RecordPresenter } from './present.js';
import { CUSTOM_FIELD_TYPE, TRANSACTION_TYPES, canonicalType } from './record-types.js';
import { accountBalance } from './ledger-entries.js';
import { monthlyPeriods, PERIOD_TYPE, setPeriodStatus } from './periods.js';
import { RecordService } from './records-service.js';
import { emptyStats, countInto } from './stats.js';
import { RecordStore } from './store.js';
import { SuiteQlEngine } from './suiteql.js';
import type { Rec } from './values.js';
import type { NetSuiteSandbox } from './sandbox.js';

export type { NetSuiteSandbox } from './sandbox.js';

export type { SandboxStats } from './stats.js';
export type { DuplicateReport } from './duplicates.js';
export type { CreationEntry } from './creation-log.js';
export type { FaultRule } from './faults.js';
export type { SandboxOAuth2Options } from './oauth2.js';
export type { UnpreparedAccount } from './account-setup.js';

export interface SandboxOptions {
  /** 0 = random (default 0). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Requests must be signed with these (OAuth 1.0 TBA). */
  credentials: TbaCredentials;
  /**
   * OAuth 2.0 client credentials (#ns-auth): the token endpoint accepts assertions signed for this
   * client id and certificate, and API requests may send `Authorization: Bearer <token>` instead of TBA.
   */
  oauth2?: SandboxOAuth2Options;
  /** Account concurrency limit; more in-flight requests → 429 (default 5, #ns-errors). */
  concurrencyLimit?: number;
  /** Per-request latency distribution (log-normal); none by default. */
  latency?: { medianMs: number; p99Ms: number };
  /** Load from / save to this JSON file (debounced) when set. */
  persistPath?: string;
  /** Load seed.json (default true). */
  seed?: boolean;
  /** For timestamp checks and tranDate defaults. */
  clock?: () => Date;
  /** Whether `!transform` stores an `externalId` sent in its body (default true; real NetSuite: unconfirmed). */
  transformKeepsExternalId?: boolean;
  /** Leave parts of the account set-up out (custom objects, an open period, permissions): see account-setup.ts. */
  unprepared?: UnpreparedAccount;
  /**
   * The Multi-Subsidiary Customer feature: a customer may then transact in the subsidiaries its
   * customerSubsidiaryRelationship records add. Default false (a customer has one subsidiary).
   */
  multiSubsidiaryCustomers?: boolean;
  /** Whether a PATCH may set or change a transaction's externalId (default true; real NetSuite: UNCONFIRMED for transactions). */
  transactionExternalIdEditable?: boolean;
}

const seedSchema = z.object({
  records: z.record(z.string(), z.array(z.looseObject({ id: z.string() }))),
});

function loadSeed(store: RecordStore): void {
  const seed = seedSchema.parse(JSON.parse(readFileSync(new URL('./seed.json', import.meta.url), 'utf8')));
  for (const [type, records] of Object.entries(seed.records)) for (const r of records) store.put(type, r as Rec);
  // A monthly calendar, every period open; tests close or lock one with setPeriod().
  if (store.all(PERIOD_TYPE).length === 0) for (const p of monthlyPeriods(2015, 2040)) store.put(PERIOD_TYPE, p);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Resolves after `ms`, or at once when `signal` aborts (server closing). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/json',
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(text ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) } : {}),
  });
  res.end(text);
}

const sendProblem = (res: ServerResponse, body: ProblemBody): void =>
  sendJson(res, body.status, body, ERROR_CONTENT_TYPE);

export async function startNetSuiteSandbox(opts: SandboxOptions): Promise<NetSuiteSandbox> {
  const clock = opts.clock ?? (() => new Date());
  const host = opts.host ?? '127.0.0.1';
  const store = new RecordStore();
  const snapshot = opts.persistPath ? loadSnapshot(opts.persistPath) : undefined;
  if (snapshot) store.restore(snapshot);
  else if (opts.seed ?? true) loadSeed(store);
  applyAccountSetup(store, clock, opts.unprepared);
  const deniedRecordTypes = opts.unprepared?.deniedRecordTypes ?? [];

  let url = '';
  const recordsService = new RecordService(store, clock);
  recordsService.transformKeepsExternalId = opts.transformKeepsExternalId ?? true;
  recordsService.features.multiSubsidiaryCustomers = opts.multiSubsidiaryCustomers ?? false;
  recordsService.features.transactionExternalIdEditable = opts.transactionExternalIdEditable ?? true;
  const presenter = new RecordPresenter(store, () => `${url}/services/rest/record/v1`);
  const suiteql = await SuiteQlEngine.create(store);
  const ctx: ApiContext = { store, records: recordsService, presenter, suiteql };
  const verifier = new TbaVerifier(opts.credentials, clock);
  const oauth2 = opts.oauth2 ? new OAuth2Authority(opts.oauth2, clock) : undefined;
  const faults = new FaultInjector();
  const closing = new AbortController();
  const writer = opts.persistPath ? new DebouncedWriter(opts.persistPath, () => store.snapshot()) : undefined;
  if (writer) store.onChange(() => writer.schedule());
  const creations = new CreationLog(store);
  const edits = new EditConflicts(store, recordsService);

  let concurrencyLimit = opts.concurrencyLimit ?? 5;
  let latency: Latency | undefined = opts.latency;
  let stats = emptyStats();

  async function handleApi(req: IncomingMessage, res: ServerResponse, requestUrl: URL, origin: string): Promise<void> {
    stats.totalCalls += 1;
    // Account-wide governance (#ns-errors): over the limit the request is refused at once.
    if (stats.inFlight >= concurrencyLimit) {
      stats.rejected429 += 1;
      req.resume();
      sendProblem(res, concurrencyLimitExceeded());
      return;
    }
    stats.inFlight += 1;
    stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
    const heldSince = performance.now();
    const heldBy = stats;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      stats.inFlight -= 1;
      // Slot time of the stats window the request started in (a reset in between starts afresh).
      if (heldBy === stats) stats.busyMs += performance.now() - heldSince;
    };
    res.on('close', release);
    try {
      const body = await readBody(req);
      const method = (req.method ?? 'GET').toUpperCase();
      // An update loads its record now and saves it at the end: a write in between refuses it.
      const edit = edits.start(method, requestUrl);
      // A slow NetSuite call holds its concurrency slot while it runs.
      if (latency) {
        const ms = sampleLatencyMs(latency);
        stats.latencyMsTotal += ms;
        await sleep(ms, closing.signal);
      }
      const authorization = req.headers.authorization;
      const auth =
        oauth2 && authorization && /^Bearer\s/i.test(authorization)
          ? oauth2.verifyBearer(authorization)
          : verifier.verify(method, requestUrl, authorization);
      if (!auth.ok) {
        countInto(stats.authFailures, auth.reason);
        sendProblem(res, invalidLogin());
        return;
      }
      checkPermission(requestUrl.pathname, deniedRecordTypes);
      const route = routeApi(ctx, { method, url: requestUrl, headers: req.headers, origin });
      countInto(stats.callsByKind, route.kind);
      const fault = faults.take(method, `${requestUrl.pathname}${requestUrl.search}`);
      if (fault) stats.faultsInjected += 1;
      switch (fault?.kind) {
        case 'error500BeforeCommit':
          sendProblem(res, unexpectedError(randomUUID()));
          return;
        case 'status429':
          stats.rejected429 += 1;
          sendProblem(res, concurrencyLimitExceeded());
          return;
        case 'slow401':
          await sleep(fault.hangMs ?? 2000, closing.signal);
          sendProblem(res, invalidLogin());
          return;
        case 'recordChanged':
          stats.recordChanged += 1;
          sendProblem(res, recordHasBeenChanged().body());
          return;
        case 'mandatoryField':
          // A form whose mandatory field the source leaves empty (#ns-records, observed wording).
          sendProblem(
            res,
            missingValue(fault.field ?? 'Department', fault.field?.toLowerCase() ?? 'department').body(),
          );
          return;
        case 'sourceClosed':
          sendProblem(res, userError('The source transaction is closed; it cannot be transformed any more.').body());
          return;
        case 'hang':
          if (fault.hangMs === undefined) {
            // Never answers: the slot is freed when the client gives up or the server closes.
            await new Promise<void>((resolve) => {
              res.on('close', resolve);
              closing.signal.addEventListener('abort', () => resolve(), { once: true });
            });
            res.destroy();
            return;
          }
          await sleep(fault.hangMs, closing.signal);
          break;
        default:
          break;
      }
      let response: ApiResponse;
      try {
        try {
          edits.check(edit);
        } catch (e) {
          stats.recordChanged += 1;
          throw e;
        }
        response = route.run(body);
      } catch (e) {
        if (fault?.kind !== 'commitThen500') throw e;
        response = { status: 500 };
      }
      if (fault?.kind === 'commitThen500') {
        // The write is stored; only the answer is lost.
        sendProblem(res, unexpectedError(randomUUID()));
        return;
      }
      sendJson(res, response.status, response.body, response.contentType, response.headers);
    } catch (e) {
      if (e instanceof ApiError) {
        sendProblem(res, e.body());
        return;
      }
      const errorId = randomUUID();
      console.error(`NetSuite sandbox: unexpected error ${errorId}`, e);
      sendProblem(res, unexpectedError(errorId));
    }
  }

  /** The OAuth 2.0 token endpoint: outside the concurrency governance, like NetSuite's login. */
  async function handleToken(req: IncomingMessage, res: ServerResponse, requestUrl: URL): Promise<void> {
    const body = await readBody(req);
    if ((req.method ?? 'GET').toUpperCase() !== 'POST') {
      sendJson(res, 405, { error: 'invalid_request', error_description: 'Use POST.' });
      return;
    }
    const result = oauth2
      ? oauth2.issue(`${requestUrl.origin}${requestUrl.pathname}`, req.headers['content-type'], body)
      : notConfigured();
    if (!result.ok) {
      countInto(stats.authFailures, result.reason);
      sendJson(res, result.status, result.body, 'application/json', { 'Cache-Control': 'no-store' });
      return;
    }
    stats.tokensIssued += 1;
    sendJson(res, 200, result.body, 'application/json', { 'Cache-Control': 'no-store' });
  }

  async function handleAdminRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const body = await readBody(req);
    const r = handleAdmin(sandbox, req.method ?? 'GET', url.pathname, body, url.searchParams);
    sendJson(res, r.status, r.body);
  }

  const server = createServer((req, res) => {
    const hostHeader = (req.headers.host ?? `${host}:${port}`).toLowerCase();
    const origin = `http://${hostHeader}`;
    let requestUrl: URL;
    try {
      requestUrl = new URL(req.url ?? '/', origin);
    } catch {
      sendProblem(res, new ApiError(400, 'INVALID_REQUEST', 'Malformed request URL.').body());
      return;
    }
    const handled = requestUrl.pathname.startsWith(ADMIN_PREFIX)
      ? handleAdminRequest(req, res, requestUrl)
      : requestUrl.pathname === TOKEN_ENDPOINT_PATH
        ? handleToken(req, res, requestUrl)
        : handleApi(req, res, requestUrl, origin);
    handled.catch((e: unknown) => {
      console.error('NetSuite sandbox: request failed', e);
      if (!res.headersSent) sendProblem(res, unexpectedError(randomUUID()));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://${host}:${port}`;

  const typeOf = (type: string): string =>
    canonicalType(type) ?? (type.toLowerCase() === CUSTOM_FIELD_TYPE.toLowerCase() ? CUSTOM_FIELD_TYPE : type);

  const sandbox: NetSuiteSandbox = {
    url,
    port,
    stats: () => structuredClone(stats),
    resetStats: () => {
      stats = emptyStats(stats.inFlight);
    },
    records: (type) => {
      const t = typeOf(type);
      return store.all(t).map((r) => presenter.present(t, r, { expand: true }));
    },
    record: (type, id) => {
      const t = typeOf(type);
      const r = recordsService.find(t, id);
      return r ? presenter.present(t, r, { expand: true }) : undefined;
    },
    insert: (type, body) => {
      if (typeOf(type) === CUSTOM_FIELD_TYPE) {
        // Defines a custom field for the account (e.g. custbody_x), like adding it to seed.json.
        const parsed = z.looseObject({ id: z.string().regex(/^cust(body|entity|col|item)_[a-z0-9_]+$/) }).parse(body);
        store.put(CUSTOM_FIELD_TYPE, parsed as Rec);
        return parsed.id;
      }
      const t = recordsService.resolveType(type);
      const { id, ...fields } = body;
      try {
        return recordsService.create(t, fields, {}, id === undefined ? undefined : String(id)).id;
      } catch (e) {
        if (e instanceof ApiError) throw new Error(`insert ${t} refused: ${e.message}`, { cause: e });
        throw e;
      }
    },
    duplicates: () => findDuplicates(store),
    accountBalance: (accountId) => accountBalance(store, Object.keys(TRANSACTION_TYPES), accountId),
    createdSince: (after, limit) => creations.since(after, limit),
    setConcurrencyLimit: (n) => {
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${n}`);
      concurrencyLimit = n;
    },
    setLatency: (l) => {
      latency = l;
    },
    setTransformKeepsExternalId: (keep) => {
      recordsService.transformKeepsExternalId = keep;
    },
    setMultiSubsidiaryCustomers: (on) => {
      recordsService.features.multiSubsidiaryCustomers = on;
    },
    setTransactionExternalIdEditable: (on) => {
      recordsService.features.transactionExternalIdEditable = on;
    },
    setPeriod: (month, status) =>
      presenter.present(PERIOD_TYPE, setPeriodStatus(store, month, status), { expand: true }),
    injectFault: (f) => faults.add(faultRuleSchema.parse(f)),
    clearFaults: () => faults.clear(),
    revokeTokens: () => oauth2?.revokeAll(),
    close: async () => {
      closing.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await writer?.flush();
      suiteql.close();
    },
  };
  return sandbox;
}
