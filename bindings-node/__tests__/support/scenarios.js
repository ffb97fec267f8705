// Systems under test from the seeds, in JavaScript: their delays are the behaviour being tested
// (a shutdown that finishes on a later tick, a write that lands later), so they use timers.
const fs = require('node:fs');
const { emit } = require('../..');

const jitter = (min, max) => min + Math.random() * (max - min);

/**
 * A singleton service under a name. `restart()` asks it to stop; the stop finishes on a later
 * tick (5–30 ms), and only then can a new instance register — with a new id. Starting too early
 * fails with "already started": the restart race.
 */
class Registry {
  constructor() {
    this.names = new Map();
    this.nextId = 1;
  }
  start(name) {
    if (this.names.has(name)) throw new Error(`${name} already started`);
    const id = this.nextId++;
    this.names.set(name, id);
    return id;
  }
  whereis(name) {
    return this.names.get(name) ?? null;
  }
  /** Stops `name` asynchronously; a supervisor starts a new instance once it is gone. */
  restart(name) {
    setTimeout(() => {
      this.names.delete(name);
      setTimeout(() => this.start(name), jitter(0, 5));
    }, jitter(5, 30));
  }
}

/** Writes `text` to `file` after 5–30 ms, the way a background job would. */
function delayedWrite(file, text) {
  setTimeout(() => fs.writeFile(file, text, () => {}), jitter(5, 30));
}

/**
 * The circuit breaker of seed 000: after `threshold` consecutive failures it opens; it emits
 * `breaker.call.success`, `breaker.call.failure` and `breaker.state_change` {from, to}.
 */
class CircuitBreaker {
  constructor(name, threshold = 3) {
    this.name = name;
    this.threshold = threshold;
    this.failures = 0;
    this.state = 'closed';
  }
  async call(fn) {
    if (this.state === 'open') throw new Error(`circuit ${this.name} is open`);
    try {
      const value = await fn();
      this.failures = 0;
      emit('breaker.call.success', {}, { breaker: this.name });
      return value;
    } catch (error) {
      this.failures++;
      emit('breaker.call.failure', { failures: this.failures }, { breaker: this.name });
      if (this.failures >= this.threshold) this.transition('open');
      throw error;
    }
  }
  transition(to) {
    const from = this.state;
    this.state = to;
    emit('breaker.state_change', {}, { breaker: this.name, from, to });
  }
}

module.exports = { Registry, delayedWrite, CircuitBreaker, jitter };
