// When a sync parks for a mapping gap while the mapping file on disk does not load, the operator
// has most likely already fixed the gap — in an edit the worker refused. Say so in the park
// message, with the file's own error, instead of repeating advice that was already followed.
import { ApplicationFailure } from '@temporalio/common';
import { MAPPING_PARK_REASONS } from '../mappings/park-reasons.js';
import type { ParkDetails } from '../mappings/sync-types.js';
import type { MappingLoadState, MappingProvider } from '../mappings/config-schema.js';

export function mappingLoadNote(state: MappingLoadState): string {
  const first =
    state.loadError?.message
      .split('\n')
      .slice(0, 2)
      .map((l) => l.trim())
      .join(' ') ?? '';
  return `Note: ${state.file} was changed but does not load (${first}), so the worker still uses the version loaded at ${state.loadedAt} (${state.version}). Fix the file, then retry.`;
}

function withNote(err: unknown, mappings: MappingProvider): unknown {
  if (!(err instanceof ApplicationFailure) || !err.nonRetryable) return err;
  const details = err.details?.[0] as ParkDetails | undefined;
  if (!details || !MAPPING_PARK_REASONS.includes(details.reason)) return err;
  const state = mappings.state?.();
  if (!state?.loadError) return err;
  const message = `${details.message} ${mappingLoadNote(state)}`;
  return ApplicationFailure.create({
    message,
    ...(err.type ? { type: err.type } : {}),
    nonRetryable: true,
    details: [{ ...details, message }],
  });
}

/** Wraps every activity of `activities` so mapping parks carry the note above. */
export function withMappingLoadNotes<T extends object>(activities: T, mappings: MappingProvider): T {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities)) {
    out[name] =
      typeof fn === 'function'
        ? async (...args: unknown[]) => {
            try {
              return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
            } catch (err) {
              throw withNote(err, mappings);
            }
          }
        : fn;
  }
  return out as T;
}
