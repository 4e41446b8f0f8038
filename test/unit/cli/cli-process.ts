// Runs the `dexposure` command line from source (tsx) in a child process, as a shell
// would: exit code, stdout and stderr. Shared by the CLI and example-notebook tests.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Extra environment (e.g. DEXPOSURE_KERNEL_PATH) on top of this process's. */
  env?: Record<string, string>;
  /** Run under `ulimit -f` (KiB), to make writes fail. */
  fileSizeLimitKiB?: number;
}

/** The CLI as a running child process (to signal or kill it). */
export function spawnCli(args: string[], opts: CliOptions = {}): ChildProcessWithoutNullStreams {
  const argv = [process.execPath, '--import', 'tsx', path.join(ROOT, 'src', 'cli', 'main.ts'), ...args];
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  const [cmd, cmdArgs] = opts.fileSizeLimitKiB === undefined ? [argv[0]!, argv.slice(1)] : ['bash', ['-c', `ulimit -f ${opts.fileSizeLimitKiB} && exec ${argv.map(quote).join(' ')}`]];
  return spawn(cmd, cmdArgs, { cwd: ROOT, env: { ...process.env, ...opts.env } });
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, opts);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
