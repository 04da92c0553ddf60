// netsuite-customizations/ is generated from the catalogue of custom objects: the files on disk must
// be exactly what `npm run sdf:generate` writes (so the project an administrator deploys is the one
// the sync's builders and the doctor expect), and each must pass the offline SDF checks.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../shared/temporal-binaries.js';
import { catalogue } from '../../mappings/custom-objects.js';
import { SDF_PROJECT_DIR, sdfProjectFiles, validateSdfFile } from '../../scripts/lib/sdf/sdf-project.js';

const files = sdfProjectFiles();

describe('the SDF project on disk', () => {
  it('is exactly what the generator makes from the catalogue (run npm run sdf:generate after changing mappings/custom-objects.ts)', () => {
    for (const [path, text] of files) expect(readFileSync(join(repoRoot, path), 'utf8'), path).toBe(text);
    const objects = readdirSync(join(repoRoot, SDF_PROJECT_DIR, 'src', 'Objects')).map((f) => `${SDF_PROJECT_DIR}/src/Objects/${f}`);
    expect(objects.filter((p) => !files.has(p))).toEqual([]);
  });

  it('defines every custom object of the catalogue, with its type', () => {
    const xml = [...files.values()].join('\n');
    for (const e of catalogue()) {
      expect(xml, e.scriptId).toContain(`scriptid="${e.scriptId}"`);
      if (e.type) expect(xml).toMatch(new RegExp(`scriptid="${e.scriptId}">\\s*<fieldtype>${e.type}</fieldtype>`));
    }
    expect(xml).toMatch(/scriptid="custrecord_2co_sub_item">\s*<fieldtype>SELECT<\/fieldtype>\s*<label>Item<\/label>\s*<selectrecordtype>-10<\/selectrecordtype>/);
    expect(xml).toMatch(/scriptid="custrecord_2co_sub_customer">\s*<fieldtype>SELECT<\/fieldtype>\s*<label>Customer<\/label>\s*<selectrecordtype>-2<\/selectrecordtype>/);
  });

  it('passes the offline SDF checks: well-formed, known elements and values, script ids of the right prefix and length', () => {
    expect([...files].flatMap(([p, t]) => validateSdfFile(p, t))).toEqual([]);
    expect(files.get(`${SDF_PROJECT_DIR}/src/manifest.xml`)).toContain('<manifest projecttype="ACCOUNTCUSTOMIZATION">');
    expect(files.get(`${SDF_PROJECT_DIR}/src/deploy.xml`)).toContain('<path>~/Objects/*</path>');
  });
});

describe('the offline checks', () => {
  const sub = `${SDF_PROJECT_DIR}/src/Objects/customrecord_2co_subscription.xml`;
  const body = `${SDF_PROJECT_DIR}/src/Objects/custbody_2co_refno.xml`;
  const text = (p: string) => files.get(p)!;

  it('reject what SDF would refuse', () => {
    expect(validateSdfFile(sub, text(sub).replace('<selectrecordtype>-10</selectrecordtype>', ''))).toEqual([expect.stringContaining('SELECT field without <selectrecordtype>')]);
    expect(validateSdfFile(sub, text(sub).replace('<fieldtype>INTEGER</fieldtype>', '<fieldtype>NUMBER</fieldtype>'))).toEqual([expect.stringContaining('<fieldtype>NUMBER</fieldtype>')]);
    expect(validateSdfFile(body, text(body).replace('<bodysale>T</bodysale>', '<bodysale>yes</bodysale>'))).toEqual([expect.stringContaining('<bodysale>yes</bodysale>')]);
    expect(validateSdfFile(body, text(body).replace('<label>', '<colour>red</colour><label>'))).toEqual([expect.stringContaining('<colour> is not an element')]);
    expect(validateSdfFile(body, text(body).replace('</label>', ''))).toEqual([expect.stringContaining('not well-formed')]);
    const long = 'custbody_2co_' + 'x'.repeat(30);
    expect(validateSdfFile(`${SDF_PROJECT_DIR}/src/Objects/${long}.xml`, text(body).replace('custbody_2co_refno', long))).toEqual([expect.stringContaining('longer than 38')]);
    expect(validateSdfFile(body, text(body).replace('scriptid="custbody_2co_refno"', 'scriptid="custbody_2co_other"'))).toEqual([expect.stringContaining('named after its scriptid')]);
  });
});
