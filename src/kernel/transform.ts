/**
 * Cell rewriting: turns one notebook cell (TypeScript or JavaScript) into a script that
 * runs in the kernel's persistent vm context, REPL-style.
 *
 * - TypeScript is transpiled with `ts.transpileModule` (types stripped, source map kept).
 * - Top-level `const`/`let`/`var`/`class`/`function` and imports become assignments to
 *   names hoisted with `var` on the context, so later cells see them (the approach of the
 *   Node and Deno REPLs and of tslab). Re-running a cell re-assigns; `const` is not
 *   enforced across cells, because a notebook must let a cell run twice.
 * - The body is wrapped in an async arrow so top-level `await` works; the last
 *   expression statement becomes its return value (what the kernel displays).
 * - Every edit keeps the line structure (no newline added or removed), and an offset map
 *   of the edits plus the TypeScript source map take V8 positions back into the cell.
 */
import { SourceMap } from 'node:module';
import type * as TS from 'typescript';
import type { CellLanguage } from './session';

/** Name of the kernel helper object visible to rewritten code (imports). */
export const HELPER = '__dxKernel';

export interface TransformedCell {
  /** The script: evaluates to a Promise of the last expression's value. */
  code: string;
  /** Top-level names the cell declares (persisted on the context). */
  declared: string[];
  /** Maps a 1-based line/column in `code` back into the cell's source (1-based);
   *  undefined for positions in the kernel's wrapper (prefix, closing call). */
  mapPosition(line: number, column: number): { line: number; column: number } | undefined;
}

/** A syntax error in the cell, with its 1-based position in the cell. */
export class CellSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'SyntaxError';
  }
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

const PREFIX_OPEN = '(async () => {';

