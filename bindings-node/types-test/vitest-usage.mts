// The Vitest matchers' types, as an ES module test file would see them.
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
}
