// The Weft extension's client: starts `weft lsp` (the language server,
// docs/editors.md) for .weft files and restarts it when its settings
// change. Everything the editor shows about a model comes from the server;
// this file only says how to start it.
'use strict';
const path = require('node:path');
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

/** The command from the settings: a relative path is the first workspace folder's; a .js file runs with node. */
function serverOptions() {
  const config = vscode.workspace.getConfiguration('weft');
  let command = config.get('server.path', 'weft');
  const args = config.get('server.args', ['lsp']);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (folder && command.includes('/') && !path.isAbsolute(command)) command = path.join(folder, command);
  const run = command.endsWith('.js') ? { command: 'node', args: [command, ...args] } : { command, args };
  return { ...run, options: folder ? { cwd: folder } : {} };
}

async function start() {
  client = new LanguageClient('weft', 'Weft', serverOptions(), {
    documentSelector: [{ scheme: 'file', language: 'weft' }, { scheme: 'untitled', language: 'weft' }],
  });
  await client.start();
}

async function restart() {
  const old = client;
  client = undefined;
  if (old) await old.stop();
  await start();
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('weft.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('weft.server')) void restart(); }),
  );
  await start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
