/**
 * No code from input: model files under hostile paths, and models with
 * hostile labels, assert messages and comments, are checked on a cold
 * compile cache (the generated code is compiled and run) and the payload
 * written into the path or the model never runs. The payload writes a
 * marker file; the test asserts it is absent and that the model checks as
 * it would under a plain name.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';
import { commentText, terminalText } from '../src/text/escape.ts';

/** Code that type-checks in the generated module and leaves a mark: it has no `/`, so it fits in a directory name. */
const PAYLOAD = "declare const process: any; process.getBuiltinModule('fs').writeFileSync(process.env.WEFT_MARKER, '1');";

const MODEL = 'shared m: mutex;\nshared x: 0..2;\nactor t[2] { lock(m); x += 1; unlock(m); }\ninvariant small: x <= 2;\n';

let tmp: string;
let marker: string;
const saved = { cache: process.env.WEFT_CACHE_DIR, marker: process.env.WEFT_MARKER };

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'weft-hostile-'));
  marker = join(tmp, 'PWNED');
  process.env.WEFT_MARKER = marker;
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  for (const [k, v] of [['WEFT_CACHE_DIR', saved.cache], ['WEFT_MARKER', saved.marker]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  // A cold cache for every run: the generated code is compiled and imported.
  process.env.WEFT_CACHE_DIR = mkdtempSync(join(tmp, 'cache-'));
  const code = await main(args, { out: (s) => { out += `${s}\n`; }, err: (s) => { err += `${s}\n`; } });
  return { code, out, err };
}

/** Directory names that end a comment or a line in JavaScript, or would in a string or template. */
const hostileDirs: [string, string][] = [
  ['newline', `x\n${PAYLOAD}\n`],
  ['carriage return', `x\r${PAYLOAD}\r`],
  ['U+2028', `x\u2028${PAYLOAD}\u2028`],
  ['U+2029', `x\u2029${PAYLOAD}\u2029`],
  ['block comment end', `x */ ${PAYLOAD} /* `],
  ['backticks and ${}', `x\`; ${PAYLOAD} \`\${ ${PAYLOAD} }`],
  ['quotes', `x'"; ${PAYLOAD} '"`],
  ['backslash', `x\\\n${PAYLOAD}\\`],
];

describe('a hostile path never becomes code', () => {
  for (const [what, name] of hostileDirs) {
    it(`a directory name with ${what}`, async () => {
      const dir = join(tmp, name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'm.weft'), MODEL);
      // `//m.weft`: the path as typed keeps two slashes, so after a newline the rest of the header line is a comment.
      for (const path of [`${dir}//m.weft`, join(dir, 'm.weft')]) {
        const r = await run(['check', path, '--no-stats']);
        expect(existsSync(marker)).toBe(false);
        expect(r.code).toBe(0);
        expect(r.out).toMatch(/invariant +small +holds/);
      }
      // A directory of models, as `weft check models/` and `weft prove` find them.
      const many = await run(['check', tmp, '--no-stats']);
      expect(existsSync(marker)).toBe(false);
      expect(many.code).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    });
  }
});

describe('hostile text in a model never becomes code', () => {
  const models: [string, string][] = [
    ['a comment inside a statement', `shared x: 0..2;\nactor a { x = /* */ 1 /* ${PAYLOAD} */ + 0 /* \u2028 */; }\ninvariant ok: x <= 1;\n`],
    ['an assert message', `shared x: 0..2;\nactor a { x = 1; assert(x == 1, "*/ ${PAYLOAD.replace(/'/g, '')} /* \u2028 ${PAYLOAD.replace(/'/g, '')} \r\`\${}"); }\ninvariant ok: x <= 1;\n`],
    ['a labelled assert message', `shared x: 0..2;\nactor a { x = 1; named: assert(x == 1, "\u2029*/${PAYLOAD.replace(/'/g, '')}"); }\ninvariant ok: x <= 1;\n`],
    ['an if with a comment', `shared x: 0..2;\nactor a { if (x == 0 /* */ && true /* ${PAYLOAD} */) x = 1; }\ninvariant ok: x <= 1;\n`],
  ];
  for (const [what, text] of models) {
    it(what, async () => {
      const path = join(tmp, 'm.weft');
      writeFileSync(path, text);
      const r = await run(['check', path, '--no-stats']);
      expect(existsSync(marker)).toBe(false);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/invariant +ok +holds/);
    });
  }
});

describe('commentText', () => {
  it('keeps printable ASCII and cannot end a comment or a line', () => {
    const inputs = ['a */ b', '*/', '**/', 'x\ny', 'x\r\ny', 'x\u2028y', 'x\u2029y', 'ends with \\', '\\\n', '\x1b[31m\x07', 'a\u0085b', '\ud800', 'plain: x += 1 (line 3)'];
    for (const s of inputs) {
      const c = commentText(s);
      expect(c).toMatch(/^[\x20-\x7e›…]*$/);
      expect(c).not.toContain('*/');
      expect(c.endsWith('\\')).toBe(false);
    }
    expect(commentText('writeback › f: x += 1 (line 3)')).toBe('writeback › f: x += 1 (line 3)');
    expect(commentText('a\nb */')).toBe('a\\u{a}b *\\/');
  });
});

