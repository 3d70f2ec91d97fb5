function add(a, b) {
  return a + b;
}

describe('calc', () => {
  test('adds', () => {
    expect(add(1, 2)).toBe(3);
  });

  test('adds wrong', () => {
    expect(add(2, 2)).toBe(5);
  });

  test.skip('skipped', () => {});
});

test('throws', () => {
  throw new Error('top-level broke');
});
