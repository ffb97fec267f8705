// Percentiles and the summary fields of an overshoot record (the Rust harness's definitions:
// nearest rank on (n - 1), so p99 of a small sample is its maximum).

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  const rank = Math.round((p / 100) * (sorted.length - 1));
  return sorted[Math.min(rank, sorted.length - 1)];
}

/** `n`, `p50_ms`, `p99_ms`, `mean_ms` of a sample of milliseconds. */
function summary(samplesMs) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0;
  return { n: sorted.length, p50_ms: percentile(sorted, 50), p99_ms: percentile(sorted, 99), mean_ms: mean };
}

module.exports = { percentile, summary };
