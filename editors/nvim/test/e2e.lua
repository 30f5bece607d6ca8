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
-- Straight to stdout: Neovim's messages (print) can lose a line break between two lines.
local function say(line) io.stdout:write(line, '\n') end
local function check(name, fn)
  local ok, err = pcall(fn)
  local ms = (vim.uv.hrtime() - started) / 1e6
  if ok then
    passed = passed + 1
    say(string.format('ok   %-58s %6.0f ms', name, ms))
  else
    failed = failed + 1
    say(string.format('FAIL %s: %s', name, err))
  end
end

vim.cmd('filetype on') -- `nvim -l` runs before the startup that would turn it on
vim.cmd.cd(ws)
vim.cmd.edit(ws .. '/deployment.yaml')
local buf = vim.api.nvim_get_current_buf()
local client

-- The codes of a buffer's diagnostics (default: the first buffer), sorted and comma-separated.
local function codes(b)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(b or buf)) do
    table.insert(out, d.code)
  end
  table.sort(out)
  return table.concat(out, ',')
end

local function wait_codes(expected, b)
  vim.wait(15000, function() return codes(b) == expected end, 20)
  assert(codes(b) == expected, 'diagnostics are [' .. codes(b) .. '], expected [' .. expected .. ']')
end

-- The 0-based line and byte column of the first `pattern` (plain text) at or after line `from`.
local function find(pattern, b, from)
  local lines = vim.api.nvim_buf_get_lines(b or buf, from or 0, -1, false)
  for i, line in ipairs(lines) do
    local col = line:find(pattern, 1, true)
    if col then return (from or 0) + i - 1, col - 1 end
  end
  error('`' .. pattern .. '` is not in the buffer')
end

local function diagnostic(code, b)
  for _, d in ipairs(vim.diagnostic.get(b or buf)) do
    if d.code == code then return d end
  end
  error('no ' .. code .. ' diagnostic')
end

-- The text a diagnostic covers (on its first line).
local function covered(d, b)
  local text = vim.api.nvim_buf_get_lines(b or buf, d.lnum, d.lnum + 1, false)[1]
  return text:sub(d.col + 1, d.end_lnum == d.lnum and d.end_col or #text)
end

-- The hover's text at the first `pattern` of a buffer (`offset` bytes into it).
local function hover_at(b, pattern, offset)
  local line, col = find(pattern, b)
  local params = { textDocument = vim.lsp.util.make_text_document_params(b), position = { line = line, character = col + offset } }
  local responses = vim.lsp.buf_request_sync(b, 'textDocument/hover', params, 10000)
  return responses[client.id].result.contents.value
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
  assert(sec.lnum == line and sec.end_lnum == line and covered(sec):gsub('"', '') == 'Zr8v-Kq2m-Wx7p',
    string.format('SEC001 at %d:%d-%d covers `%s`', sec.lnum, sec.col, sec.end_col, covered(sec)))
  assert(sec.source == 'akslint' and sec.severity == vim.diagnostic.severity.ERROR)
  assert(not sec.message:find('Zr8v-Kq2m-Wx7p', 1, true), 'the secret is in the message')
  local wid = diagnostic('WID001')
  line, col = find('labels:')
  assert(wid.lnum == line and wid.col == col, string.format('WID001 at %d:%d', wid.lnum, wid.col))
  local related = wid.user_data.lsp.relatedInformation[1]
  assert(related.location.uri:match('serviceaccount%.yaml$'), vim.inspect(related))
end)

