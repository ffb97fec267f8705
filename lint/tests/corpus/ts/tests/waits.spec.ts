import { setTimeout as sleep } from 'timers/promises';
import * as tp from 'node:timers/promises';
import { eventuallyPasses } from 'liveness';

describe('ts', () => {
  it('sleeps', async () => {
    await new Promise<void>((resolve: () => void) => setTimeout(resolve, 100)); // expect: js/promise-settimeout
    await sleep(200); // expect: js/timers-promises-settimeout
    await tp.setTimeout(50, 'value'); // expect: js/timers-promises-settimeout
    await eventuallyPasses(() => expect(done()).toBe(true)); // near-miss: the replacement
  });
});
