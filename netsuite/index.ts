// Public API of the NetSuite client package: activities and the worker import from here.
export { createNetSuiteClient } from './client.js';
export type { NetSuiteClientOptions, NetSuiteClientStats, NetSuiteLogger, NetSuiteRestClient } from './client.js';
export { AdaptiveLimiter } from './limiter.js';
export type { AdaptiveLimiterOptions, LimiterPermit, LimiterPriority, LimiterSnapshot } from './limiter.js';
export { errorFromResponse, errorKindFor, networkError, parseProblemDetails, parseRetryAfter } from './errors.js';
export type { CallDescription, ProblemDetails } from './errors.js';
export { NetSuiteError } from './types.js';
export type {
  NetSuiteAuth,
  NetSuiteClient,
  NetSuiteErrorDetail,
  NetSuiteErrorKind,
  RecordKey,
  RequestOptions,
  SuiteQlPage,
  OAuth2ClientCredentials,
  OAuth2JwtAlgorithm,
  SuiteQlRow,
  TbaCredentials,
} from './types.js';
export { realmFor, tbaAuthorizationHeader } from './oauth1.js';
export { clientAssertion, privateKeyFor, OAuth2TokenSource, CLIENT_ASSERTION_TYPE, TOKEN_PATH } from './oauth2.js';
