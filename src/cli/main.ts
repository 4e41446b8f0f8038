/**
 * `dexposure` command line. Each subcommand lives in ./commands/<name>.ts.
 */
import type { CliCommand } from './command';
import { CliError } from './command';
import { commands } from './commands';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: dexposure <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `dexposure <command> --help` for the options of one command.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    console.log(process.env.DEXPOSURE_VERSION ?? '0.1.0');
    return 0;
  }
  const cmd: CliCommand | undefined = commands.find((c) => c.name === name);
  if (!cmd) {
    console.error(`dexposure: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(cmd.usage);
    return 0;
  }
  return cmd.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof CliError) {
      console.error(`dexposure: ${err.message}`);
      process.exitCode = err.exitCode;
    } else if (err instanceof Error && (err as { userFacing?: boolean }).userFacing) {
      console.error(`dexposure: ${err.message}`);
      process.exitCode = 1;
    } else {
      console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exitCode = 1;
    }
  },
);
