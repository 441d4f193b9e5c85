/**
 * A POSIX-shell tokenizer and parser, just deep enough to classify what a
 * command line runs. It understands quoting, escapes, operators, command and
 * process substitution, arithmetic, redirections with here-documents,
 * comments, assignments, subshells and function definitions.
 *
 * It is written as a single forward scan (no regexes) so a hostile line cannot
 * make it slow, it never throws, and it is bounded: a line over
 * {@link MAX_INPUT} characters or nested deeper than {@link MAX_DEPTH} is
 * reported as such, and the classifier treats it as obfuscated.
 */

/** Lines longer than this are not parsed at all. */
export const MAX_INPUT = 64 * 1024;
/** Deepest nesting of substitutions, subshells and `sh -c` strings we follow. */
export const MAX_DEPTH = 16;

/** One shell word after quote removal. */
export interface Word {
  /** The text after quote removal; expansions are kept as written (`$HOME`, `$(...)`). */
  value: string;
  /** The source text of the word. */
  raw: string;
  /** Some part was quoted or escaped. */
  quoted: boolean;
  /** Contains a parameter expansion, command substitution or arithmetic that is not quoted away. */
  expanded: boolean;
  /** Command and process substitutions inside the word, parsed. */
  subs: Script[];
  /** The word is a process substitution, `<(...)` or `>(...)`. */
  procSub: boolean;
  /** Backslash escapes and `$'\x..'` escapes used in the word. */
  escapes: number;
  /** Set by not-read.ts: why this credential-file word is not a read of it on this line. */
  notRead?: string;
  /** Set by not-read.ts: the `KEY=value` lines literal text writes into this dotenv file. */
  dotenv?: [string, string][];
}

/** A redirection such as `2>/dev/null`, `>> ~/.bashrc` or a here-document. */
export interface Redirect {
  /** `>`, `>>`, `>|`, `<`, `<>`, `<<`, `<<-`, `<<<`, `>&`, `<&`, `&>`, `&>>`. */
  op: string;
  /** The file descriptor written before the operator, if any. */
  fd: string;
  target: Word | null;
  /** Here-document body. */
  body?: string;
  /** Substitutions inside an unquoted here-document body (they run). */
  bodySubs?: Script[];
}

/** A simple command, a subshell/group, or a function definition. */
export interface Command {
  assigns: Word[];
  words: Word[];
  redirects: Redirect[];
  /** The operator after this command: `;`, `&&`, `||`, `|`, `|&`, `&`, `;;`, newline, or "" at the end. */
  sep: string;
  /** `( ... )`: the commands inside. */
  group?: Script;
  /** `name() ...` or `function name`: the function's name. */
  funcName?: string;
  /** Reserved words before the command's first word (`coproc`, `{`, `while`, ...), when there are any. */
  lead?: string[];
  /** Reserved words that closed compound commands right after this one (`}`, `done`, `fi`), when there are any. */
  trail?: string[];
  /** `&` after those closing words: the compound command they closed runs in the background. */
  closedSep?: string;
}

export interface Script {
  commands: Command[];
}

export interface ParseResult {
  script: Script;
  /** Input longer than {@link MAX_INPUT}. */
  tooLong: boolean;
  /** Nesting deeper than {@link MAX_DEPTH}. */
  tooDeep: boolean;
  /** Something was left open (a quote, a substitution, a here-document). */
  unterminated: boolean;
  /** A `(` after a command's words that is neither `name()` nor `arr=(…)`: a syntax error in bash, or an extended glob or case pattern not parsed here. */
  malformed: boolean;
}

