// Saves the ledger to a JSON file (debounced, written to a temporary file then renamed so a
// crash never leaves half a file) and loads it at start. The ledger holds the demo shoppers'
// names and addresses as the sync posted them: the file is owner-only (0600).
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { tightenFile, writePrivateFile, writePrivateFileSync } from '../../shared/private-files.js';
import type { StoreSnapshot } from './store.js';
import type { Rec } from './values.js';

const recSchema = z.looseObject({ id: z.string() }) as unknown as z.ZodType<Rec>;
const snapshotSchema = z.object({
  version: z.literal(1),
  counters: z.record(z.string(), z.number()),
  records: z.record(z.string(), z.array(recSchema)),
});

export function loadSnapshot(path: string): StoreSnapshot | undefined {
  if (!existsSync(path)) return undefined;
  tightenFile(path);
  const parsed = snapshotSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not a NetSuite sandbox data file: ${parsed.error.message}`);
  return parsed.data;
}

export class DebouncedWriter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly snapshot: () => StoreSnapshot,
    private readonly delayMs = 500,
  ) {}

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.writing = this.writing
        .then(() => this.writeAsync())
        .catch((e: unknown) => {
          console.error(`NetSuite sandbox: could not save ${this.path}:`, e);
        });
    }, this.delayMs);
  }

  /** Writes now (pending debounced write included) and stops the timer. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.writing;
    writePrivateFileSync(this.path, JSON.stringify(this.snapshot()));
  }

  private async writeAsync(): Promise<void> {
    await writePrivateFile(this.path, JSON.stringify(this.snapshot()));
  }
}
