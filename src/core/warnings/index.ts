/** Early-warning signals over weekly snapshots (docs/MEASURES.md, "Early warning"). */
export * from './types';
export { warningPoint, detectAlerts, earlyWarnings } from './early-warning';
