// The HTTP edge: 2Checkout IPN/LCN webhooks in, verified events handed to Temporal, receipt out.
// Order of checks: body format → signature → content. A bad signature or a malformed body
// answers 4xx with the exact reason and touches no workflow; the receipt (which tells 2Checkout
// "delivered, stop retrying") is sent only after Temporal durably accepted the event; when
// Temporal cannot be reached the answer is 503 without a receipt, so 2Checkout retries (for two
// days, docs/reference-notes.md#2co-receipt); when Temporal refuses it because of configuration
// (INVALID_ARGUMENT, an unknown namespace, no permission) a 500 `temporal_configuration`, logged as
// a configuration problem with its fix; any other failure of the hand-over is a 500, also without a receipt.
import express, { type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { isGrpcServiceError, ServiceError } from '@temporalio/client';
import type { GatewayConfig } from '../shared/config.js';
import { temporalConfigurationRefusal } from './temporal-refusal.js';
import type { GatewayMetrics, NotificationOutcome } from './metrics.js';
import { NotificationFormatError, parseForm, type NotificationForm } from '../twocheckout/webhooks/form.js';
import { verifyNotificationSignature } from '../twocheckout/webhooks/signature.js';
import { ipnReceipt, lcnReceipt } from '../twocheckout/webhooks/receipt.js';
import {
  ipnToOrderEvent,
  lcnToLicenseEvent,
  notificationKind,
  NotificationParseError,
} from '../mappings/from-2checkout.js';
import { orderWorkflowId, subscriptionWorkflowId } from '../workflows/messages.js';
import type { EventHandover } from '../workflows/handover.js';
import { causeChain, errorChain } from '../shared/error-chain.js';
import { incomingTraceContext, inSpan, SpanKind } from '../shared/trace-spans.js';

export const IPN_PATH = '/webhooks/2checkout/ipn';
export const LCN_PATH = '/webhooks/2checkout/lcn';

export interface GatewayDeps {
  config: Pick<GatewayConfig, 'secretKey' | 'signatureAlgorithms' | 'syncTestOrders'>;
  /** The hand-over to Temporal (workflows/handover.ts). */
  handover: EventHandover;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Receipt clock (tests). */
  now?: () => Date;
  /** The Temporal namespace events go to (named in the fix of a configuration refusal; default `default`). */
  temporalNamespace?: string;
}

type Kind = 'ipn' | 'lcn';

/**
 * True when a hand-over failed because Temporal did not answer or refused the call: the Temporal
 * client's ServiceError (what every failed service call throws) or a gRPC status anywhere in the
 * cause chain (unreachable, deadline exceeded, overloaded…). Only these may be reported as
 * "Temporal unavailable"; anything else is a defect of the gateway.
 */
export function isTemporalUnavailable(err: unknown): boolean {
  return causeChain(err).some((e) => e instanceof ServiceError || isGrpcServiceError(e));
}

/** A verified notification decoded: what to log about it, and its hand-over to its workflow. */
interface DecodedNotice {
  testOrder: boolean | undefined;
  ctx: Record<string, unknown>;
  deliver(): Promise<{ workflowId: string }>;
}

/** What differs between IPN and LCN; everything else in `handle` is the same for both. */
interface KindHandling {
  decode(form: NotificationForm): DecodedNotice;
  receipt: typeof ipnReceipt;
}

function notificationKinds(handover: EventHandover): Record<Kind, KindHandling> {
  return {
    ipn: {
      receipt: ipnReceipt,
      decode(form) {
        const event = ipnToOrderEvent(form);
        return {
          testOrder: event.testOrder,
          ctx: {
            refNo: event.refNo,
            workflowId: orderWorkflowId(event.refNo),
            orderStatus: event.status,
            eventKey: event.key,
          },
          deliver: () => handover.deliverOrderEvent(event),
        };
      },
    },
    lcn: {
      receipt: lcnReceipt,
      decode(form) {
        const event = lcnToLicenseEvent(form);
        return {
          testOrder: event.testOrder,
          ctx: {
            licenseCode: event.licenseCode,
            workflowId: subscriptionWorkflowId(event.licenseCode),
            dispatchReason: event.dispatchReason,
            eventKey: event.key,
          },
          deliver: () => handover.deliverLicenseEvent(event),
        };
      },
    },
  };
}

export function createGatewayApp(deps: GatewayDeps): express.Express {
  const { config, handover, logger, metrics } = deps;
  const now = deps.now ?? (() => new Date());
  const KINDS = notificationKinds(handover);
  const app = express();
  app.disable('x-powered-by');

  // 2Checkout checks a URL with GET when it is saved (docs/reference-notes.md#2co-transport).
  app.get([IPN_PATH, LCN_PATH], (_req, res) => {
    res.type('text/plain').send('OK');
  });

  // Raw bytes: the signature covers the fields exactly as sent, in order (docs/reference-notes.md#2co-signature).
  const raw = express.raw({ type: () => true, limit: '1mb' });
  // One server span per notification (shared/trace-spans.ts; nothing when tracing is off).
  const traced = (kind: Kind, path: string) => (req: Request, res: Response) =>
    inSpan(
      `POST ${path}`,
      { 'http.request.method': 'POST', 'url.path': path, '2checkout.notification': kind },
      async (span) => {
        await handle(kind, req, res);
        span?.setAttribute('http.response.status_code', res.statusCode);
      },
      SpanKind.SERVER,
      incomingTraceContext(req.headers),
    );
  app.post(IPN_PATH, raw, traced('ipn', IPN_PATH));
  app.post(LCN_PATH, raw, traced('lcn', LCN_PATH));

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/readyz', async (_req, res) => {
    const ok = await handover.ready();
    res.status(ok ? 200 : 503).json({ ok, temporal: ok ? 'reachable' : 'unreachable' });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  // Errors of the body reader (over 1 MB, a dropped upload, an unknown content encoding): a 4xx that
  // says what is wrong, as JSON like every other answer. Express's default handler answers HTML
  // with the stack trace (found by the fuzzing in test/security/fuzz.test.ts).
  app.use((err: unknown, req: Request, res: Response, next: (err?: unknown) => void) => {
    if (res.headersSent) return next(err);
    const e = err as { status?: unknown; type?: unknown; message?: unknown };
    const status = typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 400;
    const detail =
      e.type === 'entity.too.large'
        ? 'the body is larger than 1 MB; a 2Checkout notification is far smaller'
        : `the body could not be read: ${typeof e.message === 'string' ? e.message : 'unknown error'}`;
    logger.warn(
      { path: req.path, status, type: typeof e.type === 'string' ? e.type : undefined },
      `2Checkout notification refused: ${detail}`,
    );
    res.status(status).json({ error: status === 413 ? 'body too large' : 'unreadable body', detail });
  });

  async function handle(kind: Kind, req: Request, res: Response): Promise<void> {
    const started = process.hrtime.bigint();
    const finish = (
      outcome: NotificationOutcome,
      status: number,
      body: string | object,
      ctx: Record<string, unknown> = {},
    ) => {
      metrics.notifications.inc({ kind, outcome });
      metrics.receiptLatency.observe({ kind, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
      if (typeof body === 'string') res.status(status).type('text/plain').send(body);
      else res.status(status).json(body);
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      const what =
        outcome === 'temporal_configuration' ? ': configuration problem, Temporal refused the hand-over (see fix)' : '';
      logger[level]({ kind, outcome, status, ...ctx }, `2Checkout ${kind.toUpperCase()} ${outcome}${what}`);
    };

    const body: unknown = req.body;
    if (!Buffer.isBuffer(body) || body.length === 0) {
      finish('bad_body', 400, {
        error: 'empty body',
        detail: 'expected an application/x-www-form-urlencoded 2Checkout notification',
      });
      return;
    }
    let form: NotificationForm;
    try {
      form = parseForm(body);
    } catch (err) {
      if (err instanceof NotificationFormatError) {
        finish('bad_body', 400, {
          error: 'malformed body',
          ...(err.field ? { field: err.field } : {}),
          detail: err.message,
        });
        return;
      }
      throw err;
    }

    const verification = verifyNotificationSignature(form, config.secretKey, config.signatureAlgorithms);
    if (!verification.ok) {
      // The reference as claimed by the unverified body: lets an operator tell which order's
      // notifications fail (a rotated secret key, a proxy re-encoding the body). Never personal data.
      const claimedRef = form.get('REFNO') ?? form.get('LICENSE_CODE');
      finish(
        'bad_signature',
        401,
        { error: 'bad signature', reason: verification.reason },
        claimedRef ? { claimedRef } : {},
      );
      return;
    }

    const detected = notificationKind(form);
    if (detected !== kind) {
      finish('bad_body', 400, {
        error: 'wrong notification kind',
        detail: `this endpoint takes ${kind.toUpperCase()} notifications; the body looks like ${detected === 'unknown' ? 'neither IPN nor LCN' : detected.toUpperCase()}`,
      });
      return;
    }

    let ctx: Record<string, unknown> = {};
    try {
      const handling = KINDS[kind];
      const notice = handling.decode(form);
      // The workflow id is known before the hand-over, so a 503 line names it too.
      ctx = notice.ctx;
      const receipt = () => handling.receipt(form, verification.algorithm, config.secretKey, now());
      if (notice.testOrder && !config.syncTestOrders) {
        finish('ignored_test', 200, receipt(), ctx);
        return;
      }
      const { workflowId } = await inSpan(
        'handover to Temporal',
        { 'temporal.workflow_id': String(ctx.workflowId ?? '') },
        () => notice.deliver(),
      );
      ctx = { ...ctx, workflowId };
      finish('accepted', 200, receipt(), ctx);
    } catch (err) {
      if (err instanceof NotificationParseError) {
        finish('bad_body', 400, { error: 'malformed notification', field: err.field, detail: err.message }, ctx);
        return;
      }
      // Either way the event was not durably accepted: no receipt, 2Checkout retries.
      // Refused for how Temporal or this service is set up (a search attribute the namespace
      // lacks, an unknown namespace, a key without permission): a person must act, and waiting
      // will not help. Said as such, so it is never taken for an outage.
      const refusal = temporalConfigurationRefusal(err, deps.temporalNamespace);
      if (refusal) {
        finish(
          'temporal_configuration',
          500,
          {
            error: 'configuration error',
            reason: 'temporal_configuration',
            detail:
              "Temporal refused the event because of the sync's configuration; an operator must fix it; 2Checkout will retry",
          },
          { ...ctx, problem: 'configuration', grpcStatus: refusal.status, err: errorChain(err), fix: refusal.fix },
        );
        return;
      }
      if (isTemporalUnavailable(err)) {
        finish(
          'temporal_unavailable',
          503,
          {
            error: 'temporarily unavailable',
            detail: 'the event could not be handed to Temporal; 2Checkout will retry',
          },
          {
            ...ctx,
            // The outer message is only "Failed to signalWithStart": the gRPC cause says why.
            err: errorChain(err),
          },
        );
        return;
      }
      // A defect of ours, not an outage: say nothing about it to the caller, log the cause.
      finish(
        'internal_error',
        500,
        { error: 'internal error', detail: 'the event was not accepted; 2Checkout will retry' },
        { ...ctx, err },
      );
    }
  }

  return app;
}
