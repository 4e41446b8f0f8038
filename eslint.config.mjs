import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_MODULES = ['node:*', 'fs', 'path', 'child_process', 'util', 'os'];

/** One no-restricted-imports block per layer: no editor API, and no relative import that
 *  climbs into a layer above (`../kernel/...`, `../../extension/...`). */
function layerZones(zones) {
  return zones.map(({ files, layer, forbidden, noNode }) => ({
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: `${layer} must not depend on the editor.` }],
          patterns: [
            { regex: `^(\\.\\./)+(${forbidden.join('|')})(/|$)`, message: `${layer} must not import from a layer above it (${forbidden.map((f) => `src/${f}`).join(', ')}).` },
            ...(noNode ? [{ group: NODE_MODULES, message: noNode }] : []),
          ],
        },
      ],
    },
  }));
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.tools/**', '.cache/**', 'test-results/**', '.dexposure-cache/**', 'training/**', 'models/**', 'examples/**', '**/*.min.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**/*.js', 'bench/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', __dirname: 'readonly', URL: 'readonly', setTimeout: 'readonly', Buffer: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Layer order (imports point downwards only): core <- kernel <- cli <- extension;
  // the renderer (webview/) sees core's display types and the DOM, nothing else.
  // A zone per layer, as vscode-jupyter declares its layers, so a broken layer fails the lint.
  ...layerZones([
    { files: ['src/core/**/*.ts'], layer: 'src/core', forbidden: ['kernel', 'cli', 'extension'] },
    { files: ['src/kernel/**/*.ts'], layer: 'src/kernel', forbidden: ['cli', 'extension'] },
    { files: ['src/cli/**/*.ts'], layer: 'src/cli', forbidden: ['extension'] },
    // The views' shared half (descriptors, checks, fallbacks) is bundled by the renderer too.
    { files: ['src/core/display/views/**/*.ts', 'src/core/display/view-descriptor.ts', 'src/core/display/view-list.generated.ts', 'src/core/display/views.ts'], layer: 'src/core', forbidden: ['kernel', 'cli', 'extension'], noNode: 'The renderer bundles the views (src/core/display/views/): no Node modules.' },
  ]),
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: [...NODE_MODULES, 'vscode'], message: 'The renderer runs in a browser: no Node or editor modules.' },
            { regex: '^(\\.\\./)+src/(kernel|cli|extension)(/|$)', message: 'The renderer may import only src/core (display types and formatting).' },
          ],
        },
      ],
    },
  },
);
