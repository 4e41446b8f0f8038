/**
 * `dexposure stress DATA --week YYYY-MM-DD --scenario NAME|FILE.json`: one DebtRank-style
 * stress scenario on one week (src/core/stress).
 */
import { readFileSync } from 'node:fs';
import { CliError } from '../command';
import type { MeasureMode } from '../../core/measures';
import { contagionRounds, isPresetName, runStress, scenarios, stressFigures, validateScenario } from '../../core/stress';
import type { Scenario } from '../../core/stress';
import { formatTable, pct, usd } from '../table-format';
import { integerOption, numberOption, defineCommand } from '../args';
import { checkWeek, core, loadWeek, openData } from '../release-args';

const usage = `Usage: dexposure stress DATA --week YYYY-MM-DD --scenario ${Object.keys(scenarios).join('|')}|FILE.json
                        [--threshold T] [--max-rounds N] [--parity] [--top N] [--json]

Runs the DebtRank-style contagion simulator on one week of the release folder DATA.
  --scenario NAME   a preset: ${Object.entries(scenarios).map(([k, v]) => `${k} (${v.description})`).join('; ')}
  --scenario FILE   a JSON scenario { "name": ..., "shocks": [{ "kind": "protocols", "ids": [...], "loss": 0.5 }, ...] }
                    (kinds: protocols, top, categories, tokens; docs/MEASURES.md)
  --threshold T     distress threshold as a share of TVL (default 0.1)
  --max-rounds N    round cap (default 100; 10 with --parity)
  --parity          the authors' simulate_contagion conventions
  --top N           protocols listed in the human table (default 15)
  --json            print the result as JSON`;

function readScenario(arg: string): Scenario {
  if (isPresetName(arg)) return scenarios[arg];
  if (!arg.toLowerCase().endsWith('.json')) throw new CliError(`stress: --scenario expects ${Object.keys(scenarios).join(', ')} or a .json file, got "${arg}"`);
  let text: string;
  try {
    text = readFileSync(arg, 'utf8');
  } catch (e) {
    throw new CliError(`stress: cannot read scenario file ${arg}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new CliError(`stress: ${arg} is not valid JSON: ${(e as Error).message}`);
  }
  try {
    return validateScenario(parsed);
  } catch (e) {
    throw new CliError(`stress: ${arg}: ${(e as Error).message}`);
  }
}

export const stressCommand = defineCommand({ name: 'stress', summary: 'Stress-test one week with a DebtRank-style contagion scenario', usage, strings: ['week', 'scenario', 'threshold', 'max-rounds', 'top'], flags: ['parity', 'json'] }, async (o, positionals) => {
  const dir = positionals[0];
  const scenarioArg = o.scenario;
  const mode: MeasureMode = o.parity ? 'parity' : 'default';
  const threshold = numberOption('stress', '--threshold', o.threshold, { min: 0, max: 1 });
  const maxRounds = integerOption('stress', '--max-rounds', o['max-rounds'], { min: 0 });
  const top = integerOption('stress', '--top', o.top, { min: 0 }) ?? 15;
  if (!scenarioArg) throw new CliError(`stress: --scenario is required\n\n${usage}`);
  const scenario = readScenario(scenarioArg);
  const release = await openData('stress', dir);
  const w = checkWeek('stress', '--week', release, o.week);
  const s = await loadWeek('stress', release, w);
  const r = core('stress', () => runStress(s, scenario, { mode, threshold, maxRounds }));
  if (o.json) {
    const losses: Record<string, number> = {};
    for (const l of r.losses) losses[l.id] = l.loss;
    console.log(
      JSON.stringify({
        week: r.week,
        scenario: r.scenario,
        mode: r.mode,
        threshold: r.threshold,
        ...stressFigures(r),
        roundsRun: r.roundsRun,
        shocked: r.shocked,
        ignored: r.ignored,
        losses,
        distressedRound: Object.fromEntries(r.losses.filter((l) => l.distressedRound !== undefined).map((l) => [l.id, l.distressedRound])),
        rounds: contagionRounds(r.rounds),
      }),
    );
    return 0;
  }
  console.log(`Week ${r.week}, scenario ${r.scenario} (${r.mode} mode, threshold ${r.threshold}): ${scenario.description ?? ''}`);
  console.log(`Shocked: ${r.shocked.length ? r.shocked.join(', ') : '(none)'}${r.ignored.length ? `; not in this week or zero TVL: ${r.ignored.join(', ')}` : ''}`);
  console.log(`System loss ${pct(r.systemLossPct)} of ${usd(r.totalTvl)} (${usd(r.totalLoss)}); depth ${r.depth} rounds; ${r.distressed} distressed, ${r.affected} affected\n`);
  console.log(
    formatTable(
      [{ header: 'round', align: 'right' }, { header: 'newly distressed', align: 'right' }, { header: 'cumulative loss', align: 'right' }, { header: '% of TVL', align: 'right' }],
      r.rounds.map((x) => [String(x.round), String(x.newlyDistressed.length), usd(x.cumulativeLoss), pct(x.cumulativeLossPct)]),
    ),
  );
  console.log('');
  console.log(
    formatTable(
      [{ header: 'id' }, { header: 'name' }, { header: 'category' }, { header: 'TVL', align: 'right' }, { header: 'loss', align: 'right' }, { header: '% TVL', align: 'right' }, { header: 'round', align: 'right' }],
      r.losses.slice(0, top).map((l) => [l.id, l.name, l.category, usd(l.tvl), usd(l.loss), l.tvl > 0 ? pct((100 * l.loss) / l.tvl, 1) : '-', l.distressedRound === undefined ? '' : String(l.distressedRound)]),
    ),
  );
  if (r.losses.length > top) console.log(`... and ${r.losses.length - top} more protocols with losses (--top N or --json for all)`);
  return 0;
});
