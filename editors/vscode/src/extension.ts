// akslint for VS Code: finds the akslint binary (the akslint.path setting, the one bundled in the
// .vsix, or the PATH), checks its version, starts `akslint lsp` for YAML (Helm charts' templates
// and helpers too), Bicep and .bicepparam files, and offers a status bar item and the commands
// Show output, Restart server, Fix all and Lint workspace.
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';
import {
  FoundServer,
  RestartBudget,
  Version,
  bundledPath,
  describeSource,
  missingMessage,
  parseVersion,
  probe,
  probeMessage,
  resolveServer,
} from './server';

/** The server's `workspace/executeCommand` that lints every file of the workspace folders. */
const LINT_WORKSPACE_COMMAND = 'akslint.server.lintWorkspace';
/** The code action kind of the server's "fix all safe findings". */
const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('akslint');

/** What the extension exports (read by the end-to-end test). */
export interface AkslintApi {
  /** The binary the running (or last started) server is, with its version. */
  server(): (FoundServer & { version: string }) | undefined;
  /** The server's state: starting, running, failed or stopped. */
  state(): ServerState;
}

type ServerState = 'starting' | 'running' | 'failed' | 'stopped';

/**
 * A language client whose own errors go to the output channel only: the extension tells the
 * user itself, once (the base client forces a notification when a start fails, on top of ours).
 */
class QuietLanguageClient extends LanguageClient {
  override error(message: string, data?: unknown): void {
    super.error(message, data, false);
  }
}

let client: LanguageClient | undefined;
let status: vscode.StatusBarItem;
let output: vscode.OutputChannel;
let extensionPath = '';
let extensionVersion: Version = [0, 0, 0];
let current: (FoundServer & { version: string }) | undefined;
let state: ServerState = 'stopped';
/** Messages already shown this session: each problem is told once. */
const notified = new Set<string>();
const restarts = new RestartBudget();

/** The settings the server reads (initializationOptions and workspace/configuration). */
function serverSettings(): { enable: boolean; severity: string; exclude: string[] } {
  const config = vscode.workspace.getConfiguration('akslint');
  return {
    enable: config.get<boolean>('enable', true),
    severity: config.get<string>('severity', 'info'),
    exclude: config.get<string[]>('exclude', []),
  };
}

function setState(next: ServerState, detail: string): void {
  state = next;
  const version = current ? ` ${current.version}` : '';
  const icon = { starting: '$(sync~spin)', running: '$(shield)', failed: '$(error)', stopped: '$(circle-slash)' }[next];
  status.text = `${icon} akslint${next === 'running' ? version : ''}`;
  status.tooltip = `akslint${version}: ${next}. ${detail}\nClick for the output.`;
  status.backgroundColor = next === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  status.show();
}

/** Shows a problem once per session, in one notification with the two ways out. */
function notify(message: string): void {
  output.appendLine(message);
  if (notified.has(message)) {
    return;
  }
  notified.add(message);
  // Not awaited: activation must not wait for the user to close the notification.
  void vscode.window.showErrorMessage(message, 'Show output', 'Open settings').then((choice) => {
    if (choice === 'Show output') {
      output.show(true);
    } else if (choice === 'Open settings') {
      void vscode.commands.executeCommand('workbench.action.openSettings', 'akslint.path');
    }
  });
}

function fail(message: string): void {
  setState('failed', message.replace(/^akslint: /, ''));
  notify(message);
}

/** Fails a start that has not failed yet: one start that fails in several ways is told once. */
function failStart(message: string): void {
  if (state !== 'failed') {
    fail(message);
  }
}

