-- editors/neovim/acquis.lua against a fake `vim` table: both setup paths
-- (Neovim 0.11 vim.lsp.config, Neovim 0.10 nvim-lspconfig). Needs a Lua
-- interpreter (Debian: apt-get install lua5.4), so cargo does not run it;
-- the npm test (run by cargo) only parses acquis.lua.
local log = {}
local function rec(name) return function(...) table.insert(log, {name, ...}) end end
vim = {
  filetype = { add = rec("filetype.add") },
  api = { nvim_create_augroup = function() return 1 end, nvim_create_autocmd = rec("autocmd") },
  bo = setmetatable({}, { __index = function(t, k) local b = {}; rawset(t, k, b); return b end }),
  fn = { executable = function(x) return x == "acquis" and 1 or 0 end },
  notify = rec("notify"), log = { levels = { ERROR = 4, WARN = 3 } },
  tbl_deep_extend = function(_, a, b) local r = {}; for k, v in pairs(a) do r[k] = v end; for k, v in pairs(b) do r[k] = v end; return r end,
  lsp = { config = rec("lsp.config"), enable = rec("lsp.enable") },
}
-- Run from the repository root: lua5.4 editors/neovim/tests/fake_vim.lua
package.path = "editors/neovim/?.lua;" .. package.path
local acquis = require("acquis")
acquis.setup()
assert(log[1][1] == "filetype.add" and log[1][2].extension.acquis == "acquis")
local cfg
for _, e in ipairs(log) do if e[1] == "lsp.config" then cfg = e end end
assert(cfg[2] == "acquis" and cfg[3].cmd[1] == "acquis" and cfg[3].cmd[2] == "lsp" and cfg[3].filetypes[1] == "acquis")
assert(log[#log][1] == "lsp.enable" and log[#log][2] == "acquis")
-- 0.10 path with a fake lspconfig
log = {}
vim.lsp = {}
local setup_called
package.loaded["lspconfig.configs"] = {}
package.loaded["lspconfig"] = setmetatable({ util = { root_pattern = function(...) return {...} end } }, {
  __index = function(_, k) return { setup = function() setup_called = k end } end })
acquis.setup({ cmd = { "/nope/acquis", "lsp" } })
assert(setup_called == "acquis")
local dc = package.loaded["lspconfig.configs"].acquis.default_config
assert(dc.cmd[1] == "/nope/acquis" and dc.root_dir[1] == ".git" and dc.single_file_support)
local warned = false
for _, e in ipairs(log) do if e[1] == "notify" and e[2]:find("not executable") then warned = true end end
assert(warned)
print("fake-vim checks ok")
