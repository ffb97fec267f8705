#!/usr/bin/env node
// `npx liveness lint [PATH…] [--format text|json|sarif] [--config FILE]`: the package's bin. The
// addon runs the command line of the `liveness` binary (crate liveness-lint): the same engine,
// rules and output. Exit status: 0 no findings, 1 findings, 2 usage or config error.
import { native } from './native';

const out = native.lintMain(process.argv.slice(2));
process.stdout.write(out.stdout);
process.stderr.write(out.stderr);
process.exitCode = out.code;
