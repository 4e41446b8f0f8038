import type { CliCommand } from '../command';
import { buildCommand } from './build';
import { evaluateCommand } from './evaluate';
import { exportTrainingSetCommand } from './export-training-set';
import { synthCommand } from './synth';

/** Every subcommand, in the order `dexposure --help` lists them. */
export const commands: CliCommand[] = [buildCommand, synthCommand, exportTrainingSetCommand, evaluateCommand];
