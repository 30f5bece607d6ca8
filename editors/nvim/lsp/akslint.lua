-- akslint's language server for Neovim >= 0.11: put this folder (editors/nvim) on the
-- runtimepath and run `vim.lsp.enable('akslint')`, or call `require('akslint').setup()`.
-- Override any field with `vim.lsp.config('akslint', { ... })`.
return {
  cmd = { 'akslint', 'lsp' },
  -- `helm`: a chart's templates and helpers as Helm plugins (and setup() for .tpl) name them.
  filetypes = { 'yaml', 'helm', 'bicep', 'bicep-params' },
  root_markers = { 'akslint.yaml', '.git' },
  -- Server settings: sent at start, and answered to the server's workspace/configuration.
  --   enable   (boolean, default true)    report anything at all
  --   severity ('info'|'warning'|'error') lowest severity shown
  --   exclude  (list of .gitignore-style patterns, relative to the workspace folder)
  init_options = {},
  settings = { akslint = {} },
}
