/**
 * proofs/ is the golden set for models/: every model and variant is
 * checked again and must give exactly the stored proof (verdicts, counts,
 * traces) and the generated docs/models/ page; a proof of a model that has
 * changed since is stale. Every stored trace must replay on the reference
 * interpreter, and a tampered one is rejected at the step that was changed.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, proofsOf } from '../src/cli.ts';
import { sha256 } from '../src/view/recorded.ts';
import { accepting } from './golden.ts';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => { out += `${s}\n`; }, err: (s) => { err += `${s}\n`; } });
  return { code, out, err };
}

describe('proofs/', () => {
  it('every proof is fresh: the model it proves has not changed since', () => {
    for (const name of readdirSync('proofs').filter((f) => f.endsWith('.json'))) {
      const proof = JSON.parse(readFileSync(join('proofs', name), 'utf8')) as { file: string; modelHash: string };
      const fresh = existsSync(proof.file) && sha256(readFileSync(proof.file, 'utf8')) === proof.modelHash;
      expect(fresh, `proofs/${name} is stale: ${proof.file} has changed since; run \`npx weft prove ${proof.file}\` and review the diff`).toBe(true);
    }
  });

  it('checking models/ again gives exactly proofs/ and docs/models/', async () => {
    const { files, rejected } = await proofsOf(['models']);
    expect(rejected).toEqual([]);
    if (accepting) {
      for (const f of files) writeFileSync(f.path, f.text);
      return;
    }
    for (const f of files) {
      expect(existsSync(f.path), `${f.path} is missing: run \`npx weft prove\``).toBe(true);
      expect(readFileSync(f.path, 'utf8'), `${f.path} differs from what the model gives now: run \`npx weft prove\` and review the diff`).toBe(f.text);
    }
    const expected = new Set(files.map((f) => f.path));
    for (const dir of ['proofs', 'docs/models']) {
      for (const name of readdirSync(dir).filter((f) => f !== 'README.md')) {
        expect(expected.has(`${dir}/${name}`), `${dir}/${name} proves nothing under models/ any more: delete it, or run \`npx weft prove\``).toBe(true);
      }
    }
  });

  it('every stored trace replays on the reference interpreter', async () => {
    for (const name of readdirSync('proofs').filter((f) => f.endsWith('.json'))) {
      const r = await run(['replay', join('proofs', name)]);
      expect(r.code, r.out + r.err).toBe(0);
    }
  });
});

describe('weft replay', () => {
  const original = 'proofs/gup-writeback.unpatched.json';
  type Proof = { verdicts: { property: string; trace: { steps: { number: number; instance: string; stepId: number; label: string }[]; itf: { states: Record<string, unknown>[] } } | null }[] };

  async function tampered(change: (p: Proof) => void): Promise<{ code: number; out: string }> {
    const proof = JSON.parse(readFileSync(original, 'utf8')) as Proof;
    change(proof);
    const path = join(mkdtempSync(join(tmpdir(), 'weft-proof-')), 'tampered.json');
    writeFileSync(path, JSON.stringify(proof));
    return run(['replay', path]);
  }
  const t1 = (p: Proof) => p.verdicts.find((v) => v.property === 'pin_keeps_fs_data')!.trace!;

  it('rejects a step given to another instance, naming the step', async () => {
    const r = await tampered((p) => { t1(p).steps[7]!.instance = 'reclaim'; });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/the trace of pin_keeps_fs_data does not replay: step #8 \(reclaim filemap_get_folios_tag\)/);
  });

  it('rejects a stored state that the step does not produce', async () => {
    const r = await tampered((p) => { (t1(p).itf.states[12]!.folio as Record<string, unknown>).dirty = true; });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/step #12 \(writeback folio_test_clear_dirty\): enabled, but none of its outcomes is the stored state/);
  });

  it('rejects a trace with a step removed', async () => {
    const r = await tampered((p) => {
      const t = t1(p);
      t.steps.splice(4, 1);
      t.itf.states.splice(5, 1);
      t.steps.forEach((s, i) => { s.number = i + 1; });
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/pin_keeps_fs_data does not replay: step #5 /);
  });

  it('rejects a file that is not a proof with a diagnostic', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'weft-proof-')), 'not.json');
    writeFileSync(path, '{"results": []}');
    const r = await run(['replay', path]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is not a Weft proof: no "proof": 1 field/);
  });
});
