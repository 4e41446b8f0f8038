/**
 * One week of the DeXposure release as written to `historical-network_week_*.json`
 * (data-spec §1.1): nodes with USD size and token composition, links with USD size
 * and a signed per-token composition. This is the on-disk record shape, not the
 * columnar Snapshot the rest of the product computes on.
 */
export interface ReleaseNode {
  id: string | null;
  size: number;
  composition: Record<string, number>;
}

export interface ReleaseLink {
  source: string | null;
  target: string | null;
  size: number;
  composition: Record<string, number>;
}

export interface WeekNetwork {
  nodes: ReleaseNode[];
  links: ReleaseLink[];
}
