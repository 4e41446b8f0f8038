// Types of scripts/views.mjs for the TypeScript tests that import it.
export function generateViews(opts?: { check?: boolean; root?: string }): Promise<{ names: string[]; stale: string[] }>;
