/**
 * A small SQL tokenizer and statement splitter, one pass, linear in the input.
 *
 * It exists because what a statement *is* depends on where strings and
 * comments end, and that differs between dialects in ways an attacker can use
 * to hide a statement from a classifier: MySQL runs the body of `/*! ... *\/`
 * comments and treats `#` as a comment, PostgreSQL has `$tag$` strings and no
 * backslash escapes in plain strings. The pack lexes once per dialect in play
 * and unions what it finds, so a statement hidden from one reading is still
 * seen by the other.
 */

export type Dialect = "postgresql" | "mysql";

export type TokenType = "word" | "ident" | "string" | "number" | "punct" | "param";

export interface Token {
  type: TokenType;
  /** Words upper-cased; quoted identifiers unquoted; strings as their raw contents; punctuation as the character. */
  value: string;
  /** Paren depth before this token, within its statement. */
  depth: number;
}

export interface LexedStatement {
  tokens: Token[];
  /** The statement's source text (without the terminating `;`). */
  text: string;
}

export interface LexResult {
  statements: LexedStatement[];
  /** A string, quoted identifier or comment ran to the end of the input. */
  unterminated: boolean;
  /** MySQL executable comments (`/*! ... *\/`) were found; their bodies were lexed as code. */
  executableComment: boolean;
}

const isWordStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** Both dialects allow `$` inside an unquoted identifier (not first). */
const isWordPart = (c: number): boolean => isWordStart(c) || isDigit(c) || c === 36;

/** The lexer's running state (a class, not closures: nothing is allocated or named per call beyond it). */
class LexState {
  readonly statements: LexedStatement[] = [];
  tokens: Token[] = [];
  stmtStart = 0;
  depth = 0;
  unterminated = false;
  i = 0;
  constructor(
    readonly sql: string,
    readonly n: number,
  ) {}

  flush(end: number): void {
    if (this.tokens.length > 0) this.statements.push({ tokens: this.tokens, text: this.sql.slice(this.stmtStart, end).trim() });
    this.tokens = [];
    this.depth = 0;
  }

  push(type: TokenType, value: string): void {
    if (type === "punct" && value === ")") this.depth = Math.max(0, this.depth - 1);
    this.tokens.push({ type, value, depth: this.depth });
    if (type === "punct" && value === "(") this.depth++;
  }

  /** Read a quoted run from i (at the opening quote); returns the contents. */
  quoted(q: string, backslash: boolean): string {
    const { sql, n } = this;
    let out = "";
    let j = this.i + 1;
    for (;;) {
      if (j >= n) {
        this.unterminated = true;
        this.i = n;
        return out;
      }
      const ch = sql[j] as string;
      if (backslash && ch === "\\" && j + 1 < n) {
        out += sql[j + 1];
        j += 2;
        continue;
      }
      if (ch === q) {
        if (sql[j + 1] === q) {
          out += q;
          j += 2;
          continue;
        }
        this.i = j + 1;
        return out;
      }
      out += ch;
      j++;
    }
  }
}

/** Tokenize `sql` as `dialect` and split it into statements on top-level `;`. */
export function lex(sql: string, dialect: Dialect): LexResult {
  const st = new LexState(sql, sql.length);
  let executableComment = false;
  let inExecComment = false;
  const n = sql.length;

  while (st.i < n) {
    const c = sql.charCodeAt(st.i);
    const ch = sql[st.i] as string;
    const next = sql[st.i + 1];
    if (c === 32 || (c >= 9 && c <= 13)) {
      st.i++;
      continue;
    }
    // Line comments: `--` (MySQL only when followed by a space or control char), `#` in MySQL.
    if (ch === "-" && next === "-") {
      const after = sql.charCodeAt(st.i + 2);
      if (dialect === "postgresql" || Number.isNaN(after) || after <= 32) {
        const nl = sql.indexOf("\n", st.i);
        st.i = nl === -1 ? n : nl + 1;
        continue;
      }
    }
    if (ch === "#" && dialect === "mysql") {
      const nl = sql.indexOf("\n", st.i);
      st.i = nl === -1 ? n : nl + 1;
      continue;
    }
    if (ch === "/" && next === "*") {
      if (dialect === "mysql" && sql[st.i + 2] === "!") {
        // MySQL runs what is inside: lex it as code, skipping the version number.
        executableComment = true;
        inExecComment = true;
        st.i += 3;
        while (st.i < n && isDigit(sql.charCodeAt(st.i))) st.i++;
        continue;
      }
      // Block comments are not nested here; PostgreSQL nests them, which only
      // makes its comments longer, so this reading never hides code it runs.
      const end = sql.indexOf("*/", st.i + 2);
      if (end === -1) {
        st.unterminated = true;
        st.i = n;
      } else st.i = end + 2;
      continue;
    }
    if (inExecComment && ch === "*" && next === "/") {
      inExecComment = false;
      st.i += 2;
      continue;
    }
    if (ch === ";") {
      st.flush(st.i);
      st.i++;
      st.stmtStart = st.i;
      continue;
    }
    if (ch === "'") {
      // PostgreSQL: backslash escapes only in E'...' strings; MySQL: always.
      const prev = st.tokens[st.tokens.length - 1];
      const eString =
        dialect === "postgresql" &&
        prev?.type === "word" &&
        prev.value === "E" &&
        /[eE]'$/.test(sql.slice(Math.max(0, st.i - 1), st.i + 1));
      if (eString) st.tokens.pop();
      st.push("string", st.quoted("'", dialect === "mysql" || eString));
      continue;
    }
    if (ch === '"') {
      if (dialect === "mysql") st.push("string", st.quoted('"', true));
      else st.push("ident", st.quoted('"', false));
      continue;
    }
    if (ch === "`" && dialect === "mysql") {
      st.push("ident", st.quoted("`", false));
      continue;
    }
    if (ch === "$" && dialect === "postgresql") {
      // `$1` parameter, or a dollar-quoted string `$tag$ ... $tag$`.
      if (next !== undefined && isDigit(next.charCodeAt(0))) {
        let j = st.i + 1;
        while (j < n && isDigit(sql.charCodeAt(j))) j++;
        st.push("param", sql.slice(st.i, j));
        st.i = j;
        continue;
      }
      let j = st.i + 1;
      while (j < n && (isWordStart(sql.charCodeAt(j)) || isDigit(sql.charCodeAt(j)))) j++;
      if (sql[j] === "$") {
        const tag = sql.slice(st.i, j + 1);
        const end = sql.indexOf(tag, j + 1);
        if (end === -1) {
          st.unterminated = true;
          st.push("string", sql.slice(j + 1));
          st.i = n;
        } else {
          st.push("string", sql.slice(j + 1, end));
          st.i = end + tag.length;
        }
        continue;
      }
    }
    if (isDigit(c) || (ch === "." && next !== undefined && isDigit(next.charCodeAt(0)))) {
      let j = st.i + 1;
      while (j < n && (isDigit(sql.charCodeAt(j)) || sql[j] === "." || isWordStart(sql.charCodeAt(j)))) j++;
      st.push("number", sql.slice(st.i, j));
      st.i = j;
      continue;
    }
    if (isWordStart(c)) {
      let j = st.i + 1;
      while (j < n && isWordPart(sql.charCodeAt(j))) j++;
      st.push("word", sql.slice(st.i, j).toUpperCase());
      st.i = j;
      continue;
    }
    st.push("punct", ch);
    st.i++;
  }
  st.flush(n);
  return { statements: st.statements, unterminated: st.unterminated, executableComment };
}
