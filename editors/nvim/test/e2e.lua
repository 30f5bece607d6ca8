-- End-to-end test of akslint's language server in a real Neovim (>= 0.11), headless:
--   nvim --headless --clean -l editors/nvim/test/e2e.lua AKSLINT_BINARY WORKSPACE_COPY
-- WORKSPACE_COPY is a scratch copy of editors/nvim/test/workspace (the test edits files).
-- Prints one line per check and `nvim e2e: N passed, N failed`; exits 1 on a failure.
local bin, ws = arg[1], arg[2]
assert(bin and ws, 'usage: e2e.lua AKSLINT_BINARY WORKSPACE_COPY')
local here = vim.fs.dirname(vim.fs.normalize(debug.getinfo(1, 'S').source:sub(2)))
vim.opt.runtimepath:prepend(vim.fs.dirname(here)) -- editors/nvim
vim.opt.swapfile = false
local started = vim.uv.hrtime()

require('akslint').setup({ cmd = { bin, 'lsp' } })

local passed, failed = 0, 0
local function check(name, fn)
  local ok, err = pcall(fn)
  local ms = (vim.uv.hrtime() - started) / 1e6
  if ok then
    passed = passed + 1
    print(string.format('ok   %-58s %6.0f ms', name, ms))
  else
    failed = failed + 1
    print(string.format('FAIL %s: %s', name, err))
  end
end

vim.cmd('filetype on') -- `nvim -l` runs before the startup that would turn it on
vim.cmd.cd(ws)
vim.cmd.edit(ws .. '/deployment.yaml')
local buf = vim.api.nvim_get_current_buf()
local client

local function codes()
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out, d.code)
  end
  table.sort(out)
  return table.concat(out, ',')
end

local function wait_codes(expected, ms)
  vim.wait(ms or 15000, function() return codes() == expected end, 20)
  assert(codes() == expected, 'diagnostics are [' .. codes() .. '], expected [' .. expected .. ']')
end

local function find(pattern)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local col = line:find(pattern, 1, true)
    if col then return i - 1, col - 1 end
  end
  error('`' .. pattern .. '` is not in the buffer')
end

local function diagnostic(code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == code then return d end
  end
  error('no ' .. code .. ' diagnostic')
end

local function actions_at(line)
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    range = { start = { line = line, character = 0 }, ['end'] = { line = line, character = 0 } },
    context = { diagnostics = {}, only = { 'quickfix' } },
  }
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 10000)
  local actions = {}
  for _, response in pairs(responses or {}) do
    for _, action in ipairs(response.result or {}) do table.insert(actions, action) end
  end
  return actions
end