describe('hostile text never leaves a Promela comment', () => {
  it('paths, names and messages stay inside /* */ in the export', async () => {
    const { compileSource } = await import('../src/pipeline.ts');
    const { exportPromela } = await import('../src/export/promela.ts');
    const text = `model m;\nshared x: 0..2;\nactor a { x = 1; named: assert(x == 1, "*/ ${PAYLOAD.replace(/'/g, '')} /* \u2028 \\\\"); }\ninvariant ok: x <= 1;\n`;
    for (const [, dir] of hostileDirs) {
      const r = compileSource({ path: `${dir}/*/ x */ m.weft`, text }, { variant: null, defines: {} });
      if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
      const pml = exportPromela(r.program);
      const code = pml.replace(/\/\*[\s\S]*?\*\//g, '');
      expect(code).not.toContain('getBuiltinModule');
      expect(code).not.toContain('*/');
      expect(pml).toMatch(/^[\x20-\x7e›…\n]*$/);
    }
  });
});

describe('control characters never reach the terminal raw', () => {
  it('terminalText escapes C0, DEL and C1 controls, keeping newline and tab in text', () => {
    expect(terminalText('a\x1b[31mb\x07c\x7f\x9b\r\n\td')).toBe('a\\x1b[31mb\\x07c\\x7f\\x9b\\x0d\n\td');
    expect(terminalText('a\nb\tc', false)).toBe('a\\x0ab\\x09c');
    expect(terminalText('plain › ✗ ▶ text')).toBe('plain › ✗ ▶ text');
    expect(terminalText('a\u202eb\u2066c')).toBe('a\\u{202e}b\\u{2066}c');
  });

  it('in paths, assert messages, traces, JSON and diagnostics', async () => {
    const dir = join(tmp, 'e\x1b[31mvil\x07');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'm.weft');
    writeFileSync(path, 'model m;\nshared x: 0..2;\nactor a { x = 1; named: assert(x == 2, "bad \x1b]0;title\x07 \x9b2J msg \u202e"); }\nexpect default: violated named;\n');
    const ESC = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
    for (const args of [['check', path, '--no-stats'], ['check', path, '--json'], ['check', path, '--all-variants', '--traces', '--no-stats'], ['compile', path], ['export', '--promela', path], ['check', tmp, '--no-stats']]) {
      const r = await run(args);
      expect(r.out + r.err).not.toMatch(ESC);
    }
    const json = await run(['check', path, '--json']);
    expect(json.out).toContain('bad \\u001b]0;title\\u0007 \\u009b2J msg \\u202e');
    expect((JSON.parse(json.out) as { results: { verdicts: { message: string }[] }[] }).results[0]!.verdicts[0]!.message).toBe('bad \x1b]0;title\x07 \x9b2J msg \u202e');
    const text = await run(['check', path, '--no-stats']);
    expect(text.out).toContain('bad \\x1b]0;title\\x07 \\x9b2J msg \\u{202e}');
    expect(text.out).toContain('e\\x1b[31mvil\\x07');
    // A syntax error after a control character: the caret stays under the character it points at.
    writeFileSync(path, 'shared x: 0..2;\nactor a { x = 1 \x07 $; }\n');
    const bad = await run(['check', path]);
    expect(bad.code).toBe(2);
    expect(bad.err).not.toMatch(ESC);
    const [line, caret] = bad.err.split('\n').filter((l) => /^\s*\d* \| /.test(l)).slice(-2);
    expect(line).toContain('x = 1 \\x07 $;');
    expect(line!.charAt(caret!.indexOf('^'))).toBe('$');
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('hostile text in the HTML view is escaped', () => {
  it('paths, labels and messages never become markup or script', async () => {
    const dir = join(tmp, `<b>"'&${'`'}`);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'm.weft');
    writeFileSync(path, 'model m;\nshared x: 0..2;\nactor a { x = 1; named: assert(x == 2, "</script><img src=x onerror=alert(1)> \\" \' &amp; \u2028"); }\n// <img src=y onerror=alert(2)>\nexpect default: violated named;\n');
    const html = join(tmp, 'page.html');
    const r = await run(['check', path, '--html', html, '--no-stats']);
    expect(r.code).toBe(0);
    const { readFileSync } = await import('node:fs');
    const page = readFileSync(html, 'utf8');
    expect(page).not.toMatch(/<img|<b>|onerror=alert\(2\)>/);
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.match(/<script>/g)).toHaveLength(1);
    rmSync(dir, { recursive: true, force: true });
    rmSync(html);
  });
});