/** Finds and checks the binary, then starts the language client; tells the user once if it cannot. */
async function start(): Promise<void> {
  const configured = vscode.workspace.getConfiguration('akslint').get<string>('path');
  if (!vscode.workspace.isTrusted) {
    output.appendLine('Restricted Mode: a workspace value of akslint.path is ignored.');
  }
  setState('starting', 'Looking for the akslint binary.');
  const found = resolveServer(configured, bundledPath(extensionPath));
  if ('missing' in found) {
    current = undefined;
    fail(missingMessage(found));
    return;
  }
  output.appendLine(`akslint binary: ${found.path} (${describeSource(found.source)})`);
  const probed = await probe(found.path);
  const problem = probeMessage(found, probed, extensionVersion);
  if (problem || !probed.ok) {
    current = undefined;
    fail(problem ?? 'akslint: the language server did not start.');
    return;
  }
  current = { ...found, version: probed.version.join('.') };
  // A server that never ran is not restarted: it would fail the same way again.
  let ran = false;
  const serverOptions: ServerOptions = { command: found.path, args: ['lsp'] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
      // Helm charts: a Helm extension names a chart's templates and helpers `helm`; without one
      // a template is `yaml` and a helper (.tpl) plain text. The server renders them with their
      // chart (values.yaml stays `yaml`).
      { scheme: 'file', language: 'helm' },
      { scheme: 'file', pattern: '**/templates/**/*.tpl' },
      { scheme: 'file', language: 'bicep' },
      { scheme: 'file', language: 'bicep-params' },
      // ARM JSON templates: the server lints a JSON document only when its $schema is an ARM
      // deployment template or parameters schema, and ignores every other JSON file.
      { scheme: 'file', language: 'json' },
      { scheme: 'file', language: 'jsonc' },
      { scheme: 'file', language: 'arm-template' },
      { scheme: 'file', pattern: '**/*.bicepparam' },
    ],
    initializationOptions: serverSettings(),
    synchronize: { configurationSection: 'akslint' },
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    // The extension tells the user itself, once; the client must not add its own messages.
    initializationFailedHandler: (error) => {
      const why = error instanceof Error ? error.message : String(error);
      failStart(`akslint: the language server ${found.path} failed to start (${why}); its output says why.`);
      return false;
    },
    errorHandler: {
      error: (error) => {
        output.appendLine(`akslint: connection error: ${error.message}`);
        return { action: ErrorAction.Continue, handled: true };
      },
      closed: () => {
        if (!ran) {
          failStart(`akslint: the language server ${found.path} failed to start (it exited); its output says why.`);
          return { action: CloseAction.DoNotRestart, handled: true };
        }
        if (restarts.crashed()) {
          output.appendLine(`akslint: the language server exited; restarting (${restarts.recent} in 3 minutes).`);
          return { action: CloseAction.Restart, handled: true };
        }
        failStart(
          `akslint: the language server ${found.path} stopped ${restarts.recent} times in 3 minutes and is not restarted. ` +
            'Its output may say why; "akslint: Restart server" starts it again.',
        );
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    },
  };
  const starting = new QuietLanguageClient('akslint', 'akslint', serverOptions, clientOptions);
  client = starting;
  const where = `${found.path} (${describeSource(found.source)})`;
  starting.onDidChangeState((event) => {
    if (client !== starting) {
      return;
    }
    if (event.newState === State.Running) {
      ran = true;
      setState('running', `Language server ${where}.`);
    } else if (event.newState === State.Starting) {
      setState('starting', `Language server ${where}.`);
    } else if (state !== 'failed') {
      setState('stopped', 'The language server is stopped; "akslint: Restart server" starts it.');
    }
  });
  output.appendLine(`starting ${found.path} lsp (akslint ${current.version})`);
  try {
    await starting.start();
  } catch (err) {
    // The initialization handler or the crash handler may have told the user already.
    failStart(`akslint: the language server ${found.path} failed to start: ${err}`);
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop().catch(() => undefined);
  }
}

async function restart(): Promise<void> {
  await stop();
  restarts.reset();
  await start();
}

/** The running client, or a message saying there is none. */
function runningClient(): LanguageClient | undefined {
  if (client && client.state === State.Running) {
    return client;
  }
  void vscode.window.showWarningMessage('akslint: the language server is not running.', 'Show output').then((choice) => {
    if (choice) {
      output.show(true);
    }
  });
  return undefined;
}

/** "akslint: Fix all": applies the server's `source.fixAll.akslint` action to the active document. */
async function fixAll(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !runningClient()) {
    return;
  }
  const document = editor.document;
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      whole,
      FIX_ALL_KIND.value,
    )) ?? [];
  const fix = actions.find((action) => action.kind && FIX_ALL_KIND.contains(action.kind) && action.edit);
  if (!fix?.edit) {
    void vscode.window.showInformationMessage('akslint: nothing in this file has a safe fix.');
    return;
  }
  await vscode.workspace.applyEdit(fix.edit);
}

/** "akslint: Lint workspace": the server lints every file of the workspace folders. */
async function lintWorkspace(): Promise<void> {
  const running = runningClient();
  if (!running) {
    return;
  }
  let result: unknown;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'akslint: linting the workspace' },
      () => running.sendRequest(ExecuteCommandRequest.type, { command: LINT_WORKSPACE_COMMAND, arguments: [] }),
    );
  } catch (err) {
    notify(`akslint: linting the workspace failed: ${err instanceof Error ? err.message : err}`);
    return;
  }
  const { files, findings } = (result ?? {}) as { files?: number; findings?: number };
  output.appendLine(`akslint: linted ${files ?? 0} files of the workspace: ${findings ?? 0} findings`);
  void vscode.window.showInformationMessage(
    `akslint: ${findings ?? 0} findings in ${files ?? 0} files (see the Problems panel).`,
  );
}

export async function activate(context: vscode.ExtensionContext): Promise<AkslintApi> {
  extensionPath = context.extensionPath;
  extensionVersion = parseVersion(`akslint ${context.extension.packageJSON.version}`) ?? [0, 0, 0];
  output = vscode.window.createOutputChannel('akslint');
  status = vscode.window.createStatusBarItem('akslint.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'akslint';
  status.command = 'akslint.showOutput';
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand('akslint.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('akslint.restart', restart),
    vscode.commands.registerCommand('akslint.fixAll', fixAll),
    vscode.commands.registerCommand('akslint.lintWorkspace', lintWorkspace),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      // A new binary; or settings that arrived after activation while no server runs (in a
      // browser window user settings can load late).
      if (event.affectsConfiguration('akslint.path') || (!client && event.affectsConfiguration('akslint'))) {
        await restart();
      }
    }),
    // Trusting the workspace makes its akslint.path count.
    vscode.workspace.onDidGrantWorkspaceTrust(restart),
  );
  await start();
  return { server: () => current, state: () => state };
}

export function deactivate(): Promise<void> {
  return stop();
}
