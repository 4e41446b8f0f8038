/**
 * The records a stress test produces, in plain fields: the domain's StressResult
 * (./types.ts) is made of them, and the display protocol's stress payload
 * (src/core/display/protocol.ts) reuses them, so the view and the result cannot name
 * a figure differently. No imports: the renderer type-checks against this file.
 */

/** A protocol that lost value in a stress test. */
export interface ProtocolLoss {
  id: string;
  name: string;
  category: string;
  tvl: number;
  loss: number;
  /** Round in which the protocol became distressed (0 = shocked), absent if never. */
  distressedRound?: number;
}

/** One round of contagion: who became distressed, and the loss so far. */
export interface ContagionRound {
  round: number;
  newlyDistressed: string[];
  cumulativeLoss: number;
  /** cumulativeLoss as a percentage of the system's TVL. */
  cumulativeLossPct: number;
}

/** The system-level figures of one stress test: what every presentation of it states. */
export interface StressFigures {
  /** totalLoss as a percentage of totalTvl. */
  systemLossPct: number;
  totalLoss: number;
  totalTvl: number;
  /** The last round in which a protocol became distressed. */
  depth: number;
  /** Protocols with a positive loss (parity mode: the distressed ones). */
  affected: number;
  distressed: number;
}
