// A hand-over Temporal refused because of how the namespace or this service is set up (a search
// attribute the namespace lacks, an unknown namespace, missing permission), told apart from Temporal
// being unavailable: retrying cannot help until a person changes something, so the gateway reports
// it as configuration, with the fix.
import { isGrpcServiceError } from '@temporalio/client';
import { allSearchAttributes } from '../shared/search-attributes.js';
import { searchAttributeCommands } from '../shared/search-attribute-check.js';
import { causeChain } from '../shared/error-chain.js';

/**
 * gRPC statuses with which Temporal refuses a call because of how this service or the namespace is
 * set up, not because it is down: INVALID_ARGUMENT (e.g. a search attribute the namespace lacks),
 * NOT_FOUND (the namespace), PERMISSION_DENIED and UNAUTHENTICATED (the API key or certificate),
 * UNIMPLEMENTED. Trying again cannot help until a person changes something.
 */
const CONFIGURATION_STATUS: Record<number, string> = {
  3: 'INVALID_ARGUMENT',
  5: 'NOT_FOUND',
  7: 'PERMISSION_DENIED',
  12: 'UNIMPLEMENTED',
  16: 'UNAUTHENTICATED',
};

export interface TemporalConfigurationRefusal {
  status: string;
  /** One sentence: what to change. */
  fix: string;
}

/** The refusal, when a hand-over failed because Temporal's configuration (or ours) is wrong; else undefined. */
export function temporalConfigurationRefusal(
  err: unknown,
  namespace = 'default',
): TemporalConfigurationRefusal | undefined {
  for (const e of causeChain(err)) {
    if (!isGrpcServiceError(e)) continue;
    const status = CONFIGURATION_STATUS[e.code];
    if (!status) return undefined;
    return { status, fix: configurationFix(status, e.message, namespace) };
  }
  return undefined;
}

function configurationFix(status: string, message: string, namespace: string): string {
  if (/search attribute/i.test(message)) {
    const missing = allSearchAttributes.filter((k) => message.includes(k.name));
    return `register the search attributes in namespace ${namespace}: ${searchAttributeCommands(
      missing.length > 0 ? missing : allSearchAttributes,
      namespace,
    )
      .filter((l) => !l.startsWith('#'))
      .join(' ; ')} (npm run doctor checks them)`;
  }
  if (status === 'NOT_FOUND' && /namespace/i.test(message))
    return `create namespace ${namespace} in Temporal, or set TEMPORAL_NAMESPACE to an existing one`;
  if (status === 'PERMISSION_DENIED' || status === 'UNAUTHENTICATED')
    return `give the gateway credentials that may start workflows in namespace ${namespace} (TEMPORAL_API_KEY, or the mTLS certificate TEMPORAL_TLS_CLIENT_CERT_PATH)`;
  return 'Temporal refused the hand-over as invalid: run npm run doctor, and see the error for what it refused';
}
