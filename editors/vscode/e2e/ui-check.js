// Looks at what a person sees: opens the workbench on a fresh workspace copy (in Restricted
// Mode), opens deployment.yaml from the Explorer, and waits for the error squiggle, the akslint
// status bar item with the server's version and the findings in the Problems panel; saves a
// screenshot.
// With a 4th argument `missing` (akslint.path names no file) or `crash` (akslint.path names a
// binary whose server exits at once) it checks instead that the user is told once: one error
// notification with the buttons Show output and Open settings, and a red status bar item.
// Usage: node ui-check.js SERVER_URL WORKSPACE OUT_DIR [missing|crash]
// Prints `vscode ui: N passed, N failed`.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

async function main() {
  const [server, workspace, out, mode] = process.argv.slice(2);
  const failing = { missing: 'akslint.path setting names', crash: 'failed to start' }[mode];
  const started = Date.now();
  const lap = (what) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'akslint-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  const page = browser.pages()[0] || (await browser.newPage());
  const checks = [];
  const check = async (name, fn) => {
    try {
      await fn();
      checks.push(true);
      lap(`ok   ${name}`);
    } catch (err) {
      checks.push(false);
      lap(`FAIL ${name}: ${err.message.split('\n')[0]}`);
    }
  };
  await page.goto(`${server}/?folder=${encodeURIComponent(workspace)}`);
  await check('the workbench opens', () => page.waitForSelector('.monaco-workbench', { timeout: 60000 }));
  await check('deployment.yaml opens from the Explorer', async () => {
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'deployment.yaml' }).first();
    await row.waitFor({ timeout: 60000 });
    await row.click();
    await page.waitForSelector('.monaco-editor .view-lines', { timeout: 30000 });
  });
  if (failing) {
    await check(`a notification says "${failing}", with Show output and Open settings`, async () => {
      const toast = page.locator('.notification-toast', { hasText: failing }).first();
      await toast.waitFor({ timeout: 30000 });
      for (const button of ['Show output', 'Open settings']) {
        await toast.locator('.monaco-button', { hasText: button }).first().waitFor({ timeout: 5000 });
      }
    });
    await check('it is the only akslint notification', async () => {
      await page.waitForTimeout(3000);
      const toasts = await page.locator('.notification-toast', { hasText: 'akslint' }).allInnerTexts();
      if (toasts.length !== 1) {
        throw new Error(`${toasts.length} notifications: ${JSON.stringify(toasts)}`);
      }
    });
    await check('the status bar item shows the error', () =>
      page.locator('.statusbar-item.error-kind', { hasText: 'akslint' }).first().waitFor({ timeout: 30000 }));
    await page.screenshot({ path: path.join(out, `vscode-${mode}-binary.png`) }).catch(() => {});
  } else {
    await check('the finding is underlined', () => page.waitForSelector('.monaco-editor .squiggly-error', { timeout: 60000 }));
    await check("the status bar shows akslint's version", () =>
      page.locator('.statusbar-item', { hasText: /akslint \d+\.\d+\.\d+/ }).first().waitFor({ timeout: 30000 }));
    await check('the window is in Restricted Mode', () =>
      page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 10000 }));
    await check('the Problems panel lists SEC001 and WID001', async () => {
      await page.keyboard.press('Control+Shift+M');
      for (const code of ['SEC001', 'WID001']) {
        await page.locator('.markers-panel .monaco-list-row', { hasText: code }).first().waitFor({ timeout: 30000 });
      }
    });
    await page.screenshot({ path: path.join(out, 'vscode-problems.png') }).catch(() => {});
  }
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
  const passed = checks.filter(Boolean).length;
  console.log(`vscode ui: ${passed} passed, ${checks.length - passed} failed`);
  process.exit(passed === checks.length ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
