// Types of `import '@liveness-dev/liveness/vitest'` for a file TypeScript reads as CommonJS (a .ts
// test in a package without "type": "module", under node16/nodenext): package.json's "types"
// condition. The declarations are vitest.d.mts, an ES module, which is what an ES module test gets
// (the "import" condition): a CommonJS declaration cannot import Vitest's ESM-only types (TS1479),
// and `expect.eventually`'s return type needs them. A reference includes it as it is.
// An import would make this file a module that has to resolve vitest.d.mts as CommonJS.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./vitest.d.mts" />
