// Types of scripts/start-settings.mjs for the TypeScript tests that import it.
export function mergeSettings(current: Record<string, unknown>, defaults: Record<string, unknown>, lastDefaults: Record<string, unknown>): Record<string, unknown>;
export function applySettings(settingsFile: string, recordFile: string, defaults: Record<string, unknown>): boolean;
