-- Acquis in Neovim: the `acquis` filetype for *.acquis files and the
-- language server `acquis lsp` (stdio).
--
-- Install: copy this file to ~/.config/nvim/lua/acquis.lua, then in init.lua:
--
--   require("acquis").setup()
--   -- or, with another binary or extra arguments:
--   require("acquis").setup({ cmd = { "/path/to/acquis", "lsp" } })
--
-- No plugin is needed, on any Neovim from 0.7 (Debian 12's) on:
-- Neovim 0.11 or later uses the built-in vim.lsp.config / vim.lsp.enable;
-- 0.8 to 0.10 start the server with vim.lsp.start; 0.7 with
-- vim.lsp.start_client, one client per root shared by its buffers.
-- See docs/editors.md.

local M = {}

M.defaults = {
  -- The server command: the `acquis` binary on PATH, verb `lsp`.
  cmd = { "acquis", "lsp" },
  -- A referential's files are found from the directory holding one of these;
  -- without one, the server runs for the file's directory.
  root_markers = { ".git" },
  -- Passed to the server on `initialize`.
  init_options = {},
}

local function register_filetype()
  local group = vim.api.nvim_create_augroup("acquis_filetype", { clear = true })
  if vim.filetype ~= nil and vim.filetype.add ~= nil then
    vim.filetype.add({ extension = { acquis = "acquis" } })
  end
  -- Neovim 0.7 reads vim.filetype.add only when g:do_filetype_lua is set:
  -- this autocommand sets the filetype on every version.
  vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
    group = group,
    pattern = "*.acquis",
    callback = function(args)
      if vim.bo[args.buf].filetype ~= "acquis" then
        vim.bo[args.buf].filetype = "acquis"
      end
    end,
  })
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
  -- Neovim 0.11+.
  vim.lsp.config("acquis", {
    cmd = opts.cmd,
    filetypes = { "acquis" },
    root_markers = opts.root_markers,
    init_options = opts.init_options,
  })
  vim.lsp.enable("acquis")
end

-- The directory of the nearest root marker above the buffer's file, else
-- the file's own directory.
local function root_of(buf, markers)
  local dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(buf), ":p:h")
  for _, marker in ipairs(markers) do
    local found = vim.fn.finddir(marker, dir .. ";")
    if found == "" then
      found = vim.fn.findfile(marker, dir .. ";")
    end
    if found ~= "" then
      return vim.fn.fnamemodify(vim.fn.fnamemodify(found, ":p"):gsub("/$", ""), ":h")
    end
  end
  return dir
end

local function setup_core(opts)
  -- Neovim 0.7 to 0.10: started for each buffer of the filetype.
  local clients = {}
  local group = vim.api.nvim_create_augroup("acquis_lsp", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = "acquis",
    callback = function(args)
      local root = root_of(args.buf, opts.root_markers)
      local config = {
        name = "acquis",
        cmd = opts.cmd,
        root_dir = root,
        init_options = opts.init_options,
      }
      if vim.lsp.start ~= nil then
        -- 0.8+: reuses the client of the same name and root.
        vim.lsp.start(config, { bufnr = args.buf })
        return
      end
      -- 0.7: one client per root, attached to each of its buffers.
      local id = clients[root]
      if id == nil or vim.lsp.get_client_by_id(id) == nil then
        id = vim.lsp.start_client(config)
        clients[root] = id
      end
      if id ~= nil then
        vim.lsp.buf_attach_client(args.buf, id)
      end
    end,
  })
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
    setup_core(opts)
  end
end

return M
