// The suite's system under test, seed 004's ExternalAdder: a singleton registered under a name.
// Stopping it is asynchronous, like a linked process terminating: the name is freed
// `shutdownMs` later by a timer (that delay is the simulated behaviour, not a wait of ours).
// Until then, starting another instance under the same name fails with AlreadyStarted. Its
// shutdown ends with a push notification (push.js), as a system written to be waited for would:
// the floor's push waiter wakes on it; nobody else listens.
const { notifyPush } = require('./push');

class AlreadyStarted extends Error {
  constructor(name) {
    super(`${JSON.stringify(name)} is already started`);
    this.name = 'AlreadyStarted';
  }
}

const registered = new Set();

class Adder {
  /** Registers and starts; throws AlreadyStarted while an instance of that name is registered. */
  static start(name, shutdownMs) {
    if (registered.has(name)) throw new AlreadyStarted(name);
    registered.add(name);
    return new Adder(name, shutdownMs);
  }

  /** Starts, or returns undefined while the name is taken (the probe the waits poll). */
  static tryStart(name, shutdownMs) {
    return registered.has(name) ? undefined : Adder.start(name, shutdownMs);
  }

  static isRegistered(name) {
    return registered.has(name);
  }

  constructor(name, shutdownMs) {
    this.name = name;
    this.shutdownMs = shutdownMs;
  }

  add(x, y) {
    return x + y;
  }

  /** Returns at once; the name is freed `shutdownMs` later. */
  stop() {
    const name = this.name;
    setTimeout(() => {
      registered.delete(name);
      notifyPush();
    }, this.shutdownMs);
  }
}

module.exports = { Adder, AlreadyStarted };
