// The demo credentials the local sandboxes accept: the embedded stack (`npm start`), the NetSuite
// and 2Checkout sandboxes, the demo, bench and chaos scripts and the tests use them when none are
// set. They only ever open a local sandbox; production configuration never falls back to them.
export const DEMO_ENV = {
  TWOCHECKOUT_SECRET_KEY: 'demo-2checkout-secret-key',
  NETSUITE_ACCOUNT_ID: 'TSTDRV0000001',
  NETSUITE_CONSUMER_KEY: 'demo-consumer-key-0000000000000000000000000000000000000000000000000000',
  NETSUITE_CONSUMER_SECRET: 'demo-consumer-secret-000000000000000000000000000000000000000000000000',
  NETSUITE_TOKEN_ID: 'demo-token-id-0000000000000000000000000000000000000000000000000000000',
  NETSUITE_TOKEN_SECRET: 'demo-token-secret-0000000000000000000000000000000000000000000000000000',
} as const;
