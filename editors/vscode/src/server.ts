// Which akslint binary the extension runs, and whether it can: resolution (setting, bundled,
// PATH) and the `--version` check made before the language client starts. No `vscode` import,
// so the unit tests run in plain Node.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Where the binary came from, in the order they are tried. */
export type ServerSource = 'setting' | 'bundled' | 'path';

/** A binary found by {@link resolveServer}. */
export interface FoundServer {
  path: string;
  source: ServerSource;
}

/** Why {@link resolveServer} found nothing. */
export interface MissingServer {
  /** The `akslint.path` setting names no file (`configured`), or nothing was found at all. */
  missing: 'setting' | 'everywhere';
  configured?: string;
}

/** The install commands that work outside a checkout of the repository. */
export const INSTALL_COMMANDS = [
  'pip install akslint',
  'cargo install --locked --git https://github.com/akslint/akslint akslint-cli',
];

/** The executable's file name on this platform. */
export function binaryName(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? 'akslint.exe' : 'akslint';
}

/** Where the .vsix carries the binary, inside the extension's folder. */
export function bundledPath(extensionPath: string, platform: NodeJS.Platform = process.platform): string {
  return path.join(extensionPath, 'bundled', 'bin', binaryName(platform));
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The binary to run: the `akslint.path` setting when set (a missing file is an error, not a
 * fall-through), else the binary bundled in the extension, else `akslint` on the PATH.
 */
export function resolveServer(
  configured: string | undefined,
  bundled: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): FoundServer | MissingServer {
  const setting = configured?.trim() ?? '';
  if (setting !== '') {
    return isFile(setting) ? { path: setting, source: 'setting' } : { missing: 'setting', configured: setting };
  }
  if (isFile(bundled)) {
    return { path: bundled, source: 'bundled' };
  }
  const names = platform === 'win32' ? ['akslint.exe', 'akslint.cmd'] : ['akslint'];
  const pathVariable = platform === 'win32' ? (env.Path ?? env.PATH) : env.PATH;
  for (const dir of (pathVariable ?? '').split(path.delimiter)) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (dir !== '' && isFile(candidate)) {
        return { path: candidate, source: 'path' };
      }
    }
  }
  return { missing: 'everywhere' };
}

/** A version as major, minor, patch. */
export type Version = [number, number, number];

/** The version in `akslint --version` output (`akslint 0.1.0`), if it has one. */
export function parseVersion(output: string): Version | undefined {
  const found = /^akslint[^\s]* v?(\d+)\.(\d+)\.(\d+)/m.exec(output.trim());
  return found ? [Number(found[1]), Number(found[2]), Number(found[3])] : undefined;
}

/** Whether a binary's version is one the extension works with: the same major.minor. */
export function compatibility(binary: Version, extension: Version): 'ok' | 'too-old' | 'too-new' {
  const order = binary[0] - extension[0] || binary[1] - extension[1];
  return order === 0 ? 'ok' : order < 0 ? 'too-old' : 'too-new';
}

/** What `<binary> --version` said: its version, or why it could not run. */
export type Probe =
  | { ok: true; version: Version; text: string }
  | { ok: false; problem: 'crashed' | 'not-akslint'; detail: string };

/** Runs `<binary> --version` (10 s at most). */
export function probe(binary: string, timeoutMs = 10000): Promise<Probe> {
  return new Promise((resolve) => {
    execFile(binary, ['--version'], { timeout: timeoutMs, windowsHide: true }, (error, stdout, stderr) => {
      if (error) {
        const how = error.killed
          ? `did not answer within ${timeoutMs / 1000} s`
          : error.code !== undefined && typeof error.code === 'string'
            ? `could not be run (${error.code}: ${error.message})`
            : `exited with ${error.signal ? `signal ${error.signal}` : `code ${error.code}`}`;
        const said = `${stderr}`.trim().split('\n').slice(0, 5).join('\n');
        resolve({ ok: false, problem: 'crashed', detail: said ? `${how}: ${said}` : how });
        return;
      }
      const text = `${stdout}`.trim();
      const version = parseVersion(text);
      resolve(
        version
          ? { ok: true, version, text }
          : { ok: false, problem: 'not-akslint', detail: `\`--version\` printed ${JSON.stringify(text.slice(0, 80))}` },
      );
    });
  });
}

/** Why the server cannot start, for the one notification the user sees. */
export function missingMessage(missing: MissingServer, platform = `${process.platform}-${process.arch}`): string {
  const install = `Install it with \`${INSTALL_COMMANDS[0]}\` or \`${INSTALL_COMMANDS[1]}\``;
  if (missing.missing === 'setting') {
    return `akslint: the akslint.path setting names ${missing.configured}, which is not a file. Fix the setting, or clear it to use the bundled binary.`;
  }
  return `akslint: the language server was not found: this extension carries no binary for ${platform} and there is no \`akslint\` on the PATH. ${install}, or set akslint.path.`;
}

/** The message for a binary that runs but cannot be used. */
export function probeMessage(server: FoundServer, result: Probe, extension: Version): string | undefined {
  const which = `${server.path} (${describeSource(server.source)})`;
  const wanted = `${extension[0]}.${extension[1]}.x`;
  if (!result.ok) {
    return result.problem === 'crashed'
      ? `akslint: the language server ${which} fails at start: \`--version\` ${result.detail}.`
      : `akslint: ${which} does not look like akslint: ${result.detail}.`;
  }
  const found = result.version.join('.');
  switch (compatibility(result.version, extension)) {
    case 'ok':
      return undefined;
    case 'too-old':
      return `akslint: ${which} is akslint ${found}, too old for this extension (it needs ${wanted}). Update it (\`pip install -U akslint\`), or clear akslint.path to use the bundled binary.`;
    case 'too-new':
      return `akslint: ${which} is akslint ${found}, newer than this extension supports (${wanted}). Update the extension, or point akslint.path at an akslint ${wanted}.`;
  }
}

/** How a source reads in messages. */
export function describeSource(source: ServerSource): string {
  switch (source) {
    case 'setting':
      return 'the akslint.path setting';
    case 'bundled':
      return 'bundled with the extension';
    case 'path':
      return 'found on the PATH';
  }
}

/**
 * Whether a server that keeps crashing may be restarted: at most `max` restarts within
 * `windowMs`; after that it stays down until the user restarts it.
 */
export class RestartBudget {
  private crashes: number[] = [];

  constructor(
    private readonly max = 3,
    private readonly windowMs = 3 * 60 * 1000,
  ) {}

  /** Records a crash at `now`; whether another restart is allowed. */
  crashed(now = Date.now()): boolean {
    this.crashes = this.crashes.filter((at) => now - at < this.windowMs);
    this.crashes.push(now);
    return this.crashes.length <= this.max;
  }

  /** How many crashes the window holds. */
  get recent(): number {
    return this.crashes.length;
  }

  /** Forgets the crashes (after the user restarts the server). */
  reset(): void {
    this.crashes = [];
  }
}
