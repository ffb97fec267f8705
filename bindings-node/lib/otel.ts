// A bridge from OpenTelemetry (SPEC §5, bridges): `EventSpanProcessor` is a SpanProcessor for the
// official SDK (@opentelemetry/sdk-trace-base), written against the SDK's shapes structurally so
// that the package depends on no @opentelemetry/* module at run time. A finished span becomes an
// event, and each of its span events one more. The SDK calls onEnd inside span.end(), so the
// event carries the scope of the code that ended the span.
import { bridgeEmit } from './emitter';
import type { Metadata } from './events';
import { native } from './native';

/** [seconds, nanoseconds], the SDK's HrTime. */
type HrTime = [number, number];

/** What the processor reads of the SDK's ReadableSpan. */
export interface FinishedSpan {
  readonly name: string;
  readonly kind: number;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly duration: HrTime;
  readonly status: { readonly code: number; readonly message?: string };
  readonly events: readonly { readonly name: string; readonly attributes?: Readonly<Record<string, unknown>> }[];
  spanContext(): { readonly traceId: string; readonly spanId: string };
}

// The SDK's enums (@opentelemetry/api SpanKind and SpanStatusCode), by value.
// Their names, as the Python bridge gives them (SPEC §5).
const KINDS = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUSES = ['UNSET', 'OK', 'ERROR'];

/**
 * A SpanProcessor that emits each finished span as the event named by its attribute `event` when
 * that is a valid event name, else `bridgeName(span.name)`; metadata its attributes, `trace_id`,
 * `span_id`, `status` (`UNSET`/`OK`/`ERROR`) and `kind` (`INTERNAL`, `SERVER`, …); the measurement
 * `duration_ms`. Each span event is emitted first (it happened before the span ended) as
 * `bridgeName(span.name) + '.' + bridgeName(event.name)`, with its attributes, `span` (the span's
 * name), `trace_id` and `span_id` (the keys the Python bridge uses: one name per concept in
 * every door, whatever the SDK's spelling). With nothing attached, onEnd returns at once.
 */
export class EventSpanProcessor {
  onStart(): void {}

  onEnd(span: FinishedSpan): void {
    if (!native.anyAttached()) return;
    const attributes = span.attributes ?? {};
    const base = native.bridgeName(span.name);
    const name = native.bridgeName(span.name, typeof attributes.event === 'string' ? attributes.event : null);
    const { traceId, spanId } = span.spanContext();
    for (const e of span.events ?? []) {
      bridgeEmit(`${base}.${native.bridgeName(e.name)}`, undefined, { ...(e.attributes ?? {}), span: span.name, trace_id: traceId, span_id: spanId });
    }
    const metadata: Metadata = {
      ...attributes,
      trace_id: traceId,
      span_id: spanId,
      status: STATUSES[span.status.code] ?? String(span.status.code),
      kind: KINDS[span.kind] ?? String(span.kind),
    };
    const [seconds, nanos] = span.duration;
    bridgeEmit(name, { duration_ms: seconds * 1000 + nanos / 1e6 }, metadata);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
