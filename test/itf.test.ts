/**
 * Traces in the Informal Trace Format: every violation trace of the
 * semantics models validates against docs/schema/itf.schema.json, and the
 * encoding of values is the ITF one (integers as #bigint, records,
 * sequences, enum members and locks as strings).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { check } from '../src/explore/engine.ts';
import { compileSource, parseModel, variantNames } from '../src/pipeline.ts';
import { itfTrace } from '../src/report/itf.ts';

const schema = JSON.parse(readFileSync('docs/schema/itf.schema.json', 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

describe('ITF traces', () => {
  it('every trace of the semantics models validates against the schema', async () => {
    const dir = 'test/cases/semantics';
    let traces = 0;
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.weft'))) {
      const path = join(dir, name);
      const text = readFileSync(path, 'utf8');
      const model = parseModel({ path, text }).model!;
      const hasVariants = model.decls.some((d) => d.kind === 'variant');
      for (const variant of variantNames(model)) {
        const c = compileSource({ path, text }, { variant: hasVariants ? variant : null, defines: {} });
        if (!c.ok) continue;
        const r = await check(c.program, 'reference', {});
        for (const v of r.verdicts) {
          if (!v.trace) continue;
          const itf = itfTrace(c.program, v.trace, `${v.property} ${v.status}`);
          expect(validate(itf), `${path} ${variant} ${v.property}: ${JSON.stringify(validate.errors)}`).toBe(true);
          expect(itf.states).toHaveLength(v.trace.steps.length + 1);
          traces++;
        }
      }
    }
    expect(traces).toBeGreaterThan(10);
  });

  it('encodes integers, records, sequences, enums and locks as ITF does', async () => {
    const text = `
model kinds;
enum Pte { none, ro, rw }
struct Folio { pins: 0..3; dirty: bool; }
shared folio: Folio = { pins: 0, dirty: false };
shared pte: Pte = ro;
shared levels: 0..2[2];
shared lock: mutex;
actor a { var n: 0..1; lock(lock); folio.pins = 2; pte = rw; levels[1] = 2; n = 1; }
invariant never_two: folio.pins < 2;
`;
    const c = compileSource({ path: 'kinds.weft', text }, { variant: null, defines: {} });
    if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join('\n'));
    const r = await check(c.program, 'reference', {});
    const v = r.verdicts.find((x) => x.property === 'never_two')!;
    const itf = itfTrace(c.program, v.trace!, 'never_two violated');
    expect(itf.vars).toEqual(['folio', 'pte', 'levels', 'lock', 'actors']);
    expect(itf.states[0]).toEqual({
      '#meta': { index: 0, step: null },
      folio: { pins: { '#bigint': '0' }, dirty: false },
      pte: 'ro',
      levels: [{ '#bigint': '0' }, { '#bigint': '0' }],
      lock: 'free',
      actors: { a: { pc: { '#bigint': '0' }, finished: false, locals: { n: { '#bigint': '0' } } } },
    });
    const last = itf.states.at(-1)!;
    expect(last.folio).toEqual({ pins: { '#bigint': '2' }, dirty: false });
    expect(last.lock).toBe('a');
    expect(last['#meta'].step).toMatchObject({ instance: 'a', line: 9, failed: false });
    expect(validate(itf), JSON.stringify(validate.errors)).toBe(true);
  });
});
