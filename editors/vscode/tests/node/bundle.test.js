// The published extension is dist/extension.js, extension.js bundled by
// `npm run bundle` (esbuild) with vscode-languageclient inside: the .vsix
// holds five files, not the 300 of node_modules (`vsce ls` lists them; the
// cargo test in tests/editors.rs runs it). Here: the bundle exists, asks
// Node for nothing but `vscode` and Node's own modules, and loads.
"use strict";

const assert = require("node:assert/strict");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const { test } = require("node:test");

const manifest = require("../../package.json");
const bundle = path.join(__dirname, "..", "..", manifest.main);

test("the manifest points at the bundle", () => {
  assert.equal(manifest.main, "./dist/extension.js");
  assert.equal(manifest.scripts["vscode:prepublish"], "npm run bundle");
});

test("the bundle requires only vscode and Node's modules", () => {
  const text = fs.readFileSync(bundle, "utf8");
  const required = new Set(
    [...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]),
  );
  const foreign = [...required].filter(
    (name) => name !== "vscode" && !Module.builtinModules.includes(name.replace(/^node:/, "")),
  );
  assert.deepEqual(foreign, [], `the bundle requires ${foreign.join(", ")}`);
  assert.ok(required.has("vscode"));
});

test("the bundle loads and exports activate and deactivate", () => {
  // vscode-languageclient extends VS Code's classes when it loads: every
  // name of the fake `vscode` is a class.
  const vscodeFake = new Proxy({}, { get: () => class {} });
  const originalLoad = Module._load;
  Module._load = function load(request, parent, isMain) {
    if (request === "vscode") return vscodeFake;
    return originalLoad.call(this, request, parent, isMain);
  };
  try {
    const extension = require(bundle);
    assert.equal(typeof extension.activate, "function");
    assert.equal(typeof extension.deactivate, "function");
  } finally {
    Module._load = originalLoad;
  }
});