local function apply(title_prefix, line)
  for _, action in ipairs(actions_at(line)) do
    if action.title:sub(1, #title_prefix) == title_prefix then
      vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
      return action
    end
  end
  error('no code action `' .. title_prefix .. '` on line ' .. line)
end

check('the server starts and attaches', function()
  vim.wait(10000, function() return #vim.lsp.get_clients({ bufnr = buf, name = 'akslint' }) > 0 end, 20)
  client = vim.lsp.get_clients({ bufnr = buf, name = 'akslint' })[1]
  assert(client, 'akslint is not attached')
  assert(client.offset_encoding == 'utf-8', 'negotiated ' .. tostring(client.offset_encoding))
end)

check('SEC001 and the cross-file WID001, at their positions', function()
  wait_codes('SEC001,WID001')
  local sec = diagnostic('SEC001')
  local line = find('"Zr8v')
  local text = vim.api.nvim_buf_get_lines(buf, line, line + 1, false)[1]
  local covered = text:sub(sec.col + 1, sec.end_col)
  assert(sec.lnum == line and sec.end_lnum == line and covered:gsub('"', '') == 'Zr8v-Kq2m-Wx7p',
    string.format('SEC001 at %d:%d-%d covers `%s`', sec.lnum, sec.col, sec.end_col, covered))
  assert(sec.source == 'akslint' and sec.severity == vim.diagnostic.severity.ERROR)
  assert(not sec.message:find('Zr8v-Kq2m-Wx7p', 1, true), 'the secret is in the message')
  local wid = diagnostic('WID001')
  line, col = find('labels:')
  assert(wid.lnum == line and wid.col == col, string.format('WID001 at %d:%d', wid.lnum, wid.col))
  local related = wid.user_data.lsp.relatedInformation[1]
  assert(related.location.uri:match('serviceaccount%.yaml$'), vim.inspect(related))
end)

check('hover shows the rule page', function()
  local line, col = find('"Zr8v')
  local params = { textDocument = vim.lsp.util.make_text_document_params(buf), position = { line = line, character = col + 2 } }
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 10000)
  local value = responses[client.id].result.contents.value
  assert(value:find('# SEC001 `hardcoded-secret-in-env`', 1, true), value)
end)

check('quick fix WID001 adds the label', function()
  local line = find('labels:')
  local action = apply('Fix WID001', line)
  assert(action.isPreferred, 'not preferred')
  local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
  assert(text:find('      labels:\n        azure.workload.identity/use: "true"\n        app: orders', 1, true), text)
  wait_codes('SEC001')
end)

check('ignore SEC001 inserts a suppression comment', function()
  local line = find('"Zr8v')
  apply('Ignore SEC001', line)
  local above = vim.api.nvim_buf_get_lines(buf, line, line + 1, false)[1]
  assert(above == '              # akslint-ignore SEC001: <reason>', above)
  -- SEC001 is silenced; SUP001 asks for the reason until the placeholder is replaced.
  wait_codes('SUP001')
end)

check('edits re-lint: removing the comment brings SEC001 back', function()
  local comment = find('# akslint-ignore')
  local text = vim.api.nvim_buf_get_lines(buf, comment, comment + 1, false)
  vim.api.nvim_buf_set_lines(buf, comment, comment + 1, false, {})
  wait_codes('SEC001')
  vim.api.nvim_buf_set_lines(buf, comment, comment, false, text)
  wait_codes('SUP001')
end)

check('saving akslint.yaml applies it without a restart', function()
  local comment = find('# akslint-ignore')
  vim.api.nvim_buf_set_lines(buf, comment, comment + 1, false, {})
  wait_codes('SEC001')
  vim.cmd.edit(ws .. '/akslint.yaml')
  local config = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_lines(config, 0, -1, false, { 'rules:', '  SEC001: warning' })
  vim.cmd('silent write')
  vim.wait(15000, function()
    local d = vim.diagnostic.get(buf)
    return #d == 1 and d[1].severity == vim.diagnostic.severity.WARN
  end, 20)
  local d = vim.diagnostic.get(buf)
  assert(#d == 1 and d[1].severity == vim.diagnostic.severity.WARN, vim.inspect(d))
end)

check('a Bicep file: its findings, or none when the build has no Bicep front end', function()
  vim.cmd.edit(ws .. '/aks.bicep')
  local bicep = vim.api.nvim_get_current_buf()
  -- Wait for the server's answer for this buffer (an empty publish counts).
  vim.wait(3000, function() return #vim.diagnostic.get(bicep) > 0 end, 20)
  local found = vim.diagnostic.get(bicep)
  if #found == 0 then
    print('     (no Bicep findings: no Bicep front end in this build)')
    return
  end
  for _, d in ipairs(found) do
    assert(d.source == 'akslint' and d.code, vim.inspect(d))
  end
  local first = found[1]
  local responses = vim.lsp.buf_request_sync(bicep, 'textDocument/codeAction', {
    textDocument = vim.lsp.util.make_text_document_params(bicep),
    range = { start = { line = first.lnum, character = 0 }, ['end'] = { line = first.lnum, character = 0 } },
    context = { diagnostics = {}, only = { 'quickfix' } },
  }, 10000)
  local ignore
  for _, a in ipairs(responses[client.id].result or {}) do
    if a.title:find('^Ignore ' .. first.code) then ignore = a end
  end
  assert(ignore, 'no ignore action for ' .. first.code)
  vim.lsp.util.apply_workspace_edit(ignore.edit, client.offset_encoding)
  local line = vim.api.nvim_buf_get_lines(bicep, first.lnum, first.lnum + 1, false)[1]
  assert(line:match('^%s*// akslint%-ignore ' .. first.code .. ': <reason>$'), line)
  -- The finding is silenced, and SUP001 asks for the placeholder's reason.
  local function silenced()
    local now = vim.diagnostic.get(bicep)
    local asks = false
    for _, d in ipairs(now) do asks = asks or d.code == 'SUP001' end
    return #now == #found and asks
  end
  vim.wait(10000, silenced, 20)
  assert(silenced(), vim.inspect(vim.diagnostic.get(bicep)))
end)

print(string.format('nvim e2e: %d passed, %d failed (%.1f s)', passed, failed, (vim.uv.hrtime() - started) / 1e9))
for _, c in ipairs(vim.lsp.get_clients()) do c:stop() end
vim.wait(2000, function() return #vim.lsp.get_clients() == 0 end, 20)
os.exit(failed == 0 and 0 or 1)
