import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The shipped mapping is the official release's: SHA-256 of the release's git-LFS pointers.
const OFFICIAL: Record<string, string> = {
  'id_to_info.json': '199f647747ec5ab7ae684d26463106c3de33d9e287aae74c808df6996943af54',
  'meta_df.csv': 'a8306889fc4473972e843d8e847c9db68776cb86014746f1029fee574e254305',
  'rev_map.json': 'e7087eea094d8f85543af2ecffd31cc44605e4b65d863e4a9c3fd281dc183968',
  'token_to_protocol.json': '8e0fc9f29acb7b682afa8863280a4ef45de5788fdbadc940d146437ca467dcba',
};

test('resources/dexposure-mapping holds the official mapping files', () => {
  const dir = join(__dirname, '..', '..', '..', 'resources', 'dexposure-mapping');
  for (const [f, sha] of Object.entries(OFFICIAL)) assert.equal(createHash('sha256').update(readFileSync(join(dir, f))).digest('hex'), sha, f);
});
