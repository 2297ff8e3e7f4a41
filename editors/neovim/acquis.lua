-- Acquis in Neovim: the `acquis` filetype for *.acquis files and the
-- language server `acquis lsp` (stdio).
--
-- Install: copy this file to ~/.config/nvim/lua/acquis.lua, then in init.lua:
--
--   require("acquis").setup()
--   -- or, with another binary or extra arguments:
--   require("acquis").setup({ cmd = { "/path/to/acquis", "lsp" } })
--
-- Neovim 0.11 or later uses the built-in vim.lsp.config / vim.lsp.enable.
-- Neovim 0.10 needs the nvim-lspconfig plugin: the server is registered as a
-- custom lspconfig server named "acquis". See docs/editors.md.

local M = {}

M.defaults = {
  -- The server command: the `acquis` binary on PATH, verb `lsp`.
  cmd = { "acquis", "lsp" },
  -- A referential's files are found from the directory holding one of these;
  -- without one, the server runs for the single file.
  root_markers = { ".git" },
  -- Passed to the server on `initialize`.
  init_options = {},
}

local function register_filetype()
  vim.filetype.add({ extension = { acquis = "acquis" } })
  local group = vim.api.nvim_create_augroup("acquis_filetype", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = "acquis",
    callback = function(args)
      -- `gc` comments lines with //; /// doc comments are kept by `gq`.
      vim.bo[args.buf].commentstring = "// %s"
      vim.bo[args.buf].comments = ":///,://"
      vim.bo[args.buf].shiftwidth = 2
      vim.bo[args.buf].expandtab = true
    end,
  })
end

local function setup_builtin(opts)
  -- Neovim 0.11+: no plugin needed.
  vim.lsp.config("acquis", {
    cmd = opts.cmd,
    filetypes = { "acquis" },
    root_markers = opts.root_markers,
    init_options = opts.init_options,
  })
  vim.lsp.enable("acquis")
end

local function setup_lspconfig(opts)
  -- Neovim 0.10 with nvim-lspconfig: register a custom server once.
  local ok, lspconfig = pcall(require, "lspconfig")
  if not ok then
    vim.notify(
      "acquis.lua: Neovim 0.10 needs the nvim-lspconfig plugin (or use Neovim 0.11+)",
      vim.log.levels.ERROR
    )
    return
  end
  local configs = require("lspconfig.configs")
  if not configs.acquis then
    configs.acquis = {
      default_config = {
        cmd = opts.cmd,
        filetypes = { "acquis" },
        root_dir = lspconfig.util.root_pattern((table.unpack or unpack)(opts.root_markers)),
        single_file_support = true,
        init_options = opts.init_options,
      },
      docs = { description = "Acquis language server (`acquis lsp`)" },
    }
  end
  lspconfig.acquis.setup({})
end

function M.setup(user_opts)
  local opts = vim.tbl_deep_extend("force", M.defaults, user_opts or {})
  register_filetype()
  if vim.fn.executable(opts.cmd[1]) ~= 1 then
    vim.notify(
      ("acquis.lua: %q is not executable; install acquis or pass cmd = { PATH, 'lsp' }"):format(opts.cmd[1]),
      vim.log.levels.WARN
    )
  end
  if vim.lsp.config ~= nil and vim.lsp.enable ~= nil then
    setup_builtin(opts)
  else
    setup_lspconfig(opts)
  end
end

return M
