/**
 * The one mapping from a stress result to what its presentations state: the stress
 * view's payload (src/core/display/stress-view.ts) and `dexposure stress --json`
 * (src/cli/commands/stress.ts) both take the system figures and rounds from here, so
 * the two cannot drift apart.
 */
import type { ContagionRound, StressFigures } from './types';

/** The system-level figures, without the per-node columns or anything else. */
export function stressFigures(r: StressFigures): StressFigures {
  return { systemLossPct: r.systemLossPct, totalLoss: r.totalLoss, totalTvl: r.totalTvl, depth: r.depth, affected: r.affected, distressed: r.distressed };
}

/** The rounds as plain records (copies: a presentation never shares the result's arrays). */
export function contagionRounds(rounds: readonly ContagionRound[]): ContagionRound[] {
  return rounds.map((rd) => ({ round: rd.round, newlyDistressed: [...rd.newlyDistressed], cumulativeLoss: rd.cumulativeLoss, cumulativeLossPct: rd.cumulativeLossPct }));
}
