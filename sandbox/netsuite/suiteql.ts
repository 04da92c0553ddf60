// SuiteQL over the stored records (#ns-suiteql), answered by SQLite (sql.js, in wasm). Tables are kept in
// step with the ledger lazily: a write marks its record dirty, a query first rewrites the dirty
// rows. The Oracle-isms the sync uses are bridged: TO_DATE, TO_CHAR (of a date), NVL, FETCH FIRST n ROWS ONLY,
// case-sensitive LIKE.
import initSqlJs from 'sql.js';
import type { Database, SqlValue, Statement } from 'sql.js';
import { ApiError } from './errors.js';
import { CUSTOM_FIELD_TYPE } from './record-types.js';
import { CUSTOM_RECORD_TABLE, TABLES, rowSetsFor, type RowSet, type TableDef } from './suiteql-tables.js';
import type { RecordStore } from './store.js';

type SqlJs = Awaited<ReturnType<typeof initSqlJs>>;
let sqlJs: Promise<SqlJs> | undefined;
/** sql.js is loaded once per process; every sandbox gets its own database. */
const loadSqlJs = (): Promise<SqlJs> => (sqlJs ??= initSqlJs());

export interface SuiteQlResult {
  /** The requested page: lower-case keys, values as strings, NULLs left out (#ns-suiteql). */
  items: Array<Record<string, string>>;
  totalResults: number;
}

const queryError = (code: string, detail: string): ApiError =>
  new ApiError(
    400,
    code,
    `Invalid search query. Detailed unprocessed description follows. Search error occurred: ${detail}`,
  );

export class SuiteQlEngine {
  private readonly columns = new Map<string, Set<string>>();
  private readonly dirty = new Map<string, Set<string>>();

  private constructor(
    private readonly db: Database,
    private readonly store: RecordStore,
  ) {}

  static async create(store: RecordStore): Promise<SuiteQlEngine> {
    const SQL = await loadSqlJs();
    const engine = new SuiteQlEngine(new SQL.Database(), store);
    engine.init();
    return engine;
  }

  private init(): void {
    // Oracle (and so SuiteQL) compares LIKE patterns case-sensitively.
    this.db.run('PRAGMA case_sensitive_like = true');
    this.db.create_function('TO_DATE', (value: SqlValue, format: SqlValue) => toIsoDate(value, format));
    this.db.create_function('NVL', (value: SqlValue, fallback: SqlValue) => value ?? fallback);
    // Dates are stored as YYYY-MM-DD, which is what TO_CHAR(date, 'YYYY-MM-DD') gives in NetSuite.
    this.db.create_function('TO_CHAR', (value: SqlValue, format: SqlValue) =>
      value === null ? null : (toIsoDate(String(value), format ?? 'YYYY-MM-DD') ?? String(value)),
    );
    for (const [name, def] of Object.entries(TABLES)) this.ensureTable(name, def);
    this.addCustomFieldColumns();
    for (const type of this.store.types()) for (const rec of this.store.all(type)) this.markDirty(type, rec.id);
    this.store.onChange((type, id) => this.markDirty(type, id));
  }

  markDirty(type: string, id: string): void {
    let ids = this.dirty.get(type);
    if (!ids) this.dirty.set(type, (ids = new Set()));
    ids.add(id);
  }

  close(): void {
    this.db.close();
  }

  query(q: string, limit: number, offset: number): SuiteQlResult {
    const sql = this.prepareText(q);
    this.flush();
    const stmt = this.prepareStatement(sql);
    try {
      const items: Array<Record<string, string>> = [];
      let total = 0;
      let names: string[] | undefined;
      while (stmt.step()) {
        if (total >= offset && total < offset + limit) {
          names ??= resultNames(stmt.getColumnNames());
          items.push(toItem(names, stmt.get()));
        }
        total += 1;
      }
      return { items, totalResults: total };
    } finally {
      stmt.free();
    }
  }

