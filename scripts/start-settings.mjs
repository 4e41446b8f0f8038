// User settings for `npm start`: our defaults, without undoing what the user changed in
// the workbench. A record of the defaults written last time tells a value the user set
// from one we set (which a newer default may then replace).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

/**
 * `current` (settings.json as it is) with `defaults` applied to every key the user has
 * not set: absent, or still holding the value `lastDefaults` says we wrote.
 */
export function mergeSettings(current, defaults, lastDefaults) {
  const out = { ...current };
  for (const [key, value] of Object.entries(defaults)) {
    if (!(key in current) || (key in lastDefaults && isDeepStrictEqual(current[key], lastDefaults[key]))) out[key] = value;
  }
  return out;
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * Writes `settingsFile` merged with `defaults` and records them in `recordFile`.
 * A settings file that is not plain JSON (comments) is left as it is; returns false then.
 */
export function applySettings(settingsFile, recordFile, defaults) {
  let current = {};
  if (existsSync(settingsFile)) {
    try {
      current = readJson(settingsFile);
    } catch {
      return false;
    }
  }
  let last = {};
  try {
    if (existsSync(recordFile)) last = readJson(recordFile);
  } catch {
    // A damaged record: every present key counts as the user's.
  }
  mkdirSync(dirname(settingsFile), { recursive: true });
  writeFileSync(settingsFile, `${JSON.stringify(mergeSettings(current, defaults, last), null, 2)}\n`);
  mkdirSync(dirname(recordFile), { recursive: true });
  writeFileSync(recordFile, `${JSON.stringify(defaults, null, 2)}\n`);
  return true;
}
