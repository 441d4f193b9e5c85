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

/** Tokenize `sql` as `dialect` and split it into statements on top-level `;`. */
export function lex(sql: string, dialect: Dialect): LexResult {
  const statements: LexedStatement[] = [];
  let tokens: Token[] = [];
  let stmtStart = 0;
  let depth = 0;
  let unterminated = false;
  let executableComment = false;
  let inExecComment = false;
  const n = sql.length;
  let i = 0;

  const flush = (end: number): void => {
    if (tokens.length > 0) statements.push({ tokens, text: sql.slice(stmtStart, end).trim() });
    tokens = [];
    depth = 0;
  };
  const push = (type: TokenType, value: string): void => {
    if (type === "punct" && value === ")") depth = Math.max(0, depth - 1);
    tokens.push({ type, value, depth });
    if (type === "punct" && value === "(") depth++;
  };
  /** Read a quoted run from i (at the opening quote); returns the contents. */
  const quoted = (q: string, backslash: boolean): string => {
    let out = "";
    let j = i + 1;
    for (;;) {
      if (j >= n) {
        unterminated = true;
        i = n;
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
        i = j + 1;
        return out;
      }
      out += ch;
      j++;
    }
  };

  while (i < n) {
    const c = sql.charCodeAt(i);
    const ch = sql[i] as string;
    const next = sql[i + 1];
    if (c === 32 || (c >= 9 && c <= 13)) {
      i++;
      continue;
    }
    // Line comments: `--` (MySQL only when followed by a space or control char), `#` in MySQL.
    if (ch === "-" && next === "-") {
      const after = sql.charCodeAt(i + 2);
      if (dialect === "postgresql" || Number.isNaN(after) || after <= 32) {
        const nl = sql.indexOf("\n", i);
        i = nl === -1 ? n : nl + 1;
        continue;
      }
    }
    if (ch === "#" && dialect === "mysql") {
      const nl = sql.indexOf("\n", i);
      i = nl === -1 ? n : nl + 1;
      continue;
    }
    if (ch === "/" && next === "*") {
      if (dialect === "mysql" && sql[i + 2] === "!") {
        // MySQL runs what is inside: lex it as code, skipping the version number.
        executableComment = true;
        inExecComment = true;
        i += 3;
        while (i < n && isDigit(sql.charCodeAt(i))) i++;
        continue;
      }
      // Block comments are not nested here; PostgreSQL nests them, which only
      // makes its comments longer, so this reading never hides code it runs.
      const end = sql.indexOf("*/", i + 2);
      if (end === -1) {
        unterminated = true;
        i = n;
      } else i = end + 2;
      continue;
    }
    if (inExecComment && ch === "*" && next === "/") {
      inExecComment = false;
      i += 2;
      continue;
    }
    if (ch === ";") {
      flush(i);
      i++;
      stmtStart = i;
      continue;
    }
    if (ch === "'") {
      // PostgreSQL: backslash escapes only in E'...' strings; MySQL: always.
      const prev = tokens[tokens.length - 1];
      const eString =
        dialect === "postgresql" && prev?.type === "word" && prev.value === "E" && /[eE]'$/.test(sql.slice(Math.max(0, i - 1), i + 1));
      if (eString) tokens.pop();
      push("string", quoted("'", dialect === "mysql" || eString));
      continue;
    }
    if (ch === '"') {
      if (dialect === "mysql") push("string", quoted('"', true));
      else push("ident", quoted('"', false));
      continue;
    }
    if (ch === "`" && dialect === "mysql") {
      push("ident", quoted("`", false));
      continue;
    }
    if (ch === "$" && dialect === "postgresql") {
      // `$1` parameter, or a dollar-quoted string `$tag$ ... $tag$`.
      if (next !== undefined && isDigit(next.charCodeAt(0))) {
        let j = i + 1;
        while (j < n && isDigit(sql.charCodeAt(j))) j++;
        push("param", sql.slice(i, j));
        i = j;
        continue;
      }
      let j = i + 1;
      while (j < n && (isWordStart(sql.charCodeAt(j)) || isDigit(sql.charCodeAt(j)))) j++;
      if (sql[j] === "$") {
        const tag = sql.slice(i, j + 1);
        const end = sql.indexOf(tag, j + 1);
        if (end === -1) {
          unterminated = true;
          push("string", sql.slice(j + 1));
          i = n;
        } else {
          push("string", sql.slice(j + 1, end));
          i = end + tag.length;
        }
        continue;
      }
    }
    if (isDigit(c) || (ch === "." && next !== undefined && isDigit(next.charCodeAt(0)))) {
      let j = i + 1;
      while (j < n && (isDigit(sql.charCodeAt(j)) || sql[j] === "." || isWordStart(sql.charCodeAt(j)))) j++;
      push("number", sql.slice(i, j));
      i = j;
      continue;
    }
    if (isWordStart(c)) {
      let j = i + 1;
      while (j < n && isWordPart(sql.charCodeAt(j))) j++;
      push("word", sql.slice(i, j).toUpperCase());
      i = j;
      continue;
    }
    push("punct", ch);
    i++;
  }
  flush(n);
  return { statements, unterminated, executableComment };
}
