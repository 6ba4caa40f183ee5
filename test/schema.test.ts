/**
 * `weft check --json` follows docs/schema/check.schema.json (whose traces
 * carry ITF, docs/schema/itf.schema.json): every model under models/ and
 * test/cases/semantics/ and the models of several files of
 * test/cases/imports/, every variant, validated with ajv. A schema that
 * stopped matching the output, or output that drifted from the schema,
 * fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { modelsIn } from '../src/commands/support.ts';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';

const load = (f: string): object => JSON.parse(readFileSync(`docs/schema/${f}`, 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
ajv.addSchema(load('itf.schema.json'));
ajv.addSchema(load('check.schema.json'));
const validate = ajv.getSchema('https://weft.dev/schema/check.schema.json')!;
const validateProof = ajv.compile(load('proof.schema.json'));

/** The models under a directory as `weft check DIR` finds them: a part another model imports (models/gup/) is checked with that model. */
function models(dir: string): string[] {
  return modelsIn([dir]).map((m) => m.path).sort();
}

async function json(path: string): Promise<unknown> {
  let out = '';
  const code = await main(['check', path, '--all-variants', '--json'], { out: (s) => { out += s; }, err: () => {} });
  expect([0, 1]).toContain(code);
  return JSON.parse(out);
}

describe('JSON schema', () => {
  // The models of several files: their positions and ITF steps name the imported files.
  for (const path of [...models('models'), ...models('test/cases/semantics'), 'test/cases/imports/counter.weft', 'test/cases/imports/locked.weft']) {
    it(`weft check ${path} --all-variants --json`, async () => {
      const doc = await json(path);
      expect(validate(doc), `${path}: ${ajv.errorsText(validate.errors, { separator: '\n' })}`).toBe(true);
    });
  }

  it('every proof under proofs/ follows docs/schema/proof.schema.json', () => {
    const proofs = readdirSync('proofs').filter((f) => f.endsWith('.json'));
    expect(proofs.length).toBeGreaterThan(0);
    for (const name of proofs) {
      const proof = JSON.parse(readFileSync(join('proofs', name), 'utf8')) as unknown;
      expect(validateProof(proof), `proofs/${name}: ${ajv.errorsText(validateProof.errors, { separator: '\n' })}`).toBe(true);
    }
  });

  it('rejects output that breaks the schema', async () => {
    const doc = (await json('models/classic/peterson.weft')) as { results: { stats: { states: unknown }; verdicts: { status: string }[] }[] };
    doc.results[0]!.verdicts[0]!.status = 'maybe';
    expect(validate(doc)).toBe(false);
  });
});
