export const activate = (): { renderOutputItem: () => void } => ({ renderOutputItem: () => undefined });
