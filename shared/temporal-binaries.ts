import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file lives in `shared/`). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface TemporalBinaries {
  /** Temporal CLI: `temporal server start-dev` (dev server + Web UI). */
  cli: string;
  /** Java time-skipping test server. */
  testServer: string;
}

/**
 * Where the Temporal server binaries are: an env override first (TEMPORAL_CLI_PATH,
 * TEMPORAL_TEST_SERVER_PATH), else the project-local copies that `scripts/bootstrap.mjs` installs.
 */
export function temporalBinaries(env: NodeJS.ProcessEnv = process.env): TemporalBinaries {
  const local = join(repoRoot, '.tools', 'temporal', 'bin');
  const cli = env.TEMPORAL_CLI_PATH ?? join(local, 'temporal');
  const testServer = env.TEMPORAL_TEST_SERVER_PATH ?? join(local, 'temporal-test-server');
  for (const [name, path] of [
    ['TEMPORAL_CLI_PATH', cli],
    ['TEMPORAL_TEST_SERVER_PATH', testServer],
  ] as const) {
    if (!existsSync(path)) {
      throw new Error(
        `Temporal binary not found at ${path}. Run \`npm run bootstrap\` or set ${name} to an existing binary.`,
      );
    }
  }
  return { cli, testServer };
}
