// The overloaded CI machine: max(1, cores - 1) busy processes (scenarios.json `hog.command`)
// for as long as a suite under load 'hog' runs.
const { spawn } = require('node:child_process');
const os = require('node:os');

const live = new Set();
// A harness that dies half-way must not leave busy processes behind.
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function copies() {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, cores - 1);
}

/** Starts the hog; `await hog.stop()` kills every copy and waits until each has exited. */
function start(command) {
  const children = [];
  for (let i = 0; i < copies(); i++) {
    const child = spawn(command[0], command.slice(1), { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    live.add(child);
    children.push({ child, exited });
  }
  return {
    count: children.length,
    async stop() {
      for (const { child } of children) child.kill('SIGKILL');
      await Promise.all(children.map(({ exited }) => exited));
      for (const { child } of children) live.delete(child);
    },
  };
}

module.exports = { start, copies };