check('hover shows the rule page', function()
  local value = hover_at(buf, '"Zr8v', 2)
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
    say('     (no Bicep findings: no Bicep front end in this build)')
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

-- The Helm chart shop/ (a copy of editors/fixtures/shop), linted from source: each finding in
-- the file and at the line that wrote it, and unsaved edits of a template or values.yaml
-- rendered again.
local chart = ws .. '/shop/'
local TOKEN = 'ghp_PSyR16LKAIxgdBrFFfcYCgCg9Y3MKIShyvet'
local PASSWORD = 'WMpxD5v6tSvW97lzQa4E'
local files = { 'Chart.yaml', 'values.yaml', 'templates/_helpers.tpl', 'templates/api.yaml',
  'templates/serviceaccount.yaml', 'templates/worker.yaml' }
local bufs = {}

-- How many times the server published each file's diagnostics (an empty list counts).
local published = {}
local publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  local path = vim.uri_to_fname(result.uri)
  published[path] = (published[path] or 0) + 1
  return publish(err, result, ctx, config)
end

-- Waits for a chart file's diagnostics to be published (at least `times` times) and be `expected`.
local function chart_codes(file, expected, times)
  local b = bufs[file]
  vim.wait(15000, function() return (published[chart .. file] or 0) >= (times or 1) and codes(b) == expected end, 20)
  assert((published[chart .. file] or 0) >= (times or 1), file .. ': no diagnostics published')
  assert(codes(b) == expected, file .. ': diagnostics are [' .. codes(b) .. '], expected [' .. expected .. ']')
end

check('a chart: templates, helpers and values attach (helpers are `helm`)', function()
  local filetypes = {}
  for _, file in ipairs(files) do
    vim.cmd.edit(chart .. file)
    bufs[file] = vim.api.nvim_get_current_buf()
    filetypes[file] = vim.bo.filetype
  end
  for _, file in ipairs(files) do
    vim.wait(10000, function() return #vim.lsp.get_clients({ bufnr = bufs[file], name = 'akslint' }) > 0 end, 20)
    assert(#vim.lsp.get_clients({ bufnr = bufs[file], name = 'akslint' }) == 1, file .. ' has no akslint client')
  end
  assert(filetypes['templates/_helpers.tpl'] == 'helm', vim.inspect(filetypes))
  assert(filetypes['templates/api.yaml'] == 'yaml' and filetypes['values.yaml'] == 'yaml', vim.inspect(filetypes))
end)

check('a token written in a template: SEC001 at its line, in the template', function()
  local api = bufs['templates/api.yaml']
  chart_codes('templates/api.yaml', 'SEC001')
  local sec = diagnostic('SEC001', api)
  local line = find(TOKEN, api)
  assert(sec.lnum == line and covered(sec, api):gsub('"', '') == TOKEN,
    string.format('SEC001 at %d:%d covers `%s`', sec.lnum, sec.col, covered(sec, api)))
  assert(not sec.message:find(TOKEN, 1, true), 'the token is in the message')
end)

check('a password of values.yaml in an env var: SEC001 at its key, the template related', function()
  local values = bufs['values.yaml']
  chart_codes('values.yaml', 'SEC001')
  local sec = diagnostic('SEC001', values)
  local line = find('password:', values)
  assert(sec.lnum == line and covered(sec, values) == PASSWORD,
    string.format('SEC001 at %d:%d covers `%s`', sec.lnum, sec.col, covered(sec, values)))
  assert(not sec.message:find(PASSWORD, 1, true), 'the password is in the message')
  local related = sec.user_data.lsp.relatedInformation or {}
  local writes = find('.Values.database.password', bufs['templates/api.yaml'])
  assert(#related == 1 and related[1].location.uri == vim.uri_from_fname(chart .. 'templates/api.yaml')
    and related[1].location.range.start.line == writes, vim.inspect(related))
end)

check('a pod template without the workload identity label: WID001 at its labels', function()
  local worker = bufs['templates/worker.yaml']
  chart_codes('templates/worker.yaml', 'WID001')
  local wid = diagnostic('WID001', worker)
  local line, col = find('labels:', worker, find('  template:', worker))
  assert(wid.lnum == line and wid.col == col, string.format('WID001 at %d:%d, not %d:%d', wid.lnum, wid.col, line, col))
  local related = wid.user_data.lsp.relatedInformation or {}
  assert(#related == 1 and related[1].location.uri == vim.uri_from_fname(chart .. 'templates/serviceaccount.yaml'),
    vim.inspect(related))
end)

check('no PARSE finding on valid templates (`include ... | nindent`)', function()
  chart_codes('templates/serviceaccount.yaml', '')
  chart_codes('templates/_helpers.tpl', '')
  chart_codes('Chart.yaml', '')
end)

check('hover on a chart finding shows the rule page', function()
  local value = hover_at(bufs['templates/api.yaml'], TOKEN, 3)
  assert(value:find('# SEC001 `hardcoded-secret-in-env`', 1, true), value)
  value = hover_at(bufs['values.yaml'], PASSWORD, 3)
  assert(value:find('# SEC001 `hardcoded-secret-in-env`', 1, true), value)
end)

check('unsaved: the password removed from values.yaml clears its finding', function()
  local values = bufs['values.yaml']
  local line = find('password:', values)
  vim.api.nvim_buf_set_lines(values, line, line + 1, false, {})
  assert(vim.bo[values].modified, 'values.yaml was saved')
  chart_codes('values.yaml', '', 2)
  chart_codes('templates/api.yaml', 'SEC001')
end)

check('unsaved: a template edited, its finding moves with the line', function()
  local api = bufs['templates/api.yaml']
  local line = find('- name: GITHUB_TOKEN', api)
  vim.api.nvim_buf_set_lines(api, line, line, false, { '            # the release bot' })
  vim.wait(15000, function() return #vim.diagnostic.get(api) == 1 and vim.diagnostic.get(api)[1].lnum == line + 2 end, 20)
  local sec = diagnostic('SEC001', api)
  assert(sec.lnum == line + 2 and covered(sec, api):gsub('"', '') == TOKEN, string.format('SEC001 at %d', sec.lnum))
end)

check('unsaved: the label added clears WID001', function()
  local worker = bufs['templates/worker.yaml']
  local labels = find('labels:', worker, find('  template:', worker))
  vim.api.nvim_buf_set_lines(worker, labels + 2, labels + 2, false, { '        azure.workload.identity/use: "true"' })
  chart_codes('templates/worker.yaml', '', 2)
end)

-- Breaks a chart file's template action on the first line with `pattern` (its `}}` cut to `}`),
-- unsaved, and waits for PARSE010 on that line; returns a function that restores the line.
local function break_action(file, pattern)
  local b = bufs[file]
  local line = find(pattern, b)
  local text = vim.api.nvim_buf_get_lines(b, line, line + 1, false)
  vim.api.nvim_buf_set_lines(b, line, line + 1, false, { (text[1]:gsub('}}$', '}')) })
  -- Waits for this edit's PARSE010, not one still shown from an earlier edit elsewhere.
  vim.wait(15000, function()
    return codes(b) == 'PARSE010' and diagnostic('PARSE010', b).lnum == line
  end, 20)
  chart_codes(file, 'PARSE010', 2)
  local lnum = diagnostic('PARSE010', b).lnum
  assert(lnum == line, string.format('%s: PARSE010 at %d, not %d', file, lnum, line))
  return function() vim.api.nvim_buf_set_lines(b, line, line + 1, false, text) end
end

check('unsaved: a helper that stops parsing, then fixed, renders the templates again', function()
  local restore = break_action('templates/_helpers.tpl', 'app.kubernetes.io/name: {{')
  -- The templates that include it do not render: PARSE010 at their first include.
  chart_codes('templates/worker.yaml', 'PARSE010')
  local worker = bufs['templates/worker.yaml']
  assert(diagnostic('PARSE010', worker).lnum == find('name: {{ include', worker), 'worker: PARSE010 not at the include')
  restore()
  chart_codes('templates/_helpers.tpl', '', 3)
  chart_codes('templates/worker.yaml', '')
  -- The service account includes the helper too: clear before the next check breaks it.
  chart_codes('templates/serviceaccount.yaml', '')
  chart_codes('templates/api.yaml', 'SEC001')
end)

check('unsaved: a template that stops parsing is PARSE010 at its line', function()
  local restore = break_action('templates/serviceaccount.yaml', 'name: {{')
  restore()
  chart_codes('templates/serviceaccount.yaml', '', 3)
end)

say(string.format('nvim e2e: %d passed, %d failed (%.1f s)', passed, failed, (vim.uv.hrtime() - started) / 1e9))
for _, c in ipairs(vim.lsp.get_clients()) do c:stop() end
vim.wait(2000, function() return #vim.lsp.get_clients() == 0 end, 20)
os.exit(failed == 0 and 0 or 1)
