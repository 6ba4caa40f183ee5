/**
 * `weft lsp`: the language server, over stdio, on vscode-languageserver.
 * It is a consumer of the pipeline (analysis.ts): on every open and change
 * the document is analysed again and its diagnostics published with the
 * document's version. Changes are coalesced by event, not by time: a
 * change marks the document, and one analysis runs once the events queued
 * so far are handled (setImmediate), on the newest text; a request for a
 * document still marked analyses it first, so an answer is never about an
 * older text than the request's.
 *
 * A change analyses the document again, and every open document whose
 * model read it (one may import another); imported files are read from the editor's buffer when
 * open there, else from disk. Whatever a model holds (huge, binary, deeply
 * nested), the front end's limits turn it into diagnostics; an exception
 * the front end should never throw is caught and shown as a diagnostic, so
 * the server outlives it.
 */
import {
  createConnection, DiagnosticSeverity, MarkupKind, TextDocuments, TextDocumentSyncKind,
  type Connection, type TextDocumentPositionParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { diskFiles } from '../commands/support.ts';
import type { Reader } from '../pipeline.ts';
import { analyze, pathOfUri, type Analysis } from './analysis.ts';
import { completions } from './complete.ts';
import { definitionAt } from './definition.ts';
import { hoverText } from './hover.ts';
import { offsetOf } from './positions.ts';
import { documentSymbols } from './symbols.ts';

export function startServer(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Connection {
  // Given the streams themselves (not readers over them), the library also ends the process when the input closes: 0 after shutdown, else 1.
  const connection = createConnection(input, output);
  const documents = new TextDocuments(TextDocument);
  const analyses = new Map<string, Analysis>();
  /** The newest analysis of each document that parsed: completion while the text does not. */
  const parsed = new Map<string, Analysis>();
  const marked = new Set<string>();
  let scheduled = false;

  const disk = diskFiles();
  const read: Reader = (path) => {
    const open = documents.all().find((d) => pathOfUri(d.uri) === path);
    if (!open) return disk(path);
    const onDisk = disk(path);
    return { ok: true, id: onDisk.ok ? onDisk.id : path, text: open.getText() };
  };

  const run = (uri: string): Analysis | null => {
    marked.delete(uri);
    const doc = documents.get(uri);
    if (!doc) return null;
    const a = safely(doc);
    analyses.set(uri, a);
    if (a.model) parsed.set(uri, a);
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics: a.diagnostics });
    return a;
  };
  const safely = (doc: TextDocument): Analysis => {
    try {
      return analyze(doc.uri, doc.version, doc.getText(), read);
    } catch (e) {
      connection.console.error(`weft: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      const message = `internal error in Weft: ${e instanceof Error ? e.message : String(e)}\nThis is a bug in Weft; please report it with the model that caused it.`;
      const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      return { uri: doc.uri, version: doc.version, sources: { path: doc.uri, text: '' }, model: null, ctx: null, program: null, diagnostics: [{ range, message, severity: DiagnosticSeverity.Error, source: 'weft' }] };
    }
  };
  const flush = (): void => {
    scheduled = false;
    for (const uri of [...marked]) run(uri);
  };
  /** The document changed, and every open one whose model reads it (an import), by the files its last analysis read. */
  const markWith = (uri: string): void => {
    const path = pathOfUri(uri);
    for (const d of documents.all()) {
      const files = analyses.get(d.uri)?.sources.files ?? [];
      if (d.uri === uri || !analyses.has(d.uri) || files.some((f) => f.path === path)) marked.add(d.uri);
    }
    if (!scheduled) { scheduled = true; setImmediate(flush); }
  };
  /** The analysis of the document's current text. */
  const current = (uri: string): Analysis | null => (marked.has(uri) ? run(uri) : analyses.get(uri) ?? run(uri));
  const at = (p: TextDocumentPositionParams): { a: Analysis; offset: number; text: string } | null => {
    const a = current(p.textDocument.uri);
    const doc = documents.get(p.textDocument.uri);
    return a && doc ? { a, offset: offsetOf(doc.getText(), p.position), text: doc.getText() } : null;
  };

  connection.onInitialize(() => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      definitionProvider: true,
      documentSymbolProvider: true,
      completionProvider: { triggerCharacters: ['.'] },
    },
    serverInfo: { name: 'weft' },
  }));
  documents.onDidChangeContent((e) => markWith(e.document.uri));
  documents.onDidClose((e) => {
    analyses.delete(e.document.uri);
    parsed.delete(e.document.uri);
    marked.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    // Those that import it read it from disk again.
    markWith(e.document.uri);
  });
  connection.onHover((p) => {
    const here = at(p);
    const value = here && hoverText(here.a, here.offset);
    return value ? { contents: { kind: MarkupKind.Markdown, value } } : null;
  });
  connection.onDefinition((p) => {
    const here = at(p);
    return here ? definitionAt(here.a, here.offset) : null;
  });
  connection.onDocumentSymbol((p) => {
    const a = current(p.textDocument.uri);
    const good = a?.model ? a : parsed.get(p.textDocument.uri);
    return good?.model ? documentSymbols(good.sources, good.model) : [];
  });
  connection.onCompletion((p) => {
    const here = at(p);
    if (!here) return [];
    const good = here.a.model ? here.a : parsed.get(p.textDocument.uri) ?? here.a;
    const lineStart = here.text.lastIndexOf('\n', here.offset - 1) + 1;
    return completions(good, Math.min(here.offset, good.sources.text.length), here.text.slice(lineStart, here.offset));
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}
