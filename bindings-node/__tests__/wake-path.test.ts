// wakeOnPath: a change of a watched file re-evaluates the probe at once (SPEC §5). The interval is
// a minute: a second evaluation within the test's run is the file system's doing.
import { expect, test } from '@jest/globals';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { eventually } from '@liveness-dev/liveness';

const MINUTE = 60_000;

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'liveness-wake-path-'));
}

test('a file renamed into place wakes the wait', async () => {
  const dir = scratch();
  const target = path.join(dir, 'sum');
  let evaluations = 0;
  const reads = () => {
    evaluations += 1;
    if (evaluations === 1) {
      // The system under test writes once the first evaluation found nothing.
      setImmediate(() => {
        fs.writeFileSync(`${target}.partial`, '3');
        fs.renameSync(`${target}.partial`, target);
      });
    }
    return fs.existsSync(target) && fs.readFileSync(target, 'utf8') === '3';
  };
  await expect(eventually(reads, { interval: MINUTE, timeout: 2 * MINUTE, wakeOnPath: target })).resolves.toBe(true);
  expect(evaluations).toBe(2);
});

test('a missing directory is an invalid option naming wakeOnPath', async () => {
  const missing = path.join(os.tmpdir(), 'liveness-no-such-dir', 'sum');
  await expect(eventually(() => true, { wakeOnPath: missing })).rejects.toThrow(/wakeOnPath.*liveness-no-such-dir/s);
  await expect(eventually(() => true, { wakeOnPath: [3] as unknown as string[] })).rejects.toThrow(/wakeOnPath/);
});
