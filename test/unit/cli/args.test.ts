import assert from 'node:assert/strict';
import { test } from 'node:test';
import { choiceOption, dateOption, integerListOption, integerOption, numberOption, parseCommand } from '../../../src/cli/args';
import { CliError } from '../../../src/cli/command';
import { warningsCommand } from '../../../src/cli/commands/warnings';
import { measuresCommand } from '../../../src/cli/commands/measures';
import { stressCommand } from '../../../src/cli/commands/stress';
import { exportCommand } from '../../../src/cli/commands/export';
import { runCommand } from '../../../src/cli/commands/run';

const usage = 'Usage: x DATA [--week W] [--json]';
const opts = { strings: ['week'], flags: ['json'] } as const;

function cliError(f: () => unknown, re: RegExp): void {
  assert.throws(f, (e: unknown) => e instanceof CliError && re.test(e.message) && e.exitCode === 2);
}

test('parseCommand: values, --opt=value, positionals', () => {
  const r = parseCommand('x', usage, ['data', '--week', '2022-05-02', '--json'], opts);
  assert.deepEqual(r.positionals, ['data']);
  assert.equal(r.values.week, '2022-05-02');
  assert.equal(r.values.json, true);
  assert.equal(parseCommand('x', usage, ['--week=2022-05-09'], opts).values.week, '2022-05-09');
});

test('parseCommand: unknown option, missing value, value on a flag, extra positional, each with the usage', () => {
  cliError(() => parseCommand('x', usage, ['--wek', '2022-05-02'], opts), /^x: unknown option "--wek"\n\nUsage: x DATA/);
  cliError(() => parseCommand('x', usage, ['data', '--week'], opts), /^x: --week expects a value\n\nUsage/);
  cliError(() => parseCommand('x', usage, ['--week', '--json'], opts), /^x: --week expects a value/);
  cliError(() => parseCommand('x', usage, ['--json=yes'], opts), /^x: --json takes no value/);
  cliError(() => parseCommand('x', usage, ['a', 'b'], opts), /^x: unexpected argument "b"/);
  assert.deepEqual(parseCommand('x', usage, ['a', 'b'], opts, 2).positionals, ['a', 'b']);
});

test('value checks: dates are real days, numbers are finite and in range, integers are digits', () => {
  assert.equal(dateOption('x', '--from', '2024-02-29'), '2024-02-29');
  assert.equal(dateOption('x', '--from', undefined), undefined);
  cliError(() => dateOption('x', '--from', '2023-02-29'), /^x: --from expects a date YYYY-MM-DD, got "2023-02-29"$/);
  cliError(() => dateOption('x', '--from', '2023-2-1'), /expects a date/);
  assert.equal(numberOption('x', '--k', '2.5', { min: 0, minExclusive: true }), 2.5);
  cliError(() => numberOption('x', '--k', 'abc'), /^x: --k expects a number, got "abc"$/);
  cliError(() => numberOption('x', '--k', '0', { min: 0, minExclusive: true }), /^x: --k expects a number > 0, got "0"$/);
  cliError(() => numberOption('x', '--t', '1.5', { min: 0, max: 1 }), /^x: --t expects a number >= 0 and <= 1, got "1.5"$/);
  cliError(() => numberOption('x', '--t', ' '), /expects a number/);
  cliError(() => numberOption('x', '--t', 'Infinity'), /expects a number/);
  assert.equal(integerOption('x', '--top', '0', { min: 0 }), 0);
  cliError(() => integerOption('x', '--top', '-3', { min: 0 }), /^x: --top expects an integer >= 0, got "-3"$/);
  cliError(() => integerOption('x', '--top', '2.0'), /expects an integer/);
  cliError(() => integerOption('x', '--top', '1e3'), /expects an integer/);
  assert.deepEqual(integerListOption('x', '--horizons', '1,4,8,12', { min: 1 }), [1, 4, 8, 12]);
  cliError(() => integerListOption('x', '--horizons', '1,,4', { min: 1 }), /expects a list of integers >= 1 like 1,4,8,12, got "1,,4"/);
  cliError(() => integerListOption('x', '--horizons', '0,4', { min: 1 }), /expects a list/);
  cliError(() => integerListOption('x', '--horizons', '4,4'), /^x: --horizons lists 4 twice$/);
  assert.equal(choiceOption('x', '--format', 'arrow', ['csv', 'arrow']), 'arrow');
  cliError(() => choiceOption('x', '--format', 'parquet', ['csv', 'arrow']), /^x: --format must be csv or arrow, got "parquet"$/);
});

