// A bridge from Node's own diagnostics_channel: what a named channel publishes becomes a liveness
// event, so code already instrumented with diagnostics_channel can be asserted on unchanged.
import * as dc from 'node:diagnostics_channel';

import { emit, type Measurements, type Metadata } from './events';
import { translate } from './errors';
import { native } from './native';

export interface BridgeOptions {
  /** The event name (default: the channel name with every character outside [A-Za-z0-9_-.] as `_`). */
  event?: string;
  /** Measurements of each event, from the message (default: none). */
  measurements?: (message: unknown) => Measurements;
  /** Metadata of each event (default: a plain-object message as is, anything else as `{ message }`). */
  metadata?: (message: unknown) => Metadata;
}

/** A bridge in place; `close()` unsubscribes. */
export interface Bridge {
  readonly channel: string;
  readonly event: string;
  close(): void;
  [Symbol.dispose](): void;
}

function eventName(channel: string): string {
  const name = channel
    .replace(/[^A-Za-z0-9_.-]/g, '_')
    .split('.')
    .filter((s) => s.length > 0)
    .join('.');
  return name.length > 0 ? name : 'diagnostics_channel';
}

function defaultMetadata(message: unknown): Metadata {
  if (message !== null && typeof message === 'object' && Object.getPrototypeOf(message) === Object.prototype) {
    return message as Metadata;
  }
  return { message };
}

/**
 * Re-emits every message published on the diagnostics channel `channel` as a liveness event
 * (only while someone listens: with nothing attached, a publish costs the channel's own check).
 */
export function bridgeChannel(channel: string, options: BridgeOptions = {}): Bridge {
  if (typeof channel !== 'string' || channel.length === 0) throw new TypeError('bridgeChannel: channel must be a non-empty string');
  const event = options.event ?? eventName(channel);
  if (typeof event !== 'string') throw new TypeError('bridgeChannel: event must be a string');
  translate(() => native.emitCheck(event));
  const toMeasurements = options.measurements;
  const toMetadata = options.metadata ?? defaultMetadata;
  const listener = (message: unknown) => {
    if (!native.hasSubscribers(event)) return;
    emit(event, toMeasurements ? toMeasurements(message) : undefined, toMetadata(message));
  };
  dc.subscribe(channel, listener);
  let open = true;
  const close = () => {
    if (open) dc.unsubscribe(channel, listener);
    open = false;
  };
  return { channel, event, close, [Symbol.dispose]: close };
}
