// Types of scripts/start-workspace.mjs for the TypeScript tests that import it.
export interface RefreshResult {
  copied: string[];
  updated: string[];
  kept: string[];
  unchanged: string[];
}
export function refreshWorkspace(source: string, dest: string, recordFile: string): RefreshResult;
