/**
 * The editors' syntax files (editors/vscode/syntaxes/weft.tmLanguage.json,
 * editors/vim/syntax/weft.vim): both are what scripts/editor-syntax.ts
 * writes from the ohm grammar and the kernel vocabulary, so they cannot
 * drift from the language; the TextMate grammar, run by vscode-textmate on
 * oniguruma as VS Code runs it, tokenizes every line of every model and of
 * the language reference's examples, gives every reserved word, comment
 * and string its scope, and gives one small model the scopes pinned in a
 * golden file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import vsctm from 'vscode-textmate';
import oniguruma from 'vscode-oniguruma';
import { BUILTINS } from '../src/check/builtins.ts';
import { builtinNames, CLASSES, grammarWords, KERNEL_TYPES, TM_PATH, tmText, VIM_PATH, vimSyntax } from '../scripts/editor-syntax.ts';
import { expectGolden } from './golden.ts';

let grammar: vsctm.IGrammar;

beforeAll(async () => {
  const wasm = readFileSync('node_modules/vscode-oniguruma/release/onig.wasm');
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope: string) => (scope === 'source.weft' ? vsctm.parseRawGrammar(readFileSync(TM_PATH, 'utf8'), TM_PATH) : null),
  });
  grammar = (await registry.loadGrammar('source.weft'))!;
});

interface Token { readonly text: string; readonly scopes: readonly string[] }

function tokenize(text: string): Token[][] {
  let stack = vsctm.INITIAL;
  return text.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    // The tokens cover the line, end to end.
    expect(r.tokens.map((t) => line.slice(t.startIndex, t.endIndex)).join('')).toBe(line);
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes.slice(1) }));
  });
}

function modelFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? modelFiles(join(dir, e.name)) : e.name.endsWith('.weft') ? [join(dir, e.name)] : []));
}

/** The ```weft examples of the language reference. */
const examples = [...readFileSync('docs/language.md', 'utf8').matchAll(/```weft\n([\s\S]*?)```/g)].map((m) => m[1]!);

const reserved = [...(/keyword\s*=\s*\(([^)]*)\)/.exec(readFileSync('grammar/weft.ohm', 'utf8'))?.[1] ?? '').matchAll(/"(\w+)"/g)].map((m) => m[1]!);

/** Every reserved word outside comments and strings has a keyword, type or constant scope; every comment and string its own. */
function checkScopes(name: string, text: string): void {
  const lines = tokenize(text);
  lines.forEach((tokens, i) => {
    const line = text.split('\n')[i]!;
    for (const t of tokens) {
      const inText = t.scopes.some((s) => s.startsWith('comment') || s.startsWith('string'));
      if (!inText && reserved.includes(t.text.trim())) {
        expect(t.scopes.some((s) => /^(keyword|storage\.type|constant\.language)/.test(s)), `${name}:${i + 1} '${t.text}' in ${line}`).toBe(true);
      }
    }
    const comment = /^\s*(\/\/.*)$/.exec(line);
    if (comment) expect(tokens.filter((t) => t.text.trim()).every((t) => t.scopes.some((s) => s.startsWith('comment'))), `${name}:${i + 1}`).toBe(true);
    for (const m of line.matchAll(/"(?:[^"\\]|\\.)*"/g)) {
      if (line.slice(0, m.index).includes('//')) continue;
      const at = tokens.find((t, k) => tokens.slice(0, k).reduce((n, x) => n + x.text.length, 0) === m.index);
      expect(at?.scopes.some((s) => s.startsWith('string')), `${name}:${i + 1} string at ${m.index}`).toBe(true);
    }
  });
}

describe('the syntax files', () => {
  it('are what scripts/editor-syntax.ts writes (run it after changing the grammar or the builtins)', () => {
    expect(readFileSync(TM_PATH, 'utf8')).toBe(tmText());
    expect(readFileSync(VIM_PATH, 'utf8')).toBe(vimSyntax());
  });

  it("sort exactly the grammar's words, and name every builtin", () => {
    const sorted = Object.values(CLASSES).flat();
    expect(new Set(sorted).size).toBe(sorted.length);
    expect([...sorted].sort()).toEqual([...grammarWords()].sort());
    expect(builtinNames()).toEqual([...BUILTINS.keys()].sort());
    for (const t of KERNEL_TYPES) expect(vimSyntax()).toContain(t);
  });
});

describe('the TextMate grammar', () => {
  for (const file of modelFiles('models')) {
    it(`tokenizes ${file}`, () => checkScopes(file, readFileSync(file, 'utf8')));
  }
  it("tokenizes the language reference's examples", () => {
    expect(examples.length).toBeGreaterThan(20);
    examples.forEach((text, i) => checkScopes(`docs/language.md example ${i + 1}`, text));
  });

  it('gives labels, positions, builtins and declarations their scopes', () => {
    const scopesOf = (line: string, word: string): readonly string[] => tokenize(line)[0]!.find((t) => t.text === word)?.scopes ?? [];
    expect(scopesOf('  store: atomic { counter = reg + 1; }', 'store')).toContain('entity.name.label.weft');
    expect(scopesOf('struct S { lock: mutex; n: 0..2; }', 'lock')).not.toContain('entity.name.label.weft');
    expect(scopesOf('invariant p: writeback@folio_wait_pins -> x;', 'folio_wait_pins')).toContain('entity.name.label.weft');
    expect(scopesOf('  spin_lock(l);', 'spin_lock')).toContain('support.function.kernel.weft');
    expect(scopesOf('  folio.lock = 1;', 'lock')).toEqual([]);
    expect(scopesOf('daemon writeback {', 'writeback')).toContain('entity.name.type.weft');
    expect(scopesOf('liveness p: a ~> b;', '~>')).toContain('keyword.operator.leads-to.weft');
  });

  it('gives one small model the scopes of its golden file', () => {
    const file = 'models/classic/increment3.weft';
    const text = readFileSync(file, 'utf8');
    const out = tokenize(text).map((tokens, i) => {
      const shown = tokens.filter((t) => t.text.trim() && t.scopes.length).map((t) => `  ${JSON.stringify(t.text)} ${t.scopes.join(' ')}`);
      return [`${i + 1}: ${text.split('\n')[i]}`, ...shown].join('\n');
    });
    expectGolden('test/cases/textmate/increment3.scopes', out.join('\n'));
  });
});