const KEYWORDS = new Set(["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "{", "}", "!", "esac", "time", "coproc"]);

/** A coprocess name (`coproc NAME { ...; }`). */
const COPROC_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Reserved words that end a compound command. */
const CLOSERS = new Set(["}", "done", "fi", "esac"]);

function isBlank(c: string): boolean {
  return c === " " || c === "\t" || c === "\r";
}

/**
 * The ASCII characters that end a run of plain word characters (see readWord): the metacharacters
 * and blanks, and the quotes, escapes and expansions a word handles one by one. No character at or
 * above 128 ends a run.
 */
const WORD_STOP = stops(";&|<>()\n \t\r\\'\"`$");
/** The same inside double quotes: the closing quote, a backslash, a backquote, a `$`. */
const QUOTED_STOP = stops('"\\`$');

function stops(chars: string): Uint8Array {
  const t = new Uint8Array(128);
  for (const ch of chars) t[ch.charCodeAt(0)] = 1;
  return t;
}

const stopsAt = (table: Uint8Array, code: number): boolean => code < 128 && table[code] === 1;

const HEX_DIGIT = /^[0-9a-fA-F]$/;
/** The one-letter escapes of `$'...'` (built once, not per escape). */
const ANSI_C_ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", a: "\x07", b: "\b", e: "\x1b", E: "\x1b", f: "\f", v: "\v" };

function isMeta(c: string): boolean {
  return c === ";" || c === "&" || c === "|" || c === "<" || c === ">" || c === "(" || c === ")" || c === "\n" || isBlank(c);
}

function isNameStart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
}

function isNameChar(c: string): boolean {
  return isNameStart(c) || (c >= "0" && c <= "9");
}

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** `NAME=` or `NAME+=` at the start of an unquoted word. */
function isAssignment(raw: string): boolean {
  if (!isNameStart(raw[0] ?? "")) return false;
  let i = 1;
  while (i < raw.length && isNameChar(raw[i] ?? "")) i++;
  // `arr[0]=x`, `map[key]=x`: an array element (substitutions in the subscript still run and are classified).
  if (raw[i] === "[") {
    const close = raw.indexOf("]", i);
    if (close < 0) return false;
    i = close + 1;
  }
  if (raw[i] === "+") i++;
  return raw[i] === "=";
}

function emptyWord(): Word {
  return {
    value: "",
    raw: "",
    quoted: false,
    expanded: false,
    subs: [],
    procSub: false,
    escapes: 0,
    notRead: undefined,
    dotenv: undefined,
  };
}

interface PendingHeredoc {
  redirect: Redirect;
  delim: string;
  strip: boolean;
  quoted: boolean;
}

class Parser {
  private pos = 0;
  private pending: PendingHeredoc[] = [];
  tooDeep = false;
  unterminated = false;
  malformed = false;

  constructor(private readonly src: string) {}

  private peek(o = 0): string {
    return this.src[this.pos + o] ?? "";
  }

  /** End `cmd` at `sep`: keep it in `script` (or hand its keywords on); returns the command to fill next. */
  private finish(script: Script, cmd: Command, sep: string): Command {
    cmd.sep = sep;
    if (cmd.words.length > 0 || cmd.assigns.length > 0 || cmd.redirects.length > 0 || cmd.group || cmd.funcName !== undefined) {
      script.commands.push(cmd);
    } else {
      const last = script.commands[script.commands.length - 1];
      // `{ a; b; } &`: the closing words end what came before, and a `&` after them applies to it.
      const closers = cmd.lead?.filter((k) => CLOSERS.has(k));
      if (last && closers && closers.length > 0) {
        if (last.trail) for (const k of closers) last.trail.push(k);
        else last.trail = closers;
        if (sep === "&") last.closedSep = sep;
      }
      // An empty command before a pipe keeps its place so pipelines stay aligned.
      if (last && (sep === "|" || sep === "&&" || sep === "||")) last.sep = sep;
      // `{` or `do` at the end of a line: they open what the next command starts.
      const openers = cmd.lead?.filter((k) => !CLOSERS.has(k));
      if (openers && openers.length > 0) {
        const next = newCommand();
        next.lead = openers;
        return next;
      }
    }
    return newCommand();
  }

  /** Parse commands until the end, or until `)` when `closing` (a `$(` or `(` being read). */
  parseScript(depth: number, closing: boolean): Script {
    const script: Script = { commands: [] };
    if (depth > MAX_DEPTH) {
      this.tooDeep = true;
      this.skipBalanced();
      return script;
    }
    let cmd = newCommand();
    let expectFuncName = false;
    while (this.pos < this.src.length) {
      const c = this.peek();
      if (isBlank(c)) {
        this.pos++;
        continue;
      }
      if (c === "\\" && this.peek(1) === "\n") {
        this.pos += 2;
        continue;
      }
      if (c === "#") {
        while (this.pos < this.src.length && this.peek() !== "\n") this.pos++;
        continue;
      }
      if (c === "\n") {
        this.pos++;
        cmd = this.finish(script, cmd, "\n");
        this.readHeredocs(depth);
        continue;
      }
      if (c === ")") {
        this.pos++;
        if (closing) {
          cmd = this.finish(script, cmd, "");
          return script;
        }
        // A `case` pattern's closing parenthesis: treat it as a separator.
        cmd = this.finish(script, cmd, ";");
        continue;
      }
      if (c === ";") {
        if (this.peek(1) === ";") {
          this.pos += this.peek(2) === "&" ? 3 : 2;
          cmd = this.finish(script, cmd, ";;");
        } else {
          this.pos += this.peek(1) === "&" ? 2 : 1;
          cmd = this.finish(script, cmd, ";");
        }
        continue;
      }
      if (c === "|") {
        if (this.peek(1) === "|") {
          this.pos += 2;
          cmd = this.finish(script, cmd, "||");
        } else if (this.peek(1) === "&") {
          this.pos += 2;
          cmd = this.finish(script, cmd, "|&");
        } else {
          this.pos++;
          cmd = this.finish(script, cmd, "|");
        }
        continue;
      }
      if (c === "&") {
        if (this.peek(1) === "&") {
          this.pos += 2;
          cmd = this.finish(script, cmd, "&&");
          continue;
        }
        if (this.peek(1) === ">") {
          const op = this.peek(2) === ">" ? "&>>" : "&>";
          this.pos += op.length;
          this.readRedirect(cmd, op, "", depth);
          continue;
        }
        this.pos++;
        cmd = this.finish(script, cmd, "&");
        continue;
      }
      if (c === "<" || c === ">") {
        if (this.peek(1) === "(") {
          // Process substitution as a word.
          cmd.words.push(this.readWord(depth));
          continue;
        }
        this.readRedirect(cmd, this.readRedirectOp(), "", depth);
        continue;
      }
      if (c === "(") {
        const prev = this.src[this.pos - 1];
        const owner = cmd.words[cmd.words.length - 1] ?? cmd.assigns[cmd.assigns.length - 1];
        if (prev === "=" && owner?.raw.endsWith("=")) {
          // `arr=(a b "$(cmd)")`: an array literal. Its elements are words; their substitutions run.
          this.readArrayLiteral(owner, depth);
          continue;
        }
        if (cmd.words.length > 0 && this.nextNonBlankAfter(1) === ")") {
          // `name() { ... }`: a function definition. Its body is parsed as ordinary commands.
          this.pos = this.src.indexOf(")", this.pos) + 1;
          cmd.funcName = cmd.words[0]?.value ?? "";
          cmd.words = [];
          cmd = this.finish(script, cmd, ";");
          continue;
        }
        if (this.peek(1) === "(") {
          // `(( arithmetic ))`: evaluates numbers, runs nothing (substitutions aside).
          this.pos += 2;
          this.skipArithmetic(depth);
          continue;
        }
        // `cmd arg (…)`: bash refuses the whole line; its parts are still classified below.
        if (cmd.words.length > 0 || cmd.assigns.length > 0) this.malformed = true;
        this.pos++;
        const group = this.parseScript(depth + 1, true);
        cmd.group = group;
        continue;
      }
      // A word.
      const start = this.pos;
      const w = this.readWord(depth);
      if (this.pos === start) {
        // Defensive: never loop without progress.
        this.pos++;
        continue;
      }
      if ((this.peek() === "<" || this.peek() === ">") && isDigits(w.raw)) {
        this.readRedirect(cmd, this.readRedirectOp(), w.raw, depth);
        continue;
      }
      if (expectFuncName) {
        cmd.funcName = w.value;
        expectFuncName = false;
        cmd = this.finish(script, cmd, ";");
        continue;
      }
      const atStart = cmd.words.length === 0 && cmd.assigns.length === 0;
      if (atStart && !w.quoted && !w.expanded) {
        if (KEYWORDS.has(w.raw)) {
          if (cmd.lead) cmd.lead.push(w.raw);
          else cmd.lead = [w.raw];
          continue;
        }
        if (w.raw === "function") {
          expectFuncName = true;
          continue;
        }
        // `coproc NAME { ...; }`: NAME names the coprocess, it does not run.
        if (cmd.lead?.[cmd.lead.length - 1] === "coproc") {
          const next = this.nextNonBlankAfter(0);
          if ((next === "{" || next === "(") && COPROC_NAME.test(w.raw)) continue;
        }
      }
      if (cmd.words.length === 0 && isAssignment(w.raw)) {
        cmd.assigns.push(w);
        continue;
      }
      cmd.words.push(w);
    }
    if (closing) this.unterminated = true;
    cmd = this.finish(script, cmd, "");
    if (this.pending.length > 0) this.readHeredocs(depth);
    return script;
  }

  /** The elements of `name=( ... )`, up to the closing parenthesis; substitutions go to the assignment word. */
  private readArrayLiteral(owner: Word, depth: number): void {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.src.length) {
      const c = this.peek();
      if (isBlank(c) || c === "\n") {
        this.pos++;
        continue;
      }
      if (c === ")") {
        this.pos++;
        owner.raw += this.src.slice(start, this.pos);
        return;
      }
      const before = this.pos;
      const el = this.readWord(depth);
      if (this.pos === before) {
        // An operator inside the literal: not an array after all; let the caller see it.
        break;
      }
      owner.subs.push(...el.subs);
      if (el.expanded) owner.expanded = true;
    }
    if (this.pos >= this.src.length) this.unterminated = true;
  }

  private nextNonBlankAfter(offset: number): string {
    let i = this.pos + offset;
    while (i < this.src.length && isBlank(this.src[i] ?? "")) i++;
    return this.src[i] ?? "";
  }

  private readRedirectOp(): string {
    const c = this.peek();
    const n = this.peek(1);
    if (c === ">") {
      if (n === ">" || n === "|" || n === "&") return this.take(2);
      return this.take(1);
    }
    // c === "<"
    if (n === "<") {
      if (this.peek(2) === "<") return this.take(3);
      if (this.peek(2) === "-") return this.take(3);
      return this.take(2);
    }
    if (n === ">" || n === "&") return this.take(2);
    return this.take(1);
  }

  private take(n: number): string {
    const s = this.src.slice(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  private readRedirect(cmd: Command, op: string, fd: string, depth: number): void {
    while (isBlank(this.peek())) this.pos++;
    let target: Word | null = null;
    if (this.pos < this.src.length && !isMeta(this.peek())) target = this.readWord(depth);
    else if (this.peek() === "<" || this.peek() === ">") {
      if (this.peek(1) === "(") target = this.readWord(depth);
    }
    const r: Redirect = { op, fd, target, body: undefined, bodySubs: undefined };
    cmd.redirects.push(r);
    if ((op === "<<" || op === "<<-") && target) {
      this.pending.push({ redirect: r, delim: target.value, strip: op === "<<-", quoted: target.quoted });
    }
  }

  /** Consume the bodies of the here-documents opened on the line just ended. */
  private readHeredocs(depth: number): void {
    const pending = this.pending;
    this.pending = [];
    for (const h of pending) {
      const lines: string[] = [];
      let found = false;
      while (this.pos < this.src.length) {
        let end = this.src.indexOf("\n", this.pos);
        if (end < 0) end = this.src.length;
        let line = this.src.slice(this.pos, end);
        this.pos = end + 1;
        if (h.strip) {
          let k = 0;
          while (line[k] === "\t") k++;
          line = line.slice(k);
        }
        if (line === h.delim) {
          found = true;
          break;
        }
        lines.push(line);
      }
      if (this.pos > this.src.length) this.pos = this.src.length;
      if (!found) this.unterminated = true;
      const body = lines.join("\n");
      h.redirect.body = body;
      if (!h.quoted) {
        // An unquoted here-document expands `$(...)` and backticks: those commands run.
        const sub = new Parser(body);
        const w = sub.readDoubleQuotedBody(depth + 1);
        h.redirect.bodySubs = w.subs;
        if (sub.tooDeep) this.tooDeep = true;
      }
    }
  }

  /** Read the whole input as the inside of a double-quoted string (here-document bodies). */
  readDoubleQuotedBody(depth: number): Word {
    const w = emptyWord();
    this.readDoubleQuoted(w, depth, false);
    return w;
  }

  private readWord(depth: number): Word {
    const w = emptyWord();
    const start = this.pos;
    // Process substitution `<(...)` / `>(...)`.
    if ((this.peek() === "<" || this.peek() === ">") && this.peek(1) === "(") {
      this.pos += 2;
      const s = this.parseScript(depth + 1, true);
      w.subs.push(s);
      w.procSub = true;
      w.expanded = true;
      w.value = this.src.slice(start, this.pos);
      w.raw = w.value;
      return w;
    }
    let value = "";
    // Every part so far was copied from the source as it stands, so `value` is the raw text too (one string fewer).
    let copied = true;
    while (this.pos < this.src.length) {
      const c = this.peek();
      if (isMeta(c)) break;
      if (c === "\\") {
        copied = false;
        const n = this.peek(1);
        if (n === "\n") {
          this.pos += 2;
          continue;
        }
        w.quoted = true;
        w.escapes++;
        value += n;
        this.pos += n === "" ? 1 : 2;
        continue;
      }
      if (c === "'") {
        copied = false;
        w.quoted = true;
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) {
          this.unterminated = true;
          value += this.src.slice(this.pos + 1);
          this.pos = this.src.length;
          break;
        }
        value += this.src.slice(this.pos + 1, end);
        this.pos = end + 1;
        continue;
      }
      if (c === '"') {
        copied = false;
        w.quoted = true;
        this.pos++;
        value += this.readDoubleQuoted(w, depth, true);
        continue;
      }
      if (c === "`") {
        value += this.readBackticks(w, depth);
        continue;
      }
      if (c === "$") {
        const n = this.peek(1);
        if (n === "'") {
          // ANSI-C quoting: `$'\x72m'` spells `rm`.
          copied = false;
          w.quoted = true;
          value += this.readAnsiC(w);
          continue;
        }
        if (n === '"') {
          // Locale translation `$"..."`: behaves like double quotes.
          copied = false;
          this.pos++;
          continue;
        }
        value += this.readDollar(w, depth);
        continue;
      }
      // A run of characters none of the cases above takes: appended at once, not one by one.
      let end = this.pos + 1;
      while (end < this.src.length && !stopsAt(WORD_STOP, this.src.charCodeAt(end))) end++;
      value += end === this.pos + 1 ? c : this.src.slice(this.pos, end);
      this.pos = end;
    }
    w.value = value;
    w.raw = copied ? value : this.src.slice(start, this.pos);
    return w;
  }

  /** After the opening `"`; returns the text, stops after the closing `"` (when `closed`). */
  private readDoubleQuoted(w: Word, depth: number, closed: boolean): string {
    let value = "";
    while (this.pos < this.src.length) {
      const c = this.peek();
      if (closed && c === '"') {
        this.pos++;
        return value;
      }
      if (c === "\\") {
        const n = this.peek(1);
        if (n === "$" || n === "`" || n === '"' || n === "\\") {
          value += n;
          w.escapes++;
          this.pos += 2;
          continue;
        }
        if (n === "\n") {
          this.pos += 2;
          continue;
        }
        value += c;
        this.pos++;
        continue;
      }
      if (c === "`") {
        value += this.readBackticks(w, depth);
        continue;
      }
      if (c === "$") {
        value += this.readDollar(w, depth);
        continue;
      }
      let end = this.pos + 1;
      while (end < this.src.length && !stopsAt(QUOTED_STOP, this.src.charCodeAt(end))) end++;
      value += end === this.pos + 1 ? c : this.src.slice(this.pos, end);
      this.pos = end;
    }
    if (closed) this.unterminated = true;
    return value;
  }

  /** At `$`: a substitution, arithmetic, `${...}` or `$name`; returns the source text. */
  private readDollar(w: Word, depth: number): string {
    const start = this.pos;
    const n = this.peek(1);
    if (n === "(") {
      if (this.peek(2) === "(") {
        this.pos += 3;
        this.skipArithmetic(depth, w);
      } else {
        this.pos += 2;
        w.subs.push(this.parseScript(depth + 1, true));
      }
      w.expanded = true;
      return this.src.slice(start, this.pos);
    }
    if (n === "{") {
      this.pos += 2;
      let level = 1;
      while (this.pos < this.src.length && level > 0) {
        const c = this.peek();
        if (c === "\\") this.pos++;
        else if (c === "{") level++;
        else if (c === "}") level--;
        else if (c === "$" && this.peek(1) === "(") {
          // `${X:-$(cmd)}` runs cmd.
          const inner = emptyWord();
          this.readDollar(inner, depth);
          w.subs.push(...inner.subs);
          continue;
        }
        this.pos++;
      }
      if (level > 0) this.unterminated = true;
      w.expanded = true;
      return this.src.slice(start, this.pos);
    }
    if (isNameStart(n)) {
      this.pos++;
      while (isNameChar(this.peek())) this.pos++;
      w.expanded = true;
      return this.src.slice(start, this.pos);
    }
    if ((n >= "0" && n <= "9") || n === "@" || n === "*" || n === "#" || n === "?" || n === "-" || n === "$" || n === "!") {
      this.pos += 2;
      w.expanded = true;
      return this.src.slice(start, this.pos);
    }
    this.pos++;
    return "$";
  }

  /** After `$((` or `((`: skip to the matching `))`, parsing any substitutions inside. */
  private skipArithmetic(depth: number, w?: Word): void {
    let level = 2;
    while (this.pos < this.src.length && level > 0) {
      const c = this.peek();
      if (c === "$" && this.peek(1) === "(" && this.peek(2) !== "(") {
        const inner = emptyWord();
        this.readDollar(inner, depth);
        if (w) w.subs.push(...inner.subs);
        continue;
      }
      if (c === "(") level++;
      else if (c === ")") level--;
      this.pos++;
    }
    if (level > 0) this.unterminated = true;
  }

  /** At a backtick: the inner text (with `\``, `\\`, `\$` unescaped) is parsed as a script. */
  private readBackticks(w: Word, depth: number): string {
    const start = this.pos;
    this.pos++;
    let inner = "";
    let closed = false;
    while (this.pos < this.src.length) {
      const c = this.peek();
      if (c === "\\" && (this.peek(1) === "`" || this.peek(1) === "\\" || this.peek(1) === "$")) {
        inner += this.peek(1);
        this.pos += 2;
        continue;
      }
      if (c === "`") {
        this.pos++;
        closed = true;
        break;
      }
      inner += c;
      this.pos++;
    }
    if (!closed) this.unterminated = true;
    if (depth + 1 > MAX_DEPTH) this.tooDeep = true;
    else {
      const sub = new Parser(inner);
      w.subs.push(sub.parseScript(depth + 1, false));
      if (sub.tooDeep) this.tooDeep = true;
      if (sub.unterminated) this.unterminated = true;
    }
    w.expanded = true;
    return this.src.slice(start, this.pos);
  }

  /** At `$'`: decode ANSI-C escapes. */
  private readAnsiC(w: Word): string {
    this.pos += 2;
    let value = "";
    while (this.pos < this.src.length) {
      const c = this.peek();
      if (c === "'") {
        this.pos++;
        return value;
      }
      if (c !== "\\") {
        value += c;
        this.pos++;
        continue;
      }
      const n = this.peek(1);
      this.pos += 2;
      w.escapes++;
      if (n === "x" || n === "u" || n === "U") {
        const max = n === "x" ? 2 : n === "u" ? 4 : 8;
        let hex = "";
        while (hex.length < max && HEX_DIGIT.test(this.peek())) {
          hex += this.peek();
          this.pos++;
        }
        value += hex ? String.fromCodePoint(Math.min(Number.parseInt(hex, 16), 0x10ffff)) : n;
      } else if (n >= "0" && n <= "7") {
        let oct = n;
        while (oct.length < 3 && this.peek() >= "0" && this.peek() <= "7") {
          oct += this.peek();
          this.pos++;
        }
        value += String.fromCharCode(Number.parseInt(oct, 8) & 0xff);
      } else {
        value += ANSI_C_ESCAPES[n] ?? n;
      }
    }
    this.unterminated = true;
    return value;
  }

  /** Too deep: skip the rest of the input without looking at it. */
  private skipBalanced(): void {
    this.pos = this.src.length;
  }
}

/** Every field present from the start, so all commands share one object shape (property reads stay monomorphic). */
function newCommand(): Command {
  return {
    assigns: [],
    words: [],
    redirects: [],
    sep: "",
    group: undefined,
    funcName: undefined,
    lead: undefined,
    trail: undefined,
    closedSep: undefined,
  };
}

/**
 * Parse a shell command line. Never throws; the flags in the result say when
 * the line was too long, too deeply nested or left something open.
 */
export function parseShell(line: string, depth = 0): ParseResult {
  if (typeof line !== "string" || line.length > MAX_INPUT) {
    return { script: { commands: [] }, tooLong: true, tooDeep: false, unterminated: false, malformed: false };
  }
  try {
    const p = new Parser(line);
    const script = p.parseScript(depth, false);
    return { script, tooLong: false, tooDeep: p.tooDeep, unterminated: p.unterminated, malformed: p.malformed };
  } catch {
    // A parser bug must not open a hole: report it as too deep, which the classifier treats as obfuscated.
    return { script: { commands: [] }, tooLong: false, tooDeep: true, unterminated: false, malformed: false };
  }
}

/** Split a line into the argument values of its first simple command (for `{kind: "git", command}`). */
export function simpleArgv(line: string): string[] | null {
  const r = parseShell(line);
  if (r.tooLong || r.tooDeep) return null;
  const cmds = r.script.commands;
  if (cmds.length !== 1) return null;
  const c = cmds[0];
  if (!c || c.group || c.assigns.length > 0) return null;
  if (c.words.some((w) => w.expanded)) return null;
  return c.words.map((w) => w.value);
}
