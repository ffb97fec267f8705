// Assertions the tests share.
import { expect } from '@jest/globals';

/**
 * `expect(value).toBeInstanceOf(Kind)`, after which `value` is typed as a `Kind`, so the checks
 * that follow can read its fields (a rejection's reason is `unknown` until narrowed).
 */
export function expectInstanceOf<T>(value: unknown, Kind: abstract new (...args: never[]) => T): asserts value is T {
  expect(value).toBeInstanceOf(Kind);
}
