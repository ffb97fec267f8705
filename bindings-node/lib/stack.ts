// Stacks that start at the test's line. The errors liveness creates (timeouts, event assertions,
// the forgotten-await guard) point at where the user called it, not at this package's own frames
// (dist/drive.js, dist/operations.js, esm/…), which test runners would otherwise show first (and
// quote in their code frame).
import * as path from 'node:path';

/** This package's directory (dist/.. when compiled). */
const PACKAGE_DIR = path.resolve(__dirname, '..');
const OURS = [path.join(PACKAGE_DIR, 'dist') + path.sep, path.join(PACKAGE_DIR, 'esm') + path.sep];

/** Whether a stack line (`    at f (/…/dist/drive.js:1:2)`) is one of this package's frames. */
function ours(line: string): boolean {
  return OURS.some((dir) => line.includes(dir) || line.includes(`file://${dir}`));
}

/** The frames of `error`'s stack (the `    at …` lines) without this package's own. */
export function callerFrames(error: Error): string[] {
  return (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .filter((line) => !ours(line));
}

/** Where a call began, as `file:line:col` (the first frame that is not this package's), if known. */
export function callerLocation(error: Error): string | undefined {
  const first = callerFrames(error)[0];
  if (first === undefined) return undefined;
  const m = /\((.*)\)\s*$/.exec(first) ?? /^\s+at (.*)$/.exec(first);
  return m?.[1];
}

/** Gives `error` the stack of the call that `origin` captured: its header, then the caller's frames. */
export function restack(error: Error, origin: Error): void {
  const frames = callerFrames(origin);
  error.stack = `${error.name}: ${error.message}${frames.length > 0 ? `\n${frames.join('\n')}` : ''}`;
}
