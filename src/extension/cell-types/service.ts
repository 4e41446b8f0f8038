/**
 * TypeScript language service over notebook cells, for completion, hover docs,
 * signature help and diagnostics of `dx` in the editor (VS Code's own TypeScript
 * support does not know the kernel's globals). No `vscode` here: ./providers adapts it.
 *
 * A cell is checked as one virtual module in the notebook's folder (so imports resolve
 * as the kernel resolves them): the earlier cells of the same language, then the cell,
 * then `export {}` (top-level await). Earlier cells give the names they define (the
 * kernel keeps them between cells); only the cell's own diagnostics are reported, less
 * the ones a notebook makes wrong (redeclaring a name an earlier cell declared, which
 * the kernel allows, and a last expression whose value is shown, not discarded).
 * `dx` is declared global from the built declarations (dist/types/kernel/dx-api.d.ts),
 * with their doc comments. The kernel runs cells without type checking, so the
 * options are lenient (no implicit-any or null checks).
 */
import { dirname, join } from 'node:path';
import type * as TS from 'typescript';

export type CellLanguage = 'typescript' | 'javascript';

export interface CellContext {
  /** The notebook file's path (its folder resolves imports). */
  notebookPath: string;
  /** Earlier cells' sources, in order, of the same language. */
  before: readonly string[];
  text: string;
  language: CellLanguage;
}

export interface CellDiagnostic {
  start: number;
  length: number;
  message: string;
  category: 'error' | 'warning' | 'suggestion';
  code: number;
}

/** Diagnostics a notebook cell should not show (see the header). */
const IGNORED_CODES = new Set([
  2451, // Cannot redeclare block-scoped variable (an earlier cell declared it; re-running a cell does the same)
  2300, // Duplicate identifier
  2393, // Duplicate function implementation
  2695, // Left side of comma operator is unused
  7028, // Unused label
  1375, // 'await' at top level needs a module (the kernel wraps cells in an async function)
  1378, // Top-level 'await' needs a module/target option
  1108, // A 'return' statement can only be used within a function body (a cell may return early)
]);

const GLOBAL_DECL = '__dx_global__.d.ts';

/** Types a cell may name as dx.Name: what dx functions take and return. */
const CELL_TYPE_NAMES: readonly (readonly [string, string])[] = [
  ['Scenario', './core/stress/types'],
  ['Shock', './core/stress/types'],
  ['StressOptions', './core/stress/types'],
  ['Snapshot', './core/snapshot/types'],
  ['Figure', './core/display/chart-view'],
];

/** Node's common globals, loosely, for when Node's declarations are not installed. */
const NODE_FALLBACK = [
  'declare var process: { env: Record<string, string | undefined>; argv: string[]; cwd(): string; platform: string; [k: string]: any };',
  'declare var require: (id: string) => any;',
  'declare var Buffer: any;',
  'declare var __dirname: string;',
  'declare var __filename: string;',
  'declare var module: any;',
];

export class CellTypes {
  private readonly files = new Map<string, { text: string; version: number }>();
  private readonly service: TS.LanguageService;
  private readonly options: TS.CompilerOptions;
  private version = 0;