  /** Checks the query is one read-only statement without bound-parameter markers; bridges Oracle syntax. */
  private prepareText(q: string): string {
    const bare = q.replace(/'(?:[^']|'')*'/g, "''");
    if (!/^\s*(select|with)\b/i.test(bare))
      throw new ApiError(400, 'INVALID_REQUEST', 'SuiteQL supports SELECT queries only.');
    if (/;\s*\S/.test(bare)) throw new ApiError(400, 'INVALID_REQUEST', 'SuiteQL runs one statement per request.');
    // REST has no bound parameters (#ns-suiteql): a `?` outside a literal is a syntax error to Oracle.
    // (SQLite would take it as a parameter and compare with NULL, silently matching nothing.)
    if (bare.includes('?'))
      throw queryError('INVALID_REQUEST', "Syntax error near '?': SuiteQL over REST has no bound parameters.");
    for (const m of q.matchAll(/\bcustomrecord_?[a-z0-9_]+\b/gi))
      this.ensureTable(m[0].toLowerCase(), CUSTOM_RECORD_TABLE);
    // Outside string literals: `transaction` is a keyword in SQLite (not in SuiteQL), and
    // Oracle's row limiting becomes LIMIT.
    return q
      .replace(/;\s*$/, '')
      .split(/('(?:[^']|'')*')/)
      .map((part, i) =>
        i % 2 === 1
          ? part
          : part
              .replace(/(?<!")\btransaction\b(?!")/gi, '"transaction"')
              .replace(/\bFETCH\s+(?:FIRST|NEXT)\s+(\d+)\s+ROWS?\s+ONLY\b/gi, 'LIMIT $1'),
      )
      .join('');
  }

  private prepareStatement(sql: string): Statement {
    // Custom record fields are only known once a record carries them: a query may name a
    // `custrecord_*` column before any record has it, which is not an error in NetSuite.
    for (let attempt = 0; ; attempt++) {
      try {
        return this.db.prepare(sql);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        const column = /no such column: (?:\w+\.)?(custrecord_?\w+)$/i.exec(message)?.[1];
        const tables = [...this.columns.keys()].filter(
          (t) => t.startsWith('customrecord') && new RegExp(`\\b${t}\\b`, 'i').test(sql),
        );
        if (column && tables.length > 0 && attempt < 20) {
          for (const t of tables) this.addColumns(t, [column.toLowerCase()]);
          continue;
        }
        throw translateError(message);
      }
    }
  }

  private flush(): void {
    if (this.dirty.size === 0) return;
    const pending = [...this.dirty];
    this.dirty.clear();
    if (pending.some(([type]) => type === CUSTOM_FIELD_TYPE)) this.addCustomFieldColumns();
    this.db.run('BEGIN');
    try {
      for (const [type, ids] of pending)
        for (const id of ids) for (const set of rowSetsFor(this.store, type, id)) this.replaceRows(set);
      this.db.run('COMMIT');
    } catch (e) {
      this.db.run('ROLLBACK');
      throw e;
    }
  }

  private replaceRows(set: RowSet): void {
    this.ensureTable(set.table, set.def);
    this.db.run(`DELETE FROM "${set.table}" WHERE "${set.def.key}" = ?`, [set.keyValue]);
    for (const row of set.rows) {
      const cols = Object.keys(row);
      this.addColumns(set.table, cols);
      const values = cols.map((c) => row[c] ?? null);
      this.db.run(
        `INSERT INTO "${set.table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
        values,
      );
    }
  }

  /** Custom fields the account defines are columns even before any record carries a value. */
  private addCustomFieldColumns(): void {
    for (const field of this.store.all(CUSTOM_FIELD_TYPE)) {
      const name = field.id.toLowerCase();
      const table = Object.entries(TABLES).find(
        ([, def]) => def.customPrefix !== undefined && name.startsWith(def.customPrefix),
      )?.[0];
      if (table) this.addColumns(table, [name]);
    }
  }

  private ensureTable(name: string, def: TableDef): void {
    if (this.columns.has(name)) return;
    const cols = Object.entries(def.columns).map(([c, affinity]) => `"${c}" ${affinity}`);
    this.db.run(`CREATE TABLE IF NOT EXISTS "${name}" (${cols.join(', ')})`);
    this.db.run(`CREATE INDEX IF NOT EXISTS "${name}_key" ON "${name}" ("${def.key}")`);
    // Look-ups by externalId, REFNO, customer and source document stay fast on a big ledger.
    if (name === 'transaction')
      for (const c of ['externalid', 'otherrefnum', 'entity', 'createdfrom'])
        this.db.run(`CREATE INDEX IF NOT EXISTS "transaction_${c}" ON "transaction" ("${c}")`);
    this.columns.set(name, new Set(Object.keys(def.columns)));
  }

  private addColumns(table: string, cols: string[]): void {
    const known = this.columns.get(table)!;
    for (const c of cols) {
      if (known.has(c) || !/^[a-z][a-z0-9_]*$/.test(c)) continue;
      this.db.run(`ALTER TABLE "${table}" ADD COLUMN "${c}"`);
      known.add(c);
    }
  }
}

/** NetSuite names unnamed expressions expr1, expr2, …; named columns come back lower-case (#ns-suiteql). */
function resultNames(raw: string[]): string[] {
  return raw.map((n, i) => (/^[A-Za-z_][A-Za-z0-9_$#]*$/.test(n) ? n.toLowerCase() : `expr${i + 1}`));
}

function toItem(names: string[], values: SqlValue[]): Record<string, string> {
  const item: Record<string, string> = {};
  names.forEach((name, i) => {
    const v = values[i];
    if (v === null || v === undefined || v instanceof Uint8Array) return;
    item[name] = typeof v === 'number' ? String(Number(v.toPrecision(15))) : v;
  });
  return item;
}

function translateError(message: string): ApiError {
  const column = /no such column: (.+)$/.exec(message)?.[1];
  if (column) return queryError('NONEXISTENT_FIELD', `Unknown identifier '${column}'.`);
  const table = /no such table: (.+)$/.exec(message)?.[1];
  if (table) return queryError('INVALID_REQUEST', `Record '${table}' was not found.`);
  const near = /near "(.*)": syntax error/.exec(message)?.[1];
  if (near !== undefined) return queryError('INVALID_REQUEST', `Syntax error near '${near}'.`);
  return queryError('INVALID_REQUEST', message);
}

/** TO_DATE(text, format) → 'YYYY-MM-DD', the form dates are stored in. */
function toIsoDate(value: SqlValue, format: SqlValue): string | null {
  if (typeof value !== 'string') return null;
  const fmt = typeof format === 'string' ? format.toUpperCase() : 'YYYY-MM-DD';
  const parts = value.match(/\d+/g) ?? [];
  const order = fmt.match(/YYYY|MM|DD/g) ?? ['YYYY', 'MM', 'DD'];
  const get = (k: string) => parts[order.indexOf(k)] ?? '';
  const y = get('YYYY');
  const m = get('MM').padStart(2, '0');
  const d = get('DD').padStart(2, '0');
  return /^\d{4}$/.test(y) ? `${y}-${m}-${d}` : null;
}
