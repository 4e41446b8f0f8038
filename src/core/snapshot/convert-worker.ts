/**
 * Entry of a conversion worker thread (week-pool.ts): converts the weeks it is sent,
 * one message each, and answers with the week's counts (or columns, or error fields).
 */
import { parentPort } from 'node:worker_threads';
import { runWeekJob, transferables, type WeekJob } from './week-job';

parentPort?.on('message', (msg: { id: number; job: WeekJob }) => {
  const result = runWeekJob(msg.job);
  parentPort!.postMessage({ id: msg.id, result }, transferables(result));
});
