// The diagnostics_channel bridge: what code already instrumented with Node's diagnostics_channel
// publishes can be asserted on as liveness events, without changing that code.
import * as dc from 'node:diagnostics_channel';

import { expect, test } from '@jest/globals';
import { assertEmitted, assertNotEmitted, bridgeChannel, capture, hasSubscribers } from '@liveness-dev/liveness';

/** What the code under test publishes on its channel. */
interface CacheMiss {
  key: string;
  size: number;
}

/** Code under test, instrumented the Node way. */
const cacheChannel = dc.channel('my-app:cache.miss');
function lookup(key: string): null {
  if (cacheChannel.hasSubscribers) cacheChannel.publish({ key, size: 3 } satisfies CacheMiss);
  return null;
}

test('a published message becomes an event named after the channel, its fields the metadata', async () => {
  const bridge = bridgeChannel('my-app:cache.miss');
  try {
    expect(bridge.event).toBe('my-app_cache.miss');
    await assertEmitted('my-app_cache.miss', () => lookup('user:1'), { where: { key: 'user:1' } });
  } finally {
    bridge.close();
  }
});

test('custom event name, measurements and metadata', async () => {
  const bridge = bridgeChannel('my-app:cache.miss', {
    event: 'cache.miss',
    measurements: (m) => ({ size: (m as CacheMiss).size }),
    metadata: (m) => ({ key: (m as CacheMiss).key }),
  });
  try {
    const events = await capture('cache.miss', () => lookup('k'));
    expect(events).toHaveLength(1);
    expect(events[0].measurements).toEqual({ size: 3 });
    expect(events[0].metadata).toEqual({ key: 'k' });
  } finally {
    bridge.close();
  }
});

test('a message that is not a plain object arrives as { message }, by reference', async () => {
  const ch = dc.channel('plain.values');
  const bridge = bridgeChannel('plain.values');
  const obj = new (class Request {})();
  try {
    const events = await capture('plain.values', () => {
      ch.publish('text');
      ch.publish(obj);
    });
    expect(events.map((e) => e.metadata.message)).toEqual(['text', obj]);
    expect(events[1].metadata.message).toBe(obj);
  } finally {
    bridge.close();
  }
});

test('after close, nothing is bridged', async () => {
  const bridge = bridgeChannel('my-app:cache.miss', { event: 'cache.closed' });
  bridge.close();
  bridge.close();
  await assertNotEmitted('cache.closed', () => lookup('x'));
});

test('bad arguments are TypeErrors', () => {
  expect(() => bridgeChannel('')).toThrow(TypeError);
  expect(() => bridgeChannel('x', { event: 'a..b' })).toThrow(TypeError);
  expect(hasSubscribers('x')).toBe(false);
});
