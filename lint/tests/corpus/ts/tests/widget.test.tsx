import { render } from '@testing-library/react';

test('renders', async () => {
  render(<Widget delay={100} />);
  await new Promise((r) => setTimeout(r, 150)); // expect: js/promise-settimeout
  const el = <Spinner onDone={() => setTimeout(close, 10)} />; // near-miss: a timer in a component
});
