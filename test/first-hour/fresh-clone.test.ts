// Every npm script works from a fresh clone: each one that needs installed packages or the
// Temporal binaries first runs scripts/bootstrap.mjs, which is silent when nothing is missing.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../shared/temporal-binaries.js';

const scripts = (
  JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

describe('a fresh clone', () => {
  it('every npm script installs what is missing first (a pre hook running bootstrap)', () => {
    const runnable = Object.keys(scripts).filter(
      (k) => k !== 'bootstrap' && !(k.startsWith('pre') && scripts[k.slice(3)] !== undefined),
    );
    const without = runnable.filter(
      (k) => !/^node scripts\/bootstrap\.mjs( --packages-only)?$/.test(scripts[`pre${k}`] ?? ''),
    );
    expect(without).toEqual([]);
    // The commands that run Temporal themselves also get its binaries.
    for (const k of ['start', 'test', 'bench', 'record-histories'])
      expect(scripts[`pre${k}`]).toBe('node scripts/bootstrap.mjs');
  });

  it('bootstrap prints nothing when everything is installed', () => {
    const res = spawnSync(process.execPath, [join(repoRoot, 'scripts/bootstrap.mjs')], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(res.status).toBe(0);
    expect(`${res.stdout}${res.stderr}`).toBe('');
  });
});
