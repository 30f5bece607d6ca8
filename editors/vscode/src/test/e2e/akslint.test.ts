// Runs inside VS Code's extension host, with the akslint extension installed from its .vsix
// (the akslint binary bundled in it, none on the PATH) and the workspace folder
// editors/vscode/e2e/workspace (a scratch copy, not trusted: Restricted Mode; its
// .vscode/settings.json names a decoy akslint.path).
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { AkslintApi } from '../../extension';
import { akslintDiagnostics, applyAction, codeOf, hoverText, positionOf, sleep, waitForCodes } from './util';

const SECRET = 'Zr8v-Kq2m-Wx7p';

describe('akslint in VS Code, installed from its .vsix', function () {
  const folder = () => vscode.workspace.workspaceFolders![0].uri;
  let deployment: vscode.TextDocument;

  it('is installed', () => {
    assert.ok(vscode.extensions.getExtension('akslint.akslint'), 'akslint.akslint is not installed');
  });

  it('reports SEC001 and the cross-file WID001 with codes, links and ranges', async () => {
    deployment = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'deployment.yaml'));
    assert.strictEqual(deployment.languageId, 'yaml');
    await vscode.window.showTextDocument(deployment);
    const diagnostics = await waitForCodes(deployment.uri, 'SEC001,WID001');
    const sec = diagnostics.find((d) => codeOf(d) === 'SEC001')!;
    // The range is the value, with or without its quotes (as the rule decides).
    const start = positionOf(deployment, SECRET);
    assert.strictEqual(sec.range.start.line, start.line);
    assert.strictEqual(sec.range.end.line, start.line);
    assert.strictEqual(deployment.getText(sec.range).replace(/"/g, ''), SECRET, JSON.stringify(sec.range));
    assert.strictEqual(sec.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(typeof sec.code === 'object' && sec.code.target.toString().endsWith('SEC001-hardcoded-secret-in-env.md'));
    assert.ok(!sec.message.includes(SECRET), 'the secret is in the message');
    const wid = diagnostics.find((d) => codeOf(d) === 'WID001')!;
    const labels = positionOf(deployment, 'labels:');
    assert.deepStrictEqual([wid.range.start.line, wid.range.start.character], [labels.line, labels.character]);
    const related = wid.relatedInformation ?? [];
    assert.ok(related.some((r) => r.location.uri.path.endsWith('/serviceaccount.yaml')), JSON.stringify(related));
  });

  it('runs the bundled binary in Restricted Mode, not the workspace akslint.path', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'the workspace is trusted');
    const extension = vscode.extensions.getExtension<AkslintApi>('akslint.akslint')!;
    const api = await extension.activate();
    assert.strictEqual(api.state(), 'running');
    const server = api.server()!;
    assert.strictEqual(server.source, 'bundled', JSON.stringify(server));
    assert.strictEqual(server.path, path.join(extension.extensionPath, 'bundled', 'bin', 'akslint'));
    const major_minor = (v: string) => v.split('.').slice(0, 2).join('.');
    assert.strictEqual(major_minor(server.version), major_minor(extension.packageJSON.version));
  });

  it('shows the rule page on hover', async () => {
    const at = positionOf(deployment, `"${SECRET}"`).translate(0, 3);
    const text = await hoverText(deployment.uri, at);
    assert.ok(text.includes('# SEC001 `hardcoded-secret-in-env`'), text.slice(0, 500));
  });

  it('applies the WID001 quick fix', async () => {
    const action = await applyAction(deployment, positionOf(deployment, 'labels:').line, 'Fix WID001');
    assert.strictEqual(action.isPreferred, true);
    assert.ok(deployment.getText().includes('      labels:\n        azure.workload.identity/use: "true"\n        app: orders\n'),
      deployment.getText());
    await waitForCodes(deployment.uri, 'SEC001');
  });

  it('ignores SEC001 on its line with a reason placeholder', async () => {
    const line = positionOf(deployment, `"${SECRET}"`).line;
    await applyAction(deployment, line, 'Ignore SEC001');
    assert.strictEqual(deployment.lineAt(line).text, '              # akslint-ignore SEC001: <reason>');
    // SEC001 is silenced; SUP001 asks for the reason until the placeholder is replaced.
    await waitForCodes(deployment.uri, 'SUP001');
  });

  it('takes an akslint.yaml change without a restart', async () => {
    const editor = await vscode.window.showTextDocument(deployment);
    const line = positionOf(deployment, '# akslint-ignore').line;
    await editor.edit((e) => e.delete(deployment.lineAt(line).rangeIncludingLineBreak));
    await waitForCodes(deployment.uri, 'SEC001');
    const config = vscode.Uri.joinPath(folder(), 'akslint.yaml');
    await vscode.workspace.fs.writeFile(config, Buffer.from('rules:\n  SEC001: warning\n'));
    const end = Date.now() + 30000;
    while (Date.now() < end && akslintDiagnostics(deployment.uri)[0]?.severity !== vscode.DiagnosticSeverity.Warning) {
      await sleep(50);
    }
    assert.strictEqual(akslintDiagnostics(deployment.uri)[0]?.severity, vscode.DiagnosticSeverity.Warning);
  });

  it('lints a Bicep file when the build has a Bicep front end, and ignores with // comments', async () => {
    const bicep = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'aks.bicep'));
    assert.strictEqual(bicep.languageId, 'bicep');
    await vscode.window.showTextDocument(bicep);
    const end = Date.now() + 5000;
    while (Date.now() < end && akslintDiagnostics(bicep.uri).length === 0) {
      await sleep(50);
    }
    const found = akslintDiagnostics(bicep.uri);
    if (found.length === 0) {
      console.log('no Bicep findings: no Bicep front end in this build');
      return;
    }
    const first = found[0];
    const action = await applyAction(bicep, first.range.start.line, `Ignore ${codeOf(first)}`);
    assert.ok(action);
    assert.strictEqual(bicep.lineAt(first.range.start.line).text, `// akslint-ignore ${codeOf(first)}: <reason>`);
    await waitForCodes(bicep.uri, found.slice(1).map(codeOf).concat(['SUP001']).sort().join(','));
  });

  it('applies every safe fix with "akslint: Fix all"', async () => {
    const reports = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'reports.yaml'));
    await vscode.window.showTextDocument(reports);
    await waitForCodes(reports.uri, 'WID001');
    await vscode.commands.executeCommand('akslint.fixAll');
    await waitForCodes(reports.uri, '');
    assert.ok(reports.getText().includes('azure.workload.identity/use: "true"'), reports.getText());
  });

  it('opens a Bicep file without errors', async () => {
    const bicep = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'main.bicep'));
    assert.strictEqual(bicep.languageId, 'bicep');
    await vscode.window.showTextDocument(bicep);
    await sleep(1000);
    for (const d of akslintDiagnostics(bicep.uri)) {
      assert.ok(!d.message.includes(SECRET), 'a secret in a Bicep finding');
    }
    // The server is still serving the YAML file.
    await waitForCodes(deployment.uri, 'SEC001');
  });

  it('reports the files that are not open, and "akslint: Lint workspace" has them pulled again', async () => {
    const worker = vscode.Uri.joinPath(folder(), 'worker.yaml');
    // VS Code pulls workspace diagnostics: a closed file has its findings without the command.
    const [sec] = await waitForCodes(worker, 'SEC001');
    assert.ok(!sec.message.includes('Tq4n-Hc8s-Lp3v'), 'the secret is in the message');
    // The command asks VS Code to pull again and pushes nothing: a pushed copy would show each
    // finding twice (VS Code keeps pushed and pulled diagnostics apart).
    await vscode.commands.executeCommand('akslint.lintWorkspace');
    await sleep(1000);
    await waitForCodes(worker, 'SEC001');
  });
});
