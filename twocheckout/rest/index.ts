// 2Checkout REST API 6.0: authentication, client, typed errors, limiter, order objects.
export * from './auth.js';
export * from './client.js';
export * from './errors.js';
export * from './limiter.js';
export * from './orders.js';
export * from './payouts.js';
export * from './refunds.js';
export * from './subscriptions.js';
