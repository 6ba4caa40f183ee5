/**
 * `weft lsp`: the language server on standard input and output
 * (src/lsp/server.ts). It runs until the client sends `exit`; the server
 * library then ends the process, with 0 after a `shutdown` request and 1
 * without one, as the protocol says. Nothing else may write to standard
 * output while it runs: the protocol owns it. The server's modules are
 * loaded here, when asked for, so that the other commands do not pay for
 * loading the protocol library at start-up.
 */
export async function lspCommand(): Promise<number> {
  const { startServer } = await import('../lsp/server.ts');
  startServer(process.stdin, process.stdout);
  // The process ends when the client says so (or closes the pipe); until then this never settles.
  return new Promise<number>(() => {});
}
