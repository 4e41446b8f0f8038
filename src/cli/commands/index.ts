import type { CliCommand } from '../command';
import { buildCommand } from './build';
import { evaluateCommand } from './evaluate';
import { exportCommand } from './export';
import { exportTrainingSetCommand } from './export-training-set';
import { finetuneCommand } from './finetune';
import { pretrainDataCommand } from './pretrain-data';
import { inspectCommand } from './inspect';
import { runCommand } from './run';
import { reportCommand } from './report';
import { measuresCommand } from './measures';
import { stressCommand } from './stress';
import { synthCommand } from './synth';
import { realismCommand } from './realism';
import { warningsCommand } from './warnings';

/** Every subcommand, in the order `dexposure --help` lists them. */
export const commands: CliCommand[] = [inspectCommand, exportCommand, buildCommand, synthCommand, realismCommand, exportTrainingSetCommand, pretrainDataCommand, finetuneCommand, evaluateCommand, measuresCommand, stressCommand, warningsCommand, runCommand, reportCommand];