test('commands refuse bad values before opening any data', async () => {
  // DATA does not exist: each of these must fail on its option, not on the folder.
  const missing = '/nonexistent/release';
  await assert.rejects(warningsCommand.run([missing, '--from', '2022-01-03', '--to', '2022-03-07', '--k', 'abc']), /^CliError: warnings: --k expects a number > 0, got "abc"/);
  await assert.rejects(warningsCommand.run([missing, '--from', '2022-01-03', '--to', '2022-03-07', '--window', '1']), /^CliError: warnings: --window expects an integer >= 2, got "1"/);
  await assert.rejects(measuresCommand.run([missing, '--week', '2022-01-03', '--top', 'ten']), /^CliError: measures: --top expects an integer >= 0, got "ten"/);
  await assert.rejects(stressCommand.run([missing, '--week', '2022-01-03', '--scenario', 'top1', '--threshold', '2']), /^CliError: stress: --threshold expects a number >= 0 and <= 1, got "2"/);
  await assert.rejects(stressCommand.run([missing, '--week', '2022-01-03', '--scenario', 'top1', '--max-rounds', '1.5']), /^CliError: stress: --max-rounds expects an integer >= 0, got "1.5"/);
  await assert.rejects(exportCommand.run([missing, '--week', '2022-01-03', '--out', '/tmp/x', '--format', 'xlsx']), /^CliError: export: --format must be csv or arrow, got "xlsx"/);
});

test('run parses like every other command: bad values, unknown options and missing values are refused before the notebook is read', async () => {
  // The notebook does not exist: each of these must fail on its argument, not on the file.
  const nb = '/nonexistent/analysis.dxnb';
  await assert.rejects(runCommand.run([nb, '--timeout-per-cell', 'abc']), /^CliError: run: --timeout-per-cell expects a number > 0, got "abc"$/);
  await assert.rejects(runCommand.run([nb, '--timeout-per-cell', '0']), /^CliError: run: --timeout-per-cell expects a number > 0, got "0"$/);
  await assert.rejects(runCommand.run([nb, '--timeout-per-cell=-5']), /^CliError: run: --timeout-per-cell expects a number > 0, got "-5"$/);
  await assert.rejects(runCommand.run([nb, '--out']), /^CliError: run: --out expects a value\n\nUsage: dexposure run NOTEBOOK/);
  await assert.rejects(runCommand.run([nb, '--html', '--json']), /^CliError: run: --html expects a value/);
  await assert.rejects(runCommand.run([nb, '--in-place=yes']), /^CliError: run: --in-place takes no value/);
  await assert.rejects(runCommand.run([nb, '--inplace']), /^CliError: run: unknown option "--inplace"/);
  await assert.rejects(runCommand.run([nb, 'other.dxnb']), /^CliError: run: one notebook at a time \(got "\/nonexistent\/analysis.dxnb" and "other.dxnb"\)$/);
  await assert.rejects(runCommand.run(['--json']), /^CliError: run: which notebook\?/);
  await assert.rejects(runCommand.run([nb, '--out', 'x.dxnb', '--in-place']), /^CliError: run: --out and --in-place exclude each other$/);
  // With good arguments the file itself is what fails.
  await assert.rejects(runCommand.run([nb, '--timeout-per-cell', '2.5', '--quiet']), (e: Error) => e instanceof CliError && e.message.includes(nb) && !/--timeout-per-cell/.test(e.message));
});
