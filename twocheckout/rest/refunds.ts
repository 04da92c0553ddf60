// Issuing a refund through 2Checkout's REST API 6.0: `POST /orders/{RefNo}/refund/` with `Amount`
// (order currency), `Items` (`LineItemReference`, `Quantity`, `Amount`: the line total given back),
// `Comment` and `Reason`; the answer is a boolean (docs/reference-notes.md#2co-refund-api).
// UNCONFIRMED: an idempotency key (none is documented, so the caller reads the order's refunds
// before and after), the error codes of the refusals, whether a partial refund needs `Items`, and
// whether `Items` names a line by LineItemReference (REST page) or by ProductCode (SOAP 6.0 page).
import type { TwoCheckoutApiClient } from './client.js';
import { badResponse } from './errors.js';

export interface RefundCallItem {
  LineItemReference: string;
  Quantity: number;
  Amount: string;
}

export interface RefundCall {
  /** Decimal string in the order currency; sent as a JSON number (the API documents a double). */
  Amount: string;
  Items?: RefundCallItem[];
  /** Free text; 2Checkout shows it to the shopper in the refund confirmation. */
  Comment: string;
  /** One of the account's default or custom refund reasons. */
  Reason: string;
}

export interface RefundsApi {
  /** Resolves when 2Checkout answered `true`; throws TwoCheckoutApiError otherwise. */
  issueRefund(refNo: string, refund: RefundCall): Promise<void>;
}

export function createRefundsApi(client: Pick<TwoCheckoutApiClient, 'sendJson'>): RefundsApi {
  return {
    async issueRefund(refNo, refund) {
      const call = `POST /orders/${refNo}/refund/`;
      const body = {
        Amount: Number(refund.Amount),
        ...(refund.Items?.length
          ? {
              Items: refund.Items.map((i) => ({
                LineItemReference: i.LineItemReference,
                Quantity: i.Quantity,
                Amount: Number(i.Amount),
              })),
            }
          : {}),
        Comment: refund.Comment,
        Reason: refund.Reason,
      };
      const answer = await client.sendJson(call, 'POST', `orders/${encodeURIComponent(refNo)}/refund/`, body);
      if (answer !== true) throw badResponse(call, `expected true, got ${JSON.stringify(answer).slice(0, 200)}`);
    },
  };
}
