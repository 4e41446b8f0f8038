/**
 * Raw little-endian array files of the training-set export (docs/TRAINING-SET.md):
 * no header, row-major, read in Python with np.fromfile(path, "<f4" | "<i4" | "u1").
 */
import { endianness } from 'node:os';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../files/atomic-write';

if (endianness() !== 'LE') {
  // Typed arrays use the host byte order; every supported platform is little-endian.
  throw new Error('trainingset/binary: a big-endian host cannot write the little-endian export');
}

export function writeArray(path: string, a: Float32Array | Int32Array | Uint8Array): void {
  writeFileAtomic(path, Buffer.from(a.buffer, a.byteOffset, a.byteLength));
}

function bytes(path: string): Buffer {
  return readFileSync(path);
}

export function readF32(path: string): Float32Array {
  const b = bytes(path);
  if (b.byteLength % 4) throw new Error(`trainingset/binary: ${path}: ${b.byteLength} bytes is not a whole number of float32`);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

export function readI32(path: string): Int32Array {
  const b = bytes(path);
  if (b.byteLength % 4) throw new Error(`trainingset/binary: ${path}: ${b.byteLength} bytes is not a whole number of int32`);
  return new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

export function readU8(path: string): Uint8Array {
  return new Uint8Array(bytes(path));
}
