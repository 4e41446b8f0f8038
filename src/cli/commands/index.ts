import type { CliCommand } from '../command';

/** Every subcommand, in the order `dexposure --help` lists them. */
export const commands: CliCommand[] = [];
