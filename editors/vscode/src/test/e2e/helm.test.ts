// Runs inside VS Code's extension host after akslint.test.ts, on the same workspace: the Helm
// chart shop/ (a copy of editors/fixtures/shop) linted from source. The test host extension
// (e2e/host) contributes the `helm` language as a Helm extension does, so the chart's templates
// and helpers open as `helm`; one template and the helpers are switched to `yaml` and plain
// text, as they are without a Helm extension.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { akslintDiagnostics, codeOf, codes, hoverText, positionOf, sleep, waitForCodes } from './util';

const TOKEN = 'ghp_PSyR16LKAIxgdBrFFfcYCgCg9Y3MKIShyvet';
const PASSWORD = 'WMpxD5v6tSvW97lzQa4E';

describe('a Helm chart linted from source', function () {
  const chart = (file: string) => vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'shop', file);
  const docs = new Map<string, vscode.TextDocument>();
  const doc = (file: string) => docs.get(file)!;

  /** The diagnostic of `code` in a chart file. */
  function diagnostic(file: string, code: string): vscode.Diagnostic {
    const found = akslintDiagnostics(chart(file)).find((d) => codeOf(d) === code);
    assert.ok(found, `no ${code} in ${file}`);
    return found;
  }

  /** Replaces a chart file's first `from` with `to` in the editor, unsaved. */
  async function edit(file: string, from: string, to: string): Promise<void> {
    const text = doc(file);
    const start = text.getText().indexOf(from);
    assert.ok(start >= 0, `${from} not in ${file}`);
    const change = new vscode.WorkspaceEdit();
    change.replace(text.uri, new vscode.Range(text.positionAt(start), text.positionAt(start + from.length)), to);
    assert.ok(await vscode.workspace.applyEdit(change), `the edit of ${file} was not applied`);
    assert.ok(text.isDirty, `${file} was saved`);
  }

  it('opens the templates and helpers as helm, values.yaml as yaml', async () => {
    for (const file of ['Chart.yaml', 'values.yaml', 'templates/_helpers.tpl', 'templates/api.yaml',
      'templates/serviceaccount.yaml', 'templates/worker.yaml']) {
      const opened = await vscode.workspace.openTextDocument(chart(file));
      await vscode.window.showTextDocument(opened, { preview: false });
      docs.set(file, opened);
    }
    assert.strictEqual(doc('templates/api.yaml').languageId, 'helm');
    assert.strictEqual(doc('templates/_helpers.tpl').languageId, 'helm');
    assert.strictEqual(doc('values.yaml').languageId, 'yaml');
  });

  it('reports a token written in a template at its line, in the template', async () => {
    const [sec] = await waitForCodes(chart('templates/api.yaml'), 'SEC001');
    const api = doc('templates/api.yaml');
    assert.strictEqual(sec.range.start.line, positionOf(api, TOKEN).line);
    assert.strictEqual(api.getText(sec.range).replace(/"/g, ''), TOKEN, JSON.stringify(sec.range));
    assert.ok(!sec.message.includes(TOKEN), 'the token is in the message');
  });

  it('reports a password of values.yaml that reaches an env var at its key, the template related', async () => {
    const [sec] = await waitForCodes(chart('values.yaml'), 'SEC001');
    const values = doc('values.yaml');
    assert.strictEqual(values.getText(sec.range), PASSWORD, JSON.stringify(sec.range));
    assert.strictEqual(sec.range.start.line, positionOf(values, 'password:').line);
    assert.ok(!sec.message.includes(PASSWORD), 'the password is in the message');
    const related = sec.relatedInformation ?? [];
    const writes = positionOf(doc('templates/api.yaml'), '{{ .Values.database.password');
    assert.deepStrictEqual(related.map((r) => [r.location.uri.toString(), r.location.range.start.line]),
      [[chart('templates/api.yaml').toString(), writes.line]]);
  });

  it('reports a pod template without the workload identity label at its labels block', async () => {
    const [wid] = await waitForCodes(chart('templates/worker.yaml'), 'WID001');
    const worker = doc('templates/worker.yaml');
    const template = worker.getText().indexOf('  template:');
    const labels = worker.positionAt(worker.getText().indexOf('labels:', template));
    assert.deepStrictEqual([wid.range.start.line, wid.range.start.character], [labels.line, labels.character]);
    const related = wid.relatedInformation ?? [];
    assert.deepStrictEqual(related.map((r) => r.location.uri.toString()), [chart('templates/serviceaccount.yaml').toString()]);
  });

  it('reports no PARSE finding on the valid templates and helpers (include ... | nindent)', async () => {
    // Findings of closed files come from the workspace pull: give it the time to arrive.
    await sleep(1000);
    for (const file of ['Chart.yaml', 'templates/_helpers.tpl', 'templates/serviceaccount.yaml']) {
      assert.strictEqual(codes(chart(file)), '', file);
    }
    const parse = vscode.languages.getDiagnostics()
      .filter(([uri]) => uri.path.includes('/shop/'))
      .flatMap(([uri, found]) => found.filter((d) => d.source === 'akslint' && codeOf(d).startsWith('PARSE')).map(() => uri.path));
    assert.deepStrictEqual(parse, []);
  });

  it('shows the rule page on hover over a chart finding', async () => {
    for (const [file, secret] of [['templates/api.yaml', TOKEN], ['values.yaml', PASSWORD]]) {
      const text = await hoverText(chart(file), positionOf(doc(file), secret).translate(0, 3));
      assert.ok(text.includes('# SEC001 `hardcoded-secret-in-env`'), `${file}: ${text.slice(0, 300)}`);
    }
  });

  it('renders an unsaved values.yaml: the password removed, its finding goes', async () => {
    await edit('values.yaml', `  password: ${PASSWORD}\n`, '');
    await waitForCodes(chart('values.yaml'), '');
    await waitForCodes(chart('templates/api.yaml'), 'SEC001');
  });

  it('renders an unsaved template opened as yaml: the finding moves with its line, the label clears WID001', async () => {
    const api = await vscode.languages.setTextDocumentLanguage(doc('templates/api.yaml'), 'yaml');
    docs.set('templates/api.yaml', api);
    await edit('templates/api.yaml', '            - name: GITHUB_TOKEN', '            # the release bot\n            - name: GITHUB_TOKEN');
    const token = positionOf(api, TOKEN).line;
    const end = Date.now() + 30000;
    while (Date.now() < end && akslintDiagnostics(api.uri)[0]?.range.start.line !== token) {
      await sleep(50);
    }
    assert.deepStrictEqual(akslintDiagnostics(api.uri).map((d) => [codeOf(d), d.range.start.line]), [['SEC001', token]]);
    const worker = await vscode.languages.setTextDocumentLanguage(doc('templates/worker.yaml'), 'yaml');
    docs.set('templates/worker.yaml', worker);
    await edit('templates/worker.yaml', '| nindent 8 }}\n', '| nindent 8 }}\n        azure.workload.identity/use: "true"\n');
    await waitForCodes(worker.uri, '');
  });

  it('renders the templates again on an unsaved edit of a helper opened as plain text', async () => {
    const file = 'templates/_helpers.tpl';
    const helpers = await vscode.languages.setTextDocumentLanguage(doc(file), 'plaintext');
    docs.set(file, helpers);
    const valid = 'app.kubernetes.io/name: {{ include "shop.name" . }}';
    await edit(file, valid, valid.slice(0, -1));
    const [parse] = await waitForCodes(helpers.uri, 'PARSE010');
    assert.strictEqual(parse.range.start.line, positionOf(helpers, 'app.kubernetes.io/name:').line);
    // The templates that include it do not render: PARSE010 at their first include.
    const [stopped] = await waitForCodes(chart('templates/worker.yaml'), 'PARSE010');
    assert.strictEqual(stopped.range.start.line, positionOf(doc('templates/worker.yaml'), 'name: {{ include').line);
    await edit(file, valid.slice(0, -1), valid);
    await waitForCodes(helpers.uri, '');
    await waitForCodes(chart('templates/worker.yaml'), '');
  });

  it('reports an unsaved template that stops parsing as PARSE010 at its line, and its fix', async () => {
    const file = 'templates/serviceaccount.yaml';
    await edit(file, '{{ .Values.serviceAccount.name }}', '{{ .Values.serviceAccount.name }');
    await waitForCodes(chart(file), 'PARSE010');
    assert.strictEqual(diagnostic(file, 'PARSE010').range.start.line, positionOf(doc(file), 'name: {{').line);
    await edit(file, '{{ .Values.serviceAccount.name }', '{{ .Values.serviceAccount.name }}');
    await waitForCodes(chart(file), '');
  });
});
