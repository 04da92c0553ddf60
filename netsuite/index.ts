// Public API of the NetSuite client package: activities and the worker import from here.
export { createNetSuiteClient } from './client.js';
export type { NetSuiteClientOptions, NetSuiteClientStats, NetSuiteLogger, NetSuiteRestClient } from './client.js';
export { AdaptiveLimiter } from './limiter.js';
export type { AdaptiveLimiterOptions, LimiterPermit, LimiterPriority, LimiterSnapshot } from './limiter.js';
export { errorFromResponse, errorKindFor, networkError, parseProblemDetails, parseRetryAfter } from './errors.js';
export type { CallDescription, ProblemDetails } from './errors.js';
export { NetSuiteError } from './types.js';
export type {
  NetSuiteClient,
  NetSuiteErrorDetail,
  NetSuiteErrorKind,
  RecordKey,
  RequestOptions,
  SuiteQlPage,
  SuiteQlRow,
  TbaCredentials,
} from './types.js';
export { realmFor, tbaAuthorizationHeader } from './oauth1.js';
