import { TAGS } from "../common";
import { credentialFileOf } from "../credentials";
import { moreSecretFile } from "./credentials";
import type { Acc } from "./index";
import { secretOf } from "./paths";
import type { Redirect, Word } from "./tokenize";

/**
 * A sound reader for harmless interpreter one-liners (`python3 -c "print('hi')"`,
 * `node -e "console.log(process.version)"`, `perl -e 'print "hi\n"'`, `ruby -e 'puts 1'`).
 *
 * It is an allowlist at the token level and nothing else. Each language has a small
 * hand-written tokenizer (no eval, no regular expressions); the code is `read` only when
 * EVERY token is allowed, otherwise the caller keeps today's `unclassified` result. The
 * reader never tracks what a name is bound to (the mistake of the reader a review broke):
 * - a name is a fixed builtin, a fixed module or global of the language, or a name the
 *   code itself gave a value in an earlier top-level `NAME = expr` (Python) or
 *   `const|let NAME = expr` (JavaScript) statement, fresh (no allowlisted or known
 *   dangerous name) and used at most once afterwards;
 * - an attribute is looked up in a fixed table for the exact module or global it follows
 *   (`json.dumps`, `process.versions.node`), or, after a value (a call, a literal, a
 *   subscript, a user name), in a short list of pure value methods (`.decode()`,
 *   `.upper()`, `.toString()`); a module name is never an attribute, nothing starting
 *   with `_` is ever a name;
 * - strings are plain, raw or bytes literals; anything that interpolates or executes
 *   (f-strings, template literals, Perl/Ruby interpolation, backticks, `%x`, `qx`) and
 *   anything the tokenizer does not know (comments, line continuations, non-ASCII outside
 *   strings, triple quotes, regex literals) is refused;
 * - no definitions, loops, comprehensions, lambdas, `with`, `try`, decorators, `del`,
 *   `global`, `import x as y`, `from x import`, keyword arguments outside a short list.
 *
 * Resource use: code is at most 1,000 characters; `**`, `<<` and Python's `%` (format
 * widths) are refused; integer literals have at most 9 digits; the only amplifiers — `*`
 * (Python, Ruby, Perl) and `.repeat`/`.padStart`/`.padEnd` (JavaScript) — may appear once,
 * with a literal count of at most 100,000 and at most 4,000,000 divided by the code's length
 * (so a repeated long literal stays a few MB); `range` takes literal arguments only; each
 * user name is used once (so no doubling chains). So `'x' * 10**12`, `'x'*99999*99999`
 * and `s=s+s` stay unclassified; output stays within a few million characters.
 * JavaScript object keys named `length` are refused (`Buffer.from({length: N})` allocates N
 * bytes). A function is never passed around in Python (`f = range; f(10**9)`).
 *
 * No `/` in Ruby or Perl (it may start a regular expression, whose text would hide code from
 * the tokenizer); in JavaScript `/` only after a value (elsewhere it starts a regex literal).
 *
 * A Python program outside the allowlist is still `read` when it provably stops at once with
 * NameError: only trusted imports before it, and its first other statement looks up, before
 * anything else, a name nothing defines (`agent.run(task)`); see {@link pyStopsAtOnce}.
 *
 * Python programs in a single here-document (`python3 <<'EOF'`) are read the same way when
 * the body holds no `$`, backquote or backslash (the shell could change such text).
 *
 * The interpreter and its command line: a plain name or a system binary directory, only
 * flags that load nothing (Python -I -P -E -s -S -B -u -q -O; Perl -l -w -E; Ruby -w; node
 * none), nothing after the code for node/perl/ruby except after `--` (their later options,
 * `--require`, `-M`, `-r`, would still apply), and nothing earlier on the line that changes
 * what the interpreter loads: a variable assignment or export (PYTHONPATH, NODE_OPTIONS,
 * PERL5OPT, RUBYOPT, PATH, HOME ...), a change of directory (cd, pushd, env -C), or other
 * shell state (hash -p, alias, source, set ...). See {@link TRUST_WORKING_DIRECTORY} for
 * Python's working directory.
 */

/**
 * `python -c` puts the current directory first on sys.path: a `json.py` there is what
 * `import json` loads, and Python 3.13+ imports `traceback` from sys.path to print any
 * uncaught error, so a hostile file in the working directory runs whatever the code is.
 * Cordon cannot see files. With `true`, the working tree is trusted as it is for
 * `python3 -m json.tool` elsewhere in this pack, but only when nothing earlier on the line
 * moved to another directory or wrote a file (`cd /tmp && ...`, `echo ... > json.py && ...`);
 * with `-I` or `-P` Python leaves the directory out and neither condition applies. With
 * `false`, Python one-liners are `read` only under `-I` or `-P`.
 */
export const TRUST_WORKING_DIRECTORY = true;

const MAX_CODE = 1000;
/** At most this many calls (and parenthesised groups) in one program, nested at most this deep. */
const MAX_CALLS = 6;
const MAX_NESTING = 4;
/** Calls and member steps (besides reading the input) of a program that reads its standard input. */
const MAX_STDIN_CALLS = 4;
/** Largest literal count for the one amplifier (`'x' * N`, `.repeat(N)`) and for `range`. */
const MAX_COUNT = 100_000;
/** The amplifier's count times the code's length stays within this (`print('x ' * 100000)` fits). */
const AMPLIFIED_CHARS = 4_000_000;

export type InlineLang = "python" | "node" | "perl" | "ruby";

// ---------------------------------------------------------------- line state

/** What earlier commands on the line did that changes what an interpreter loads. */
export interface InlineLineState {
  /** A variable was assigned or exported, or shell state changed (cd, hash, alias, source, ...). */
  changed: boolean;
  /** The directory changed (cd, pushd, popd, env -C). */
  moved: boolean;
  /** The command word as written (`python3`, `/tmp/python3`, `"python3"`) of the command being classified. */
  raw: string;
  /** Commands noted so far that leave files and the shell alone (see {@link leavesAlone}). */
  safe: number;
  /** A command noted so far is not one of those. */
  poisoned: boolean;
  /** `safe` and `poisoned` before the last noted command (the one being classified). */
  safeBefore: number;
  poisonedBefore: boolean;
  /** A file was written that is not a named data file in scratch space (see {@link scratchDataFile}). */
  badWrite: boolean;
  /** Input was redirected from a device or a kernel file (`< /dev/zero`): it may never end. */
  endless: boolean;
  /** A vouched-for program may still be running: later commands run alongside it (same pipeline, `&`). */
  live: boolean;
  /** `acc.commandCount` and `safe` when the program was vouched for. */
  liveCount: number;
  liveSafe: number;
  /** A pipeline was put in the background while a vouched-for program was live: it may outlive the line's sequencing. */
  bg: boolean;
}

function stateOf(acc: Acc): InlineLineState {
  let s = acc.inlineState;
  if (!s) {
    s = {
      changed: false,
      moved: false,
      raw: "",
      safe: 0,
      poisoned: false,
      safeBefore: 0,
      poisonedBefore: false,
      badWrite: false,
      endless: false,
      live: false,
      liveCount: 0,
      liveSafe: 0,
      bg: false,
    };
    acc.inlineState = s;
  }
  return s;
}

/** Builtins that change the shell's state (variables, directory, lookup) for later commands. */
const STATE_BUILTINS = new Set([
  "export",
  "declare",
  "typeset",
  "local",
  "readonly",
  "read",
  "mapfile",
  "readarray",
  "let",
  "getopts",
  "set",
  "shopt",
  "unset",
  "source",
  ".",
  "eval",
  "alias",
  "unalias",
  "hash",
  "enable",
  "builtin",
  "exec",
  "trap",
  "umask",
  "ulimit",
  "setopt",
  "rehash",
]);
const DIR_BUILTINS = new Set(["cd", "pushd", "popd", "chdir"]);

/** Called for every variable assignment on the line (`X=v`, `X=v cmd`, `export X=v`, `env X=v`). */
export function noteAssignment(acc: Acc): void {
  stateOf(acc).changed = true;
}

/** Called for every command word before its handler runs. */
export function noteCommand(acc: Acc, raw: string, name: string, args: readonly Word[]): void {
  const s = stateOf(acc);
  s.raw = raw;
  s.safeBefore = s.safe;
  s.poisonedBefore = s.poisoned;
  // Once poisoned, `safe` counts only while a program is live (as a difference; plainLaunch stops at
  // poisonedBefore): with none live, judging this command would change nothing anything reads.
  if (!s.poisoned || s.live) {
    if (leavesAlone(name, args)) s.safe++;
    else {
      s.poisoned = true;
      if (s.live) alongside(acc, s, `${name} runs alongside it`);
    }
  }
  if (DIR_BUILTINS.has(name)) {
    s.moved = true;
    s.changed = true;
  } else if (STATE_BUILTINS.has(name) || (name === "printf" && args.some((w) => w.value.startsWith("-v")))) s.changed = true;
  else if (name === "env") {
    // `env -C DIR`, `env -i`, `env -u X`: options before the command change where or how it runs.
    for (const w of args) {
      if (w.value.startsWith("-")) {
        s.moved = true;
        s.changed = true;
        break;
      }
      if (!w.value.includes("=")) break;
    }
  }
}

// ---------------------------------------------------------------- earlier and concurrent commands

/**
 * Commands that, with the options checked here, write no file (other than through a
 * redirection or curl's `-o`, both seen by {@link noteFileWrite}), change no shell state,
 * run nothing else and end on their own: the only commands that may come before a
 * vouched-for program on its line, or run alongside it (a later stage of its pipeline).
 * Not `sort` (`-o`), `sed` (`w`), `awk`, `jq` or `yes` (jq and yes can print without end),
 * `tail -f`, `kubectl get -w`, nor any wrapper (`sudo`, `timeout`, `xargs`): whatever runs
 * before can then neither plant a module where `import` finds it, nor change PATH or the
 * directory, nor feed the interpreter endless input.
 */
const LEAVES_ALONE = new Set([
  "echo",
  "printf",
  "true",
  "cat",
  "head",
  "tail",
  "grep",
  "egrep",
  "fgrep",
  "wc",
  "cut",
  "tr",
  "tee",
  "curl",
  "kubectl",
]);

/** True when `name args` is one of {@link LEAVES_ALONE} in a form checked to leave files and the shell alone. */
function leavesAlone(name: string, args: readonly Word[]): boolean {
  if (!LEAVES_ALONE.has(name) || args.length > 64) return false;
  for (const w of args) {
    // No expansion at all: `echo $SECRET` is judged by where its output goes (flow.ts), and a program
    // printing its input would hide that; arithmetic (`$((PATH=0))`) and `${X:=v}` assign variables.
    if (w.procSub || w.raw.includes("`") || w.raw.includes("$")) return false;
    // Devices and kernel files (`/dev/zero`, `/proc/kcore`) may never end.
    const v = w.value;
    if (v.includes("/") && (v.includes("/dev/") || v.includes("/proc/") || v.includes("/sys/"))) return false;
    // Nor a word the shell expands into other words (`/d?v/zero`, `/{dev,x}/zero`, `/*/kcore`):
    // the checks above see it as written.
    if (PATTERN_CHAR.test(w.raw) && unquotedPattern(w.raw)) return false;
  }
  const first = args[0]?.value ?? "";
  switch (name) {
    case "printf":
      // Only `%s`, `%d`, `%b`, `%%`: a width (`%999999999s`) prints as much as it names.
      return /^(?:[^%]|%[sdb%])*$/.test(first) && !first.startsWith("-");
    case "tail":
      return tailEnds(args);
    case "tee":
      // Every file a named data file in scratch space (`tee /tmp/out.txt`).
      return args.every((w) => w.value === "-a" || w.value === "--append" || scratchDataFile(w.value));
    case "curl":
      return curlLeavesAlone(args);
    case "kubectl":
      // `kubectl get` / `describe` print what the cluster holds.
      return (first === "get" || first === "describe") && kubectlPrintsOnly(args);
    default:
      return true;
  }
}

