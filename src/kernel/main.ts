// Kernel process entry (forked by the extension and the CLI). Implemented in ./kernel-process.
export {};
