-- akslint for Neovim: the language server (`akslint lsp`) for Kubernetes YAML (plain manifests,
-- Helm charts from source, Kustomize) and Bicep files.
--
--   require('akslint').setup({ settings = { akslint = { severity = 'warning' } } })
--
-- Neovim >= 0.11 (vim.lsp.config / vim.lsp.enable). For nvim-lspconfig users on older
-- versions, `require('akslint').lspconfig(opts)` registers and sets up the server there.
local M = {}

--- The default client configuration (a fresh copy).
function M.config()
  return {
    cmd = { 'akslint', 'lsp' },
    filetypes = { 'yaml', 'helm', 'bicep', 'bicep-params' },
    root_markers = { 'akslint.yaml', '.git' },
    init_options = {},
    settings = { akslint = {} },
  }
end

local function settings_of(config)
  return (config.settings or {}).akslint or {}
end

--- Whether a file is under a Helm chart's `templates/` folder (with `Chart.yaml` beside that folder).
--- @param path string
function M.in_chart_templates(path)
  for dir in vim.fs.parents(path) do
    if vim.fs.basename(dir) == 'templates' and vim.uv.fs_stat(vim.fs.joinpath(vim.fs.dirname(dir), 'Chart.yaml')) then
      return true
    end
  end
  return false
end

local function add_filetypes()
  -- Neovim 0.11 knows .bicep; make sure both Bicep kinds get a filetype the server is set up for.
  -- A chart's helpers (templates/_helpers.tpl) are `helm`, not Neovim's default `smarty` for
  -- .tpl; its templates keep `yaml` (or `helm` from a Helm plugin): both are akslint's.
  vim.filetype.add({
    extension = { bicep = 'bicep', bicepparam = 'bicep-params' },
    pattern = {
      ['.*/templates/.*%.tpl'] = function(path)
        return M.in_chart_templates(path) and 'helm' or nil
      end,
    },
  })
end

--- Registers akslint with vim.lsp.config and enables it (Neovim >= 0.11).
--- @param opts table|nil fields merged over M.config(): cmd, filetypes, settings, ...
function M.setup(opts)
  if vim.fn.has('nvim-0.11') == 0 then
    vim.notify('akslint: Neovim 0.11 or later is needed for setup(); use lspconfig()', vim.log.levels.ERROR)
    return
  end
  add_filetypes()
  local config = vim.tbl_deep_extend('force', M.config(), opts or {})
  -- The settings also go out at start, so the first diagnostics already honour them.
  config.init_options = vim.tbl_deep_extend('force', settings_of(config), config.init_options or {})
  local exe = config.cmd[1]
  if vim.fn.executable(exe) == 0 then
    vim.notify('akslint: `' .. exe .. '` was not found; install it (cargo install --path crates/akslint-cli) or set cmd', vim.log.levels.WARN)
  end
  vim.lsp.config('akslint', config)
  vim.lsp.enable('akslint')
end

--- For nvim-lspconfig users: registers akslint as an lspconfig server and sets it up.
--- @param opts table|nil passed to require('lspconfig').akslint.setup()
function M.lspconfig(opts)
  add_filetypes()
  local configs = require('lspconfig.configs')
  local util = require('lspconfig.util')
  if not configs.akslint then
    local defaults = M.config()
    configs.akslint = {
      default_config = {
        cmd = defaults.cmd,
        filetypes = defaults.filetypes,
        root_dir = util.root_pattern('akslint.yaml', '.git'),
        single_file_support = true,
        init_options = {},
        settings = defaults.settings,
      },
      docs = { description = 'akslint: security linter for AKS deployment files (Kubernetes YAML, Helm charts, Bicep)' },
    }
  end
  opts = opts or {}
  opts.init_options = vim.tbl_deep_extend('force', settings_of(opts), opts.init_options or {})
  require('lspconfig').akslint.setup(opts)
end

return M
