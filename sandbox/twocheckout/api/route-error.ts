// An answer of the API sandbox other than 200: the HTTP status and 2Checkout's `error_code` and
// `message` (the shape of its error bodies, twocheckout/rest/errors.ts).
export class ApiRouteError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Returned by a route instead of a body: the sandbox acts, then closes the connection without answering. */
export const DROP_ANSWER = Symbol('drop the answer');

/** Where the sandbox sends the notifications that follow an act (the gateway's IPN and LCN URLs). */
export interface NotifyTarget {
  ipnUrl: string;
  lcnUrl: string;
  secretKey: string;
}
