// How JavaScript values and errors are described to the core (which writes the reports).
import { inspect, stripVTControlCharacters } from 'node:util';

/** A value as a reader would recognise it in a failure message. */
export function repr(value: unknown): string {
  // The primitives a falsy probe returns, as `inspect` writes them without its cost: it ran once
  // per failed evaluation, and was the largest part of one (issue 17).
  switch (typeof value) {
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
  }
  if (value === null) return 'null';
  return inspect(value, { depth: 3, breakLength: Infinity, maxArrayLength: 20, maxStringLength: 200 });
}

/** An error's type name and text; colours (Jest's matcher messages) are stripped. */
export function describeError(error: unknown): { kind: string; text: string } {
  if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
    const e = error as { name?: unknown; message?: unknown; constructor?: { name?: string } };
    const kind = typeof e.name === 'string' && e.name ? e.name : (e.constructor?.name ?? 'Error');
    const text = typeof e.message === 'string' ? e.message : repr(e.message);
    return { kind, text: stripVTControlCharacters(text) };
  }
  return { kind: 'thrown', text: repr(error) };
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}
