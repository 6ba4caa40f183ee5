/**
 * The language server (`weft lsp`, src/lsp/), driven over stdio by a real
 * client: the binary is spawned as the other CLI tests spawn it, and
 * vscode-jsonrpc speaks the protocol to it. Every wait is for a message
 * (a response, a publishDiagnostics of the document's version, the
 * process's exit), never for a time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  CompletionRequest, DefinitionRequest, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, DocumentSymbolRequest,
  ExitNotification, HoverRequest, InitializedNotification, InitializeRequest, PublishDiagnosticsNotification, ShutdownRequest,
  type CompletionItem, type DocumentSymbol, type Hover, type Location, type MarkupContent, type Position, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';

const BIN = resolve('bin/weft.js');

const STATE = `struct Folio { dirty: bool; pins: 0..2; }
enum Pte { none, ro, rw }
shared folio: Folio;
shared pte: Pte = none;
`;

const MAIN = `model demo;
import "parts/state.weft";

option careful: bool = false;
const N = 2;

fn pin() {
  folio.pins += 1;
}

actor pinner {
  var seen: 0..2;
  pin();
  check: if (pte == none) pte = rw;
  seen = folio.pins;
}

daemon writeback {
  await folio.pins > 0;
  atomic { folio.dirty = false; folio.pins -= 1; }
}

invariant pins_bounded: folio.pins <= N;
reachable checked: pinner@check && pinner.seen == 0;
variant plain {}
variant strict { careful = true; }
expect plain: holds pins_bounded;
`;

let tmp: string;
let child: ChildProcess;
let conn: MessageConnection;
let exited: Promise<number | null>;
const published: PublishDiagnosticsParams[] = [];
const waiting: { wanted: (p: PublishDiagnosticsParams) => boolean; done: (p: PublishDiagnosticsParams) => void }[] = [];

/** The next diagnostics published that `wanted` accepts, from now on. */
function nextDiagnostics(wanted: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> {
  return new Promise((done) => waiting.push({ wanted, done }));
}

/** The diagnostics the server publishes for this version of the document (the first such message, whenever it came). */
function diagnosticsOf(uri: string, version: number): Promise<PublishDiagnosticsParams> {
  const got = published.find((p) => p.uri === uri && p.version === version);
  return got ? Promise.resolve(got) : nextDiagnostics((p) => p.uri === uri && p.version === version);
}

const uriOf = (name: string): string => pathToFileURL(join(tmp, name)).href;
let versions = new Map<string, number>();

async function open(name: string, text: string): Promise<PublishDiagnosticsParams> {
  versions.set(name, 1);
  await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uriOf(name), languageId: 'weft', version: 1, text } });
  return diagnosticsOf(uriOf(name), 1);
}

async function change(name: string, text: string): Promise<PublishDiagnosticsParams> {
  const version = versions.get(name)! + 1;
  versions.set(name, version);
  await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uriOf(name), version }, contentChanges: [{ text }] });
  return diagnosticsOf(uriOf(name), version);
}

/** The position of the `nth` occurrence of `needle` in `text`, `into` characters in. */
function pos(text: string, needle: string, into = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`no '${needle}' in the text`);
  const before = text.slice(0, at + into);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

async function hover(name: string, p: Position): Promise<string> {
  const h = await conn.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(name) }, position: p }) as Hover | null;
  return h ? (h.contents as MarkupContent).value : '';
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'weft-lsp-'));
  mkdirSync(join(tmp, 'parts'));
  writeFileSync(join(tmp, 'parts/state.weft'), STATE);
  writeFileSync(join(tmp, 'main.weft'), MAIN);
  child = spawn(process.execPath, [BIN, 'lsp'], { cwd: tmp, env: { ...process.env, WEFT_CACHE_DIR: join(tmp, 'cache') }, stdio: ['pipe', 'pipe', 'inherit'] });
  exited = new Promise((done) => child.on('exit', (code) => done(code)));
  conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    published.push(p);
    for (const w of waiting.filter((x) => x.wanted(p))) { waiting.splice(waiting.indexOf(w), 1); w.done(p); }
  });
  conn.listen();
  const init = await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(tmp).href, capabilities: {}, workspaceFolders: null });
  expect(init.capabilities.hoverProvider).toBe(true);
  await conn.sendNotification(InitializedNotification.type, {});
});

afterAll(() => {
  conn?.dispose();
  if (child && child.exitCode === null) child.kill();
  rmSync(tmp, { recursive: true, force: true });
});

