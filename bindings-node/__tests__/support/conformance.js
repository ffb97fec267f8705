// Reads the shared conformance vectors (tests/conformance/, format in its README.md).
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../../../tests/conformance');

function load(folder) {
  const dir = path.join(ROOT, folder);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).cases.map((c) => ({ ...c, file: `${folder}/${f}` })));
}

const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

/** An Error subclass per kind name, so retryOn/failOn can name them. */
const kinds = new Map();
function kind(name) {
  if (!kinds.has(name)) {
    const K = { [name]: class extends Error {} }[name];
    Object.defineProperty(K.prototype, 'name', { value: name });
    kinds.set(name, K);
  }
  return kinds.get(name);
}

function number(v) {
  return typeof v === 'string' ? Number(v) : v;
}

/** The vector's options in JavaScript spelling (durations stay in ms, as in JavaScript). */
function options(o = {}) {
  const out = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'during_ms') continue;
    if (k === 'retry_on' || k === 'fail_on') out[camel(k)] = v.map(kind);
    else if (k.endsWith('_ms')) out[camel(k.slice(0, -3))] = number(v);
    else out[camel(k)] = v;
  }
  return out;
}

module.exports = { load, kind, options, camel, number };
