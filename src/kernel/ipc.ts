/**
 * Messages between a host (src/kernel/client.ts) and the kernel process
 * (src/kernel/kernel-process.ts), sent over the Node IPC channel of `child_process.fork`
 * (JSON serialisation, so every payload must be JSON-safe).
 */
import type { CellLanguage, ExecuteResult, KernelOutput } from './session';

export type HostToKernel =
  | { type: 'execute'; id: number; code: string; language: CellLanguage }
  /** Cooperative interrupt of execution `id` (the host also sends SIGINT for sync loops). */
  | { type: 'interrupt'; id: number }
  | { type: 'invoke'; id: number; method: string; params: unknown };

export type KernelToHost =
  | { type: 'ready'; pid: number }
  | { type: 'output'; id: number; output: KernelOutput }
  | { type: 'done'; id: number; result: ExecuteResult }
  | { type: 'invokeResult'; id: number; ok: true; value: unknown }
  | { type: 'invokeResult'; id: number; ok: false; error: { name: string; message: string } };

export function isKernelToHost(m: unknown): m is KernelToHost {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}

export function isHostToKernel(m: unknown): m is HostToKernel {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}
