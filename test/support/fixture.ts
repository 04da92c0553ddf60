// A resource one test file shares between its tests (a stack, a sandbox, a client): started before
// them, stopped after them, and reachable at module level through a stand-in, so tests read
// `stack.ipnUrl` rather than threading a variable through every hook. Hooks run in the order they
// are registered and stop in reverse (vitest's default `sequence.hooks: 'stack'`), so a fixture
// may use one registered before it.
import { afterAll, beforeAll } from 'vitest';

export function useFixture<T extends object>(
  what: string,
  start: () => T | Promise<T>,
  stop: (value: T) => unknown,
  timeoutMs = 180_000,
): T {
  let value: T | undefined;
  beforeAll(async () => {
    value = await start();
  }, timeoutMs);
  afterAll(async () => {
    if (value !== undefined) await stop(value);
    value = undefined;
  });
  const current = (): T => {
    if (value === undefined)
      throw new Error(`${what} is not running: use it inside a test or a hook registered after it`);
    return value;
  };
  return new Proxy({} as T, {
    get(_, prop) {
      const target = current();
      const v: unknown = Reflect.get(target, prop, target);
      // Methods run on the real object (class instances may keep private fields).
      return typeof v === 'function' ? (v as (...args: unknown[]) => unknown).bind(target) : v;
    },
    set(_, prop, v) {
      return Reflect.set(current(), prop, v);
    },
    has(_, prop) {
      return Reflect.has(current(), prop);
    },
    ownKeys() {
      return Reflect.ownKeys(current());
    },
    getOwnPropertyDescriptor(_, prop) {
      const d = Reflect.getOwnPropertyDescriptor(current(), prop);
      return d && { ...d, configurable: true };
    },
  });
}
