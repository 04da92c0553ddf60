// The URLs the NetSuite client sends to: the service root from the configured base URL, record
// paths (internal id or `eid:` external id), and the query of a sublist replace. Pure; the exact
// string built here is the one OAuth 1.0 signs and undici sends (docs/reference-notes.md#ns-hosts).
import type { RecordKey, RequestOptions } from './types.js';

/** Record type ids are identifiers such as `salesOrder` (docs/reference-notes.md#ns-hosts). */
const RECORD_TYPE = /^[A-Za-z][A-Za-z0-9_]*$/;

/** `https://host/services/rest` from a base URL given with or without `/services/rest` (host lower-cased). */
export function serviceRoot(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`NetSuite baseUrl is not a URL: ${baseUrl}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new TypeError(`NetSuite baseUrl must be http(s): ${baseUrl}`);
  const path = url.pathname.replace(/\/+$/, '');
  const rest = path.endsWith('/services/rest') ? path : `${path}/services/rest`;
  return `${url.protocol}//${url.host.toLowerCase()}${rest}`;
}

export function recordTypeSegment(type: string): string {
  if (!RECORD_TYPE.test(type)) throw new TypeError(`Not a NetSuite record type id: ${JSON.stringify(type)}`);
  return type;
}

/** `/record/v1/{type}` or `/record/v1/{type}/{id | eid:externalId}`, the key percent-encoded. */
export function recordPath(type: string, key?: RecordKey): string {
  const base = `/record/v1/${recordTypeSegment(type)}`;
  if (key === undefined) return base;
  if (key === '' || key === 'eid:') throw new TypeError(`Empty NetSuite record key for ${type}`);
  return `${base}/${key.startsWith('eid:') ? `eid:${encodeURIComponent(key.slice(4))}` : encodeURIComponent(key)}`;
}

/** `?replace=item,addressBook` when the caller asked to replace sublists instead of merging (appending) lines. */
export function replaceQuery(opts: RequestOptions | undefined): Array<[string, string]> | undefined {
  return opts?.replace?.length ? [['replace', opts.replace.join(',')]] : undefined;
}

/** The exact URL that is both signed and sent: the service root, a path below it, the query in order. */
export function requestUrl(root: string, path: string, query: ReadonlyArray<[string, string]> = []): string {
  const url = new URL(`${root}${path}`);
  for (const [k, v] of query) url.searchParams.append(k, v);
  return url.toString();
}
