// What the end-to-end suites share: akslint's diagnostics of a document, waiting for a set of
// codes, positions of text, and applying a quick fix.
import * as assert from 'assert';
import * as vscode from 'vscode';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** akslint's diagnostics of a document (not those of other extensions). */
export function akslintDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'akslint');
}

/** A diagnostic's code (SEC001), whether it comes with a link or not. */
export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/** akslint's codes of a document, sorted and comma-separated. */
export function codes(uri: vscode.Uri): string {
  return akslintDiagnostics(uri).map(codeOf).sort().join(',');
}

/** Waits until a document's akslint codes are `expected` (sorted, comma-separated) and returns its diagnostics. */
export async function waitForCodes(uri: vscode.Uri, expected: string, ms = 30000): Promise<vscode.Diagnostic[]> {
  const end = Date.now() + ms;
  while (Date.now() < end && codes(uri) !== expected) {
    await sleep(50);
  }
  assert.strictEqual(codes(uri), expected, `diagnostics of ${uri.path}`);
  return akslintDiagnostics(uri);
}

/** The position of the first occurrence of `needle` in a document. */
export function positionOf(doc: vscode.TextDocument, needle: string): vscode.Position {
  const at = doc.getText().indexOf(needle);
  assert.ok(at >= 0, `${needle} not in ${doc.uri.path}`);
  return doc.positionAt(at);
}

/** The text of the hovers at a position, joined. */
export async function hoverText(uri: vscode.Uri, at: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

/** Applies the quick fix whose title starts with `prefix` on a line. */
export async function applyAction(doc: vscode.TextDocument, line: number, prefix: string): Promise<vscode.CodeAction> {
  const range = new vscode.Range(line, 0, line, 0);
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider', doc.uri, range, vscode.CodeActionKind.QuickFix.value);
  const action = actions.find((a) => a.title.startsWith(prefix));
  assert.ok(action, `no action "${prefix}..." among ${actions.map((a) => a.title).join(' | ')}`);
  assert.ok(action.edit, 'the action has no edit');
  assert.ok(await vscode.workspace.applyEdit(action.edit), 'the edit was not applied');
  return action;
}
