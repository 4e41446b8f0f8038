// Types of scripts/code-server.mjs for the TypeScript tests that import it.
import type { ChildProcess } from 'node:child_process';

export const ROOT: string;
export const CODE_SERVER_BIN: string;
export const NODE24_BIN: string;
export const EXTENSION_ID: string;
export const EXTENSION_FOLDER: string;
export const BASE_SETTINGS: Record<string, unknown>;
export function linkExtension(extDir: string, source?: string): string;
export function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): void;
export function portIsFree(port: number): Promise<boolean>;
export function freePort(preferred?: number): Promise<number>;
export function spawnCodeServer(opts: {
  port: number;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}): { proc: ChildProcess; logs: () => string };
export function stopCodeServer(proc: ChildProcess, graceMs?: number): Promise<void>;
export function waitForHttp(url: string, timeoutMs: number, proc: ChildProcess, logs: () => string, label?: string): Promise<Response>;
export function workbenchUrl(port: number, folder: string): string;
export function codeServerInstalled(): boolean;
