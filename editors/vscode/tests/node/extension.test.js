// extension.js outside VS Code: `vscode` and `vscode-languageclient/node` are
// replaced by small fakes that record what the extension asks of them.
"use strict";

const assert = require("node:assert/strict");
const fs = require("node:fs");
const Module = require("node:module");
const os = require("node:os");
const path = require("node:path");
const { test, beforeEach, after } = require("node:test");

const fake = {
  settings: {},
  clients: [],
  errors: [],
  commands: new Map(),
  configListeners: [],
  folders: undefined,
  failStart: false,
};

class FakeLanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(this, { id, name, serverOptions, clientOptions, started: false, stopped: false });
    fake.clients.push(this);
  }
  async start() {
    if (fake.failStart) throw new Error("spawn EACCES");
    this.started = true;
  }
  async stop() {
    this.stopped = true;
  }
}

const vscodeFake = {
  window: {
    createOutputChannel: () => ({ appendLine() {}, dispose() {} }),
    showErrorMessage: (message) => {
      fake.errors.push(message);
      return Promise.resolve(undefined);
    },
  },
  commands: {
    registerCommand: (name, callback) => {
      fake.commands.set(name, callback);
      return { dispose() {} };
    },
    executeCommand: async () => undefined,
  },
  workspace: {
    getConfiguration: (section) => {
      assert.equal(section, "acquis.server");
      return { get: (key) => fake.settings[key] };
    },
    get workspaceFolders() {
      return fake.folders;
    },
    createFileSystemWatcher: (glob) => ({ glob, dispose() {} }),
    onDidChangeConfiguration: (listener) => {
      fake.configListeners.push(listener);
      return { dispose() {} };
    },
  },
};

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === "vscode") return vscodeFake;
  if (request === "vscode-languageclient/node") {
    return { LanguageClient: FakeLanguageClient, TransportKind: { stdio: 0, ipc: 1 } };
  }
  return originalLoad.call(this, request, parent, isMain);
};
const extension = require("../../extension.js");
const manifest = require("../../package.json");

