// The idle costs of issue 15 (SPEC §5, scoped captures and bridges), in ns per call, best of the
// repeats after a warm-up: emit with nothing attached and with one capture open (the scope is read
// only past the nothing-attached check), an EventEmitter event with bridgeEmitter installed and no
// capture open against the same emit without it, and an OpenTelemetry span with
// EventSpanProcessor against the same provider without it.
//   node bench/node/bridge-cost.js [package dir, default bindings-node] [iterations]
// Prints one JSON line. To compare two builds, run each in its own process, alternating.
'use strict';
const path = require('node:path');
const { EventEmitter } = require('node:events');

const pkg = path.resolve(process.argv[2] ?? path.join(__dirname, '../../bindings-node'));
const n = Number(process.argv[3] ?? 2_000_000);
const liveness = require(path.join(pkg, 'dist/index.js'));

function nsPerCall(count, f, repeats = 5) {
  for (let i = 0; i < Math.min(count, 100_000); i++) f();
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < count; i++) f();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / count);
  }
  return best;
}

const out = { package: pkg, iterations: n };
out.emit_idle = nsPerCall(n, () => liveness.emit('bench.emit.idle'));
{
  const c = liveness.capture('bench.emit.**');
  out.emit_one_capture = nsPerCall(Math.floor(n / 20), () => liveness.emit('bench.emit.captured', { n: 1 }), 1);
  c.close();
}
if (typeof liveness.bridgeEmitter === 'function') {
  const plain = new EventEmitter();
  const payload = { n: 1 };
  out.ee_no_listener = nsPerCall(n, () => plain.emit('tick', payload));
  const noop = new EventEmitter();
  noop.on('tick', () => {});
  out.ee_noop_listener = nsPerCall(n, () => noop.emit('tick', payload));
  const bridged = new EventEmitter();
  liveness.bridgeEmitter(bridged, ['tick'], { prefix: 'bench' });
  out.ee_bridged_no_capture = nsPerCall(n, () => bridged.emit('tick', payload));
  let otel;
  try {
    otel = require(require.resolve('@opentelemetry/sdk-trace-base', { paths: [pkg] }));
  } catch {
    otel = undefined;
  }
  if (otel) {
    const bare = new otel.BasicTracerProvider().getTracer('bench');
    const withProcessor = new otel.BasicTracerProvider({ spanProcessors: [new liveness.EventSpanProcessor()] }).getTracer('bench');
    const m = Math.floor(n / 20);
    out.span_no_processor = nsPerCall(m, () => bare.startSpan('bench.span').end());
    out.span_event_processor_no_capture = nsPerCall(m, () => withProcessor.startSpan('bench.span').end());
  }
}
console.log(JSON.stringify(out));
