/**
 * CRC-32 (IEEE 802.3, the zlib/PNG polynomial) of bytes and of whole files: the cache's
 * check that a file still holds what was written or read. It detects accidental
 * changes (any burst up to 32 bits, anything else with probability 1 - 2^-32), not a
 * deliberate forgery. zlib.crc32 (Node >= 20.15) runs at memory speed; older Node
 * gets the table-driven loop, which gives the same values.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import * as zlib from 'node:zlib';

const native = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** CRC-32 of `bytes`, continuing from `previous` (the CRC of the bytes before). */
export function crc32(bytes: Uint8Array, previous = 0): number {
  if (native) return native(bytes, previous) >>> 0;
  const t = crcTable();
  let c = ~previous >>> 0;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32 of a whole file, read in 8 MiB blocks (memory stays flat on a 1 GB release). */
export function fileCrc32(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(8 << 20);
    let crc = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) return crc;
      crc = crc32(buf.subarray(0, n), crc);
    }
  } finally {
    closeSync(fd);
  }
}
