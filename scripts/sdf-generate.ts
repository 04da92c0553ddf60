// npm run sdf:generate [-- --check]
// Writes netsuite-customizations/ (the SDF account-customization project) from the catalogue of
// custom objects (mappings/custom-objects.ts). With --check, writes nothing and exits 1 when a file
// on disk differs from what the catalogue generates, or when a generated file fails the offline
// SDF checks. Deploy it with `suitecloud project:deploy` (docs/netsuite-setup.md).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from '../shared/temporal-binaries.js';
import { SDF_PROJECT_DIR, sdfProjectFiles, validateSdfFile } from './lib/sdf/sdf-project.js';

const check = process.argv.includes('--check');
const files = sdfProjectFiles();
const problems = [...files].flatMap(([path, text]) => validateSdfFile(path, text));
if (problems.length > 0) {
  console.error(`The generated SDF project fails its checks:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}

const objectsDir = join(repoRoot, SDF_PROJECT_DIR, 'src', 'Objects');
const onDisk = (() => {
  try {
    return readdirSync(objectsDir).map((f) => `${SDF_PROJECT_DIR}/src/Objects/${f}`);
  } catch {
    return [];
  }
})();
const stale = onDisk.filter((p) => !files.has(p));

if (check) {
  const differ = [...files].filter(([path, text]) => {
    try {
      return readFileSync(join(repoRoot, path), 'utf8') !== text;
    } catch {
      return true;
    }
  });
  if (differ.length > 0 || stale.length > 0) {
    console.error(
      `${SDF_PROJECT_DIR}/ is out of date with mappings/custom-objects.ts: run npm run sdf:generate\n${[...differ.map(([p]) => `  changed: ${p}`), ...stale.map((p) => `  not in the catalogue: ${p}`)].join('\n')}`,
    );
    process.exit(1);
  }
  console.log(`${SDF_PROJECT_DIR}/ matches the catalogue (${files.size} files).`);
} else {
  for (const p of stale) rmSync(join(repoRoot, p));
  for (const [path, text] of files) {
    mkdirSync(dirname(join(repoRoot, path)), { recursive: true });
    writeFileSync(join(repoRoot, path), text);
  }
  console.log(
    `Wrote ${files.size} files to ${SDF_PROJECT_DIR}/${stale.length > 0 ? ` (removed ${stale.length} no longer in the catalogue)` : ''}. Deploy with: cd ${SDF_PROJECT_DIR} && suitecloud project:deploy`,
  );
}
