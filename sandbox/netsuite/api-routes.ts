// The SuiteTalk REST surface (#ns-hosts, #ns-records, #ns-suiteql): URL → operation, request parsing, response shapes.
import { z } from 'zod';
import { ApiError, invalidRequest } from './errors.js';
import type { NameValidation } from './input.js';
import type { RecordPresenter } from './present.js';
import { canonicalField, sublistsOf } from './record-types.js';
import type { RecordService, WriteResult } from './records-service.js';
import type { RecordStore } from './store.js';
import type { SuiteQlEngine } from './suiteql.js';
import { isObject, str, type Fields } from './values.js';

export const SINGULAR = 'application/vnd.oracle.resource+json; type=singular';
export const COLLECTION = 'application/vnd.oracle.resource+json; type=collection';

export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  contentType?: string;
  body?: unknown;
}

export interface ApiContext {
  store: RecordStore;
  records: RecordService;
  presenter: RecordPresenter;
  suiteql: SuiteQlEngine;
}

export interface ApiRequest {
  method: string;
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  /** `http://<host>` as the client addressed us, for Location headers and links. */
  origin: string;
}

/** A recognised API call: its stats kind and how to run it with the request body. */
export interface ApiRoute {
  kind: string;
  run(body: string): ApiResponse;
}

const RECORD_ROOT = '/services/rest/record/v1';
const SUITEQL_PATH = '/services/rest/query/v1/suiteql';

/**
 * The REST query service takes `q` and nothing else (docs/reference-notes.md#ns-suiteql): bound
 * parameters (`params`) belong to SuiteScript's N/query module. A body with `params` is refused,
 * not ignored, so a client that relies on them fails here as it would against an account.
 */
const suiteQlBody = z.strictObject({ q: z.string().min(1) });

