// Unit tests of the binary's resolution and checks (plain Node: `npm run test:unit`).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  INSTALL_COMMANDS,
  RestartBudget,
  bundledPath,
  compatibility,
  missingMessage,
  parseVersion,
  probe,
  probeMessage,
  resolveServer,
} from '../../server';

/** The scratch folders made so far, removed after the tests. */
const scratchDirs: string[] = [];
after(() => scratchDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A scratch folder with executable shell scripts standing in for binaries. */
function scratch(): { dir: string; script: (relative: string, body: string) => string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'akslint-unit-'));
  scratchDirs.push(dir);
  return {
    dir,
    script: (relative, body) => {
      const file = path.join(dir, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      return file;
    },
  };
}

describe('resolveServer', () => {
  const { dir, script } = scratch();
  const setting = script('custom/akslint', 'echo akslint 0.1.0');
  const bundled = script('ext/bundled/bin/akslint', 'echo akslint 0.1.0');
  const onPath = script('bin/akslint', 'echo akslint 0.1.0');
  const env = { PATH: [path.join(dir, 'nothing'), path.join(dir, 'bin')].join(path.delimiter) };

  it('puts the bundled binary at bundled/bin/akslint', () => {
    assert.strictEqual(bundledPath(path.join(dir, 'ext'), 'linux'), bundled);
    assert.ok(bundledPath('/x', 'win32').endsWith('akslint.exe'));
  });

  it('takes the setting first, then the bundled binary, then the PATH', () => {
    assert.deepStrictEqual(resolveServer(setting, bundled, env, 'linux'), { path: setting, source: 'setting' });
    assert.deepStrictEqual(resolveServer('  ', bundled, env, 'linux'), { path: bundled, source: 'bundled' });
    assert.deepStrictEqual(resolveServer(undefined, path.join(dir, 'none'), env, 'linux'), {
      path: onPath,
      source: 'path',
    });
  });

  it('does not fall through when the setting names no file', () => {
    const missing = path.join(dir, 'gone/akslint');
    assert.deepStrictEqual(resolveServer(missing, bundled, env, 'linux'), { missing: 'setting', configured: missing });
  });

  it('finds nothing with no bundled binary and nothing on the PATH', () => {
    assert.deepStrictEqual(resolveServer('', path.join(dir, 'none'), { PATH: '' }, 'linux'), { missing: 'everywhere' });
  });
});

describe('versions', () => {
  it('reads the version akslint prints', () => {
    assert.deepStrictEqual(parseVersion('akslint 0.1.0\n'), [0, 1, 0]);
    assert.deepStrictEqual(parseVersion('akslint 1.12.3-dev'), [1, 12, 3]);
    assert.strictEqual(parseVersion('ruff 0.1.0'), undefined);
    assert.strictEqual(parseVersion(''), undefined);
  });

  it('wants the same major.minor as the extension', () => {
    assert.strictEqual(compatibility([0, 1, 7], [0, 1, 0]), 'ok');
    assert.strictEqual(compatibility([0, 0, 9], [0, 1, 0]), 'too-old');
    assert.strictEqual(compatibility([1, 0, 0], [1, 2, 0]), 'too-old');
    assert.strictEqual(compatibility([0, 2, 0], [0, 1, 5]), 'too-new');
    assert.strictEqual(compatibility([2, 0, 0], [1, 9, 0]), 'too-new');
  });
});

describe('probe', function () {
  this.timeout(10000);
  const { script } = scratch();

  it('accepts a binary of the right version', async () => {
    const server = { path: script('good', 'echo "akslint 0.1.3"'), source: 'path' as const };
    const result = await probe(server.path);
    assert.deepStrictEqual(result, { ok: true, version: [0, 1, 3], text: 'akslint 0.1.3' });
    assert.strictEqual(probeMessage(server, result, [0, 1, 0]), undefined);
  });

  it('says a binary is too old, and how to update it', async () => {
    const server = { path: script('old', 'echo "akslint 0.0.9"'), source: 'setting' as const };
    const message = probeMessage(server, await probe(server.path), [0, 1, 0])!;
    assert.match(message, /is akslint 0\.0\.9, too old for this extension \(it needs 0\.1\.x\)/);
    assert.match(message, /the akslint\.path setting/);
    assert.match(message, /pip install -U akslint/);
  });

  it('says a binary is newer than the extension', async () => {
    const server = { path: script('new', 'echo "akslint 0.2.0"'), source: 'path' as const };
    assert.match(probeMessage(server, await probe(server.path), [0, 1, 0])!, /newer than this extension supports/);
  });

  it('reports a crash at start with what the binary said', async () => {
    const server = { path: script('crash', 'echo "cannot load" >&2; exit 3'), source: 'bundled' as const };
    const result = await probe(server.path);
    assert.strictEqual(result.ok, false);
    const message = probeMessage(server, result, [0, 1, 0])!;
    assert.match(message, /fails at start: `--version` exited with code 3: cannot load/);
    assert.match(message, /bundled with the extension/);
  });

  it('reports a binary that cannot be run at all', async () => {
    const { dir } = scratch();
    const notExecutable = path.join(dir, 'akslint');
    fs.writeFileSync(notExecutable, 'not a program', { mode: 0o644 });
    const result = await probe(notExecutable);
    assert.ok(!result.ok && result.problem === 'crashed' && /could not be run \(EACCES/.test(result.detail), JSON.stringify(result));
  });

  it('reports a binary that hangs', async () => {
    const result = await probe(script('hang', 'sleep 5'), 300);
    assert.ok(!result.ok && /did not answer within 0.3 s/.test(result.detail), JSON.stringify(result));
  });

  it('reports a program that is not akslint', async () => {
    const server = { path: script('other', 'echo "something 1.0"'), source: 'path' as const };
    assert.match(probeMessage(server, await probe(server.path), [0, 1, 0])!, /does not look like akslint/);
  });
});

describe('messages', () => {
  it('gives install commands that work outside a checkout when nothing is found', () => {
    const message = missingMessage({ missing: 'everywhere' }, 'linux-x64');
    assert.match(message, /carries no binary for linux-x64/);
    for (const command of INSTALL_COMMANDS) {
      assert.ok(message.includes(command), command);
    }
    assert.ok(!message.includes('--path crates'), 'a command that needs a checkout');
  });

  it('names the setting that points nowhere', () => {
    assert.match(missingMessage({ missing: 'setting', configured: '/x/akslint' }), /akslint\.path setting names \/x\/akslint/);
  });
});

describe('RestartBudget', () => {
  it('allows three restarts in three minutes, then none until reset or the window passes', () => {
    const budget = new RestartBudget(3, 180000);
    assert.deepStrictEqual([0, 1000, 2000, 3000].map((t) => budget.crashed(t)), [true, true, true, false]);
    assert.strictEqual(budget.crashed(200000), true, 'old crashes leave the window');
    budget.reset();
    assert.strictEqual(budget.recent, 0);
  });
});
