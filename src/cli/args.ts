/**
 * Argument parsing for every `dexposure` command: node:util parseArgs (strict: unknown
 * options and missing values are errors) with the CLI's error style, one line naming
 * the command and the option, then the usage. Values are validated here too, so that
 * `--k abc` or `--top -3` fail before any work starts instead of slipping through as NaN.
 */
import { parseArgs } from 'node:util';
import { CliError, type CliCommand } from './command';

/** A command's options by kind: `strings` take a value (`--week W`, `--week=W`), `flags` take none. */
export interface OptionNames<S extends string, F extends string> {
  strings?: readonly S[];
  flags?: readonly F[];
}

export interface ParsedCommand<S extends string, F extends string> {
  values: { [K in S]?: string } & { [K in F]?: boolean };
  positionals: string[];
}

/** The option named in one of parseArgs' messages ("Unknown option '--pdf'", "Option '--out <value>' argument missing"). */
function optionIn(message: string): string {
  return /'(-{1,2}[^' <]+)/.exec(message)?.[1] ?? '';
}

/**
 * Parses `argv`; at most `maxPositionals` positional arguments. Errors:
 * `cmd: unknown option "--x"`, `cmd: --out expects a value`, `cmd: --json takes no value`,
 * `cmd: unexpected argument "y"`, each followed by the usage.
 */
export function parseCommand<const S extends string = never, const F extends string = never>(
  cmd: string,
  usage: string,
  argv: string[],
  names: OptionNames<S, F>,
  maxPositionals = 1,
): ParsedCommand<S, F> {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const n of names.strings ?? []) options[n] = { type: 'string' };
  for (const n of names.flags ?? []) options[n] = { type: 'boolean' };
  let r;
  try {
    r = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (e) {
    const err = e as Error & { code?: string };
    const opt = optionIn(err.message);
    let what: string;
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') what = `unknown option "${opt}"`;
    else if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /does not take an argument/.test(err.message)) what = `${opt} takes no value`;
    else if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') what = `${opt} expects a value`;
    else what = err.message;
    throw new CliError(`${cmd}: ${what}\n\n${usage}`);
  }
  if (r.positionals.length > maxPositionals) throw new CliError(`${cmd}: unexpected argument "${r.positionals[maxPositionals]}"\n\n${usage}`);
  return r as unknown as ParsedCommand<S, F>;
}

/** A command: its name, help and options, and what it does with the parsed arguments. */
export interface CommandSpec<S extends string, F extends string> extends OptionNames<S, F> {
  name: string;
  summary: string;
  usage: string;
  /** How many positional arguments it takes at most (default 1). */
  positionals?: number;
}

/** A `dexposure` subcommand whose arguments are parsed (and refused) before `run` sees them. */
export function defineCommand<const S extends string = never, const F extends string = never>(
  spec: CommandSpec<S, F>,
  run: (options: ParsedCommand<S, F>['values'], positionals: string[]) => Promise<number>,
): CliCommand {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    // async: a usage error is a rejected promise, as every other failure of a command.
    run: async (argv) => {
      const r = parseCommand(spec.name, spec.usage, argv, spec, spec.positionals ?? 1);
      return run(r.values, r.positionals);
    },
  };
}

/** A calendar date YYYY-MM-DD (a real day: 2025-02-30 is refused). */
export function dateOption(cmd: string, flag: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const d = new Date(`${v}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
    throw new CliError(`${cmd}: ${flag} expects a date YYYY-MM-DD, got "${v}"`);
  }
  return v;
}

export interface Range {
  min?: number;
  max?: number;
  /** The lower bound itself is not allowed (a number > min). */
  minExclusive?: boolean;
}

function rangeText(r: Range): string {
  const lo = r.min === undefined ? '' : `${r.minExclusive ? '>' : '>='} ${r.min}`;
  const hi = r.max === undefined ? '' : `<= ${r.max}`;
  return [lo, hi].filter(Boolean).join(' and ');
}

function inRange(x: number, r: Range): boolean {
  if (r.min !== undefined && (r.minExclusive ? !(x > r.min) : !(x >= r.min))) return false;
  return r.max === undefined || x <= r.max;
}

/** A finite number within `range`. */
export function numberOption(cmd: string, flag: string, v: string | undefined, range: Range = {}): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || !inRange(x, range)) {
    const bound = rangeText(range);
    throw new CliError(`${cmd}: ${flag} expects a number${bound ? ` ${bound}` : ''}, got "${v}"`);
  }
  return x;
}

/** A whole number within `range` (digits only: no 1e3, no 2.0). */
export function integerOption(cmd: string, flag: string, v: string | undefined, range: Range = {}): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(x) || !inRange(x, range)) {
    const bound = rangeText(range);
    throw new CliError(`${cmd}: ${flag} expects an integer${bound ? ` ${bound}` : ''}, got "${v}"`);
  }
  return x;
}

/** A comma-separated list of whole numbers within `range`, like 1,4,8,12; duplicates refused. */
export function integerListOption(cmd: string, flag: string, v: string | undefined, range: Range = {}): number[] | undefined {
  if (v === undefined) return undefined;
  const parts = v.split(',');
  const bound = rangeText(range);
  const xs = parts.map((p) => Number(p));
  if (!parts.every((p) => /^\d+$/.test(p.trim())) || !xs.every((x) => Number.isSafeInteger(x) && inRange(x, range))) {
    throw new CliError(`${cmd}: ${flag} expects a list of integers${bound ? ` ${bound}` : ''} like 1,4,8,12, got "${v}"`);
  }
  const dup = xs.find((x, i) => xs.indexOf(x) !== i);
  if (dup !== undefined) throw new CliError(`${cmd}: ${flag} lists ${dup} twice`);
  return xs;
}

/** One of a fixed set of words. */
export function choiceOption<T extends string>(cmd: string, flag: string, v: string | undefined, choices: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!(choices as readonly string[]).includes(v)) throw new CliError(`${cmd}: ${flag} must be ${choices.join(' or ')}, got "${v}"`);
  return v as T;
}
