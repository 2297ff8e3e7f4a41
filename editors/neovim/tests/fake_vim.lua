-- editors/neovim/acquis.lua against a fake `vim` table, on the three setup
-- paths: Neovim 0.11+ (vim.lsp.config and vim.lsp.enable), 0.8 to 0.10 (the
-- FileType autocommand calls vim.lsp.start) and 0.7 (it calls
-- vim.lsp.start_client and attaches each buffer). Run by cargo
-- (tests/editors.rs) with Debian's lua5.4, which scripts/test installs; the
-- 0.7 path also runs in a real Neovim there.
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
-- 0.7 to 0.10: the FileType autocommand starts the server itself.
log = {}
local autocmds = {}
vim.api.nvim_create_autocmd = function(events, o) table.insert(autocmds, { events = events, o = o }) end
vim.api.nvim_buf_get_name = function() return "/p/r.acquis" end
vim.fn.fnamemodify = function(p, m) if m == ":p:h" then return "/p" elseif m == ":h" then return "/p" else return p end end
vim.fn.finddir = function() return "" end
vim.fn.findfile = function() return "" end
local started, attached
vim.lsp = {
  start_client = function(c) started = c; return 7 end,
  get_client_by_id = function() return nil end,
  buf_attach_client = function(b, id) attached = { b, id } end,
}
acquis.setup({ cmd = { "/nope/acquis", "lsp" } })
local filetype_autocmd, lsp_autocmd
for _, a in ipairs(autocmds) do
  if type(a.events) == "table" and a.events[1] == "BufRead" then filetype_autocmd = a end
  if a.events == "FileType" and a.o.group ~= nil and started == nil then lsp_autocmd = a end
end
assert(filetype_autocmd ~= nil and filetype_autocmd.o.pattern == "*.acquis")
-- The last FileType autocommand is the server's.
for _, a in ipairs(autocmds) do if a.events == "FileType" then lsp_autocmd = a end end
lsp_autocmd.o.callback({ buf = 3 })
assert(started.name == "acquis" and started.cmd[1] == "/nope/acquis" and started.root_dir == "/p")
assert(attached[1] == 3 and attached[2] == 7)
local warned = false
for _, e in ipairs(log) do if e[1] == "notify" and e[2]:find("not executable") then warned = true end end
assert(warned)
-- 0.8 to 0.10: no vim.lsp.config, but vim.lsp.start, which reuses the
-- client of the same name and root: the callback calls it for the buffer,
-- and neither start_client nor buf_attach_client.
autocmds = {}
started, attached = nil, nil
local start_args
vim.lsp = {
  start = function(c, o) start_args = { c, o } end,
  start_client = function(c) started = c; return 8 end,
  get_client_by_id = function() return nil end,
  buf_attach_client = function(b, id) attached = { b, id } end,
}
acquis.setup()
lsp_autocmd = nil
for _, a in ipairs(autocmds) do if a.events == "FileType" then lsp_autocmd = a end end
lsp_autocmd.o.callback({ buf = 5 })
assert(start_args ~= nil and start_args[1].name == "acquis" and start_args[1].cmd[1] == "acquis"
  and start_args[1].cmd[2] == "lsp" and start_args[1].root_dir == "/p" and start_args[2].bufnr == 5)
assert(started == nil and attached == nil)
print("fake-vim checks ok: 0.11+, 0.7 and 0.8-0.10 paths")
