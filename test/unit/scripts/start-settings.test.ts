/**
 * `npm start` settings: defaults fill what the user has not set, newer defaults replace
 * older ones we wrote, and values the user changed stay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applySettings, mergeSettings } from '../../../scripts/start-settings.mjs';

test('mergeSettings: absent keys and our own earlier values take the new default; user values stay', () => {
  const current = { 'workbench.colorTheme': 'Solarized Dark', 'workbench.startupEditor': 'none', 'editor.fontSize': 16 };
  const last = { 'workbench.colorTheme': 'Default Light Modern', 'workbench.startupEditor': 'none' };
  const defaults = { 'workbench.colorTheme': 'Default Light Modern', 'workbench.startupEditor': 'welcomePage', 'telemetry.telemetryLevel': 'off' };
  assert.deepEqual(mergeSettings(current, defaults, last), {
    'workbench.colorTheme': 'Solarized Dark', // changed by the user
    'workbench.startupEditor': 'welcomePage', // ours before, so the newer default applies
    'telemetry.telemetryLevel': 'off', // absent
    'editor.fontSize': 16, // the user's own key
  });
});

test('mergeSettings: without a record of what we wrote, a present key is the user\'s', () => {
  assert.deepEqual(mergeSettings({ 'workbench.startupEditor': 'none' }, { 'workbench.startupEditor': 'welcomePage' }, {}), { 'workbench.startupEditor': 'none' });
});

test('applySettings writes the merge and the record; a settings file with comments is left alone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dxnb-start-settings-'));
  try {
    const file = join(dir, 'User', 'settings.json');
    const record = join(dir, 'record.json');
    assert.equal(applySettings(file, record, { a: 1, b: 2 }), true);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { a: 1, b: 2 });
    // The user changes b in the workbench; we change a's default.
    writeFileSync(file, JSON.stringify({ a: 1, b: 3 }));
    assert.equal(applySettings(file, record, { a: 10, b: 2 }), true);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { a: 10, b: 3 });
    assert.deepEqual(JSON.parse(readFileSync(record, 'utf8')), { a: 10, b: 2 });
    const commented = '{\n  // mine\n  "a": 5\n}\n';
    mkdirSync(join(dir, 'User'), { recursive: true });
    writeFileSync(file, commented);
    assert.equal(applySettings(file, record, { a: 10 }), false);
    assert.equal(readFileSync(file, 'utf8'), commented);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