export function transformCell(ts: typeof TS, source: string, language: CellLanguage): TransformedCell {
  const kind = language === 'typescript' ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const original = ts.createSourceFile(language === 'typescript' ? 'cell.ts' : 'cell.js', source, ts.ScriptTarget.ES2022, true, kind);
  const diags = (original as unknown as { parseDiagnostics?: TS.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  if (diags.length > 0) {
    const d = diags[0];
    const pos = original.getLineAndCharacterOfPosition(d.start);
    throw new CellSyntaxError(ts.flattenDiagnosticMessageText(d.messageText, '\n'), pos.line + 1, pos.character + 1);
  }

  let js = source;
  let sourceMap: SourceMap | undefined;
  if (language === 'typescript') {
    const out = ts.transpileModule(source, {
      fileName: 'cell.ts',
      reportDiagnostics: false,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        // Keep every value import even if this cell does not use it: later cells may.
        verbatimModuleSyntax: true,
        sourceMap: true,
        removeComments: false,
        useDefineForClassFields: true,
      },
    });
    js = out.outputText.replace(/\/\/# sourceMappingURL=.*\s*$/, '');
    if (out.sourceMapText) sourceMap = new SourceMap(JSON.parse(out.sourceMapText));
  }

  const sf = ts.createSourceFile('cell.js', js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const edits: Edit[] = [];
  const declared = new Set<string>();
  const functionNames: string[] = [];
  let importCounter = 0;

  const collectBinding = (name: TS.BindingName): void => {
    if (ts.isIdentifier(name)) declared.add(name.text);
    else
      for (const el of name.elements) {
        if (ts.isOmittedExpression(el)) continue;
        collectBinding(el.name);
      }
  };
  const lineError = (node: TS.Node, what: string): never => {
    const p = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    const mapped = mapJs(p.line + 1, p.character + 1);
    throw new CellSyntaxError(`${what} has no meaning in a notebook cell; remove it`, mapped.line, mapped.column);
  };
  const mapJs = (line: number, column: number): { line: number; column: number } => {
    if (!sourceMap) return { line, column };
    const e = sourceMap.findEntry(line - 1, column - 1) as { originalLine?: number; originalColumn?: number };
    if (e.originalLine === undefined || e.originalColumn === undefined) return { line, column };
    return { line: e.originalLine + 1, column: e.originalColumn + 1 };
  };

  const statements = sf.statements;
  for (let i = 0; i < statements.length; i++) {
    const st = statements[i];
    const start = st.getStart(sf);
    const isLast = i === statements.length - 1;
    if (ts.isImportDeclaration(st)) {
      const spec = (st.moduleSpecifier as TS.StringLiteral).text;
      const m = `__dxm${importCounter++}`;
      const parts = [`var ${m} = await ${HELPER}.import(${JSON.stringify(spec)});`];
      const clause = st.importClause;
      if (clause && !clause.isTypeOnly) {
        if (clause.name) {
          declared.add(clause.name.text);
          parts.push(`${clause.name.text} = ${HELPER}.importDefault(${m});`);
        }
        const nb = clause.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) {
          declared.add(nb.name.text);
          parts.push(`${nb.name.text} = ${m};`);
        } else if (nb && ts.isNamedImports(nb)) {
          const props: string[] = [];
          for (const el of nb.elements) {
            if (el.isTypeOnly) continue;
            declared.add(el.name.text);
            const from = el.propertyName ? el.propertyName.getText(sf) : el.name.text;
            props.push(from === el.name.text ? from : `${from}: ${el.name.text}`);
          }
          if (props.length) parts.push(`({ ${props.join(', ')} } = ${m});`);
        }
      }
      edits.push({ start, end: st.end, text: keepLines(parts.join(' '), js.slice(start, st.end)) });
    } else if (ts.isVariableStatement(st)) {
      const list = st.declarationList;
      const decls = list.declarations;
      const scoped = list.flags & ts.NodeFlags.BlockScoped;
      if (scoped === ts.NodeFlags.Using || scoped === ts.NodeFlags.AwaitUsing) continue;
      let pattern = false;
      for (const d of decls) {
        collectBinding(d.name);
        if (!ts.isIdentifier(d.name)) pattern = true;
        if (!d.initializer) edits.push({ start: d.name.end, end: d.name.end, text: ' = undefined' });
      }
      const first = decls[0].getStart(sf);
      edits.push({ start, end: first, text: keepLines(pattern ? ';(' : ';', js.slice(start, first)) });
      const last = decls[decls.length - 1].end;
      if (pattern) edits.push({ start: last, end: last, text: ')' });
    } else if (ts.isFunctionDeclaration(st) && st.name && st.body) {
      if (hasModifier(ts, st, ts.SyntaxKind.DefaultKeyword)) lineError(st, '`export default`');
      declared.add(st.name.text);
      functionNames.push(st.name.text);
      stripExport(ts, st, sf, edits);
    } else if (ts.isClassDeclaration(st) && st.name) {
      if (hasModifier(ts, st, ts.SyntaxKind.DefaultKeyword)) lineError(st, '`export default`');
      declared.add(st.name.text);
      const classKw = st.getChildren(sf).find((c) => c.kind === ts.SyntaxKind.ClassKeyword);
      const kwStart = classKw ? classKw.getStart(sf) : start;
      // Decorators (before the keyword) stay where they are only if there are none.
      edits.push({ start, end: kwStart, text: keepLines(`;${st.name.text} = `, js.slice(start, kwStart)) });
      edits.push({ start: st.end, end: st.end, text: ';' });
    } else if (ts.isExportAssignment(st)) {
      lineError(st, '`export default`');
    } else if (ts.isExportDeclaration(st)) {
      lineError(st, '`export { ... }`');
    } else if (isLast && ts.isExpressionStatement(st)) {
      const e = st.expression;
      edits.push({ start: e.getStart(sf), end: e.getStart(sf), text: 'return (' });
      edits.push({ start: e.end, end: e.end, text: ')' });
    }
  }

  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  let body = '';
  let pos = 0;
  for (const e of edits) {
    body += js.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  body += js.slice(pos);

  const names = [...declared];
  const hoist = names.length ? `var ${names.join(', ')}; ` : '';
  const prologue = functionNames.map((n) => `globalThis[${JSON.stringify(n)}] = ${n};`).join(' ');
  const prefix = `${hoist}${PREFIX_OPEN}${prologue}`;
  const code = `${prefix}${body}\n})()`;

  // Line starts of the final code and of the JS the edits were made on.
  const codeLines = lineStarts(code);
  const jsLines = lineStarts(js);
  const mapPosition = (line: number, column: number): { line: number; column: number } | undefined => {
    const offset = (codeLines[line - 1] ?? code.length) + column - 1;
    let o = offset - prefix.length;
    if (o < 0 || o >= body.length) return undefined;
    // Walk the edits in order: `shift` = (position in body) - (position in js).
    let shift = 0;
    let jsOffset = -1;
    for (const e of edits) {
      const bodyStart = e.start + shift;
      if (o < bodyStart) break;
      if (o < bodyStart + e.text.length) {
        jsOffset = e.start;
        break;
      }
      shift += e.text.length - (e.end - e.start);
    }
    if (jsOffset < 0) jsOffset = o - shift;
    o = Math.min(Math.max(jsOffset, 0), js.length);
    let l = 0;
    while (l + 1 < jsLines.length && jsLines[l + 1] <= o) l++;
    return mapJs(l + 1, o - jsLines[l] + 1);
  };

  return { code, declared: names, mapPosition };
}

function hasModifier(ts: typeof TS, node: TS.Node, kind: TS.SyntaxKind): boolean {
  const mods = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  return !!mods?.some((m) => m.kind === kind);
}

function stripExport(ts: typeof TS, node: TS.Node, sf: TS.SourceFile, edits: Edit[]): void {
  const mods = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  for (const m of mods ?? []) {
    if (m.kind === ts.SyntaxKind.ExportKeyword) edits.push({ start: m.getStart(sf), end: m.end, text: '' });
  }
}

/** `text`, followed by as many newlines as `replaced` held, so line numbers stay put. */
function keepLines(text: string, replaced: string): string {
  const n = replaced.split('\n').length - 1;
  return text + '\n'.repeat(n);
}

function lineStarts(s: string): number[] {
  const out = [0];
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) out.push(i + 1);
  return out;
}
