// editors/neovim/acquis.lua parses as Lua 5.1 (Neovim runs LuaJIT) and
// starts `acquis lsp` for the `acquis` filetype, without nvim-lspconfig.
"use strict";

const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { test } = require("node:test");
const luaparse = require("luaparse");

const file = path.join(__dirname, "../../../neovim/acquis.lua");
const source = fs.readFileSync(file, "utf8");

function strings(ast) {
  const found = [];
  (function walk(node) {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    if (node.type === "StringLiteral") found.push(node.raw.slice(1, -1));
    Object.values(node).forEach(walk);
  })(ast);
  return found;
}

test("acquis.lua is valid Lua 5.1 and returns a module with setup()", () => {
  const ast = luaparse.parse(source, { luaVersion: "5.1", comments: false });
  const last = ast.body.at(-1);
  assert.equal(last.type, "ReturnStatement");
  assert.match(source, /function M\.setup\(/);
  const literals = strings(ast);
  for (const expected of ["acquis", "lsp", "acquis_filetype", "// %s"]) {
    assert.ok(literals.includes(expected), `missing the string "${expected}"`);
  }
  assert.match(source, /vim\.filetype\.add\(\{ extension = \{ acquis = "acquis" \} \}\)/);
  assert.match(source, /vim\.lsp\.config\("acquis"/);
  assert.match(source, /vim\.lsp\.enable\("acquis"\)/);
  // Below 0.11 the module starts the server itself, no plugin needed
  // (tests/editors.rs runs it in a real Neovim 0.7).
  assert.match(source, /vim\.lsp\.start\(config/);
  assert.match(source, /vim\.lsp\.start_client\(config\)/);
  assert.match(source, /pattern = "\*\.acquis"/);
  assert.doesNotMatch(source, /lspconfig/);
});

test("a syntax error in Lua is caught (the check is not vacuous)", () => {
  assert.throws(() => luaparse.parse(source.replace("return M", "return M end"), { luaVersion: "5.1" }));
});
