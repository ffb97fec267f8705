// vitest-usage.mts as a CommonJS file sees it: a .ts test in a package without "type": "module",
// under `moduleResolution` node16/nodenext (tsconfig.vitest-nodenext-cjs.json, alone there). Its
// import takes the "types" condition of package.json, vitest.d.ts, which refers to vitest.d.mts.
import { expect } from 'vitest';
import '@liveness-dev/liveness/vitest';
import { emit } from '@liveness-dev/liveness';

export async function matchers(): Promise<void> {
  await expect(() => true).toEventually({ timeout: 10 });
  await expect(() => undefined).toEventuallyPass();
  await expect(() => emit('a')).toEmit('a', { where: (e) => e.name === 'a' });
  await expect(() => emit('a')).not.toEmit('b');
  await expect(() => emit('a')).toEmitInOrder(['a']);
  // @ts-expect-error: options are an object
  await expect(() => true).toEventually(5);

  // expect.eventually: any of Vitest's matchers, `.not` too, each returning a Promise.
  const polled: Promise<void> = expect.eventually(() => 3, { timeout: 10 }).toBe(3);
  await polled;
  await expect.eventually(async () => ({ n: 1 }), { interval: 5 }).toEqual({ n: 1 });
  await expect.eventually(() => 'a').not.toBe('b');
  await expect.eventually(() => [1, 2]).toHaveLength(2);
  // @ts-expect-error: the options are liveness's, durations in ms
  void expect.eventually(() => 3, { timeout: 'soon' });
  // @ts-expect-error: unknown option
  void expect.eventually(() => 3, { timout: 10 });
  // @ts-expect-error: the probe is a function
  void expect.eventually(3);
  // @ts-expect-error: not a matcher
  void expect.eventually(() => 3).toBeThree;
}