  /**
   * @param ts the TypeScript compiler module (the kernel's runtime dependency)
   * @param typesDir dist/types: the built declarations, with kernel/dx-api.d.ts
   * @param nodeTypeRoot a folder holding node/index.d.ts (the extension's
   *   node_modules/@types): cells run in Node, so its globals and `node:` modules are
   *   declared; without it a few common globals are declared loosely instead
   */
  constructor(private readonly ts: typeof TS, typesDir: string, nodeTypeRoot?: string) {
    const nodeTypes = nodeTypeRoot !== undefined && ts.sys.fileExists(join(nodeTypeRoot, 'node', 'index.d.ts'));
    this.options = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: nodeTypes ? ['node'] : [],
      ...(nodeTypes ? { typeRoots: [nodeTypeRoot!] } : {}),
      strict: false,
      noImplicitAny: false,
      strictNullChecks: false,
      allowJs: true,
      checkJs: false,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      allowImportingTsExtensions: true,
    };
    const global = join(typesDir, GLOBAL_DECL);
    this.files.set(global, {
      version: 1,
      text: [
        '/** The DeXposure notebook API: data, risk measures, stress tests, forecasts and views (docs/API.md). */',
        `declare const dx: import('./kernel/dx-api').DxApi;`,
        // Type names for annotations in cells (\`const s: dx.Scenario = {...}\`); erased when the cell runs.
        'declare namespace dx {',
        ...CELL_TYPE_NAMES.map(([name, from]) => `  type ${name} = import('${from}').${name};`),
        '}',
        ...(nodeTypes ? [] : NODE_FALLBACK),
        '',
      ].join('\n'),
    });
    const host: TS.LanguageServiceHost = {
      getCompilationSettings: () => this.options,
      getScriptFileNames: () => [...this.files.keys()],
      getScriptVersion: (f) => String(this.files.get(f)?.version ?? 0),
      getScriptSnapshot: (f) => {
        const v = this.files.get(f);
        if (v) return ts.ScriptSnapshot.fromString(v.text);
        const text = ts.sys.readFile(f);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => typesDir,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => this.files.has(f) || ts.sys.fileExists(f),
      readFile: (f) => this.files.get(f)?.text ?? ts.sys.readFile(f),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
    };
    this.service = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  /** Puts the cell in the service; returns its file name and where the cell starts in it. */
  private load(c: CellContext): { file: string; offset: number } {
    const file = join(dirname(c.notebookPath), `__dx_cell__.${c.language === 'typescript' ? 'ts' : 'js'}`);
    // Earlier cells are separated by `;` lines so that an unterminated one cannot swallow the next.
    const prefix = c.before.map((b) => `${b}\n;\n`).join('');
    const text = `${prefix}${c.text}\n;export {};\n`;
    for (const f of this.files.keys()) if (f !== file && !f.endsWith(GLOBAL_DECL)) this.files.delete(f);
    const old = this.files.get(file);
    if (old?.text !== text) this.files.set(file, { text, version: ++this.version });
    return { file, offset: prefix.length };
  }

  completions(c: CellContext, pos: number): { entries: readonly TS.CompletionEntry[]; isMemberCompletion: boolean; replacement?: { start: number; length: number } } | undefined {
    const { file, offset } = this.load(c);
    const r = this.service.getCompletionsAtPosition(file, offset + pos, { includeCompletionsWithInsertText: true, includeCompletionsForModuleExports: false });
    if (!r) return undefined;
    const entries = r.entries.map((e) => (e.replacementSpan ? { ...e, replacementSpan: { start: e.replacementSpan.start - offset, length: e.replacementSpan.length } } : e));
    return { entries, isMemberCompletion: r.isMemberCompletion };
  }

  completionDetails(c: CellContext, pos: number, name: string, source?: string, data?: TS.CompletionEntryData): { detail: string; documentation: string } | undefined {
    const { file, offset } = this.load(c);
    const d = this.service.getCompletionEntryDetails(file, offset + pos, name, {}, source, {}, data);
    if (!d) return undefined;
    return { detail: this.ts.displayPartsToString(d.displayParts), documentation: this.docs(d.documentation, d.tags) };
  }

  hover(c: CellContext, pos: number): { start: number; length: number; signature: string; documentation: string } | undefined {
    const { file, offset } = this.load(c);
    const q = this.service.getQuickInfoAtPosition(file, offset + pos);
    if (!q || q.textSpan.start < offset) return undefined;
    return { start: q.textSpan.start - offset, length: q.textSpan.length, signature: this.ts.displayPartsToString(q.displayParts), documentation: this.docs(q.documentation, q.tags) };
  }

  signatureHelp(c: CellContext, pos: number): TS.SignatureHelpItems | undefined {
    const { file, offset } = this.load(c);
    return this.service.getSignatureHelpItems(file, offset + pos, undefined);
  }

  diagnostics(c: CellContext): CellDiagnostic[] {
    const { file, offset } = this.load(c);
    const end = offset + c.text.length;
    const all = [...this.service.getSyntacticDiagnostics(file), ...(c.language === 'typescript' ? this.service.getSemanticDiagnostics(file) : [])];
    const out: CellDiagnostic[] = [];
    for (const d of all) {
      if (d.start === undefined || d.start < offset || IGNORED_CODES.has(d.code)) continue;
      // A syntax error found only in the suffix (an unclosed bracket) belongs at the cell's end.
      const at = Math.min(d.start, end);
      out.push({
        start: at - offset,
        length: Math.max(0, Math.min(d.length ?? 0, end - at)),
        message: this.ts.flattenDiagnosticMessageText(d.messageText, '\n'),
        category: d.category === this.ts.DiagnosticCategory.Error ? 'error' : d.category === this.ts.DiagnosticCategory.Warning ? 'warning' : 'suggestion',
        code: d.code,
      });
    }
    return out;
  }

  private docs(doc: readonly TS.SymbolDisplayPart[] | undefined, tags: readonly TS.JSDocTagInfo[] | undefined): string {
    const text = this.ts.displayPartsToString(doc ? [...doc] : undefined);
    const t = (tags ?? []).map((tag) => `*@${tag.name}*${tag.text ? ` ${this.ts.displayPartsToString(tag.text)}` : ''}`);
    return [text, ...t].filter(Boolean).join('\n\n');
  }
}
