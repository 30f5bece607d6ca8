// akslint for VS Code: starts `akslint lsp` and connects it to YAML, Bicep and .bicepparam files.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, State } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;
let status: vscode.StatusBarItem;
let output: vscode.OutputChannel;

/** The settings the server reads (initializationOptions and workspace/configuration). */
function serverSettings(): { enable: boolean; severity: string; exclude: string[] } {
  const config = vscode.workspace.getConfiguration('akslint');
  return {
    enable: config.get<boolean>('enable', true),
    severity: config.get<string>('severity', 'info'),
    exclude: config.get<string[]>('exclude', []),
  };
}

/** The akslint binary: the `akslint.path` setting, else `akslint` found on the PATH. */
export function findServer(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const isFile = (file: string) => {
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  };
  if (configured && configured.trim() !== '') {
    return isFile(configured) ? configured : undefined;
  }
  const names = process.platform === 'win32' ? ['akslint.exe', 'akslint.cmd'] : ['akslint'];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (dir !== '' && isFile(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

function setStatus(text: string, tooltip: string, error = false): void {
  status.text = text;
  status.tooltip = tooltip;
  status.backgroundColor = error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  status.show();
}

async function start(): Promise<void> {
  const configured = vscode.workspace.getConfiguration('akslint').get<string>('path');
  const command = findServer(configured);
  if (!command) {
    const where = configured ? `at ${configured} (the akslint.path setting)` : 'on the PATH';
    setStatus('$(error) akslint', `akslint was not found ${where}`, true);
    output.appendLine(`akslint was not found ${where}.`);
    // Not awaited: activation must not wait for the user to close the notification.
    void vscode.window
      .showErrorMessage(
        `akslint: the language server was not found ${where}. Install it (cargo install --path crates/akslint-cli) or set akslint.path.`,
        'Open Settings',
      )
      .then((choice) => {
        if (choice === 'Open Settings') {
          void vscode.commands.executeCommand('workbench.action.openSettings', 'akslint.path');
        }
      });
    return;
  }
  const serverOptions: ServerOptions = { command, args: ['lsp'] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
      { scheme: 'file', language: 'bicep' },
      { scheme: 'file', language: 'bicep-params' },
      { scheme: 'file', pattern: '**/*.bicepparam' },
    ],
    initializationOptions: serverSettings(),
    synchronize: { configurationSection: 'akslint' },
    outputChannel: output,
  };
  client = new LanguageClient('akslint', 'akslint', serverOptions, clientOptions);
  client.onDidChangeState((event) => {
    if (event.newState === State.Running) {
      setStatus('$(shield) akslint', `akslint language server (${command})`);
    } else if (event.newState === State.Stopped) {
      setStatus('$(circle-slash) akslint', 'akslint language server stopped; click for its output', true);
    } else {
      setStatus('$(sync~spin) akslint', 'akslint language server starting');
    }
  });
  setStatus('$(sync~spin) akslint', 'akslint language server starting');
  output.appendLine(`starting ${command} lsp`);
  try {
    await client.start();
  } catch (err) {
    setStatus('$(error) akslint', `akslint failed to start: ${err}`, true);
    void vscode.window.showErrorMessage(`akslint: the language server failed to start: ${err}`);
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop().catch(() => undefined);
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('akslint');
  status = vscode.window.createStatusBarItem('akslint.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'akslint';
  status.command = 'akslint.showOutput';
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand('akslint.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('akslint.restart', async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      // A new binary; or settings that arrived after activation while no server runs (in a
      // browser window user settings can load late).
      if (event.affectsConfiguration('akslint.path') || (!client && event.affectsConfiguration('akslint'))) {
        await stop();
        await start();
      }
    }),
  );
  await start();
}

export function deactivate(): Promise<void> {
  return stop();
}
