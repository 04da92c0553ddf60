// NetSuite's problem-details error bodies (docs/reference-notes.md#ns-errors). Every failure the sandbox
// answers goes through here, so the client sees one shape, exactly like SuiteTalk REST.

export const ERROR_CONTENT_TYPE = 'application/vnd.oracle.resource+json; type=error';

/** `type` is a link to the matching section of RFC 2616 (#ns-errors). */
const RFC2616: Record<number, { section: string; title: string }> = {
  400: { section: 'sec10.4.1', title: 'Bad Request' },
  401: { section: 'sec10.4.2', title: 'Unauthorized' },
  403: { section: 'sec10.4.4', title: 'Forbidden' },
  404: { section: 'sec10.4.5', title: 'Not Found' },
  405: { section: 'sec10.4.6', title: 'Method Not Allowed' },
  500: { section: 'sec10.5.1', title: 'Internal Server Error' },
};

export interface ErrorDetail {
  detail: string;
  'o:errorCode': string;
  'o:errorPath'?: string;
  'o:errorHeader'?: string;
  'o:errorQueryParam'?: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  'o:errorCode'?: string;
  'o:errorDetails': ErrorDetail[];
}

/** A failure the HTTP layer turns into a problem-details response. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extra: Pick<ErrorDetail, 'o:errorPath' | 'o:errorHeader' | 'o:errorQueryParam'> = {},
  ) {
    super(`${status} ${code}: ${detail}`);
  }

  body(): ProblemBody {
    return problem(this.status, [{ detail: this.detail, 'o:errorCode': this.code, ...this.extra }]);
  }
}

export function problem(status: number, details: ErrorDetail[]): ProblemBody {
  const meta = RFC2616[status] ?? RFC2616[400]!;
  return {
    type: `https://www.w3.org/Protocols/rfc2616/rfc2616-${meta.section}.html#${meta.section}`,
    title: meta.title,
    status,
    'o:errorDetails': details,
  };
}

// ---- the errors the sandbox emits, with NetSuite's wording where it is known (#ns-errors) ----

/** Every TBA failure looks the same on the wire; the reason only goes to the Login Audit Trail (#ns-auth). */
export function invalidLogin(): ProblemBody {
  return problem(401, [
    {
      detail:
        'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.',
      'o:errorCode': 'INVALID_LOGIN',
    },
  ]);
}

/** Oracle's 429 example: title "Bad Request" with status 429 and a top-level USER_ERROR code (#ns-errors notes). */
export function concurrencyLimitExceeded(): ProblemBody {
  return {
    ...problem(400, [
      { detail: 'Concurrent request limit exceeded. Request blocked.', 'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED' },
    ]),
    status: 429,
    'o:errorCode': 'USER_ERROR',
  };
}

export function unexpectedError(errorId: string): ProblemBody {
  return problem(500, [
    {
      detail: `An unexpected error occurred. Error ID: ${errorId}`,
      'o:errorCode': 'UNEXPECTED_ERROR',
    },
  ]);
}

export const recordDoesNotExist = (): ApiError => new ApiError(404, 'NONEXISTENT_ID', 'Record does not exist.');

export const invalidFieldValue = (value: string, field: string, path: string): ApiError =>
  new ApiError(
    400,
    'INVALID_CONTENT',
    `Error while accessing a resource. You have entered an Invalid Field Value ${value} for the following field: ${field}`,
    { 'o:errorPath': path },
  );

export const userError = (detail: string, path?: string): ApiError =>
  new ApiError(400, 'USER_ERROR', detail, path ? { 'o:errorPath': path } : {});

/** NetSuite's "mandatory field missing" message (#ns-errors, observed). */
export const missingValue = (label: string, path: string): ApiError =>
  userError(`Please enter value(s) for: ${label}`, path);

export const entityAlreadyExists = (): ApiError =>
  userError('Error while accessing a resource. This entity already exists.', 'externalId');

export const invalidRequest = (detail: string): ApiError => new ApiError(400, 'INVALID_REQUEST', detail);

/**
 * Optimistic locking: another request saved the record after this one loaded it. The message is
 * Oracle's ("Record has been changed.", Help Center "Enabling Optimistic Locking for Custom
 * Records", which says standard records lock the same way); SuiteScript and SOAP name it
 * RCRD_HAS_BEEN_CHANGED. The REST status and code are UNCONFIRMED: the sandbox answers 400 with the
 * generic USER_ERROR, the stricter choice (a client keying on RCRD_HAS_BEEN_CHANGED alone would
 * miss it; ours reads the message too).
 */
export const recordHasBeenChanged = (): ApiError => userError('Record has been changed.');
