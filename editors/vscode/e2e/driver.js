// Opens VS Code's web workbench in headless Chromium with a test payload, so the workbench
// runs an extensionTestsPath suite in its (remote) extension host, and relays the suite's log
// and exit code. Usage: node driver.js SERVER_URL WORKSPACE HOST_EXTENSION TESTS_ENTRY OUT_DIR
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

async function main() {
  const [server, workspace, host, tests, out] = process.argv.slice(2);
  const started = Date.now();
  // The workbench names the remote it talks to in its page; payload paths must use it.
  const page0 = await (await fetch(`${server}/?folder=${encodeURIComponent(workspace)}`)).text();
  const found = /remoteAuthority&quot;:&quot;([^&]+)&quot;|"remoteAuthority":"([^"]+)"/.exec(page0);
  const authority = found ? found[1] || found[2] : new URL(server).host;
  const remote = (p) => `vscode-remote://${authority}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(host)],
    ['extensionTestsPath', remote(tests)],
    ['skipWelcome', 'true'],
  ];
  const url = `${server}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'akslint-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  let finish;
  const exited = new Promise((resolve) => (finish = resolve));
  const page = browser.pages()[0] || (await browser.newPage());
  // The smoke-test driver hooks VS Code calls when it runs a test payload.
  await page.exposeFunction('codeAutomationLog', (type, args) => console.log(`[vscode ${type}]`, ...args));
  await page.exposeFunction('codeAutomationExit', (code) => finish(code));
  await page.goto(url);
  const limit = Number(process.env.E2E_TIMEOUT_MS || 180000);
  const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), limit))]);
  await page.screenshot({ path: path.join(out, 'vscode.png') }).catch(() => {});
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
  console.log(`extension host exit: ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(code === 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