/** Characters that make an unquoted word a glob or brace expansion. */
const PATTERN_CHAR = /[*?[{]/;

/** `raw` (a word's source text) has `*`, `?`, `[` or `{` outside quotes and escapes. */
function unquotedPattern(raw: string): boolean {
  let q = "";
  for (let k = 0; k < raw.length; k++) {
    const c = raw[k] as string;
    if (q !== "") {
      if (c === q) q = "";
      else if (c === "\\" && q === '"') k++;
    } else if (c === "'" || c === '"') q = c;
    else if (c === "\\") k++;
    else if (c === "*" || c === "?" || c === "[" || c === "{") return true;
  }
  return false;
}

/**
 * tail that ends: only `-n N`, `-c N`, `-N`, `--lines=N`, `--bytes=N`, `-q`, `-v`, `-z` and
 * their long names, spelled out in full. GNU getopt takes any unambiguous prefix of a long
 * option (`--f`, `--fo`, `--re` are `--follow` and `--retry`), and `-f`/`-F` may be bundled.
 */
function tailEnds(args: readonly Word[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const v = (args[i] as Word).value;
    if (!v.startsWith("-") || v === "-") continue;
    if (v.startsWith("--")) {
      const eq = v.indexOf("=");
      const opt = eq > 0 ? v.slice(0, eq) : v;
      if (opt === "--lines" || opt === "--bytes") {
        if (eq < 0) i++;
      } else if (eq > 0 || !TAIL_LONG_FLAGS.has(opt)) return false;
      continue;
    }
    if (!TAIL_SHORT.test(v)) return false;
    // `-n` / `-c` with the count in the next word.
    if (v.endsWith("n") || v.endsWith("c")) i++;
  }
  return true;
}
/** `-n5`, `-qn`, `-c+10K`, `-v`, `-20`: no `-f`/`-F`/`-s` bundled in. */
const TAIL_SHORT = /^-(?:[qvz]*[nc][+-]?[0-9]*[bkKmMgG]?|[qvz]+|[0-9]+)$/;
const TAIL_LONG_FLAGS = new Set(["--quiet", "--silent", "--verbose", "--zero-terminated", "--"]);

/**
 * kubectl get/describe options that only choose what to print, from the current context's
 * cluster. Not `-w`/`--watch*` (prints without end; pflag bundles short flags, `-Aw`, and takes
 * `-w=true`), `--kubeconfig` (an exec credential plugin in it runs any command), `--server`,
 * `-s`, `--token`, `--as`, `--certificate-authority`, ... (the credentials go elsewhere, or are
 * others'), `--raw` (any API path, secrets included), `--template` and `-o *-file=` (a local
 * file printed as text), `-f`/`-k` (local files), nor anything else not listed.
 */
function kubectlPrintsOnly(args: readonly Word[]): boolean {
  for (let i = 1; i < args.length; i++) {
    const v = (args[i] as Word).value;
    if (!v.startsWith("-")) continue;
    if (v.startsWith("--")) {
      const eq = v.indexOf("=");
      const opt = eq > 0 ? v.slice(2, eq) : v.slice(2);
      if (KUBECTL_LONG_FLAGS.has(opt) && eq < 0) continue;
      if (!KUBECTL_LONG_VALUED.has(opt)) return false;
      const value = eq > 0 ? v.slice(eq + 1) : args[++i]?.value;
      if (value === undefined || (opt === "output" && !kubectlOutput(value))) return false;
      continue;
    }
    // `-A`, `-o json`, `-ojson`, `-o=json`, `-n ns`, `-l app=x`: one letter per word (no bundling).
    const letter = v[1] as string;
    if (v.length === 2 && (letter === "A" || letter === "h")) continue;
    if (!(letter === "o" || letter === "n" || letter === "l")) return false;
    const value = v.length > 2 ? v.slice(v[2] === "=" ? 3 : 2) : args[++i]?.value;
    if (value === undefined || (letter === "o" && !kubectlOutput(value))) return false;
  }
  return true;
}
const KUBECTL_LONG_FLAGS = new Set(["all-namespaces", "show-labels", "no-headers", "show-kind", "ignore-not-found"]);
const KUBECTL_LONG_VALUED = new Set([
  "output",
  "namespace",
  "selector",
  "field-selector",
  "sort-by",
  "label-columns",
  "context",
  "chunk-size",
]);

/** An output format that reads no file: not `go-template-file=`, `jsonpath-file=`, `custom-columns-file=`. */
function kubectlOutput(v: string): boolean {
  return !v.includes("-file");
}

/** curl options that take no value and write nothing. */
const CURL_FLAGS = new Set(["s", "S", "L", "f", "k", "i", "I", "G", "g", "4", "6", "N", "v", "j"]);
/** curl options that take a value (next word or attached) and write nothing; `o` and `w` are checked. */
const CURL_VALUED = new Set(["H", "X", "d", "u", "A", "e", "m", "b", "r", "x", "F", "o", "w", "y", "Y"]);
const CURL_LONG_FLAGS = new Set([
  "silent",
  "show-error",
  "location",
  "fail",
  "fail-with-body",
  "insecure",
  "include",
  "head",
  "get",
  "compressed",
  "globoff",
  "http1.1",
  "http2",
  "no-progress-meter",
  "no-buffer",
  "ipv4",
  "ipv6",
  "verbose",
]);
const CURL_LONG_VALUED = new Set([
  "header",
  "request",
  "data",
  "data-raw",
  "data-binary",
  "data-urlencode",
  "data-ascii",
  "json",
  "user",
  "user-agent",
  "referer",
  "max-time",
  "connect-timeout",
  "retry",
  "retry-delay",
  "retry-max-time",
  "url",
  "cookie",
  "form",
  "form-string",
  "range",
  "proxy",
  "oauth2-bearer",
  "limit-rate",
  "output",
  "write-out",
]);

/**
 * curl whose only file write is `-o` to a named data file in scratch space (or stdout). Not
 * `-O`/`--remote-name` (a name of the server's choosing, in the working directory),
 * `--output-dir`, `-D`, `-c`, `--trace`, `--stderr`, `-K` (a config file holds any option),
 * `--create-dirs`, `-:`/`--next`, nor `-w` naming `%output{...}` or `@file`.
 */
export function curlLeavesAlone(args: readonly Word[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const v = (args[i] as Word).value;
    if (!v.startsWith("-") || v === "-") continue;
    let opt: string;
    let value: string | undefined;
    if (v.startsWith("--")) {
      const eq = v.indexOf("=");
      opt = eq > 0 ? v.slice(2, eq) : v.slice(2);
      if (CURL_LONG_FLAGS.has(opt) && eq < 0) continue;
      if (!CURL_LONG_VALUED.has(opt)) return false;
      value = eq > 0 ? v.slice(eq + 1) : args[++i]?.value;
    } else {
      let k = 1;
      while (k < v.length && CURL_FLAGS.has(v[k] as string)) k++;
      if (k === v.length) continue;
      const letter = v[k] as string;
      if (!CURL_VALUED.has(letter)) return false;
      opt = letter === "o" ? "output" : letter === "w" ? "write-out" : letter;
      value = k + 1 < v.length ? v.slice(k + 1) : args[++i]?.value;
    }
    if (value === undefined) return false;
    if (opt === "output" && value !== "-" && value !== "/dev/null" && !scratchDataFile(value)) return false;
    if (opt === "write-out" && (value.startsWith("@") || value.includes("%output") || value.includes("%{output"))) return false;
  }
  return true;
}

/** Extensions of files no interpreter loads as code or configuration (not .py .pth .so .js .rb .pl .sh .cfg .toml ...). */
const DATA_EXTENSIONS = new Set(["json", "jsonl", "ndjson", "txt", "csv", "tsv", "log", "xml", "html", "md", "out"]);

/**
 * A named data file in scratch space: `/tmp/x.json`, `/var/tmp/out.txt`. Plain characters only
 * (no expansion, glob, `#1` of a curl URL glob, `~`), no `..`, and an extension from
 * {@link DATA_EXTENSIONS}: even when the working directory or PYTHONPATH is /tmp, `import`
 * never loads such a file, so writing it changes no program's code.
 */
export function scratchDataFile(p: string): boolean {
  if (p.length > 200 || !(p.startsWith("/tmp/") || p.startsWith("/var/tmp/"))) return false;
  for (let k = 0; k < p.length; k++) {
    const c = p[k] as string;
    if (!(isIdChar(c) || c === "." || c === "-" || c === "/")) return false;
  }
  if (p.includes("/../") || p.includes("/./") || p.includes("//")) return false;
  const base = p.slice(p.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 && DATA_EXTENSIONS.has(base.slice(dot + 1).toLowerCase());
}

/** Files a write to which changes nothing a program loads. */
const NULL_SINKS = new Set(["/dev/null", "/dev/stdout", "/dev/stderr"]);

/** Called for every file write Cordon sees on the line (redirections, command targets; see noteWrite in local.ts). */
export function noteFileWrite(acc: Acc, path: string): void {
  if (NULL_SINKS.has(path) || /^\/dev\/fd\/[0-9]$/.test(path) || scratchDataFile(path)) return;
  const s = stateOf(acc);
  s.badWrite = true;
  if (s.live) alongside(acc, s, `the line writes ${path} while it runs`);
}

/** Called for every input redirection (`< path`): a device or kernel file may never end. */
export function noteInput(acc: Acc, path: string): void {
  // Anywhere in the path (`/tmp/../dev/zero`), and any glob or brace the shell expands (`/d?v/zero`).
  if (path !== "/dev/null" && (path.includes("/dev/") || path.includes("/proc/") || path.includes("/sys/") || PATTERN_CHAR.test(path)))
    stateOf(acc).endless = true;
}

/**
 * Called at the end of every pipeline (`sep` is what follows it). A vouched-for program is
 * live until a top-level pipeline ends without `&`: commands of its pipeline, or after a
 * `&`, run at the same time as it and could write a module it is about to import.
 */
export function endPipeline(acc: Acc, depth: number, sep: string): void {
  const s = acc.inlineState;
  if (!s?.live) return;
  // Commands Cordon counted but never noted as leaving files alone (a function call, a name from an expansion).
  if (acc.commandCount - s.liveCount !== s.safe - s.liveSafe) alongside(acc, s, "a command runs alongside it that Cordon did not check");
  if (sep === "&") s.bg = true;
  else if (depth === 0 && !s.bg) s.live = false;
}

/** A command or write that runs alongside a vouched-for program could change what it loads. */
function alongside(acc: Acc, s: InlineLineState, why: string): void {
  s.live = false;
  acc.tag(TAGS.unclassified);
  acc.find(`an inline program on this line is only a read when nothing changes files while it runs; ${why}`);
}

/** A program was vouched for: later commands running alongside it are checked. */
function vouched(acc: Acc): void {
  const s = stateOf(acc);
  s.live = true;
  s.liveCount = acc.commandCount;
  s.liveSafe = s.safe;
}

// ---------------------------------------------------------------- tokens

enum K {
  Name = 0,
  Num = 1,
  Str = 2,
  Op = 3,
  Nl = 4,
}

interface Tok {
  k: K;
  t: string;
  /** Numbers: the value. */
  n?: number;
}

const isDigit = (c: string): boolean => c >= "0" && c <= "9";
const isIdStart = (c: string): boolean => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
const isIdChar = (c: string): boolean => isIdStart(c) || isDigit(c);
/** The same tests on a character code, for the scanning loops (no one-character string per step). */
const isDigitCode = (c: number): boolean => c >= 48 && c <= 57;
const isIdCode = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || isDigitCode(c);

/** Operators each tokenizer knows, longest first; anything else outside a literal is refused. */
const OPS: Record<InlineLang, readonly string[]> = {
  python: [
    "...",
    "**=",
    "//=",
    ">>=",
    "<<=",
    "**",
    "//",
    "==",
    "!=",
    "<=",
    ">=",
    "<<",
    ">>",
    ":=",
    "->",
    "+=",
    "-=",
    "*=",
    "/=",
    "%=",
    "&=",
    "|=",
    "^=",
    "@=",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    ";",
    ".",
    "+",
    "-",
    "*",
    "/",
    "%",
    "<",
    ">",
    "=",
    "!",
    "~",
    "&",
    "|",
    "^",
    "@",
  ],
  node: [
    "...",
    "===",
    "!==",
    "**=",
    ">>>",
    "<<=",
    ">>=",
    "&&=",
    "||=",
    "??=",
    "**",
    "=>",
    "?.",
    "??",
    "&&",
    "||",
    "==",
    "!=",
    "<=",
    ">=",
    "++",
    "--",
    "<<",
    ">>",
    "+=",
    "-=",
    "*=",
    "/=",
    "%=",
    "&=",
    "|=",
    "^=",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ";",
    ".",
    ":",
    "?",
    "+",
    "-",
    "*",
    "/",
    "%",
    "<",
    ">",
    "=",
    "!",
    "~",
    "&",
    "|",
    "^",
  ],
  ruby: [
    "<=>",
    "===",
    "**",
    "::",
    "<<",
    ">>",
    "->",
    "=>",
    "==",
    "!=",
    "=~",
    "!~",
    "<=",
    ">=",
    "&&",
    "||",
    "..",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ";",
    ".",
    ":",
    "?",
    "+",
    "-",
    "*",
    "/",
    "%",
    "<",
    ">",
    "=",
    "!",
    "~",
    "&",
    "|",
    "^",
  ],
  perl: [
    "<=>",
    "**",
    "::",
    "->",
    "=>",
    "==",
    "!=",
    "=~",
    "!~",
    "<=",
    ">=",
    "&&",
    "||",
    "..",
    "<<",
    ">>",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ";",
    ".",
    ":",
    "?",
    "+",
    "-",
    "*",
    "/",
    "%",
    "<",
    ">",
    "=",
    "!",
    "~",
    "&",
    "|",
    "^",
  ],
};

/** Operators that may appear at all (before the per-language structure checks). */
const ALLOWED_OPS: Record<InlineLang, ReadonlySet<string>> = {
  python: new Set(["(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "+", "-", "*", "/", "//", "==", "!=", "<", ">", "<=", ">=", "="]),
  node: new Set([
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ";",
    ".",
    ":",
    "+",
    "-",
    "*",
    "/",
    "%",
    "===",
    "!==",
    "==",
    "!=",
    "<",
    ">",
    "<=",
    ">=",
    "&&",
    "||",
    "!",
    "=",
  ]),
  // No `/` in Ruby or Perl: where a term is expected it starts a regular expression, whose
  // contents (`/'/`) would hide code from this tokenizer and may run code (`(?{ ... })`, `#{}`).
  ruby: new Set(["(", ")", "[", "]", ",", ";", ".", "+", "-", "*", "<", ">", "<=", ">=", "=="]),
  perl: new Set(["(", ")", ",", ";", ".", "+", "-", "*", "==", "!="]),
};

/** The operators of each language by first character, longest first (built once). */
const OPS_BY_CHAR: Record<InlineLang, Map<string, readonly string[]>> = {
  python: indexOps(OPS.python),
  node: indexOps(OPS.node),
  ruby: indexOps(OPS.ruby),
  perl: indexOps(OPS.perl),
};

function indexOps(ops: readonly string[]): Map<string, readonly string[]> {
  const m = new Map<string, string[]>();
  for (const o of ops) {
    const c = o[0] as string;
    const list = m.get(c) ?? [];
    list.push(o);
    m.set(c, list);
  }
  return m;
}

/** Python string prefixes that make a plain, raw or bytes literal (f and t hold code). */
const PY_PREFIXES = new Set(["r", "b", "u", "rb", "br"]);

/**
 * Split code into tokens, or null when something is outside what the language's reader
 * understands. String boundaries follow each interpreter's own rule: a backslash always
 * takes the next character with it, so `\'` never ends a string (also in Python raw strings).
 */
function tokenize(code: string, lang: InlineLang): Tok[] | null {
  const out: Tok[] = [];
  const ops = OPS_BY_CHAR[lang];
  const allowed = ALLOWED_OPS[lang];
  const n = code.length;
  let i = 0;
  while (i < n) {
    const c = code[i] as string;
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    if (c === "\n") {
      // Python: a statement separator (at bracket depth 0); Perl: white space; node and Ruby: refused.
      if (lang === "python") out.push({ k: K.Nl, t: "\n" });
      else if (lang !== "perl") return null;
      i++;
      continue;
    }
    if (isIdStart(c)) {
      let j = i + 1;
      while (j < n && isIdCode(code.charCodeAt(j))) j++;
      const word = code.slice(i, j);
      const next = code[j] ?? "";
      if (next === "'" || next === '"') {
        // Python `r'..'`, `b'..'`; f/t-strings and any other name glued to a quote are refused
        // (Perl's old package separator `print'x'` too).
        if (lang !== "python" || !PY_PREFIXES.has(word.toLowerCase())) return null;
        const s = scanString(code, j, lang, word.toLowerCase().includes("r"));
        if (!s) return null;
        out.push({ k: K.Str, t: s.value });
        i = s.end;
        continue;
      }
      out.push({ k: K.Name, t: word });
      i = j;
      continue;
    }
    if (isDigit(c)) {
      let j = i;
      while (j < n && isDigitCode(code.charCodeAt(j))) j++;
      let dot = 0;
      if (code[j] === "." && isDigit(code[j + 1] ?? "")) {
        dot = 1;
        j++;
        while (j < n && isDigitCode(code.charCodeAt(j))) j++;
      }
      const after = code[j] ?? "";
      // `1e9`, `0x1f`, `1_000`, `10n`, `1j`, `1.real`, `1..2`: not plain numbers here.
      if (isIdChar(after) || after === "." || after === "'" || after === '"') return null;
      // At most 6 digits: `round(1, -999999999)` alone computes 10**999999999.
      if (j - i - dot > 6) return null;
      const text = code.slice(i, j);
      out.push({ k: K.Num, t: text, n: Number(text) });
      i = j;
      continue;
    }
    if (c === "'" || c === '"') {
      const s = scanString(code, i, lang, false);
      if (!s) return null;
      out.push({ k: K.Str, t: s.value });
      i = s.end;
      continue;
    }
    let op: string | undefined;
    for (const o of ops.get(c) ?? []) {
      if (code.startsWith(o, i)) {
        op = o;
        break;
      }
    }
    // Comments (`#`, `//`, `/*`), backslashes, `$`, `@`, backticks, non-ASCII: not understood.
    if (op === undefined || !allowed.has(op)) return null;
    if (lang === "node" && op === "/" && (code[i + 1] === "/" || code[i + 1] === "*")) return null;
    out.push({ k: K.Op, t: op });
    i += op.length;
  }
  return out;
}

/** Character codes scanString compares with: `\n`, `\r`, `"`, `#`, `$`, `@`, `N`, `\`. */
const CH_LF = 10;
const CH_CR = 13;
const CH_DQUOTE = 34;
const CH_HASH = 35;
const CH_DOLLAR = 36;
const CH_AT = 64;
const CH_N = 78;
const CH_BACKSLASH = 92;

/** A string literal starting at the quote at `at`: its contents and the index after it, or null. */
function scanString(code: string, at: number, lang: InlineLang, raw: boolean): { value: string; end: number } | null {
  // Character codes, not one-character strings: this runs for every character of every literal.
  const q = code.charCodeAt(at);
  // Triple quotes (Python), and the empty string glued to a quote, are refused.
  if (code.charCodeAt(at + 1) === q && code.charCodeAt(at + 2) === q) return null;
  let k = at + 1;
  // Every character is kept as written (escapes too), so the contents are one slice of the code.
  while (k < code.length) {
    const ch = code.charCodeAt(k);
    if (ch === q) return { value: code.slice(at + 1, k), end: k + 1 };
    if (ch === CH_LF || ch === CH_CR) return null;
    if (ch === CH_BACKSLASH) {
      // NaN past the end.
      const e = code.charCodeAt(k + 1);
      if (Number.isNaN(e) || e === CH_LF || e === CH_CR) return null;
      // `\N{...}` makes Python import unicodedata (from sys.path) and Perl load charnames.
      if (e === CH_N && !raw && (lang === "python" || lang === "perl" || lang === "ruby")) return null;
      k += 2;
      continue;
    }
    if (q === CH_DQUOTE) {
      // Interpolation: Perl `$x`, `@{[ ... ]}`, `${\ ...}`; Ruby `#{...}`, `#@x`, `#$x`.
      if (lang === "perl" && (ch === CH_DOLLAR || ch === CH_AT)) return null;
      if (lang === "ruby" && ch === CH_HASH) return null;
    }
    k++;
  }
  return null;
}

// ---------------------------------------------------------------- allowlists

type Members = Record<string, readonly string[]>;

/** Own keys only: `constructor` or `__proto__` are never table entries. */
function has(table: Members, key: string): boolean {
  return Object.hasOwn(table, key);
}
function member(table: Members, path: string, name: string): boolean {
  return has(table, path) && (table[path] as readonly string[]).includes(name);
}

/** Python: builtins that only compute or print. Not open, exec, eval, getattr, input, help, type, ... */
const PY_BUILTINS = new Set([
  "print",
  "len",
  "str",
  "int",
  "float",
  "bool",
  "repr",
  "ascii",
  "sorted",
  "min",
  "max",
  "abs",
  "round",
  "list",
  "tuple",
  "set",
  "frozenset",
  "dict",
  "hex",
  "oct",
  "bin",
  "ord",
  "chr",
  "divmod",
  "any",
  "all",
  "reversed",
  "bytes",
  "range",
]);
const PY_CONSTANTS = new Set(["True", "False", "None"]);
const PY_KEYWORDS = new Set(["and", "or", "not", "in", "is", "if", "else"]);
/** Keyword arguments a call may take (never a callable: no `key=`, `default=`, `file=`). */
const PY_KWARGS = new Set(["sep", "end", "flush", "sort_keys", "ensure_ascii", "indent", "reverse"]);

/**
 * Modules and the members of theirs that only compute, and nested members
 * (`sys.version_info.major`). `sys` and `time` are built into CPython; the rest are
 * found on sys.path (see {@link TRUST_WORKING_DIRECTORY}).
 */
const PY_MEMBERS: Members = {
  // Not `stdin`: what the code may print is its own literals, never its input (`env | python3 -c …`).
  sys: ["version", "version_info", "platform", "byteorder", "maxsize", "executable", "hexversion"],
  "sys.version_info": ["major", "minor", "micro"],
  time: ["time", "time_ns", "perf_counter", "perf_counter_ns", "monotonic", "monotonic_ns", "ctime", "gmtime", "localtime"],
  json: ["dumps", "loads"],
  math: [
    "sqrt",
    "pi",
    "e",
    "tau",
    "inf",
    "nan",
    "floor",
    "ceil",
    "trunc",
    "fabs",
    "log",
    "log2",
    "log10",
    "exp",
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "atan2",
    "hypot",
    "gcd",
    "isqrt",
    "degrees",
    "radians",
    "isclose",
    "isfinite",
    "isnan",
    "copysign",
    "fmod",
    "pow",
  ],
  base64: [
    "b64encode",
    "b64decode",
    "urlsafe_b64encode",
    "urlsafe_b64decode",
    "standard_b64encode",
    "standard_b64decode",
    "b32encode",
    "b32decode",
    "b16encode",
    "b16decode",
  ],
  hashlib: ["md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b", "blake2s", "sha3_256", "sha3_512"],
  string: ["ascii_letters", "ascii_lowercase", "ascii_uppercase", "digits", "hexdigits", "octdigits", "punctuation", "whitespace"],
  // Builtins with a member.
  bytes: ["fromhex"],
  int: ["from_bytes"],
};
const PY_MODULES = new Set(["sys", "time", "json", "math", "base64", "hashlib", "string"]);
/**
 * Modules read only in fixed call forms, never through {@link PY_MEMBERS}: `os.getcwd()`,
 * `os.listdir(...)` (see {@link pyOsCall}) and the LLM SDKs (see {@link SDKS}). The SDKs
 * live in site-packages, whose `.pth` files Python runs at every start anyway, so importing
 * them trusts nothing the interpreter did not already trust; a planted `openai.py` in the
 * working directory is excluded as for `json` (see {@link TRUST_WORKING_DIRECTORY}).
 */
const PY_EFFECT_MODULES = new Set(["os", "openai", "anthropic"]);

/** An official LLM SDK: its API host, the environment variable that redirects it, and its call forms. */
interface SdkSpec {
  vendor: string;
  host: string;
  baseUrlVar: string;
  /** The client class, built with no arguments only (no `base_url=`, `api_key=`, `http_client=`). */
  ctor: string;
  /** Create calls on the module itself (`openai.chat.completions.create`, legacy `openai.Completion.create`). */
  module: readonly string[];
  /** Create calls on a client (`client.messages.create`). */
  client: readonly string[];
}

/**
 * Only endpoints that send their (literal) arguments and return a generated answer: not
 * `files`, `uploads`, `batches`, `fine_tuning`, `beta`, raw `post`, `with_options`, ...
 */
const SDKS: Record<string, SdkSpec> = {
  openai: {
    vendor: "OpenAI",
    host: "api.openai.com",
    baseUrlVar: "OPENAI_BASE_URL",
    ctor: "OpenAI",
    module: [
      "chat.completions.create",
      "embeddings.create",
      "completions.create",
      "Completion.create",
      "ChatCompletion.create",
      "Embedding.create",
    ],
    client: ["chat.completions.create", "embeddings.create", "completions.create"],
  },
  anthropic: {
    vendor: "Anthropic",
    host: "api.anthropic.com",
    baseUrlVar: "ANTHROPIC_BASE_URL",
    ctor: "Anthropic",
    module: [],
    client: ["messages.create", "completions.create"],
  },
};

/**
 * Keyword arguments a create call may take, each with a literal value. Not `tools`,
 * `functions`, `tool_choice` (tool runners), `stream`, `extra_headers`, `extra_body`,
 * `extra_query` (arbitrary request parts), `timeout`, `n`, `file`.
 */
const SDK_KWARGS = new Set([
  "model",
  "messages",
  "max_tokens",
  "max_completion_tokens",
  "prompt",
  "input",
  "system",
  "temperature",
  "top_p",
  "top_k",
  "thinking",
  "stop",
  "stop_sequences",
  "dimensions",
  "encoding_format",
  "seed",
  "presence_penalty",
  "frequency_penalty",
  "metadata",
  "user",
]);

/**
 * Fields of an SDK response (plain data models) a program may read once it made a create
 * call: not methods (`model_dump_json`, `to_dict`), nothing starting with `_`. None of the
 * other values the reader allows has an attribute of these names that acts.
 */
const SDK_RESULT_ATTRS = new Set([
  "choices",
  "message",
  "content",
  "text",
  "data",
  "embedding",
  "usage",
  "input_tokens",
  "output_tokens",
  "prompt_tokens",
  "completion_tokens",
  "total_tokens",
  "stop_reason",
  "finish_reason",
  "role",
  "type",
  "thinking",
  "id",
  "model",
  "index",
]);
/** Methods on values that compute and do not act, on every object the code can reach. */
const PY_METHODS = new Set([
  "decode",
  "encode",
  "hex",
  "hexdigest",
  "digest",
  "upper",
  "lower",
  "title",
  "capitalize",
  "swapcase",
  "strip",
  "lstrip",
  "rstrip",
  "split",
  "splitlines",
  "startswith",
  "endswith",
  "isdigit",
  "isalpha",
  "isalnum",
  "isspace",
  "isupper",
  "islower",
  "keys",
  "values",
  "items",
  "get",
  "real",
  "imag",
  "major",
  "minor",
  "micro",
  "tm_year",
  "tm_mon",
  "tm_mday",
  "tm_hour",
  "tm_min",
  "tm_sec",
]);
/** Encodings `.encode()`/`.decode()` may name (a literal, so no codec lookup of the code's choosing). */
const CODECS = new Set(["utf-8", "utf8", "ascii", "latin-1", "latin1"]);

/** Names a user binding may never take (allowlisted, or dangerous in the language). */
const PY_RESERVED = new Set([
  ...PY_BUILTINS,
  ...PY_CONSTANTS,
  ...PY_KEYWORDS,
  ...PY_MODULES,
  "exec",
  "eval",
  "open",
  "compile",
  "getattr",
  "setattr",
  "delattr",
  "globals",
  "locals",
  "vars",
  "dir",
  "input",
  "help",
  "breakpoint",
  "exit",
  "quit",
  "type",
  "object",
  "super",
  "memoryview",
  "classmethod",
  "staticmethod",
  "property",
  "import",
  "from",
  "as",
  "def",
  "class",
  "lambda",
  "for",
  "while",
  "with",
  "try",
  "except",
  "finally",
  "raise",
  "return",
  "yield",
  "del",
  "global",
  "nonlocal",
  "assert",
  "pass",
  "async",
  "await",
  "match",
  "case",
  "os",
  "openai",
  "anthropic",
  "subprocess",
  "builtins",
]);

/** JavaScript globals (always followed by an allowlisted member) and their members. */
const JS_MEMBERS: Members = {
  console: ["log", "error", "info", "warn"],
  process: ["version", "versions", "platform", "arch", "pid", "uptime"],
  "process.versions": ["node", "v8", "uv", "openssl", "modules", "napi"],
  Buffer: ["from", "byteLength"],
  JSON: ["stringify", "parse"],
  Math: [
    "abs",
    "ceil",
    "floor",
    "round",
    "trunc",
    "sign",
    "max",
    "min",
    "sqrt",
    "cbrt",
    "pow",
    "exp",
    "log",
    "log2",
    "log10",
    "sin",
    "cos",
    "tan",
    "atan2",
    "hypot",
    "random",
    "PI",
    "E",
  ],
  Object: ["keys", "values", "entries"],
  Number: ["isInteger", "parseFloat", "parseInt", "MAX_SAFE_INTEGER"],
  Date: ["now"],
};
/** JavaScript names used bare: pure conversion functions and constants. */
const JS_PLAIN = new Set(["parseInt", "parseFloat", "Number", "String", "isNaN", "true", "false", "null", "undefined", "NaN", "Infinity"]);
const JS_METHODS = new Set([
  "toString",
  "toUpperCase",
  "toLowerCase",
  "trim",
  "trimStart",
  "trimEnd",
  "length",
  "slice",
  "substring",
  "includes",
  "startsWith",
  "endsWith",
  "indexOf",
  "split",
  "join",
  "toFixed",
  "charCodeAt",
  "codePointAt",
  "charAt",
  "concat",
  "reverse",
  "node",
  "v8",
]);
const JS_AMPLIFIERS = new Set(["repeat", "padStart", "padEnd"]);
const JS_RESERVED = new Set([
  ...Object.keys(JS_MEMBERS),
  ...JS_PLAIN,
  "require",
  "module",
  "exports",
  "global",
  "globalThis",
  "this",
  "Function",
  "eval",
  "Reflect",
  "Proxy",
  "import",
  "arguments",
  "constructor",
  "prototype",
  "new",
  "delete",
  "typeof",
  "void",
  "in",
  "of",
  "instanceof",
  "function",
  "class",
  "const",
  "let",
  "var",
  "async",
  "await",
  "yield",
  "with",
  "return",
  "if",
  "else",
  "for",
  "while",
  "do",
  "switch",
  "case",
  "try",
  "catch",
  "throw",
  "fetch",
  "setTimeout",
  "setInterval",
  "queueMicrotask",
  "structuredClone",
  "WebAssembly",
]);

/** Ruby: receiver-less methods, constants and modules with their members. */
const RUBY_FUNCS = new Set(["puts", "print", "p"]);
const RUBY_CONSTANTS = new Set(["RUBY_VERSION", "RUBY_PLATFORM", "RUBY_ENGINE", "nil", "true", "false"]);
const RUBY_MEMBERS: Members = {
  Math: ["sqrt", "cbrt", "log", "log2", "log10", "exp", "sin", "cos", "tan", "hypot"],
  // `JSON.parse` builds plain hashes and arrays (additions only with `create_additions:`, whose `:` the tokenizer refuses).
  JSON: ["generate", "pretty_generate", "parse"],
  Base64: ["encode64", "strict_encode64", "urlsafe_encode64", "decode64", "strict_decode64"],
};
const RUBY_REQUIRES = new Set(["json", "base64"]);
const RUBY_METHODS = new Set([
  "upcase",
  "downcase",
  "capitalize",
  "swapcase",
  "reverse",
  "length",
  "size",
  "to_s",
  "to_i",
  "to_f",
  "strip",
  "inspect",
  "first",
  "last",
  "sort",
  "uniq",
  "join",
  "split",
  "chars",
  "bytes",
  "ord",
  "chr",
  "abs",
  "round",
  "floor",
  "ceil",
  "keys",
  "values",
]);

/** Perl builtins that only compute or print. Not system, exec, open, qx, do, require, eval, unlink, printf/sprintf (widths). */
const PERL_FUNCS = new Set([
  "print",
  "say",
  "length",
  "uc",
  "lc",
  "ucfirst",
  "lcfirst",
  "abs",
  "int",
  "sqrt",
  "ord",
  "chr",
  "hex",
  "oct",
  "join",
  "time",
  "localtime",
  "gmtime",
  "scalar",
]);

// ---------------------------------------------------------------- checks

const VALUE_END = (t: Tok | undefined): boolean =>
  t !== undefined && (t.k === K.Num || t.k === K.Str || (t.k === K.Op && (t.t === ")" || t.t === "]" || t.t === "}")));

const isOp = (t: Tok | undefined, s: string): boolean => t !== undefined && t.k === K.Op && t.t === s;

/** A literal count: a plain integer no larger than {@link MAX_COUNT}. */
const isCount = (t: Tok | undefined): boolean =>
  t !== undefined && t.k === K.Num && !t.t.includes(".") && (t.n ?? Number.POSITIVE_INFINITY) <= MAX_COUNT;

/**
 * The count of the one amplifier: a literal of at most {@link MAX_COUNT}, and at most
 * {@link AMPLIFIED_CHARS} divided by the code's length, so what it builds (and a `.split()`
 * or `list()` of it) stays small whatever string it repeats.
 */
function amplifierCount(t: Tok | undefined, scope: Scope): boolean {
  return isCount(t) && (t?.n ?? Number.POSITIVE_INFINITY) <= scope.maxCount;
}

/** Shared by the expression checkers: user names and the one amplifier. */
interface Scope {
  /** The largest literal count the one amplifier may take for code of this size. */
  maxCount: number;
  /** User names defined by an earlier statement, to whether they were used already. */
  vars: Map<string, boolean>;
  amplifiers: number;
}

/**
 * What a vouched-for program does beyond computing and printing: the project files it
 * reads, whether it lists a directory or asks for the working directory, and the vendor
 * API an official LLM SDK call sends literals to. Empty for a plain program.
 */
export interface InlineEffects {
  /** Files read, each a literal relative path inside the working tree (see {@link projectPath}). */
  files: string[];
  /** `os.getcwd()` or `os.listdir(...)`: names of files, no contents. */
  listed: boolean;
  /** The SDK called (its API host and names), or null. */
  sdk: SdkSpec | null;
  /** Reads its standard input as data: `sys.stdin.read()`, `sys.stdin.readlines()`, `json.load(sys.stdin)`. */
  stdin: boolean;
  /**
   * The name whose lookup raises NameError before anything of the program runs (see
   * {@link pyStopsAtOnce}), or null. Then nothing else is set: the program does nothing.
   */
  unbound: string | null;
  /**
   * Member steps and calls of the fixed effect forms (`openai.chat.completions.create(`,
   * `.choices`, `open(...).read()`): none of them grows a value, so they are not counted
   * against {@link MAX_CALLS}.
   */
  fixed: number;
}

/** Use a user name: defined earlier, used at most once. */
function useVar(scope: Scope, name: string): boolean {
  const used = scope.vars.get(name);
  if (used !== false) return false;
  scope.vars.set(name, true);
  return true;
}

/** `*` with a literal count on one side, once per program. */
function star(toks: readonly Tok[], i: number, scope: Scope): boolean {
  if (++scope.amplifiers > 1) return false;
  return amplifierCount(toks[i - 1], scope) || amplifierCount(toks[i + 1], scope);
}

/** Brackets balance and match within a statement. */
function bracketsOk(toks: readonly Tok[], from: number, to: number): boolean {
  const stack: string[] = [];
  for (let i = from; i < to; i++) {
    const t = toks[i] as Tok;
    if (t.k !== K.Op) continue;
    if (t.t === "(" || t.t === "[" || t.t === "{") stack.push(t.t);
    else if (t.t === ")" || t.t === "]" || t.t === "}") {
      const open = stack.pop();
      if ((t.t === ")" && open !== "(") || (t.t === "]" && open !== "[") || (t.t === "}" && open !== "{")) return false;
    }
  }
  return stack.length === 0;
}

/** Split tokens into statements at bracket depth 0 on `;` (and Python newlines). */
function statements(toks: readonly Tok[]): [number, number][] | null {
  const out: [number, number][] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Tok;
    if (t.k === K.Op && (t.t === "(" || t.t === "[" || t.t === "{")) depth++;
    else if (t.k === K.Op && (t.t === ")" || t.t === "]" || t.t === "}")) depth--;
    if (depth < 0) return null;
    if (depth === 0 && (t.k === K.Nl || isOp(t, ";"))) {
      if (i > start) out.push([start, i]);
      start = i + 1;
    }
  }
  if (depth !== 0) return null;
  if (toks.length > start) out.push([start, toks.length]);
  return out;
}

/** A fresh user name: lower-case ASCII, not allowlisted, not a known dangerous name. */
function freshName(name: string, reserved: ReadonlySet<string>, scope: Scope): boolean {
  if (name.length > 32 || !(name[0] && name[0] >= "a" && name[0] <= "z")) return false;
  return !reserved.has(name) && !scope.vars.has(name);
}

// ---- Python

/** The Python checker's view of the effect forms: what was done, and the SDK clients bound to names. */
interface PyFx extends InlineEffects {
  /** User names bound to `openai.OpenAI()` / `anthropic.Anthropic()`, to whether they were used. */
  clients: Map<string, { spec: SdkSpec; used: boolean }>;
  /** The effect modules used in one of their forms (an unused `import os` is refused). */
  used: Set<string>;
  /** `indent=` was given (json.dumps pretty-printing). */
  indented: boolean;
  /** Arithmetic whose cost grows faster than its input (`round(x, -n)`, `//`, `divmod`, `math.*`, `int.from_bytes`). */
  heavy: boolean;
}

function checkPython(toks: readonly Tok[], maxCount: number, fx: InlineEffects): boolean {
  const stmts = statements(toks);
  if (!stmts) return false;
  const scope: Scope = { vars: new Map(), amplifiers: 0, maxCount };
  const pfx: PyFx = {
    files: fx.files,
    listed: false,
    sdk: null,
    stdin: false,
    unbound: null,
    fixed: 0,
    clients: new Map(),
    used: new Set(),
    indented: false,
    heavy: false,
  };
  const imported = new Set<string>();
  for (const [a, b] of stmts) {
    if (!bracketsOk(toks, a, b)) return false;
    const first = toks[a] as Tok;
    if (first.k === K.Name && first.t === "import") {
      // `import json, sys`: allowlisted top-level modules only, no dots, no `as`.
      for (let i = a + 1; i < b; i += 2) {
        const m = toks[i];
        if (!m || m.k !== K.Name || !(PY_MODULES.has(m.t) || PY_EFFECT_MODULES.has(m.t))) return false;
        if (i + 1 < b && !isOp(toks[i + 1], ",")) return false;
        imported.add(m.t);
      }
      if (b - a < 2) return false;
      continue;
    }
    let from = a;
    let target: string | undefined;
    if (first.k === K.Name && isOp(toks[a + 1], "=")) {
      if (!freshName(first.t, PY_RESERVED, scope) || b - a < 3) return false;
      target = first.t;
      from = a + 2;
      // `client = anthropic.Anthropic()`: the whole statement, no arguments. The name is then
      // only ever the start of a create call (see sdkCall), never a value of its own.
      const m = toks[from] as Tok;
      const spec = m.k === K.Name && imported.has(m.t) && Object.hasOwn(SDKS, m.t) ? SDKS[m.t] : undefined;
      if (
        spec &&
        b - from === 5 &&
        isOp(toks[from + 1], ".") &&
        toks[from + 2]?.t === spec.ctor &&
        isOp(toks[from + 3], "(") &&
        isOp(toks[from + 4], ")")
      ) {
        scope.vars.set(target, true);
        pfx.clients.set(target, { spec, used: false });
        pfx.used.add(m.t);
        pfx.fixed += 2;
        continue;
      }
    }
    if (!pythonExpr(toks, from, b, scope, imported, pfx)) return false;
    if (target !== undefined) scope.vars.set(target, false);
  }
  // A program that reads local files or names and also calls an API could send what it read:
  // the literal-only arguments already exclude that, and this keeps the two apart regardless.
  if (pfx.sdk && (pfx.files.length > 0 || pfx.listed)) return false;
  // The size bounds assume every value starts as a literal of the code: a file, a listing or an API
  // answer (up to max_tokens) is as large as it is, so it may not be repeated (`open('x').read()*50000`)
  // or pretty-printed (each nesting level indents every line below it: a 1 MB file of deeply nested
  // arrays dumps to gigabytes with `indent=`).
  if ((pfx.files.length > 0 || pfx.listed || pfx.sdk) && (scope.amplifiers > 0 || pfx.indented)) return false;
  // `import os` (or an SDK) only for one of its forms: alone it is the first line of code the
  // reader does not see (`print(1); \<newline>import os ...`, a continuation the shell joined).
  for (const m of imported) if (PY_EFFECT_MODULES.has(m) && !pfx.used.has(m)) return false;
  // Input data is not bounded by the code's length: with it, no amplifier and no arithmetic that
  // costs more than linear time (literals bound those otherwise); and it is never sent anywhere.
  if (pfx.stdin && (scope.amplifiers > 0 || pfx.indented || pfx.heavy || pfx.sdk)) return false;
  fx.listed = pfx.listed;
  fx.sdk = pfx.sdk;
  fx.stdin = pfx.stdin;
  fx.fixed = pfx.fixed;
  return true;
}

/**
 * A relative path inside the working tree, as a literal: letters, digits, `.`, `_`, `-`
 * and `/` only (no escapes that could spell another path, no `~`, no `|` for Ruby), not
 * absolute, no `..` component, not starting with `-`. So no device (`/dev/zero`,
 * `/dev/stdin`), no `/proc` file and nothing outside the project; what the working tree
 * holds is trusted as it is for `cat` (a credential file is refused: see {@link readablePath}).
 */
function projectPath(p: string): boolean {
  if (p.length === 0 || p.length > 200 || p[0] === "/" || p[0] === "-") return false;
  for (let k = 0; k < p.length; k++) {
    const c = p[k] as string;
    if (!(isIdChar(c) || c === "." || c === "-" || c === "/")) return false;
    // `..` as a whole component (`../x`, `a/../../x`, `a/..`).
    if (c === "." && p[k + 1] === "." && (k === 0 || p[k - 1] === "/") && (k + 2 === p.length || p[k + 2] === "/")) return false;
  }
  return true;
}

/**
 * A project file whose contents the code may read: a {@link projectPath} that is no credential
 * file as `cat` judges its operands. The literal check in plainTokens judges strings as mentions
 * in text, which leaves bare names (`token`, `credentials`, `kubeconfig`) alone; as a path
 * given to `open` they are the file `cat token` reads as `secrets`.
 */
function readablePath(p: string): boolean {
  return projectPath(p) && credentialFileOf(p) === null;
}

/** A path `os.listdir` may list: the same characters (names, no contents), absolute allowed (`ls` of it is a read too). */
function listablePath(p: string): boolean {
  if (p.length === 0 || p.length > 200) return false;
  for (const c of p) if (!(isIdChar(c) || c === "." || c === "-" || c === "/")) return false;
  return true;
}

/**
 * `open('path')` or `open('path', 'r'|'rb')` starting at the name `open`: the index of its
 * closing `)`, or -1. The file object never escapes: the caller requires `.read()` right
 * after it, or that it is the only argument of `json.load`.
 */
function pyOpen(toks: readonly Tok[], at: number, fx: InlineEffects): number {
  const p = toks[at + 2];
  if (!isOp(toks[at + 1], "(") || !p || p.k !== K.Str || !readablePath(p.t)) return -1;
  let end = at + 3;
  if (isOp(toks[end], ",")) {
    const mode = toks[end + 1];
    if (!mode || mode.k !== K.Str || (mode.t !== "r" && mode.t !== "rb")) return -1;
    end += 2;
  }
  if (!isOp(toks[end], ")")) return -1;
  fx.files.push(p.t);
  // `open(` and the `.read(` or `json.load(` around it.
  fx.fixed += 3;
  return end;
}

/** `os.getcwd()`, `os.listdir()`, `os.listdir('literal')` starting at `os`: the index of the `)`, or -1. Nothing else of os. */
function pyOsCall(toks: readonly Tok[], at: number, fx: InlineEffects): number {
  const m = toks[at + 2];
  if (!isOp(toks[at + 1], ".") || !m || m.k !== K.Name || !isOp(toks[at + 3], "(")) return -1;
  if (m.t !== "getcwd" && m.t !== "listdir") return -1;
  fx.listed = true;
  fx.fixed += 2;
  if (isOp(toks[at + 4], ")")) return at + 4;
  const p = toks[at + 4];
  if (m.t === "listdir" && p?.k === K.Str && listablePath(p.t) && isOp(toks[at + 5], ")")) return at + 5;
  return -1;
}

/**
 * A create call of an official SDK starting at `at` (the module name, or a client name
 * bound by `NAME = <sdk>.<Client>()`): `openai.chat.completions.create(...)`,
 * `anthropic.Anthropic().messages.create(...)`, `client.messages.create(...)`. Its
 * arguments are keywords from {@link SDK_KWARGS} with literal values only, so nothing the
 * program read or computed (a file, the environment, a variable) is sent. The index of the
 * call's closing `)`, or -1.
 */
function sdkCall(toks: readonly Tok[], at: number, spec: SdkSpec, onClient: boolean, fx: PyFx): number {
  let j = at;
  let client = onClient;
  if (!client && isOp(toks[j + 1], ".") && toks[j + 2]?.t === spec.ctor && isOp(toks[j + 3], "(") && isOp(toks[j + 4], ")")) {
    client = true;
    j += 4;
    fx.fixed += 2;
  }
  const allowed = client ? spec.client : spec.module;
  let path = "";
  while (isOp(toks[j + 1], ".")) {
    const m = toks[j + 2];
    if (!m || m.k !== K.Name || path.length > 40) return -1;
    path = path === "" ? m.t : `${path}.${m.t}`;
    j += 2;
    fx.fixed++;
  }
  if (!allowed.includes(path) || !isOp(toks[j + 1], "(")) return -1;
  const end = literalKwargs(toks, j + 1);
  if (end < 0) return -1;
  fx.sdk = spec;
  fx.fixed++;
  return end;
}

/** `(kw=literal, ...)` from the `(` at `at`: keywords from {@link SDK_KWARGS}, each once. The index of the `)`, or -1. */
function literalKwargs(toks: readonly Tok[], at: number): number {
  let k = at + 1;
  const seen = new Set<string>();
  while (!isOp(toks[k], ")")) {
    const kw = toks[k];
    if (!kw || kw.k !== K.Name || !SDK_KWARGS.has(kw.t) || seen.has(kw.t) || !isOp(toks[k + 1], "=")) return -1;
    seen.add(kw.t);
    k = pyLiteral(toks, k + 2);
    if (k < 0) return -1;
    if (isOp(toks[k], ",")) k++;
    else if (!isOp(toks[k], ")")) return -1;
  }
  return k;
}

/**
 * A literal value starting at `k`: strings (adjacent ones concatenate), numbers (a leading
 * `-`), True/False/None, and lists, tuples and dicts (string keys) of literals. The index
 * after it, or -1. Nesting is bounded by the program-wide depth limit.
 */
function pyLiteral(toks: readonly Tok[], k: number): number {
  const t = toks[k];
  if (!t) return -1;
  if (t.k === K.Str) {
    while (toks[k]?.k === K.Str) k++;
    return k;
  }
  if (t.k === K.Num) return k + 1;
  if (isOp(t, "-")) return toks[k + 1]?.k === K.Num ? k + 2 : -1;
  if (t.k === K.Name) return t.t === "True" || t.t === "False" || t.t === "None" ? k + 1 : -1;
  const close = isOp(t, "[") ? "]" : isOp(t, "(") ? ")" : isOp(t, "{") ? "}" : "";
  if (close === "") return -1;
  k++;
  while (!isOp(toks[k], close)) {
    if (close === "}") {
      if (toks[k]?.k !== K.Str) return -1;
      k = pyLiteral(toks, k);
      if (!isOp(toks[k], ":")) return -1;
      k++;
    }
    k = pyLiteral(toks, k);
    if (k < 0) return -1;
    if (isOp(toks[k], ",")) k++;
    else if (!isOp(toks[k], close)) return -1;
  }
  return k + 1;
}

/** A member read on a value: a pure value method, or a response field once an SDK call was made. */
function pyValueAttr(name: string, fx: PyFx): boolean {
  if (PY_METHODS.has(name)) return true;
  if (fx.sdk === null || !SDK_RESULT_ATTRS.has(name)) return false;
  // A field read does not grow anything.
  fx.fixed++;
  return true;
}

function pythonExpr(toks: readonly Tok[], from: number, to: number, scope: Scope, imported: ReadonlySet<string>, fx: PyFx): boolean {
  const stack: string[] = [];
  for (let i = from; i < to; i++) {
    const t = toks[i] as Tok;
    const prev = i > from ? toks[i - 1] : undefined;
    if (t.k === K.Nl) continue;
    if (t.k === K.Num || t.k === K.Str) continue;
    if (t.k === K.Op) {
      switch (t.t) {
        case "(":
        case "[":
        case "{":
          stack.push(t.t);
          continue;
        case ")":
        case "]":
        case "}":
          stack.pop();
          continue;
        case ":":
          // Slices and dict literals only (no annotations, lambdas or blocks).
          if (stack.length === 0 || stack[stack.length - 1] === "(") return false;
          continue;
        case "*":
          if (!star(toks, i, scope)) return false;
          continue;
        case "=":
          // Only as a keyword argument, handled with its name.
          return false;
        case "//":
          fx.heavy = true;
          continue;
        case ".": {
          // A method on a value: `b'x'.hex()`, `json.dumps(x).encode()`, `d['k'].upper()`.
          if (!VALUE_END(prev)) return false;
          const m = toks[i + 1];
          if (!m || m.k !== K.Name || !pyValueAttr(m.t, fx)) return false;
          if (!codecArgs(toks, i + 1)) return false;
          i++;
          // Further members of the member read (`.message.content`), as after a user name.
          while (isOp(toks[i + 1], ".")) {
            const m2 = toks[i + 2];
            if (!m2 || m2.k !== K.Name || !pyValueAttr(m2.t, fx) || !codecArgs(toks, i + 2)) return false;
            i += 2;
          }
          continue;
        }
        default:
          continue;
      }
    }
    // A name.
    const name = t.t;
    if (name.startsWith("_")) return false;
    if (isOp(toks[i + 1], "=")) {
      // A keyword argument: `print(a, end='')`, `json.dumps(d, indent=2)`.
      if (stack[stack.length - 1] !== "(" || !(isOp(prev, "(") || isOp(prev, ",")) || !PY_KWARGS.has(name)) return false;
      if (name === "indent" && !(toks[i + 2]?.k === K.Num && (toks[i + 2]?.n ?? 99) <= 8 && !toks[i + 2]?.t.includes("."))) return false;
      if (name === "indent") fx.indented = true;
      i++;
      continue;
    }
    if (PY_CONSTANTS.has(name) || PY_KEYWORDS.has(name)) continue;
    if (name === "open") {
      // `open('x').read()`; `json.load(open('x'))` is taken with `json.load` below.
      const end = pyOpen(toks, i, fx);
      if (
        end < 0 ||
        !isOp(toks[end + 1], ".") ||
        toks[end + 2]?.k !== K.Name ||
        toks[end + 2]?.t !== "read" ||
        !isOp(toks[end + 3], "(") ||
        !isOp(toks[end + 4], ")")
      )
        return false;
      i = end + 4;
      continue;
    }
    const client = fx.clients.get(name);
    if (client) {
      if (client.used) return false;
      client.used = true;
      const end = sdkCall(toks, i, client.spec, true, fx);
      if (end < 0) return false;
      i = end;
      continue;
    }
    if (imported.has(name) && PY_EFFECT_MODULES.has(name)) {
      const end = name === "os" ? pyOsCall(toks, i, fx) : sdkCall(toks, i, SDKS[name] as SdkSpec, false, fx);
      if (end < 0) return false;
      fx.used.add(name);
      i = end;
      continue;
    }
    let path: string;
    if (imported.has(name)) {
      // A module is never a value: `json.dumps`, not `json` or `json.os`.
      if (!isOp(toks[i + 1], ".")) return false;
      if (name === "math") fx.heavy = true;
      path = name;
    } else if (PY_BUILTINS.has(name)) {
      if (name === "round" || name === "divmod" || name === "int") fx.heavy ||= name !== "int" || isOp(toks[i + 1], ".");
      // Python's int hash has no seed (x mod 2**61-1): input ints chosen to collide put every element
      // of a set or dict on one probe chain, quadratic in the input (1 MB: 8 s; 10 MB: minutes).
      else if (name === "set" || name === "frozenset" || name === "dict") fx.heavy = true;
      // Called, never passed around (`f = range; f(10**9)` would skip the literal check).
      if (name === "range" && !literalArgs(toks, i + 1)) return false;
      if (!isOp(toks[i + 1], ".")) {
        if (!isOp(toks[i + 1], "(") || name === "bytes") return false;
        continue;
      }
      path = name;
    } else if (scope.vars.has(name)) {
      if (!useVar(scope, name)) return false;
      // Methods on the value: `d.keys()`, `s.upper()`.
      while (isOp(toks[i + 1], ".")) {
        const m = toks[i + 2];
        if (!m || m.k !== K.Name || !pyValueAttr(m.t, fx) || !codecArgs(toks, i + 2)) return false;
        i += 2;
      }
      continue;
    } else return false;
    // The dotted chain after a module or builtin: each member from the table of the exact
    // path it follows; once past the table, only value methods.
    let j = i;
    let inTable = true;
    while (isOp(toks[j + 1], ".")) {
      const m = toks[j + 2];
      if (!m || m.k !== K.Name) return false;
      if (path === "json" && m.t === "load") {
        // `json.load(open('x'))` or `json.load(sys.stdin)`: the file object is its only argument (no hooks).
        let end = isOp(toks[j + 3], "(") && toks[j + 4]?.k === K.Name && toks[j + 4]?.t === "open" ? pyOpen(toks, j + 4, fx) : -1;
        if (end < 0 && isOp(toks[j + 3], "(") && stdinObject(toks, j + 4, imported)) {
          fx.stdin = true;
          // `.load`, `(`, `.stdin`: a parse of the input, not a step of growth.
          fx.fixed += 3;
          end = j + 6;
        }
        if (end < 0 || !isOp(toks[end + 1], ")")) return false;
        path = "json.load";
        // Continue after the call's `)`: its `(` was never pushed, so it is skipped with it.
        j = end + 1;
        break;
      }
      if (path === "sys" && m.t === "stdin") {
        // `sys.stdin.read()` / `sys.stdin.readlines()`: the whole input as a value; nothing else of sys.stdin.
        const r = toks[j + 4];
        if (!isOp(toks[j + 3], ".") || r?.k !== K.Name || (r.t !== "read" && r.t !== "readlines")) return false;
        if (!isOp(toks[j + 5], "(") || !isOp(toks[j + 6], ")")) return false;
        fx.stdin = true;
        fx.fixed += 3;
        path = "sys.stdin";
        j += 6;
        break;
      }
      if (inTable && member(PY_MEMBERS, path, m.t)) {
        path = `${path}.${m.t}`;
        if (!has(PY_MEMBERS, path)) inTable = false;
      } else if (!inTable && PY_METHODS.has(m.t) && path !== name) {
        if (!codecArgs(toks, j + 2)) return false;
      } else return false;
      j += 2;
    }
    if (path === name) return false;
    i = j;
  }
  return true;
}

/** `sys.stdin` starting at `at`, with sys imported: the only argument `json.load` may take besides `open(...)`. */
function stdinObject(toks: readonly Tok[], at: number, imported: ReadonlySet<string>): boolean {
  return imported.has("sys") && toks[at]?.t === "sys" && toks[at]?.k === K.Name && isOp(toks[at + 1], ".") && toks[at + 2]?.t === "stdin";
}

/** `.encode()` / `.decode()` take no argument or a plain encoding named by a literal. */
function codecArgs(toks: readonly Tok[], at: number): boolean {
  const m = toks[at] as Tok;
  if (m.t !== "encode" && m.t !== "decode") return true;
  if (!isOp(toks[at + 1], "(")) return false;
  if (isOp(toks[at + 2], ")")) return true;
  const s = toks[at + 2];
  return s?.k === K.Str && CODECS.has(s.t.toLowerCase()) && isOp(toks[at + 3], ")");
}

/** `range(3)`, `range(1, 10)`: literal counts only. */
function literalArgs(toks: readonly Tok[], at: number): boolean {
  if (!isOp(toks[at], "(")) return false;
  let k = at + 1;
  for (;;) {
    if (!isCount(toks[k])) return false;
    k++;
    if (isOp(toks[k], ")")) return true;
    if (!isOp(toks[k], ",")) return false;
    k++;
  }
}

/**
 * Every lower-case builtin of Python 3.8 to 3.13 (`dir(builtins)` in each, with what site adds:
 * exit, quit, help, copyright, credits, license; aiter and anext are 3.10+, breakpoint 3.7+).
 * Names starting with `_` (`__import__`, `__build_class__`, `__debug__`, the module dunders of
 * `__main__`) and capitalised ones (exceptions, `True`, `Ellipsis`) never qualify anyway. Also
 * Python 2's (`python` is still 2.7 on some old systems, where `execfile('x.py')` runs a file).
 */
const PY_ALL_BUILTINS = new Set([
  "apply",
  "basestring",
  "buffer",
  "cmp",
  "coerce",
  "execfile",
  "file",
  "intern",
  "long",
  "raw_input",
  "reduce",
  "reload",
  "unichr",
  "unicode",
  "xrange",
  "abs",
  "aiter",
  "all",
  "anext",
  "any",
  "ascii",
  "bin",
  "bool",
  "breakpoint",
  "bytearray",
  "bytes",
  "callable",
  "chr",
  "classmethod",
  "compile",
  "complex",
  "copyright",
  "credits",
  "delattr",
  "dict",
  "dir",
  "divmod",
  "enumerate",
  "eval",
  "exec",
  "exit",
  "filter",
  "float",
  "format",
  "frozenset",
  "getattr",
  "globals",
  "hasattr",
  "hash",
  "help",
  "hex",
  "id",
  "input",
  "int",
  "isinstance",
  "issubclass",
  "iter",
  "len",
  "license",
  "list",
  "locals",
  "map",
  "max",
  "memoryview",
  "min",
  "next",
  "object",
  "oct",
  "open",
  "ord",
  "pow",
  "print",
  "property",
  "quit",
  "range",
  "repr",
  "reversed",
  "round",
  "set",
  "setattr",
  "slice",
  "sorted",
  "staticmethod",
  "str",
  "sum",
  "super",
  "tuple",
  "type",
  "vars",
  "zip",
]);
/** Python's lower-case keywords: never looked up, and each may change what is evaluated first. */
const PY_HARD_KEYWORDS = new Set([
  "and",
  "as",
  "assert",
  "async",
  "await",
  "break",
  "class",
  "continue",
  "def",
  "del",
  "elif",
  "else",
  "except",
  "finally",
  "for",
  "from",
  "global",
  "if",
  "import",
  "in",
  "is",
  "lambda",
  "nonlocal",
  "not",
  "or",
  "pass",
  "raise",
  "return",
  "try",
  "while",
  "with",
  "yield",
]);
/** Soft keywords (3.10+ `match`/`case`, 3.12+ `type`): they start statements of their own. */
const PY_SOFT_KEYWORDS = new Set(["match", "case", "type"]);

/**
 * A name the unbound-name reading may take: lower-case ASCII letters, digits and `_`, starting
 * with a letter, 2 to 32 characters, not a keyword or soft keyword and not a builtin of any
 * version. Whether the program bound it is the caller's part.
 */
function unboundCandidate(name: string): boolean {
  return name.length >= 2 && plainLowerName(name) && !PY_ALL_BUILTINS.has(name);
}

/** Lower-case ASCII letters, digits and `_`, starting with a letter, at most 32; not a keyword or soft keyword. */
function plainLowerName(name: string): boolean {
  if (name.length > 32 || !(name[0] && name[0] >= "a" && name[0] <= "z")) return false;
  for (let k = 1; k < name.length; k++) {
    const c = name[k] as string;
    if (!((c >= "a" && c <= "z") || isDigit(c) || c === "_")) return false;
  }
  return !PY_HARD_KEYWORDS.has(name) && !PY_SOFT_KEYWORDS.has(name);
}

/**
 * A Python program that stops at once with NameError: the name it looks up first, or null.
 *
 * `agent.run(task)`, `r = openai.chat.completions.create(...)` (no `import openai`) or
 * `import hashlib; print(hashlib.sha256(data).hexdigest())` raise NameError on a name nothing
 * defined, before anything else of the program runs; an uncaught error at the top level ends it.
 * The reading, each part of it needed:
 * - Every statement before it is `import m, ...` of modules the reader already trusts
 *   ({@link PY_MODULES}, {@link PY_EFFECT_MODULES}): no other code runs first, and those imports
 *   bind only their own names. Nothing else ever assigns (no earlier assignment, `def`, `for`).
 * - The failing statement is `[target =] callee( callee( ... NAME ...`: an optional plain name
 *   and `=` (the right side is evaluated before anything is stored), then calls to reader-known
 *   builtins or table members of an imported module (`print(`, `len(`, `hashlib.sha256(`), each
 *   opening directly followed by the next and NAME as the first token of the innermost: Python
 *   evaluates the callee, then the arguments left to right, and calls nothing before all of them
 *   are evaluated; loading a builtin or an existing module member runs no code.
 * - NAME is {@link unboundCandidate} and not imported. At the top level of `-c` code (and a
 *   here-document on stdin) a lookup goes to `__main__`'s globals, which hold only dunder names
 *   until the program binds one, and then to the builtins.
 * - After NAME, the statement holds no keyword but True/False/None (`a if b else c` evaluates b
 *   first, `x for x in y` evaluates y first and binds x, `lambda`, `or`/`and`, `not`, `in`) and
 *   no `=` or `:` outside brackets (`NAME.x = rhs` and `NAME, y = rhs` evaluate rhs first or do
 *   not look NAME up; `NAME: T` evaluates only the annotation). The tokenizer already refuses
 *   walrus, `@` (decorators), f-strings, comments, backslashes and non-ASCII.
 * - The rest of the program never runs; it is only tokenized and bracket-checked like all code
 *   (a SyntaxError would stop Python before anything too, but this does not rely on that).
 *
 * What else could bind NAME: a sitecustomize/usercustomize module or a `.pth` line in
 * site-packages adding to builtins. Site runs those at every start, before any program, so the
 * reader already trusts them for every one-liner (a hostile one acts on `print(1)` as well); for
 * `-c` the working directory is put on sys.path only after site ran, so a planted
 * `sitecustomize.py` there is not loaded. The working directory matters only as for any program
 * that raises (Python 3.13+ imports `traceback` to print the error): see
 * {@link TRUST_WORKING_DIRECTORY}, applied unchanged by the callers.
 */
function pyStopsAtOnce(toks: readonly Tok[]): string | null {
  const stmts = statements(toks);
  if (!stmts) return null;
  for (const [a, b] of stmts) if (!bracketsOk(toks, a, b)) return null;
  const imported = new Set<string>();
  let s = 0;
  for (; s < stmts.length; s++) {
    const [a, b] = stmts[s] as [number, number];
    const first = toks[a] as Tok;
    if (first.k !== K.Name || first.t !== "import") break;
    // As checkPython: `import json, sys`, trusted top-level modules, no dots, no `as`.
    if (b - a < 2) return null;
    for (let i = a + 1; i < b; i += 2) {
      const m = toks[i];
      if (!m || m.k !== K.Name || !(PY_MODULES.has(m.t) || PY_EFFECT_MODULES.has(m.t))) return null;
      if (i + 1 < b && !isOp(toks[i + 1], ",")) return null;
      imported.add(m.t);
    }
  }
  const stmt = stmts[s];
  if (!stmt) return null;
  const [a, b] = stmt;
  let i = a;
  let target = "";
  const first = toks[a] as Tok;
  if (first.k === K.Name && isOp(toks[a + 1], "=")) {
    // Only stored to, after the right side, which fails first: any plain name (`r = ...`).
    if (!plainLowerName(first.t)) return null;
    target = first.t;
    i = a + 2;
  }
  // The openings `callee(` before the name.
  let depth = 0;
  for (;;) {
    const t = toks[i];
    if (i >= b || !t || t.k !== K.Name) return null;
    let j = i;
    if (imported.has(t.t) && PY_MODULES.has(t.t)) {
      let path = t.t;
      while (isOp(toks[j + 1], ".")) {
        const m = toks[j + 2];
        if (!m || m.k !== K.Name || !member(PY_MEMBERS, path, m.t)) return null;
        path = `${path}.${m.t}`;
        j += 2;
      }
      if (j === i) return null;
    } else if (!PY_BUILTINS.has(t.t)) break;
    if (!isOp(toks[j + 1], "(")) return null;
    depth++;
    i = j + 2;
  }
  const name = (toks[i] as Tok).t;
  // Not a keyword argument's name (`print(end=x)` looks up x, not `end`), nor a key or annotation.
  if (!unboundCandidate(name) || imported.has(name) || name === target || isOp(toks[i + 1], "=") || isOp(toks[i + 1], ":")) return null;
  for (let k = i + 1; k < b; k++) {
    const t = toks[k] as Tok;
    if (t.k === K.Name) {
      if (PY_HARD_KEYWORDS.has(t.t)) return null;
      continue;
    }
    if (t.k !== K.Op) continue;
    if (t.t === "(" || t.t === "[" || t.t === "{") depth++;
    else if (t.t === ")" || t.t === "]" || t.t === "}") depth--;
    else if (depth === 0 && (t.t === "=" || t.t === ":")) return null;
  }
  return name;
}

// ---- JavaScript (node -e / -p)

function checkNode(toks: readonly Tok[], maxCount: number): boolean {
  const stmts = statements(toks);
  if (!stmts) return false;
  const scope: Scope = { vars: new Map(), amplifiers: 0, maxCount };
  for (const [a, b] of stmts) {
    if (!bracketsOk(toks, a, b)) return false;
    const first = toks[a] as Tok;
    let from = a;
    let target: string | undefined;
    if (first.k === K.Name && (first.t === "const" || first.t === "let")) {
      const n = toks[a + 1];
      if (!n || n.k !== K.Name || !isOp(toks[a + 2], "=") || !freshName(n.t, JS_RESERVED, scope) || b - a < 4) return false;
      target = n.t;
      from = a + 3;
    }
    // A statement starting with `{` is a block, not an object.
    if (isOp(toks[from], "{")) return false;
    if (!nodeExpr(toks, from, b, scope)) return false;
    if (target !== undefined) scope.vars.set(target, false);
  }
  return true;
}

function nodeExpr(toks: readonly Tok[], from: number, to: number, scope: Scope): boolean {
  const stack: string[] = [];
  for (let i = from; i < to; i++) {
    const t = toks[i] as Tok;
    const prev = i > from ? toks[i - 1] : undefined;
    const valueBefore = VALUE_END(prev) || prev?.k === K.Name;
    if (t.k === K.Num || t.k === K.Str) {
      // An object key: `{a: 1}`, `{'a': 1}` (`'__proto__'` would set the prototype).
      if (stack[stack.length - 1] === "{" && (isOp(prev, "{") || isOp(prev, ",")) && isOp(toks[i + 1], ":")) {
        if (!jsKey(t.t)) return false;
        i++;
      }
      continue;
    }
    if (t.k === K.Op) {
      switch (t.t) {
        case "{":
          // Object literals only where a value is expected.
          if (!(isOp(prev, "(") || isOp(prev, ",") || isOp(prev, "[") || isOp(prev, ":") || isOp(prev, "="))) return false;
          stack.push("{");
          continue;
        case "[":
          if (valueBefore) {
            // `x[0]`: a numeric index only (`x['constructor']` reaches anything).
            if (!(toks[i + 1]?.k === K.Num && isOp(toks[i + 2], "]"))) return false;
            i += 2;
            continue;
          }
          stack.push("[");
          continue;
        case "(":
          stack.push("(");
          continue;
        case ")":
        case "]":
        case "}":
          stack.pop();
          continue;
        case ":":
          // Only after an object key (consumed with the key).
          return false;
        case "/":
          // Division only after a value; anywhere else it would start a regular expression.
          if (!valueBefore || isOp(prev, "}")) return false;
          continue;
        case "=":
          return false;
        case ".": {
          if (!VALUE_END(prev)) return false;
          const m = toks[i + 1];
          if (!m || m.k !== K.Name) return false;
          if (!jsMethod(toks, i + 1, scope)) return false;
          i++;
          continue;
        }
        default:
          continue;
      }
    }
    const name = t.t;
    if (name.startsWith("_")) return false;
    if (stack[stack.length - 1] === "{" && (isOp(prev, "{") || isOp(prev, ",")) && isOp(toks[i + 1], ":")) {
      // An object key (not evaluated).
      if (!jsKey(name)) return false;
      i++;
      continue;
    }
    if (JS_PLAIN.has(name) && !(isOp(toks[i + 1], ".") && has(JS_MEMBERS, name))) {
      if (isOp(toks[i + 1], ".")) return false;
      continue;
    }
    if (has(JS_MEMBERS, name)) {
      // A global is never a value on its own (`console.log(process)` prints the environment).
      let path = name;
      let j = i;
      let inTable = true;
      while (isOp(toks[j + 1], ".")) {
        const m = toks[j + 2];
        if (!m || m.k !== K.Name) return false;
        if (inTable && member(JS_MEMBERS, path, m.t)) {
          path = `${path}.${m.t}`;
          if (!has(JS_MEMBERS, path)) inTable = false;
        } else if (!inTable && path !== name) {
          if (!jsMethod(toks, j + 2, scope)) return false;
        } else return false;
        j += 2;
      }
      if (path === name) return false;
      i = j;
      continue;
    }
    if (scope.vars.has(name)) {
      if (!useVar(scope, name)) return false;
      while (isOp(toks[i + 1], ".")) {
        const m = toks[i + 2];
        if (!m || m.k !== K.Name || !jsMethod(toks, i + 2, scope)) return false;
        i += 2;
      }
      continue;
    }
    return false;
  }
  return true;
}

/**
 * An object literal key: not `__proto__` (sets the prototype) or anything starting with `_`,
 * and not `length` (`Buffer.from({length: 999999999})` allocates that many bytes).
 */
function jsKey(key: string): boolean {
  // The token holds the key as written: an escape (`'len\u0067th'`, `'\x6cength'`) could spell either.
  return !key.startsWith("_") && key !== "length" && !key.includes("\\");
}

/** A method on a value; `.repeat(N)` and `.padStart(N)` amplify, once, with a literal count. */
function jsMethod(toks: readonly Tok[], at: number, scope: Scope): boolean {
  const m = toks[at] as Tok;
  if (JS_METHODS.has(m.t)) return true;
  if (!JS_AMPLIFIERS.has(m.t)) return false;
  if (++scope.amplifiers > 1) return false;
  return isOp(toks[at + 1], "(") && amplifierCount(toks[at + 2], scope) && (isOp(toks[at + 3], ")") || isOp(toks[at + 3], ","));
}

// ---- Ruby

function checkRuby(toks: readonly Tok[], maxCount: number, fx: InlineEffects): boolean {
  const stmts = statements(toks);
  if (!stmts) return false;
  const scope: Scope = { vars: new Map(), amplifiers: 0, maxCount };
  let pretty = false;
  for (const [a, b] of stmts) {
    if (!bracketsOk(toks, a, b)) return false;
    const first = toks[a] as Tok;
    if (first.k === K.Name && first.t === "require") {
      // `require 'json'` / `require('json')`: a library from Ruby's own load path (never the current directory).
      const paren = isOp(toks[a + 1], "(");
      const s = toks[a + (paren ? 2 : 1)];
      if (!s || s.k !== K.Str || !RUBY_REQUIRES.has(s.t)) return false;
      if (b - a !== (paren ? 4 : 2) || (paren && !isOp(toks[a + 3], ")"))) return false;
      continue;
    }
    for (let i = a; i < b; i++) {
      const t = toks[i] as Tok;
      const prev = i > a ? toks[i - 1] : undefined;
      if (t.k === K.Num || t.k === K.Str) continue;
      if (t.k === K.Op) {
        if (t.t === "*" && !star(toks, i, scope)) return false;
        if (t.t === ".") {
          const m = toks[i + 1];
          // After a value, a constant, or a method called without parentheses (`[1].sort.join`).
          const method = prev?.k === K.Name && isOp(toks[i - 2], ".");
          if (!(VALUE_END(prev) || method || (prev?.k === K.Name && RUBY_CONSTANTS.has(prev.t)))) return false;
          if (!m || m.k !== K.Name || !RUBY_METHODS.has(m.t)) return false;
          i++;
        }
        continue;
      }
      const name = t.t;
      if (name === "File") {
        // `File.read('x')` only, parenthesised, a project path (no `|cmd`: that is IO.read's pipe
        // form, and `|` is outside the path characters anyway).
        const p = toks[i + 4];
        if (
          !(
            isOp(toks[i + 1], ".") &&
            toks[i + 2]?.t === "read" &&
            isOp(toks[i + 3], "(") &&
            p?.k === K.Str &&
            readablePath(p.t) &&
            isOp(toks[i + 5], ")")
          )
        )
          return false;
        fx.files.push(p.t);
        fx.fixed += 2;
        i += 5;
        continue;
      }
      if (RUBY_FUNCS.has(name)) {
        if (isOp(toks[i + 1], ".")) return false;
        continue;
      }
      if (RUBY_CONSTANTS.has(name)) continue;
      if (has(RUBY_MEMBERS, name)) {
        const m = toks[i + 2];
        if (!isOp(toks[i + 1], ".") || !m || m.k !== K.Name || !member(RUBY_MEMBERS, name, m.t)) return false;
        if (m.t === "pretty_generate") pretty = true;
        i += 2;
        continue;
      }
      return false;
    }
  }
  // A file's contents are not bounded by the code's length (see checkPython): not repeated, not pretty-printed.
  if (fx.files.length > 0 && (scope.amplifiers > 0 || pretty)) return false;
  return true;
}

// ---- Perl

function checkPerl(toks: readonly Tok[], maxCount: number): boolean {
  const scope: Scope = { vars: new Map(), amplifiers: 0, maxCount };
  if (!bracketsOk(toks, 0, toks.length)) return false;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Tok;
    if (t.k === K.Name && !PERL_FUNCS.has(t.t)) return false;
    if (isOp(t, "*") && !star(toks, i, scope)) return false;
  }
  return true;
}

const CHECK: Record<InlineLang, (toks: readonly Tok[], maxCount: number, fx: InlineEffects) => boolean> = {
  python: checkPython,
  node: checkNode,
  ruby: checkRuby,
  perl: checkPerl,
};

/** True when `code` in `lang` is made only of allowlisted tokens in allowlisted forms (its effects, if any, in {@link inlineEffects}). */
export function isPlainInlineCode(code: string, lang: InlineLang): boolean {
  return inlineEffects(code, lang) !== null;
}

/**
 * What `code` in `lang` does when it is made only of allowlisted tokens in allowlisted
 * forms: the files it reads, directory listings, the SDK it calls (all empty for a program
 * that only computes and prints); null when anything is outside the allowlist.
 */
export function inlineEffects(code: string, lang: InlineLang): InlineEffects | null {
  if (code.length === 0 || code.length > MAX_CODE) return null;
  const toks = tokenize(code, lang);
  if (!toks || toks.length === 0) return null;
  const fx: InlineEffects = { files: [], listed: false, sdk: null, stdin: false, unbound: null, fixed: 0 };
  return plainTokens(code, toks, lang, fx) ? fx : null;
}

function plainTokens(code: string, toks: readonly Tok[], lang: InlineLang, fx: InlineEffects): boolean {
  // A literal that names a credential file is left to the unclassified path, which tags it.
  for (const t of toks) if (t.k === K.Str && (secretOf(t.t) || moreSecretFile(t.t))) return false;
  // A size bound beside the one amplifier: value methods grow their input (`.hex()`, `str(list(…))`,
  // `.split('').join(…)`), so the calls a program makes, and how deeply they nest, are bounded too.
  let calls = 0;
  let depth = 0;
  let members = 0;
  for (const t of toks) {
    if (t.k !== K.Op) continue;
    // A member access is a call in Ruby and Perl (`"x".bytes.join`), and a step of growth anywhere.
    if (t.t === ".") {
      calls++;
      members++;
    }
    if (t.t === "(" || t.t === "[" || t.t === "{") {
      if (t.t === "(") calls++;
      if (++depth > MAX_NESTING) return false;
    } else if (t.t === ")" || t.t === "]" || t.t === "}") depth--;
  }
  // After the check, which tells how many of the steps were fixed effect forms. Each step grows a
  // value by a small factor at most; input data is not bounded by the code, so fewer steps with it.
  if (
    members <= MAX_CALLS + 6 &&
    CHECK[lang](toks, Math.min(MAX_COUNT, Math.floor(AMPLIFIED_CHARS / code.length)), fx) &&
    calls - fx.fixed <= (fx.stdin ? MAX_STDIN_CALLS : MAX_CALLS)
  )
    return true;
  if (lang !== "python") return false;
  // A Python program that stops at its first lookup does nothing, however long the rest (within
  // MAX_CODE, the tokenizer and the nesting bound above): the call bounds are about what runs.
  const unbound = pyStopsAtOnce(toks);
  if (unbound === null) return false;
  // What the failed check may have noted (a file it got to) is not done.
  fx.files.length = 0;
  fx.listed = false;
  fx.sdk = null;
  fx.stdin = false;
  fx.fixed = 0;
  fx.unbound = unbound;
  return true;
}

// ---------------------------------------------------------------- the command line

/** The language of an interpreter command name the reader covers. */
export function inlineLangOf(name: string): InlineLang | null {
  if (name === "python" || name === "python3" || /^python3\.[0-9]{1,2}$/.test(name)) return "python";
  if (name === "node" || name === "nodejs") return "node";
  if (name === "perl") return "perl";
  if (name === "ruby") return "ruby";
  return null;
}

/** The word is one single- or double-quoted string, nothing outside the quotes. */
function wholeQuoted(raw: string): boolean {
  const q = raw[0];
  if ((q !== "'" && q !== '"') || raw.length < 2 || raw[raw.length - 1] !== q) return false;
  for (let k = 1; k < raw.length - 1; k++) {
    const c = raw[k];
    if (c === q) return false;
    if (c === "\\" && q === '"') k++;
  }
  return true;
}

/** Code glued to its flag (`-cprint(1)`) is unquoted: no characters the shell expands. */
function plainAttached(text: string): boolean {
  for (const c of text) if ("*?[]{}~'\"\\ \t".includes(c)) return false;
  return true;
}

/** Where the interpreter comes from: a plain name (PATH) or a system binary directory. */
function systemInterpreter(raw: string): boolean {
  if (!raw.includes("/")) return true;
  const dir = raw.slice(0, raw.lastIndexOf("/") + 1);
  return dir === "/usr/bin/" || dir === "/bin/" || dir === "/usr/local/bin/" || dir === "/opt/homebrew/bin/";
}

/** Flags allowed before the code flag, per language: none of them loads code or reads input. */
const FLAG_LETTERS: Record<InlineLang, string> = { python: "IPEsSBuqO", perl: "lw", ruby: "w", node: "" };
const CODE_LETTER: Record<InlineLang, string> = { python: "c", perl: "eE", ruby: "e", node: "" };

/** What every vouched-for interpreter command needs: this interpreter, from the system, on an unchanged line. */
function plainLaunch(name: string, acc: Acc): boolean {
  const st = stateOf(acc);
  // The command word must be this interpreter itself (not `bun -e` read as node), run by
  // nothing that rewrites its arguments (`xargs -I{}`, `find -exec ... {}` put input into the code).
  const base = st.raw.slice(st.raw.lastIndexOf("/") + 1);
  // The line's first command: nothing ran before it (no earlier command, loop header, substitution or
  // arithmetic that could write a module into the working directory, change PATH or feed its input).
  // Or every earlier command is one checked to leave files and the shell alone (see leavesAlone),
  // none went unnoted (a function call, a loop header), and every file written so far is a named
  // data file in scratch space: then nothing before it changed what the interpreter loads.
  if (acc.commandCount !== 1 && (st.poisonedBefore || st.safeBefore !== acc.commandCount - 1 || st.badWrite)) return false;
  return !st.changed && base === name && systemInterpreter(st.raw) && acc.stdinTargets === null;
}

/** Python's working directory (see {@link TRUST_WORKING_DIRECTORY}). */
function pythonPathSafe(isolated: boolean, acc: Acc): boolean {
  const st = stateOf(acc);
  // After earlier commands the writes are known exactly (plainLaunch): a `write` tag there is curl's
  // POST or its `-o /tmp/x.json`, not a file in the working directory.
  const written = acc.commandCount === 1 ? acc.tags.has(TAGS.write) : st.badWrite;
  return isolated || (TRUST_WORKING_DIRECTORY && !st.moved && !written);
}

/**
 * The program may read its standard input as data: it is a later stage of a pipeline (its input
 * is the earlier stages' output, judged on their own), with no input redirection of its own (one
 * would replace the pipe: `< /dev/zero`), and nothing on the line reads from a device.
 */
function stdinIsData(acc: Acc, redirects: readonly Redirect[]): boolean {
  if (!acc.pipedInput || stateOf(acc).endless || acc.commandCount < 2) return false;
  for (const r of redirects) if (r.op.startsWith("<") || r.fd === "0") return false;
  return true;
}

function plainFinding(lang: InlineLang, fx: InlineEffects, acc: Acc, from = "inline"): void {
  const what = lang === "node" ? "JavaScript" : lang === "python" ? "Python" : lang === "perl" ? "Perl" : "Ruby";
  const sdk = fx.sdk;
  if (sdk) {
    // Egress, not a read: the literal request goes to the vendor with the API key the SDK
    // takes from the environment, and the generated answer is printed.
    acc.tag(TAGS.network);
    acc.host(sdk.host);
    acc.find(
      `runs ${from} ${what} code that calls the ${sdk.vendor} API (${sdk.host}) with literal arguments only, authenticated with the API key from the environment; ${sdk.baseUrlVar} (or another endpoint or proxy setting of the SDK) in the agent's environment would send the request and the key elsewhere`,
    );
    return;
  }
  acc.tag(TAGS.read);
  if (fx.unbound !== null) {
    acc.find(
      `runs ${from} ${what} code that stops at once: ${fx.unbound} is not defined (NameError), so nothing of it runs but the imports of modules on Cordon's allowlist before it (a syntax error anywhere in it would stop it even sooner)`,
    );
    return;
  }
  if (fx.files.length > 0 || fx.listed) {
    const files = fx.files.length > 0 ? `reads ${fx.files.join(", ")}` : "";
    const listed = fx.listed ? "lists a directory or the working directory" : "";
    acc.find(
      `runs ${from} ${what} code that ${files}${files && listed ? " and " : ""}${listed}, and prints what it computes (every name is on Cordon's allowlist)`,
    );
    return;
  }
  acc.find(`runs ${from} ${what} code that only computes and prints (every name is on Cordon's allowlist)`);
}

/**
 * A Python program given on stdin as one here-document (`python3 <<'EOF' ... EOF`): read
 * like `-c` code. The body may hold no `$`, backquote or backslash, so quoting the
 * delimiter or not makes no difference to the text Python gets.
 */
export function readPlainStdinProgram(name: string, args: readonly Word[], redirects: readonly Redirect[], acc: Acc): boolean {
  if (inlineLangOf(name) !== "python" || !plainLaunch(name, acc)) return false;
  let isolated = false;
  for (const w of args) {
    if (w.value === "-") break;
    if (w.expanded || w.raw !== w.value || !/^-[IPEsSBuqO]+$/.test(w.value)) return false;
    if (w.value.includes("I") || w.value.includes("P")) isolated = true;
  }
  // Exactly one input redirection, the here-document on stdin (with several, the last one wins).
  const inputs = redirects.filter((r) => r.op.startsWith("<"));
  const h = inputs[0];
  if (inputs.length !== 1 || !h || (h.op !== "<<" && h.op !== "<<-") || (h.fd !== "" && h.fd !== "0") || h.body === undefined) return false;
  const body = h.body;
  if (body.includes("$") || body.includes("`") || body.includes("\\")) return false;
  if (!pythonPathSafe(isolated, acc)) return false;
  const fx = inlineEffects(body, "python");
  // Its standard input is the here-document itself.
  if (!fx || fx.stdin) return false;
  plainFinding("python", fx, acc, "a here-document of");
  vouched(acc);
  return true;
}

/**
 * Decide a whole interpreter command: `args` are its arguments (after the command name).
 * True when the command line is one the reader vouches for and the code is plain; then
 * `read` and the finding are added. Otherwise false and nothing is added.
 */
export function readPlainInline(name: string, args: readonly Word[], acc: Acc, redirects: readonly Redirect[] = []): boolean {
  const lang = inlineLangOf(name);
  if (!lang) return false;
  if (!plainLaunch(name, acc)) return false;
  let code: Word | undefined;
  let attached: string | undefined;
  let isolated = false;
  let i = 0;
  for (; i < args.length; i++) {
    const w = args[i] as Word;
    const a = w.value;
    if (w.expanded || w.procSub || w.raw.includes("$") || !a.startsWith("-") || a.length < 2) return false;
    if (lang === "node") {
      if (a === "-e" || a === "-p" || a === "-pe" || a === "-ep" || a === "--eval" || a === "--print") {
        code = args[i + 1];
        i += 2;
        break;
      }
      return false;
    }
    if (a.startsWith("--")) return false;
    const letters = a.slice(1);
    let k = 0;
    while (k < letters.length && FLAG_LETTERS[lang].includes(letters[k] as string)) k++;
    if (lang === "python") {
      const flags = letters.slice(0, k);
      if (flags.includes("I") || flags.includes("P")) isolated = true;
    }
    if (k === letters.length) continue;
    if (!CODE_LETTER[lang].includes(letters[k] as string)) return false;
    if (k + 1 < letters.length) {
      attached = letters.slice(k + 1);
      i += 1;
    } else {
      code = args[i + 1];
      i += 2;
    }
    break;
  }
  const text = attached ?? code?.value;
  // `$'...'` (ANSI-C) and `$"..."` quoting decode escapes in the shell: read only code written out plainly.
  if (text === undefined || (code && (code.expanded || code.procSub || code.subs.length > 0 || code.raw.includes("$")))) return false;
  // Unquoted parts of the word are globbed and brace-expanded by the shell against file names
  // (`perl -e print\ 1*2` runs a file called `print 1;system("id");2`): one quoted string only.
  if (code ? !wholeQuoted(code.raw) : !plainAttached(text)) return false;
  // node, Perl and Ruby keep reading options after the code (`--require`, `-M`, `-r`): only `--` and arguments after it.
  if (lang !== "python" && i < args.length && args[i]?.value !== "--") return false;
  if (lang === "python" && !pythonPathSafe(isolated, acc)) return false;
  const fx = inlineEffects(text, lang);
  if (!fx || (fx.stdin && !stdinIsData(acc, redirects))) return false;
  plainFinding(lang, fx, acc);
  vouched(acc);
  return true;
}
