// Prettier's layout for the Node package: `make node-lint` checks it, `make node-format` applies
// it. 150 columns and single quotes are how lib/ was already written: applying them changed 35
// lines of lib/, where the 120 columns of rustfmt and ruff would have changed 151.
/** @type {import('prettier').Config} */
export default {
  singleQuote: true,
  printWidth: 150,
};
