export async function retry(fn) {
  await new Promise((r) => setTimeout(r, 100)); // near-miss: a sleep in non-test code
  return fn();
}
