// The extensionTestsPath entry of the end-to-end test: VS Code's extension host calls run();
// it resolves when every test passed. Results also go to $E2E_OUT/results.txt.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false, reporter: 'spec' });
  mocha.addFile(path.join(__dirname, 'akslint.test.js'));
  mocha.addFile(path.join(__dirname, 'helm.test.js'));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures: number) => {
      const line = `vscode e2e: ${runner.stats?.passes ?? 0} passed, ${runner.stats?.failures ?? 0} failed`;
      console.log(line);
      if (process.env.E2E_OUT) {
        fs.writeFileSync(path.join(process.env.E2E_OUT, 'results.txt'), line + '\n');
      }
      if (failures) {
        reject(new Error(`${failures} tests failed`));
      } else {
        resolve();
      }
    });
  });
}
