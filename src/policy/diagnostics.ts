import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";

/** One compile error or warning, always with a place a person can open. */
export interface Diagnostic {
  severity: "error" | "warning";
  file: string;
  line: number;
  column: number;
  rule_id?: string;
  message: string;
}

export type PathSeg = string | number;

/** `policies/base.yaml:12:7: error: rule 'x': what is wrong` */
export function formatDiagnostic(d: Diagnostic): string {
  const rule = d.rule_id !== undefined ? `rule '${d.rule_id}': ` : "";
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${rule}${d.message}`;
}

/** Errors first, then by file and position, so output is stable. */
export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  const sev = (d: Diagnostic) => (d.severity === "error" ? 0 : 1);
  return ds.sort((a, b) => sev(a) - sev(b) || cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.message, b.message));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A YAML file parsed with positions, so every problem can name file:line:column. */
export class SourceFile {
  readonly path: string;
  readonly doc: Document;
  private readonly lines = new LineCounter();
  readonly value: unknown;
  readonly syntaxErrors: Diagnostic[] = [];

  constructor(path: string, text: string) {
    this.path = path;
    // Duplicate keys are an error (uniqueKeys), and aliases are limited so a
    // "billion laughs" document cannot blow up memory.
    this.doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: true, prettyErrors: false, strict: true });
    for (const e of this.doc.errors) {
      const [line, column] = this.lineCol(e.pos[0]);
      this.syntaxErrors.push({ severity: "error", file: path, line, column, message: `YAML: ${firstLine(e.message)}` });
    }
    let value: unknown;
    if (this.syntaxErrors.length === 0) {
      try {
        value = this.doc.toJS({ maxAliasCount: 100 });
      } catch (e) {
        this.syntaxErrors.push({
          severity: "error",
          file: path,
          line: 1,
          column: 1,
          message: `YAML: ${firstLine(String((e as Error).message))}`,
        });
      }
    }
    this.value = value;
  }

  lineCol(offset: number): [number, number] {
    const p = this.lines.linePos(offset);
    return [p.line, p.col];
  }

  /** Position of the node at `path` (or of its key, with `key`); falls back to the deepest node found. */
  pos(path: readonly PathSeg[], key = false): [number, number] {
    let node: Node | null | undefined = this.doc.contents as Node | null;
    let offset = node?.range?.[0] ?? 0;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        const k = pair.key as Node;
        if (key && i === path.length - 1) {
          offset = k.range?.[0] ?? offset;
          break;
        }
        node = pair.value as Node | null;
        offset = node?.range?.[0] ?? k.range?.[0] ?? offset;
      } else if (isSeq(node) && typeof seg === "number") {
        node = node.items[seg] as Node | undefined;
        if (!node) break;
        offset = node.range?.[0] ?? offset;
      } else break;
    }
    return this.lineCol(offset);
  }
}

function firstLine(s: string): string {
  return (s.split("\n")[0] ?? s).trim();
}