// A directory with an executable `acquis` in it, put first on PATH.
const bin = fs.mkdtempSync(path.join(os.tmpdir(), "acquis-ext-"));
const fakeServer = path.join(bin, "acquis");
fs.writeFileSync(fakeServer, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
fs.writeFileSync(path.join(bin, "not-executable"), "", { mode: 0o644 });
const savedPath = process.env.PATH;

after(() => fs.rmSync(bin, { recursive: true, force: true }));

function context() {
  return { subscriptions: [] };
}

beforeEach(async () => {
  await extension.deactivate();
  fake.settings = {};
  fake.clients = [];
  fake.errors = [];
  fake.commands = new Map();
  fake.configListeners = [];
  fake.folders = undefined;
  fake.failStart = false;
  process.env.PATH = bin + path.delimiter + savedPath;
});

test("starts `acquis lsp` from PATH over stdio for acquis documents", async () => {
  await extension.activate(context());
  assert.equal(fake.clients.length, 1);
  const [client] = fake.clients;
  assert.equal(client.id, "acquis");
  assert.equal(client.serverOptions.command, fakeServer);
  assert.deepEqual(client.serverOptions.args, ["lsp"]);
  assert.equal(client.serverOptions.transport, 0);
  assert.deepEqual(
    client.clientOptions.documentSelector.map((s) => s.language),
    ["acquis", "acquis"],
  );
  assert.equal(client.clientOptions.synchronize.fileEvents.glob, "**/*.acquis");
  assert.ok(client.started);
  assert.deepEqual(fake.errors, []);
});

test("appends acquis.server.extraArgs after `lsp`", async () => {
  fake.settings.extraArgs = ["--log", "debug"];
  await extension.activate(context());
  assert.deepEqual(fake.clients[0].serverOptions.args, ["lsp", "--log", "debug"]);
});

test("a relative acquis.server.path is relative to the first workspace folder", async () => {
  fake.settings.path = "./acquis";
  fake.folders = [{ uri: { fsPath: bin } }];
  await extension.activate(context());
  assert.equal(fake.clients[0].serverOptions.command, fakeServer);
});

test("a missing binary gives a clear error naming the setting, and no client", async () => {
  fake.settings.path = "acquis-that-does-not-exist";
  await extension.activate(context());
  assert.equal(fake.clients.length, 0);
  assert.equal(fake.errors.length, 1);
  assert.match(fake.errors[0], /no executable "acquis-that-does-not-exist" was found on PATH/);
  assert.match(fake.errors[0], /acquis\.server\.path/);
});

test("a file that is not executable counts as missing", async () => {
  fake.settings.path = path.join(bin, "not-executable");
  await extension.activate(context());
  assert.equal(fake.clients.length, 0);
  assert.match(fake.errors[0], /no executable ".*not-executable" was found\./);
});

test("a server that fails to start is reported", async () => {
  fake.failStart = true;
  await extension.activate(context());
  assert.equal(fake.errors.length, 1);
  assert.match(fake.errors[0], /failed to start: spawn EACCES/);
});

test("changing acquis.server settings restarts the server with the new ones", async () => {
  await extension.activate(context());
  const [listener] = fake.configListeners;
  listener({ affectsConfiguration: () => false }); // another extension's setting: no restart
  fake.settings.extraArgs = ["--verbose"];
  listener({ affectsConfiguration: (section) => section === "acquis.server" });
  // The command's restart is queued after the one the change started.
  await fake.commands.get("acquis.restartServer")();
  assert.equal(fake.clients.length, 3);
  const [first, second, third] = fake.clients;
  assert.deepEqual(first.serverOptions.args, ["lsp"]);
  assert.ok(first.stopped, "the first server is stopped");
  assert.deepEqual(second.serverOptions.args, ["lsp", "--verbose"]);
  assert.ok(second.started && second.stopped, "the command restarts the second one");
  assert.ok(third.started && !third.stopped);
});

test("the restart command is declared in package.json and registered", async () => {
  await extension.activate(context());
  const declared = manifest.contributes.commands.map((c) => c.command);
  assert.deepEqual([...fake.commands.keys()], declared);
});

test("package.json: language, grammar, settings and entry point agree", () => {
  const [language] = manifest.contributes.languages;
  assert.equal(language.id, "acquis");
  assert.deepEqual(language.extensions, [".acquis"]);
  const [grammar] = manifest.contributes.grammars;
  assert.equal(grammar.language, "acquis");
  const tm = JSON.parse(fs.readFileSync(path.join(__dirname, "../..", grammar.path), "utf8"));
  assert.equal(tm.scopeName, grammar.scopeName);
  const props = manifest.contributes.configuration.properties;
  assert.equal(props["acquis.server.path"].default, "acquis");
  assert.deepEqual(props["acquis.server.extraArgs"].default, []);
  assert.ok(fs.existsSync(path.join(__dirname, "../..", manifest.main)));
  assert.ok(manifest.activationEvents.includes("onLanguage:acquis"));
  assert.ok(manifest.dependencies["vscode-languageclient"]);
  // An untrusted folder cannot choose the binary the extension runs.
  assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, [
    "acquis.server.path",
    "acquis.server.extraArgs",
  ]);
});

test("language configuration: ids stay whole words, comments are //", () => {
  const config = JSON.parse(
    fs.readFileSync(path.join(__dirname, "../../language-configuration.json"), "utf8"),
  );
  assert.equal(config.comments.lineComment, "//");
  const word = new RegExp(config.wordPattern.pattern, `g${config.wordPattern.flags}`);
  const words = "validated when C1.3 validated and CE5 >= en_cours, C1.3/CE2 très_bien 12.5 A1."
    .match(word);
  assert.deepEqual(words, [
    "validated", "when", "C1.3", "validated", "and", "CE5", "en_cours",
    "C1.3", "CE2", "très_bien", "12.5", "A1",
  ]);
  const onEnter = new RegExp(config.onEnterRules[0].beforeText);
  assert.ok(onEnter.test("  /// Partagé par C1.1"));
  assert.ok(!onEnter.test("  //// not a doc comment"));
  const fold = new RegExp(config.folding.markers.start);
  assert.ok(fold.test("  // region Bloc 1"));
});
