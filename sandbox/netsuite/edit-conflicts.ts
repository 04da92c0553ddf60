// Optimistic locking (docs/reference-notes.md#ns-errors): NetSuite loads a record when a request
// that changes it starts and refuses to save it when someone else saved it in between, with
// "Record has been changed". An update request (PATCH, or a PUT upsert of a record that exists)
// notes the record's revision when it arrives and is refused at the end when the revision moved:
// two overlapping updates of one record, the later one loses, and nothing of it is stored. The
// time in between is the request's latency, or a `hang` fault.
import { recordHasBeenChanged } from './errors.js';
import type { RecordService } from './records-service.js';
import type { RecordStore } from './store.js';

const RECORD_ROOT = '/services/rest/record/v1/';

export interface EditStart {
  key: string;
  revision: number;
}

export class EditConflicts {
  private readonly revisions = new Map<string, number>();

  constructor(
    store: RecordStore,
    private readonly records: RecordService,
  ) {
    store.onChange((type, id) => {
      const key = `${type}:${id}`;
      this.revisions.set(key, (this.revisions.get(key) ?? 0) + 1);
    });
  }

  /** Notes the revision of the record an update request is about to change (undefined: not an update of a stored record). */
  start(method: string, url: URL): EditStart | undefined {
    const m = method.toUpperCase();
    if ((m !== 'PATCH' && m !== 'PUT') || !url.pathname.startsWith(RECORD_ROOT)) return undefined;
    const segments = url.pathname.slice(RECORD_ROOT.length).split('/').map(decodeURIComponent);
    if (segments.length !== 2 || !segments[0] || !segments[1]) return undefined;
    let rec;
    try {
      rec = this.records.find(this.records.resolveType(segments[0]), segments[1]);
    } catch {
      return undefined; // an unknown type: the route answers that
    }
    if (!rec) return undefined;
    const key = `${this.records.resolveType(segments[0])}:${rec.id}`;
    return { key, revision: this.revisions.get(key) ?? 0 };
  }

  /** Throws "Record has been changed" when another write saved the record after `start`. */
  check(start: EditStart | undefined): void {
    if (!start || (this.revisions.get(start.key) ?? 0) === start.revision) return;
    throw recordHasBeenChanged();
  }
}
