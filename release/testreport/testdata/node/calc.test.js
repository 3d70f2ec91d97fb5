// Fixture for release/testreport: node's built-in test runner with its
// JUnit reporter (node --test --test-reporter=junit).
const test = require('node:test');
const assert = require('node:assert');

function add(a, b) {
  return a + b;
}

test('adds', () => {
  assert.strictEqual(add(1, 2), 3);
});

test('adds wrong', () => {
  assert.strictEqual(add(2, 2), 5);
});

test('skipped', { skip: 'not ready' }, () => {});

test('suite', async (t) => {
  await t.test('inner ok', () => {});
  await t.test('inner throws', () => {
    throw new Error('inner broke');
  });
});
