// The Temporal client of the operator tools (CLI and MCP server), from the same standard
// configuration the worker and gateway use (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY,
// TEMPORAL_TLS_*, or a temporal.toml profile via TEMPORAL_PROFILE), so they work against the dev
// server, a self-hosted cluster and Temporal Cloud alike. With payload encryption on, the same keys
// (PAYLOAD_ENCRYPTION_KEY, PAYLOAD_DECRYPTION_KEYS) let them read memos, queries and histories.
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { errorChain } from '../shared/error-chain.js';
import { dataConverterFromEnv } from '../shared/payload-codec.js';

export interface OpsClient {
  client: Client;
  namespace: string;
  address: string;
  /** The deployment's data converter (payload encryption), when configured. */
  dataConverter?: DataConverter;
  close(): Promise<void>;
}

/** Lazy: nothing is dialled until the first call, so `--help` and argument errors need no server. */
export function connectOpsClient(env: NodeJS.ProcessEnv = process.env): OpsClient {
  const overrideEnvVars = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  const { connectionOptions, namespace } = loadClientConnectConfig({ overrideEnvVars });
  const connection = Connection.lazy(connectionOptions);
  const ns = namespace ?? 'default';
  const dataConverter = dataConverterFromEnv(env);
  return {
    client: new Client({ connection, namespace: ns, ...(dataConverter ? { dataConverter } : {}) }),
    namespace: ns,
    address: connectionOptions.address ?? 'localhost:7233',
    ...(dataConverter ? { dataConverter } : {}),
    close: () => connection.close(),
  };
}

/** Turns "Failed to list workflows" (caused by "14 UNAVAILABLE: …") into something an operator can act on. */
export function explainTemporalError(err: unknown, address: string, env: NodeJS.ProcessEnv = process.env): string {
  const msg = errorChain(err);
  if (/binary\/encrypted|encrypted with key/i.test(msg)) {
    return `${msg}; payloads are encrypted: set PAYLOAD_ENCRYPTION_KEY (and PAYLOAD_DECRYPTION_KEYS after a rotation) to the keys the worker uses`;
  }
  // A refused connection to another address (a sandbox, NetSuite, 2Checkout's API) is not Temporal's.
  const refused = /ECONNREFUSED ([\w.[\]:-]+)/.exec(msg)?.[1];
  if (refused !== undefined && refused !== address && !/UNAVAILABLE|No connection established/i.test(msg)) {
    return `cannot reach ${refused} (${msg.split('\n')[0]}): is the stack running (npm start), and does the variable for that service point at it?`;
  }
  if (/UNAVAILABLE|ECONNREFUSED|DEADLINE_EXCEEDED|Failed to connect|No connection established/i.test(msg)) {
    return `cannot reach Temporal at ${address} (${msg.split('\n')[0]}): is the stack running? Start it with npm start, or set TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE / TEMPORAL_API_KEY for Temporal Cloud)${env.STACK_STATE_NOTE ? ` (${env.STACK_STATE_NOTE})` : ''}`;
  }
  return msg;
}
