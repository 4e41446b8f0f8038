// Kernel process entry (forked by the extension and the CLI; bundled to dist/kernel.js).
import { startKernelProcess } from './kernel-process';

startKernelProcess();
