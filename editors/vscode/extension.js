// The Acquis extension: starts the language server `acquis lsp` over stdio
// and connects VS Code to it. Plain JavaScript (CommonJS), no build step.
"use strict";

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

const SETTINGS = "acquis.server";

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.OutputChannel | undefined} */
let output;
/** Serialises starts and stops: a restart waits for the previous one. */
let pending = Promise.resolve();

/**
 * The command line of the server from the settings: the binary named by
 * `acquis.server.path` (a bare name is looked up on PATH; `~` is the home
 * directory; a relative path is relative to the first workspace folder),
 * then `lsp` and `acquis.server.extraArgs`.
 * @returns {{ configured: string, command: string | undefined, args: string[] }}
 */
function serverCommand(config, folders, env = process.env, platform = process.platform) {
  const configured = String(config.get("path") || "acquis").trim() || "acquis";
  const extra = config.get("extraArgs");
  const args = ["lsp", ...(Array.isArray(extra) ? extra.map(String) : [])];
  return { configured, command: findExecutable(configured, folders, env, platform), args };
}

/** The absolute path of an executable file, or undefined. */
function findExecutable(name, folders, env, platform) {
  const isWindows = platform === "win32";
  const extensions = isWindows
    ? ["", ...(env.PATHEXT || ".EXE;.CMD;.BAT;.COM").split(";").filter(Boolean)]
    : [""];
  const candidates = (file) => extensions.map((ext) => file + ext);
  let expanded = name;
  if (expanded === "~" || expanded.startsWith("~/")) {
    expanded = path.join(os.homedir(), expanded.slice(1));
  }
  const hasSeparator = expanded.includes("/") || (isWindows && expanded.includes("\\"));
  if (hasSeparator) {
    const base = folders && folders.length > 0 ? folders[0].uri.fsPath : process.cwd();
    const absolute = path.resolve(base, expanded);
    return candidates(absolute).find(isExecutableFile);
  }
  const dirs = (env.PATH || env.Path || "").split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    const found = candidates(path.join(dir, expanded)).find(isExecutableFile);
    if (found) return found;
  }
  return undefined;
}

function isExecutableFile(file) {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function missingBinary(configured) {
  const message =
    `Acquis: the language server could not be started: no executable "${configured}" was found` +
    (configured.includes("/") || configured.includes("\\") ? "." : " on PATH.") +
    ' Install the acquis command line (in the Acquis repository: "cargo install --path .")' +
    ' or set "acquis.server.path" to the binary.';
  output.appendLine(message);
  // Not awaited: activation must not wait for the user to read the message.
  void Promise.resolve(vscode.window.showErrorMessage(message, "Open Settings")).then((choice) => {
    if (choice === "Open Settings") {
      return vscode.commands.executeCommand("workbench.action.openSettings", SETTINGS);
    }
    return undefined;
  });
}

async function start() {
  const config = vscode.workspace.getConfiguration(SETTINGS);
  const { configured, command, args } = serverCommand(config, vscode.workspace.workspaceFolders);
  if (!command) {
    missingBinary(configured);
    return;
  }
  output.appendLine(`Starting ${command} ${args.join(" ")}`);
  const serverOptions = { command, args, transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "acquis" },
      { scheme: "untitled", language: "acquis" },
    ],
    outputChannel: output,
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.acquis") },
  };
  // The id "acquis" makes the client read the `acquis.trace.server` setting.
  const next = new LanguageClient("acquis", "Acquis Language Server", serverOptions, clientOptions);
  client = next;
  try {
    await next.start();
  } catch (error) {
    if (client === next) client = undefined;
    const detail = error && error.message ? error.message : String(error);
    output.appendLine(`The language server failed to start: ${detail}`);
    void vscode.window.showErrorMessage(
      `Acquis: "${command} ${args.join(" ")}" failed to start: ${detail}. Is it an acquis binary with the "lsp" command?`,
    );
  }
}

async function stop() {
  const running = client;
  client = undefined;
  if (!running) return;
  try {
    await running.stop();
  } catch (error) {
    output.appendLine(`Stopping the language server: ${error && error.message ? error.message : error}`);
  }
}

/** Queues a stop then a start, so that quick setting changes never overlap. */
function restart() {
  pending = pending.then(stop).then(start);
  return pending;
}

function activate(context) {
  output = vscode.window.createOutputChannel("Acquis");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("acquis.restartServer", restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SETTINGS)) {
        output.appendLine("The acquis.server settings changed: restarting the language server.");
        void restart();
      }
    }),
  );
  pending = pending.then(start);
  return pending;
}

function deactivate() {
  pending = pending.then(stop);
  return pending;
}

module.exports = { activate, deactivate, serverCommand, findExecutable };