function header(req: ApiRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function parseJsonObject(body: string, optional: boolean): Fields {
  if (body.trim() === '') {
    if (optional) return {};
    throw invalidRequest('The request body is empty; a JSON object is expected.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalidRequest('The request body is not valid JSON.');
  }
  if (!isObject(parsed)) throw invalidRequest('The request body must be a JSON object.');
  return parsed;
}

/** `limit` (default 1000, at most 1000) and `offset`, which must be a multiple of `limit` (#ns-hosts). */
function paging(url: URL): { limit: number; offset: number } {
  const read = (name: string, fallback: number, min: number, max: number): number => {
    const raw = url.searchParams.get(name);
    if (raw === null) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      throw new ApiError(
        400,
        'INVALID_PARAMETER',
        `Invalid value for the query parameter ${name}: ${raw}. It must be an integer between ${min} and ${max}.`,
        {
          'o:errorQueryParam': name,
        },
      );
    }
    return n;
  };
  const limit = read('limit', 1000, 1, 1000);
  const offset = read('offset', 0, 0, 100_000);
  if (offset % limit !== 0) {
    // Exact NetSuite code UNCONFIRMED (#ns-hosts); INVALID_PARAMETER as suggested there.
    throw new ApiError(400, 'INVALID_PARAMETER', `The offset (${offset}) must be a multiple of the limit (${limit}).`, {
      'o:errorQueryParam': 'offset',
    });
  }
  return { limit, offset };
}

function pageLinks(
  href: (offset: number) => string,
  limit: number,
  offset: number,
  total: number,
): Array<{ rel: string; href: string }> {
  const last = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links = [{ rel: 'first', href: href(0) }];
  if (offset > 0) links.push({ rel: 'prev', href: href(Math.max(0, offset - limit)) });
  if (offset + limit < total) links.push({ rel: 'next', href: href(offset + limit) });
  links.push({ rel: 'last', href: href(last) }, { rel: 'self', href: href(offset) });
  return links;
}

function writeOptions(req: ApiRequest, type: string): { replace: Set<string>; nameValidation: NameValidation } {
  const sublists = sublistsOf(type);
  const replace = new Set(
    (req.url.searchParams.get('replace') ?? '')
      .split(',')
      .map((s) => canonicalField(s.trim()))
      .filter((s) => s in sublists),
  );
  const v = header(req, 'x-netsuite-propertynamevalidation')?.trim().toLowerCase();
  const nameValidation: NameValidation = v === 'error' ? 'Error' : v === 'ignore' ? 'Ignore' : 'Warning';
  return { replace, nameValidation };
}

/** 204 with the record's Location (create, update, upsert and transform, #ns-records–3.2). */
function written(req: ApiRequest, type: string, result: WriteResult): ApiResponse {
  const headers: Record<string, string> = { Location: `${req.origin}${RECORD_ROOT}/${type}/${result.id}` };
  if (result.ignored.length > 0)
    headers['x-netsuite-propertyvalidation'] = `Warning: unknown field(s) ignored: ${result.ignored.join(', ')}`;
  return { status: 204, headers };
}

export function routeApi(ctx: ApiContext, req: ApiRequest): ApiRoute {
  const { pathname } = req.url;
  const method = req.method.toUpperCase();
  if (pathname === SUITEQL_PATH) {
    if (method !== 'POST')
      throw new ApiError(405, 'INVALID_REQUEST', `Method ${method} is not allowed on ${pathname}.`);
    return { kind: 'suiteql', run: (body) => suiteQl(ctx, req, body) };
  }
  if (!pathname.startsWith(`${RECORD_ROOT}/`))
    throw new ApiError(404, 'INVALID_REQUEST', `There is no resource at ${pathname}.`);
  const segments = pathname
    .slice(RECORD_ROOT.length + 1)
    .split('/')
    .map(decodeURIComponent);
  const [typeSegment = '', key, third, fourth, ...rest] = segments;
  if (typeSegment === '' || rest.length > 0)
    throw new ApiError(404, 'INVALID_REQUEST', `There is no resource at ${pathname}.`);
  const type = ctx.records.resolveType(typeSegment);
  const { records, presenter } = ctx;

  if (key === undefined) {
    if (method === 'POST')
      return {
        kind: `create:${type}`,
        run: (b) => written(req, type, records.create(type, parseJsonObject(b, false), writeOptions(req, type))),
      };
    if (method === 'GET') return { kind: `list:${type}`, run: () => listRecords(ctx, req, type) };
  } else if (third === '!transform' && fourth !== undefined) {
    const target = ctx.records.resolveType(fourth);
    if (method === 'POST') {
      return {
        kind: `transform:${type}->${target}`,
        run: (b) =>
          written(
            req,
            target,
            records.transform(type, key, target, parseJsonObject(b, true), writeOptions(req, target)),
          ),
      };
    }
  } else if (third !== undefined && fourth === undefined) {
    const sublist = canonicalField(third);
    if (method === 'GET' && sublist in sublistsOf(type)) {
      return {
        kind: `get:${type}`,
        run: () => {
          const rec = records.get(type, key);
          const items = (
            isObject(rec[sublist]) && Array.isArray(rec[sublist].items) ? rec[sublist].items : []
          ) as Fields[];
          return {
            status: 200,
            contentType: COLLECTION,
            body: presenter.sublist(type, sublist, items, `${req.origin}${req.url.pathname}`),
          };
        },
      };
    }
  } else if (third === undefined) {
    switch (method) {
      case 'GET':
        return {
          kind: `get:${type}`,
          run: () => {
            const fields = req.url.searchParams
              .get('fields')
              ?.split(',')
              .map((f) => f.trim())
              .filter(Boolean);
            const expand = req.url.searchParams.get('expandSubResources')?.toLowerCase() === 'true';
            return {
              status: 200,
              contentType: SINGULAR,
              body: presenter.present(type, records.get(type, key), { expand, fields }),
            };
          },
        };
      case 'PATCH':
        return {
          kind: `patch:${type}`,
          run: (b) => written(req, type, records.update(type, key, parseJsonObject(b, false), writeOptions(req, type))),
        };
      case 'PUT':
        if (!key.startsWith('eid:')) {
          // PUT is only the external-id upsert (#ns-records); the wording of this refusal is the sandbox's.
          throw invalidRequest(
            'PUT is supported only as an upsert by external ID: use /record/v1/{type}/eid:{externalId}.',
          );
        }
        return {
          kind: `upsert:${type}`,
          run: (b) =>
            written(req, type, records.upsert(type, key.slice(4), parseJsonObject(b, false), writeOptions(req, type))),
        };
      case 'DELETE':
        return {
          kind: `delete:${type}`,
          run: () => {
            records.remove(type, key);
            return { status: 204 };
          },
        };
      default:
        break;
    }
  }
  throw new ApiError(405, 'INVALID_REQUEST', `Method ${method} is not allowed on ${pathname}.`);
}

function suiteQl(ctx: ApiContext, req: ApiRequest, body: string): ApiResponse {
  // `Prefer: transient` is required (#ns-suiteql); the exact refusal is UNCONFIRMED.
  if (!/\btransient\b/i.test(header(req, 'prefer') ?? '')) {
    throw new ApiError(
      400,
      'INVALID_REQUEST',
      "The SuiteQL query service requires the request header 'Prefer: transient'.",
      { 'o:errorHeader': 'Prefer' },
    );
  }
  const { limit, offset } = paging(req.url);
  const json = parseJsonObject(body, false);
  if ('params' in json) {
    // Wording and code are the sandbox's (UNCONFIRMED); the 400 problem-details shape is NetSuite's.
    throw new ApiError(
      400,
      'INVALID_CONTENT',
      'SuiteQL over REST does not take bound parameters: the request body may contain only "q". Write the values into the query text.',
      {
        'o:errorPath': 'params',
      },
    );
  }
  const parsed = suiteQlBody.safeParse(json);
  if (!parsed.success)
    throw invalidRequest(
      `The request body must be {"q": "<SuiteQL>"}: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
    );
  const { items, totalResults } = ctx.suiteql.query(parsed.data.q, limit, offset);
  const href = (o: number) => `${req.origin}${SUITEQL_PATH}?limit=${limit}&offset=${o}`;
  return {
    status: 200,
    contentType: COLLECTION,
    body: {
      links: pageLinks(href, limit, offset, totalResults),
      count: items.length,
      hasMore: offset + items.length < totalResults,
      items: items.map((i) => ({ links: [], ...i })),
      offset,
      totalResults,
    },
  };
}

/** Record collection: ids only (#ns-hosts), with a small subset of `q` (`field IS "v"`, `START_WITH`, `CONTAIN`). */
function listRecords(ctx: ApiContext, req: ApiRequest, type: string): ApiResponse {
  const { limit, offset } = paging(req.url);
  let all = ctx.store.all(type);
  const q = req.url.searchParams.get('q');
  if (q) {
    const m = /^\s*(\w+)\s+(IS|START_WITH|CONTAIN)\s+"([^"]*)"\s*$/i.exec(q);
    if (!m)
      throw new ApiError(
        400,
        'INVALID_PARAMETER',
        `This server supports only q=<field> IS|START_WITH|CONTAIN "<value>"; got: ${q}`,
        { 'o:errorQueryParam': 'q' },
      );
    const [, field = '', op = '', value = ''] = m;
    const name = canonicalField(field);
    const test = (v: string | undefined) =>
      v !== undefined &&
      (op.toUpperCase() === 'IS'
        ? v === value
        : op.toUpperCase() === 'START_WITH'
          ? v.startsWith(value)
          : v.includes(value));
    all = all.filter((r) => test(str(r[name]) ?? (typeof r[name] === 'number' ? String(r[name]) : undefined)));
  }
  const page = all.slice(offset, offset + limit);
  const href = (o: number) => `${req.origin}${RECORD_ROOT}/${type}?limit=${limit}&offset=${o}`;
  return {
    status: 200,
    contentType: COLLECTION,
    body: {
      links: pageLinks(href, limit, offset, all.length),
      count: page.length,
      hasMore: offset + page.length < all.length,
      items: page.map((r) => ({ links: ctx.presenter.selfLink(type, r.id), id: r.id })),
      offset,
      totalResults: all.length,
    },
  };
}
