// src/core, src/kernel and src/cli run without an editor (the CLI, the kernel process,
// library users): the vscode API does not exist there. tsconfig.core.json maps the
// module name 'vscode' to this file, which is not a module, so such an import fails.
