// `GET /rest/6.0/payouts/` (the documented filters: Reference, Status, Currency, StartDate/EndDate,
// PaymentType, OrderBy=[-]TransferCompletionDate, Page, Limit) and `GET /rest/6.0/payouts/{Reference}/`
// (the detail: UNCONFIRMED path and shape) over the sandbox's PayoutBook.
import { payoutSummaries, type PayoutBook } from '../payouts.js';

export class PayoutRouteError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Answers a `payouts/…` path of the API, or undefined when the path is not a payouts one. */
export function payoutsRoute(book: PayoutBook, path: string, q: URLSearchParams): unknown {
  if (path === 'payouts/') {
    const param = (n: string) => q.get(n) ?? undefined;
    for (const n of ['StartDate', 'EndDate'])
      if (param(n) !== undefined && !DAY.test(param(n)!))
        throw new PayoutRouteError(400, 'INVALID_PARAMETER', `${n} must be Y-m-d`);
    const page = Number(param('Page') ?? 1);
    const limit = Number(param('Limit') ?? 10);
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(limit) || limit < 1 || limit > 200)
      throw new PayoutRouteError(400, 'INVALID_PARAMETER', 'Page must be ≥ 1 and Limit between 1 and 200');
    const orderBy = param('OrderBy') ?? 'TransferCompletionDate';
    if (!['TransferCompletionDate', '-TransferCompletionDate'].includes(orderBy))
      throw new PayoutRouteError(
        400,
        'INVALID_PARAMETER',
        'OrderBy must be TransferCompletionDate or -TransferCompletionDate',
      );
    const matching = book
      .all()
      .flatMap(payoutSummaries)
      .filter((p) => {
        const day = String(p.TransferCompletionDate).slice(0, 10);
        return (
          (!param('Reference') || p.Reference === param('Reference')) &&
          (!param('Status') || p.Status === param('Status')) &&
          (!param('Currency') || p.Currency === param('Currency')!.toUpperCase()) &&
          (!param('PaymentType') || p.PaymentType === param('PaymentType')) &&
          (!param('StartDate') || day >= param('StartDate')!) &&
          (!param('EndDate') || day <= param('EndDate')!)
        );
      })
      .sort(
        (a, b) =>
          (String(a.TransferCompletionDate) + String(a.Reference)).localeCompare(
            String(b.TransferCompletionDate) + String(b.Reference),
          ) * (orderBy.startsWith('-') ? -1 : 1),
      );
    return {
      Items: matching.slice((page - 1) * limit, page * limit),
      Pagination: { Page: page, Limit: limit, Count: matching.length },
    };
  }
  const one = /^payouts\/([^/]+)\/$/.exec(path);
  if (!one) return undefined;
  const p = book.get(decodeURIComponent(one[1]!));
  if (!p) throw new PayoutRouteError(404, 'NOT_FOUND', 'Payout not found');
  return p;
}
