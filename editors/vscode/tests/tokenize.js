#!/usr/bin/env node
// Tokenises .acquis files with the extension's TextMate grammar, with the
// same engine as VS Code (vscode-textmate + vscode-oniguruma), and prints one
// JSON object per token: {"file", "line" (1-based), "text", "scopes"}.
// Used by tests/editors.rs (the keyword and scope-coverage checks) and handy
// to see how a line is scoped:  node tests/tokenize.js FILE...
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const grammarPath = path.join(__dirname, "..", "syntaxes", "acquis.tmLanguage.json");

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== "source.acquis") return null;
      return vsctm.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath);
    },
  });
  return registry.loadGrammar("source.acquis");
}

async function main() {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    process.stderr.write("usage: node tests/tokenize.js FILE...\n");
    process.exit(2);
  }
  const grammar = await loadGrammar();
  const out = [];
  for (const file of files) {
    const lines = fs.readFileSync(file, "utf8").split(/\r?\n/);
    let state = vsctm.INITIAL;
    lines.forEach((line, index) => {
      const result = grammar.tokenizeLine(line, state);
      for (const token of result.tokens) {
        const text = line.slice(token.startIndex, token.endIndex);
        out.push(JSON.stringify({ file, line: index + 1, text, scopes: token.scopes }));
      }
      state = result.ruleStack;
    });
  }
  process.stdout.write(out.join("\n") + "\n");
}

main().catch((error) => {
  process.stderr.write(`tokenize.js: ${error.stack || error}\n`);
  process.exit(1);
});