describe('weft lsp', () => {
  it('publishes the checker\'s diagnostics with their codes, and clears them once the text is fixed', async () => {
    const broken = MAIN.replace('seen = folio.pins;', 'seen = folo.pins;');
    const first = await open('main.weft', broken);
    expect(first.diagnostics.map((d) => d.code)).toEqual(['W2001']);
    const d = first.diagnostics[0]!;
    expect(d.range.start).toEqual(pos(broken, 'folo'));
    expect(d.source).toBe('weft');
    expect(d.message).toContain("'folo'");
    const fixed = await change('main.weft', MAIN);
    expect(fixed.diagnostics).toEqual([]);
  });

  it('reports a syntax error while typing, then a declaration twice with its first place in the imported file', async () => {
    const syntax = await change('main.weft', MAIN.replace('const N = 2;', 'const N = 2'));
    expect(syntax.diagnostics.map((d) => d.code)).toEqual(['W1001']);
    const twice = MAIN.replace('const N = 2;', 'shared pte: bool;');
    const dup = await change('main.weft', twice);
    const w = dup.diagnostics.find((x) => x.code === 'W2002')!;
    expect(w.range.start).toEqual(pos(twice, 'pte: bool'));
    expect(w.relatedInformation?.[0]?.location.uri).toBe(uriOf('parts/state.weft'));
    expect(w.relatedInformation?.[0]?.location.range.start).toEqual(pos(STATE, 'pte'));
    expect((await change('main.weft', MAIN)).diagnostics).toEqual([]);
  });

  it('says which variant a diagnostic is found in, and shows an imported file\'s at the import, from the unsaved buffer', async () => {
    const override = MAIN.replace('variant strict { careful = true; }', 'variant strict { careful = true; fn pin() { folo.pins += 1; } }');
    const variant = await change('main.weft', override);
    expect(variant.diagnostics.map((d) => d.code)).toEqual(['W2001']);
    expect(variant.diagnostics[0]!.message).toContain('(variant strict)');
    expect((await change('main.weft', MAIN)).diagnostics).toEqual([]);
    // The imported file, open and edited but not saved: the main file is checked against the buffer.
    const broken = STATE.replace('shared pte: Pte = none;', 'shared pte: Pte = = none;');
    const again = nextDiagnostics((p) => p.uri === uriOf('main.weft'));
    expect((await open('parts/state.weft', broken)).diagnostics.map((d) => d.code)).toEqual(['W1001']);
    const shown = await again;
    expect(shown.diagnostics.map((d) => d.code)).toEqual(['W1001']);
    expect(shown.diagnostics[0]!.range.start).toEqual(pos(MAIN, 'import'));
    expect(shown.diagnostics[0]!.message).toContain('parts/state.weft:4: syntax error');
    expect(shown.diagnostics[0]!.relatedInformation?.[0]?.location.uri).toBe(uriOf('parts/state.weft'));
    await change('parts/state.weft', STATE);
    expect((await change('main.weft', MAIN)).diagnostics).toEqual([]);
  });

  it('hovers a name with its type and declaration, across the import', async () => {
    const text = await hover('main.weft', pos(MAIN, 'pte == none', 1));
    expect(text).toContain('Pte');
    expect(text).toContain('shared pte: Pte = none;');
    expect(text).toContain('parts/state.weft:4');
    expect(await hover('main.weft', pos(MAIN, 'none)', 1))).toContain('member of enum Pte');
    expect(await hover('main.weft', pos(MAIN, 'pins > 0', 1))).toContain('0..2');
    expect(await hover('main.weft', pos(MAIN, 'seen = folio', 1))).toContain('local of actor pinner');
    const declared = await hover('main.weft', pos(MAIN, 'seen: 0..2', 1));
    expect(declared).toContain('local of actor pinner');
    expect(declared).toContain('0..2');
  });

  it('hovers a statement with what its steps are, from the lowered program', async () => {
    const ifHover = await hover('main.weft', pos(MAIN, 'if (pte'));
    expect(ifHover).toContain('**One step**');
    expect(ifHover).toContain('reads its condition');
    expect(await hover('main.weft', pos(MAIN, 'await'))).toContain('enabled only when its condition holds');
    const atomic = await hover('main.weft', pos(MAIN, 'atomic'));
    expect(atomic).toContain('**One step**');
    // Inside the atomic block, a store is part of the block's one step.
    expect(await hover('main.weft', pos(MAIN, '= false; folio', 0))).toContain('**Part of one step**');
    // A call takes no step of its own; the fn's store is a step at the call site of each caller.
    expect(await hover('main.weft', pos(MAIN, 'pin();', 4))).toContain('**No step of its own**');
    expect(await hover('main.weft', pos(MAIN, '+= 1', 0))).toContain('pinner › pin');
  });

  it('goes to a definition in the imported file, and from an import to its file', async () => {
    const def = await conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: uriOf('main.weft') }, position: pos(MAIN, 'folio.pins += 1', 2) }) as Location;
    expect(def.uri).toBe(uriOf('parts/state.weft'));
    expect(def.range.start).toEqual(pos(STATE, 'folio'));
    const field = await conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: uriOf('main.weft') }, position: pos(MAIN, 'pins += 1', 1) }) as Location;
    expect(field.range.start).toEqual(pos(STATE, 'pins'));
    const imp = await conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: uriOf('main.weft') }, position: pos(MAIN, 'parts/state', 2) }) as Location;
    expect(imp.uri).toBe(uriOf('parts/state.weft'));
    const label = await conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: uriOf('main.weft') }, position: pos(MAIN, '@check', 2) }) as Location;
    expect(label.range.start).toEqual(pos(MAIN, 'check: if'));
    const local = await conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: uriOf('main.weft') }, position: pos(MAIN, 'pinner.seen', 8) }) as Location;
    expect(local.range.start).toEqual(pos(MAIN, 'seen: 0..2'));
    const variant = await conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: uriOf('main.weft') }, position: pos(MAIN, 'plain: holds', 1) }) as Location;
    expect(variant.range.start).toEqual(pos(MAIN, 'plain {}'));
    const property = await conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: uriOf('main.weft') }, position: pos(MAIN, 'pins_bounded;', 1) }) as Location;
    expect(property.range.start).toEqual(pos(MAIN, 'pins_bounded:'));
    const fn = await conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: uriOf('main.weft') }, position: pos(MAIN, 'pin();', 1) }) as Location;
    expect(fn.range.start).toEqual(pos(MAIN, 'pin()'));
  });

  it('lists the document\'s own symbols', async () => {
    const symbols = await conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: uriOf('main.weft') } }) as DocumentSymbol[];
    expect(symbols.map((s) => `${s.detail} ${s.name}`)).toEqual([
      'option careful', 'const N', 'fn pin', 'actor pinner', 'daemon writeback', 'invariant pins_bounded', 'reachable checked', 'variant plain', 'variant strict',
    ]);
    const pinner = symbols.find((s) => s.name === 'pinner')!;
    expect(pinner.children?.map((c) => `${c.detail} ${c.name}`)).toEqual(['local seen', 'label check']);
    expect(pinner.selectionRange.start).toEqual(pos(MAIN, 'pinner'));
  });

  it('completes names in scope, the kernel vocabulary, and struct fields after a dot', async () => {
    const items = await conn.sendRequest(CompletionRequest.type, { textDocument: { uri: uriOf('main.weft') }, position: pos(MAIN, 'seen = folio') }) as CompletionItem[];
    const labels = items.map((i) => i.label);
    for (const name of ['folio', 'pte', 'none', 'rw', 'careful', 'N', 'seen', 'pin', 'spin_lock', 'atomic_inc', 'pins_bounded']) expect(labels).toContain(name);
    // Mid-typing the text does not parse: the fields come from the last version that did.
    const typing = MAIN.replace('seen = folio.pins;', 'seen = folio.');
    await change('main.weft', typing);
    const fields = await conn.sendRequest(CompletionRequest.type, { textDocument: { uri: uriOf('main.weft') }, position: pos(typing, 'folio.\n', 6) }) as CompletionItem[];
    expect(fields.map((i) => i.label)).toEqual(['dirty', 'pins']);
    const actorTyping = MAIN.replace('pinner.seen == 0', 'pinner.');
    await change('main.weft', actorTyping);
    const locals = await conn.sendRequest(CompletionRequest.type, { textDocument: { uri: uriOf('main.weft') }, position: pos(actorTyping, 'pinner.;', 7) }) as CompletionItem[];
    expect(locals.map((i) => i.label)).toEqual(['seen']);
    expect((await change('main.weft', MAIN)).diagnostics).toEqual([]);
  });

  it('answers a hostile model with diagnostics, and keeps serving', async () => {
    expect((await open('binary.weft', 'model m;\u0000\u0001\u0002 actor a { skip; }')).diagnostics.map((d) => d.code)).toEqual(['W1005']);
    expect((await open('deep.weft', `actor a { x = ${'('.repeat(5000)}1${')'.repeat(5000)}; }`)).diagnostics.map((d) => d.code)).toEqual(['W1007']);
    expect((await open('huge.weft', `// ${'x'.repeat(1 << 21)}\n`)).diagnostics.map((d) => d.code)).toEqual(['W1006']);
    expect(await hover('main.weft', pos(MAIN, 'pte == none', 1))).toContain('Pte');
  });

  it('exits with code 1 when the client goes away without shutting it down', async () => {
    const lone = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { cwd: tmp, stdio: ['pipe', 'ignore', 'inherit'] });
    const code = new Promise((done) => lone.on('exit', done));
    lone.stdin.end();
    expect(await code).toBe(1);
  });

  it('shuts down and exits with code 0', async () => {
    await conn.sendRequest(ShutdownRequest.type);
    await conn.sendNotification(ExitNotification.type);
    expect(await exited).toBe(0);
  });
});
