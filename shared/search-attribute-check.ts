// Does the Temporal namespace have the project's search attributes? Without them Temporal refuses
// every start and signal-with-start that sets one (INVALID_ARGUMENT), so a worker or gateway that
// started anyway would refuse every event. Worker, gateway and `npm run doctor` check at start-up
// and, when attributes are missing, say which and give the exact commands that create them: the
// Temporal CLI for a self-hosted cluster or the dev server, tcld for Temporal Cloud.
// (Listing uses OperatorService.ListSearchAttributes, which the Web UI itself calls; a server that
// refuses it to this identity makes the check `unknown`, never a refusal to start.)
import proto from '@temporalio/proto';
import { SearchAttributeType } from '@temporalio/common';
import { allSearchAttributes } from './search-attributes.js';

const IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;
/** A search attribute key (`defineSearchAttributeKey`), of any type. */
type AnyKey = { readonly name: string; readonly type: SearchAttributeType };

/** How the Temporal CLI and tcld spell each type. */
const CLI_TYPE: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

const INDEXED: Record<SearchAttributeType, number> = {
  [SearchAttributeType.TEXT]: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DOUBLE]: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  [SearchAttributeType.BOOL]: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DATETIME]: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.KEYWORD_LIST]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** What the check needs of a client or native connection. */
export interface SearchAttributeLister {
  operatorService: {
    listSearchAttributes(req: { namespace: string }): Promise<{ customAttributes?: Record<string, unknown> | null }>;
  };
}

export type SearchAttributeCheck =
  | { kind: 'ok' }
  /** Some are missing, or registered with another type (Temporal refuses values of the wrong type too). */
  | { kind: 'missing'; missing: AnyKey[]; wrongType: Array<{ key: AnyKey; registeredAs: string }> }
  /** The server did not answer the question (unreachable, or refused to list): not a verdict. */
  | { kind: 'unknown'; reason: string };

/** Lists the namespace's custom attributes and compares them with the project's. Never throws. */
export async function checkSearchAttributes(
  connection: SearchAttributeLister,
  namespace: string,
  keys: readonly AnyKey[] = allSearchAttributes,
): Promise<SearchAttributeCheck> {
  let have: Record<string, unknown>;
  try {
    have = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
  } catch (e) {
    return { kind: 'unknown', reason: e instanceof Error ? e.message.split('\n')[0]! : String(e) };
  }
  const missing = keys.filter((k) => !(k.name in have));
  const wrongType = keys.flatMap((k) => {
    const got = have[k.name];
    if (got === undefined || Number(got) === INDEXED[k.type]) return [];
    const name = Object.entries(INDEXED).find(([, v]) => v === Number(got))?.[0];
    return [{ key: k, registeredAs: name ? CLI_TYPE[name as SearchAttributeType] : String(got) }];
  });
  return missing.length === 0 && wrongType.length === 0 ? { kind: 'ok' } : { kind: 'missing', missing, wrongType };
}

/** The commands that register `keys` in `namespace`: Temporal CLI (self-hosted, dev server) and tcld (Temporal Cloud). */
export function searchAttributeCommands(keys: readonly AnyKey[], namespace: string): string[] {
  return [
    '# self-hosted Temporal or the dev server (Temporal CLI):',
    ...keys.map(
      (k) =>
        `temporal operator search-attribute create --namespace ${namespace} --name ${k.name} --type ${CLI_TYPE[k.type]}`,
    ),
    '# Temporal Cloud (tcld; or Namespaces > your namespace > Search Attributes in the Cloud UI):',
    `tcld namespace search-attributes add --namespace ${namespace} ${keys.map((k) => `--search-attribute "${k.name}=${CLI_TYPE[k.type]}"`).join(' ')}`,
  ];
}

/** One message for a failed check: what is wrong, where, and the commands that fix it. */
export function searchAttributeProblem(
  check: Extract<SearchAttributeCheck, { kind: 'missing' }>,
  namespace: string,
  address: string,
): string {
  const lines = [
    `Temporal namespace "${namespace}" at ${address} lacks the search attributes this service sets on every sync workflow, so Temporal would refuse every event (INVALID_ARGUMENT).`,
  ];
  if (check.missing.length > 0)
    lines.push(`Missing: ${check.missing.map((k) => `${k.name} (${CLI_TYPE[k.type]})`).join(', ')}. Create them:`);
  if (check.missing.length > 0) lines.push(...searchAttributeCommands(check.missing, namespace).map((l) => `  ${l}`));
  for (const w of check.wrongType) {
    lines.push(
      `${w.key.name} is registered as ${w.registeredAs}, not ${CLI_TYPE[w.key.type]}: remove it (temporal operator search-attribute remove --namespace ${namespace} --name ${w.key.name}) and create it again as ${CLI_TYPE[w.key.type]}.`,
    );
  }
  lines.push('A new attribute can take a few seconds to become usable; then start again.');
  return lines.join('\n');
}
