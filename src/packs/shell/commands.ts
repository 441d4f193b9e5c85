import { isProduction, TAGS } from "../common";
import { classifySql } from "../sql/index";
import { moreSecretFile } from "./credentials";
import { addsExtraCapability } from "./escape";
import { afterCommand, onAssign, onlyTunes, extraHandler as reconHandler } from "./flow";
import { readsClipboard } from "./home-data";
import { commandEffects, extraHandler, writeEffects } from "./hooks";
import type { Acc, CmdInfo } from "./index";
import { classifyLineInto, classifyWords, downloadedFrom, wordFetches } from "./index";
import { readPlainInline, readPlainStdinProgram } from "./inline-code";
import { denoScript, elsewhere, gdbRunsOwn, inTree, localHandler, noteChdir, noteWrite, runOwnCode, sourceStartup } from "./local";
import { dotenvAssignments, messageArgs, notReadReason } from "./not-read";
import {
  BRACED_HOME,
  broadReason,
  hostOf,
  isDevice,
  isImportantFile,
  isOutsideWorkspace,
  isScratch,
  isScratchOrRelative,
  remoteHostOf,
  secretOf,
} from "./paths";
import { openHandler, readOnlyTool, textArgs } from "./readonly";
import { generatedSetupOf } from "./shell-setup";
import type { Redirect, Word } from "./tokenize";

/**
 * What each shell command does. A handler looks at the command's arguments
 * (already unquoted) and adds tags and findings to the accumulator; wrappers
 * (sudo, env, xargs, sh -c, ...) classify the command they run.
 */

export interface Cx {
  name: string;
  acc: Acc;
  depth: number;
  redirects: readonly Redirect[];
}

type Handler = (args: readonly Word[], cx: Cx) => CmdInfo | undefined;

/** Options of one command: short letters, long names with values, positional words. */
interface Parsed {
  short: Set<string>;
  shortVal: Map<string, string>;
  long: Map<string, string | true>;
  pos: Word[];
  /** Original option words, for findings (`-rf`, `-r -f`). */
  flagWords: string[];
}

function parse(
  args: readonly Word[],
  valueShort = "",
  valueLong: readonly string[] = [],
  stopAtFirstPositional = false,
): Parsed & { rest: number } {
  const p: Parsed & { rest: number } = {
    short: new Set(),
    shortVal: new Map(),
    long: new Map(),
    pos: [],
    flagWords: [],
    rest: args.length,
  };
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w) continue;
    const a = w.value;
    if (a === "--") {
      p.pos.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--") && a.length > 2) {
      p.flagWords.push(a);
      const eq = a.indexOf("=");
      if (eq > 0) p.long.set(a.slice(2, eq), a.slice(eq + 1));
      else if (valueLong.includes(a.slice(2)) && i + 1 < args.length) p.long.set(a.slice(2), args[++i]?.value ?? "");
      else p.long.set(a.slice(2), true);
      continue;
    }
    if (a.startsWith("-") && a.length > 1 && !w.procSub) {
      p.flagWords.push(a);
      for (let k = 1; k < a.length; k++) {
        const c = a[k] ?? "";
        p.short.add(c);
        if (valueShort.includes(c)) {
          const v = a.slice(k + 1);
          p.shortVal.set(c, v !== "" ? v : (args[++i]?.value ?? ""));
          break;
        }
      }
      continue;
    }
    if (stopAtFirstPositional) {
      p.rest = i;
      return p;
    }
    p.pos.push(w);
  }
  if (stopAtFirstPositional) p.rest = args.length;
  return p;
}

/** A literal word for a path taken from an option value (`-o FILE`). */
export function lit(value: string): Word {
  return { value, raw: value, quoted: false, expanded: false, subs: [], procSub: false, escapes: 0, notRead: undefined, dotenv: undefined };
}

function lastCap(cx: Cx): void {
  const n = cx.name;
  // replaceAll costs even when there is nothing to replace.
  cx.acc.lastCapability = `shell.${n.includes(".") ? n.replaceAll(".", "-") : n}`;
}

/** Classify the command that a wrapper runs (`sudo rm ...` → `rm ...`). */
function inner(args: readonly Word[], from: number, cx: Cx): CmdInfo | undefined {
  const rest = args.slice(from);
  if (rest.length === 0) return undefined;
  return classifyWords(rest, cx.acc, cx.depth + 1, cx.redirects);
}

/** Check write targets: outside the workspace, variables, important files. */
export function writeTargets(targets: readonly Word[], cx: Cx, verb: string): void {
  const acc = cx.acc;
  acc.tag(TAGS.write);
  for (const t of targets) {
    const p = t.value;
    writeEffects(acc, p, verb);
    noteWrite(acc, p, verb);
    if (t.expanded && p.startsWith("$") && !p.startsWith("$HOME") && !p.startsWith(BRACED_HOME)) {
      acc.find(`${verb} ${t.raw}, a path hidden in a variable`);
      continue;
    }
    if (isOutsideWorkspace(p)) {
      acc.tag(TAGS.outside_workspace);
      acc.find(`${verb} ${p}, outside the working directory`);
    }
  }
}

// ---------------------------------------------------------------- wrappers

const sudo: Handler = (args, cx) => {
  const acc = cx.acc;
  acc.tag(TAGS.privilege);
  const p = parse(
    args,
    cx.name === "doas" ? "uC" : "ugphCDrtUT",
    ["user", "group", "host", "prompt", "close-from", "chdir", "role", "type", "other-user", "command-timeout"],
    true,
  );
  const user = p.shortVal.get("u") ?? (typeof p.long.get("user") === "string" ? String(p.long.get("user")) : "root");
  acc.find(`runs as ${user} with ${cx.name}`);
  if (p.short.has("e") || p.long.has("edit") || cx.name === "sudoedit") {
    writeTargets(args.slice(p.rest), cx, "edits");
    return { name: cx.name };
  }
  if (p.rest >= args.length) {
    if (p.short.has("i") || p.short.has("s") || p.long.has("login") || p.long.has("shell") || cx.name === "doas") {
      acc.tag(TAGS.unclassified);
      acc.find(`opens a ${user} shell`);
    } else acc.tag(TAGS.read);
    return { name: cx.name };
  }
  const dir = p.shortVal.get("D") ?? p.long.get("chdir");
  if (dir !== undefined) noteChdir(acc, typeof dir === "string" ? dir : undefined);
  return inner(args, p.rest, cx);
};

const su: Handler = (args, cx) => {
  const acc = cx.acc;
  acc.tag(TAGS.privilege);
  const p = parse(args, "cgGsw", ["command", "group", "supp-group", "shell", "whitelist-environment"]);
  const cmd = p.shortVal.get("c") ?? (typeof p.long.get("command") === "string" ? String(p.long.get("command")) : undefined);
  const user = p.pos.find((w) => w.value !== "-")?.value ?? "root";
  acc.find(`switches to the user ${user} with ${cx.name}`);
  if (cmd !== undefined) {
    classifyLineInto(cmd, acc, cx.depth + 1);
    return { name: cx.name };
  }
  acc.tag(TAGS.unclassified);
  acc.find(`opens a ${user} shell`);
  return { name: cx.name };
};

const env: Handler = (args, cx) => {
  const acc = cx.acc;
  let i = 0;
  while (i < args.length) {
    const a = args[i]?.value ?? "";
    if (a === "--") {
      i++;
      break;
    }
    if (a === "-u" || a === "-C" || a === "--unset" || a === "--chdir") {
      if (a === "-C" || a === "--chdir") noteChdir(acc, args[i + 1]?.value);
      i += 2;
      continue;
    }
    if (a === "-S" || a === "--split-string" || a.startsWith("--split-string=") || (a.startsWith("-S") && a.length > 2)) {
      // `env -S "cmd args"`: the string is split into a command line.
      const s = a === "-S" || a === "--split-string" ? (args[i + 1]?.value ?? "") : a.startsWith("-S") ? a.slice(2) : a.slice(15);
      const after = args
        .slice(a === "-S" || a === "--split-string" ? i + 2 : i + 1)
        .map((w) => w.value)
        .join(" ");
      classifyLineInto(`${s} ${after}`, acc, cx.depth + 1);
      return { name: "env" };
    }
    if (a.startsWith("-")) {
      // `-C DIR` attached (`-C/tmp`, `--chdir=/tmp`, `-iC/tmp`): relative paths after it are not the tree's.
      if (a.startsWith("--chdir=") || (!a.startsWith("--") && a.includes("C"))) noteChdir(acc, undefined);
      i++;
      continue;
    }
    if (a.includes("=") && !a.startsWith("=")) {
      const name = a.slice(0, a.indexOf("="));
      codeVar(name, a.slice(a.indexOf("=") + 1), cx);
      i++;
      continue;
    }
    break;
  }
  if (i >= args.length) {
    acc.tag(TAGS.read);
    lastCap(cx);
    return { name: "env", envDump: true };
  }
  return inner(args, i, cx);
};

/** Variables that make later programs load or run code of the setter's choosing. */
export const CODE_VARS = new Set([
  "LD_PRELOAD",
  "LD_LIBRARY_PATH",
  "LD_AUDIT",
  "DYLD_INSERT_LIBRARIES",
  "DYLD_LIBRARY_PATH",
  "BASH_ENV",
  "ENV",
  "PROMPT_COMMAND",
  "NODE_OPTIONS",
  "PYTHONSTARTUP",
  "PERL5OPT",
  "RUBYOPT",
  "JAVA_TOOL_OPTIONS",
  "_JAVA_OPTIONS",
  "GIT_SSH_COMMAND",
  "GIT_SSH",
  "GIT_EXEC_PATH",
  "INPUTRC",
]);
/** Search paths: dangerous only when they point at a scratch or relative directory anyone can fill. */
const SEARCH_VARS = new Set(["PATH", "PYTHONPATH", "NODE_PATH", "PERL5LIB", "RUBYLIB", "CLASSPATH"]);

/** `export LD_PRELOAD=...`, `env NODE_OPTIONS=... cmd`: code Cordon cannot see will be loaded later. */
function codeVar(name: string, value: string, cx: Cx): void {
  onAssign(name, value, cx.acc);
  // An empty entry means the current directory.
  const searchRisk = SEARCH_VARS.has(name) && value.split(":").some((d) => d === "" || isScratchOrRelative(d));
  if ((!CODE_VARS.has(name) && !searchRisk) || value === "" || onlyTunes(name, value)) return;
  if (name === "LD_LIBRARY_PATH" && !/(^|:)(\.|\/tmp|\/var\/tmp|\/dev\/shm)/.test(value) && cx.name !== "env") return;
  cx.acc.tag(TAGS.unclassified);
  cx.acc.find(`sets ${name}, which makes programs load or run code of the caller's choosing`);
  if (name === "PROMPT_COMMAND") runsLater(value, cx, "PROMPT_COMMAND");
}

/** Wrappers that take options, maybe a fixed number of leading operands, then a command. */
function simpleWrapper(valueShort: string, valueLong: readonly string[], skipOperands = 0, tag?: string, finding?: string): Handler {
  return (args, cx) => {
    // `pkexec --version`: asked only for its version or usage, it runs nothing as anyone.
    const helpOnly = args.length > 0 && args.every((w) => w.value === "--version" || w.value === "--help");
    if (tag && !helpOnly) cx.acc.tag(tag);
    if (finding && !helpOnly) cx.acc.find(finding);
    const p = parse(args, valueShort, valueLong, true);
    let from = p.rest;
    // `timeout 5 cmd`, `chroot /x cmd`: skip the operand before the command.
    for (let k = 0; k < skipOperands && from < args.length; k++) from++;
    const r = inner(args, from, cx);
    if (!r) {
      cx.acc.tag(TAGS.read);
      lastCap(cx);
      return { name: cx.name };
    }
    return r;
  };
}

const command: Handler = (args, cx) => {
  const p = parse(args, "", [], true);
  if (p.short.has("v") || p.short.has("V")) {
    cx.acc.tag(TAGS.read);
    lastCap(cx);
    return { name: cx.name };
  }
  return inner(args, p.rest, cx) ?? { name: cx.name };
};

const watch: Handler = (args, cx) => {
  const p = parse(args, "nqd", ["interval", "differences", "equexit"], true);
  const rest = args.slice(p.rest);
  if (rest.length === 0) {
    cx.acc.tag(TAGS.read);
    return { name: "watch" };
  }
  if (p.short.has("x") || p.long.has("exec")) return inner(args, p.rest, cx);
  // watch joins its arguments and runs them with `sh -c`.
  classifyLineInto(rest.map((w) => w.value).join(" "), cx.acc, cx.depth + 1);
  return { name: "watch" };
};

const xargs: Handler = (args, cx) => {
  const p = parse(
    args,
    "nLlIsPdEeaR",
    ["max-args", "max-lines", "replace", "max-chars", "max-procs", "delimiter", "eof", "arg-file", "process-slot-var"],
    true,
  );
  if (p.rest >= args.length) {
    cx.acc.tag(TAGS.read);
    return { name: "xargs" };
  }
  const prev = cx.acc.stdinTargets;
  cx.acc.stdinTargets = "stdin";
  try {
    return inner(args, p.rest, cx);
  } finally {
    cx.acc.stdinTargets = prev;
  }
};

/** Running a file that was downloaded earlier on the same line is running remote code. */
function ranDownload(path: string, cx: Cx): void {
  const host = downloadedFrom(path, cx.acc);
  if (host === undefined) return;
  cx.acc.tag(TAGS.remote_exec, TAGS.network, TAGS.write);
  cx.acc.find(`runs ${path}, downloaded${host ? ` from ${host}` : ""} earlier on the line`);
}

/** Remember a file a download wrote, for `curl -o x.sh URL && sh x.sh`. */
function recordDownload(path: string, host: string | null, cx: Cx): void {
  if (cx.acc.downloads.size < 32) cx.acc.downloads.set(path.startsWith("./") ? path.slice(2) : path, host ?? "");
}

const SHELLS = new Set(["sh", "bash", "zsh", "dash", "ksh", "ash", "mksh", "fish", "csh", "tcsh", "rbash"]);
/** A bundle of short options with `i` (`-i`, `-li`): an interactive shell. */
const SHELL_INTERACTIVE = /^-[A-Za-z]*i/;

/** What arrives on stdin through a here-document or here-string, for interpreters. */
function stdinText(cx: Cx): { text: string; word?: Word } | null {
  for (const r of cx.redirects) {
    if ((r.op === "<<" || r.op === "<<-") && r.body !== undefined) return { text: r.body };
    if (r.op === "<<<" && r.target) return { text: r.target.value, word: r.target };
  }
  return null;
}

function runsWordAsCode(w: Word, cx: Cx, what: string): void {
  const acc = cx.acc;
  const f = wordFetches(w, acc);
  if (f.fetches) {
    acc.tag(TAGS.remote_exec, TAGS.network, TAGS.write);
    acc.find(`runs code downloaded${f.fetchHost ? ` from ${f.fetchHost}` : ""} with ${what}`);
  } else if (w.expanded) {
    acc.obfuscated(
      `${what} runs a string built from an expansion (${w.raw.length > 60 ? `${w.raw.slice(0, 60)}…` : w.raw}), so what runs is hidden`,
    );
  }
}

const shell: Handler = (args, cx) => {
  const acc = cx.acc;
  let i = 0;
  let cmd: Word | undefined;
  let stdin = false;
  /** `-i`, `--rcfile F`, `--init-file F`, fish `-C CMD`: code that runs before (or instead of) the script. */
  let before: string | null = null;
  while (i < args.length) {
    const a = args[i]?.value ?? "";
    if (a === "--" || a === "-") {
      i++;
      break;
    }
    if (
      cx.name === "fish" &&
      (a === "-C" || a === "--init-command" || a.startsWith("--init-command=") || (a.startsWith("-C") && a.length > 2))
    ) {
      const code = a.startsWith("--init-command=")
        ? a.slice(15)
        : a.startsWith("-C") && a.length > 2
          ? a.slice(2)
          : (args[i + 1]?.value ?? "");
      acc.find(`fish ${a.split("=")[0]} runs a command first: ${code.slice(0, 60)}`);
      classifyLineInto(code, acc, cx.depth + 1);
      before = "fish runs an init command first";
      i += a === "-C" || a === "--init-command" ? 2 : 1;
      continue;
    }
    if (a === "-o" || a === "+o" || a === "-O" || a === "+O" || a === "--rcfile" || a === "--init-file") {
      if (a === "--rcfile" || a === "--init-file") before = `${cx.name} ${a} ${args[i + 1]?.value ?? ""} runs that file first`;
      i += 2;
      continue;
    }
    if (a.startsWith("--rcfile=") || a.startsWith("--init-file=")) before = `${cx.name} ${a} runs that file first`;
    if (SHELL_INTERACTIVE.test(a) && !a.startsWith("--"))
      before = `${cx.name} -i is interactive: it runs its start-up files and then reads commands from its input`;
    if (a.startsWith("--")) {
      i++;
      continue;
    }
    if ((a.startsWith("-") || a.startsWith("+")) && a.length > 1 && !args[i]?.procSub) {
      if (a.includes("c")) {
        cmd = args[i + 1]?.value === "--" ? args[i + 2] : args[i + 1];
        i = args.length;
        break;
      }
      if (a.includes("s")) stdin = true;
      i++;
      continue;
    }
    break;
  }
  if (cmd) {
    runsWordAsCode(cmd, cx, `${cx.name} -c`);
    classifyLineInto(cmd.value, acc, cx.depth + 1);
    return { name: cx.name };
  }
  const script = args[i];
  if (before !== null) {
    acc.tag(TAGS.unclassified);
    acc.find(before);
    return { name: cx.name, runsStdin: script === undefined };
  }
  if (script && !stdin) {
    if (script.procSub) runsWordAsCode(script, cx, cx.name);
    else {
      ranDownload(script.value, cx);
      if (!runOwnCode(script, acc, ` with ${cx.name}`, undefined, args.slice(i + 1))) {
        acc.tag(TAGS.unclassified);
        acc.find(`runs the script ${script.value}, whose contents Cordon cannot see`);
      }
    }
    return { name: cx.name };
  }
  const s = stdinText(cx);
  if (s) {
    if (s.word) runsWordAsCode(s.word, cx, cx.name);
    classifyLineInto(s.text, acc, cx.depth + 1);
    return { name: cx.name };
  }
  if (cx.redirects.some((r) => r.op === "<" && r.target)) {
    const t = cx.redirects.find((r) => r.op === "<")?.target;
    if (t?.procSub) runsWordAsCode(t, cx, cx.name);
    else {
      acc.tag(TAGS.unclassified);
      acc.find(`${cx.name} runs a script read from a file, whose contents Cordon cannot see`);
    }
    return { name: cx.name };
  }
  // Whether this is `curl | sh` or a bare `sh` is decided with the pipeline.
  return { name: cx.name, runsStdin: true };
};

/** `eval "$(pyenv init -)"`, `source <(kubectl completion bash)`: a known tool's own set-up, not a hidden string. */
function ranGeneratedSetup(w: Word | undefined, cx: Cx): boolean {
  const setup = w ? generatedSetupOf(w) : null;
  // A function or alias of the same name, defined earlier on the line, would print anything.
  if (!setup || cx.acc.functions.has(setup.split(" ")[0] ?? "")) return false;
  cx.acc.tag(TAGS.write);
  cx.acc.find(`${cx.name} runs the shell set-up that \`${setup}\` prints (its functions, completions and variables for this shell)`);
  return true;
}

const evalH: Handler = (args, cx) => {
  if (args.length === 1 && ranGeneratedSetup(args[0], cx)) return { name: "eval" };
  for (const w of args) runsWordAsCode(w, cx, "eval");
  classifyLineInto(args.map((w) => w.value).join(" "), cx.acc, cx.depth + 1);
  return { name: "eval" };
};

const source: Handler = (args, cx) => {
  const f = args[0];
  if (!f) {
    cx.acc.tag(TAGS.unclassified);
    return { name: cx.name };
  }
  if (f.procSub) {
    if (!ranGeneratedSetup(f, cx)) runsWordAsCode(f, cx, cx.name);
  } else if (f.value === "/dev/stdin" || f.value === "-") return { name: cx.name, runsStdin: true };
  else {
    ranDownload(f.value, cx);
    if (!sourceStartup(f, cx.acc, cx.name) && !runOwnCode(f, cx.acc, ` with ${cx.name}`)) {
      cx.acc.tag(TAGS.unclassified);
      cx.acc.find(`${cx.name} runs the script ${f.value}, whose contents Cordon cannot see`);
    }
  }
  return { name: cx.name };
};

const NET_WORDS = [
  "urllib",
  "urlopen",
  "requests.",
  "requests ",
  "http.client",
  "httplib",
  "socket",
  "fetch(",
  "http://",
  "https://",
  "net::http",
  "open-uri",
  "lwp::",
  "io::socket",
  "curl",
  "wget",
  "http.get",
  "https.get",
  "xmlhttprequest",
  "invoke-webrequest",
  "net/http",
];
const EXEC_WORDS = [
  "exec(",
  "eval(",
  "system(",
  "popen",
  "subprocess",
  "child_process",
  "execsync",
  "spawn",
  "os.system",
  "`",
  "kernel.exec",
  "| sh",
  "|sh",
  "| bash",
  "|bash",
  "instance_eval",
  "new function",
  "__import__",
  "execfile",
  "compile(",
];

/** `text` contains one of `words` (a loop, not a closure per call). */
function containsAny(text: string, words: readonly string[]): boolean {
  for (const w of words) if (text.includes(w)) return true;
  return false;
}

/**
 * What the first quoted string of `code` that names a credential file names, or null. The strings
 * are those `/'([^'\\\n]*)'|"([^"\\\n]*)"/g` matches, found without a regex and its match arrays: a
 * quote, then up to the same quote with no backslash or newline between (or else the search goes on
 * from the character after the opening quote).
 */
function secretLiteral(code: string): string | null {
  let p = 0;
  while (p < code.length) {
    const q = code.charCodeAt(p);
    // `'` and `"`.
    if (q !== 39 && q !== 34) {
      p++;
      continue;
    }
    let e = p + 1;
    while (e < code.length) {
      const c = code.charCodeAt(e);
      // The quote, a backslash or a newline ends the run.
      if (c === q || c === 92 || c === 10) break;
      e++;
    }
    if (code.charCodeAt(e) !== q) {
      p++;
      continue;
    }
    const literal = code.slice(p + 1, e);
    const what = secretOf(literal)?.what ?? moreSecretFile(literal);
    if (what) return what;
    p = e + 1;
  }
  return null;
}

/** Inline code (`python -c`, `node -e`, `perl -e`): spot fetch-and-run and the shell commands it runs. */
function inlineCode(code: string, cx: Cx, lang: string): void {
  const acc = cx.acc;
  const lower = code.length > 16384 ? code.slice(0, 16384).toLowerCase() : code.toLowerCase();
  const net = containsAny(lower, NET_WORDS);
  const exec = containsAny(lower, EXEC_WORDS);
  acc.tag(TAGS.unclassified);
  if (net && exec) {
    acc.tag(TAGS.remote_exec, TAGS.network);
    acc.find(`inline ${lang} code fetches from the network and executes what it gets`);
  } else if (net) {
    acc.tag(TAGS.network);
    acc.find(`inline ${lang} code talks to the network`);
  } else acc.find(`runs inline ${lang} code, which Cordon does not classify`);
  // The code and each quoted string in it: `open('.env')` names the file only inside quotes.
  const secret = secretOf(code)?.what ?? secretLiteral(code);
  if (secret) {
    acc.tag(TAGS.secrets);
    acc.find(`inline ${lang} code refers to ${secret}`);
  }
  if (exec) {
    // String literals handed to system()/subprocess are shell commands: classify them too.
    let q = "";
    let start = -1;
    let count = 0;
    for (let i = 0; i < code.length && count < 16; i++) {
      const c = code[i];
      if (q === "") {
        if (c === "'" || c === '"') {
          q = c;
          start = i + 1;
        }
      } else if (c === "\\") i++;
      else if (c === q) {
        const lit = code.slice(start, i);
        if (lit.includes(" ")) {
          count++;
          classifyLineInto(lit, acc, cx.depth + 1);
        }
        q = "";
      }
    }
  }
}

const INTERPRETER_CODE_FLAG: Record<string, string> = {
  python: "c",
  perl: "eE",
  ruby: "e",
  node: "ep",
  php: "r",
  lua: "e",
};

function interpreterFamily(name: string): string | null {
  if (name.startsWith("python") || name === "pypy" || name === "pypy3") return "python";
  if (name === "node" || name === "nodejs") return "node";
  if (name === "perl" || name.startsWith("perl5")) return "perl";
  if (name === "ruby" || name === "php" || name === "lua") return name;
  return null;
}

/** Option letters of an interpreter that take no value, so the next word is still the script (`python3 -u x.py`, not `python3 -W x y.py`). */
const PLAIN_OPTIONS: Record<string, string> = {
  // Not -i: after the script, Python reads more code from its input.
  python: "bBdEhIOqsSuvRP",
  perl: "wWXTtsnpalcU",
  ruby: "wWvdlnpasc",
  node: "",
  php: "",
  lua: "",
};

/** True when every option before the script is one Cordon knows takes no value (or carries its value attached: `-Ilib`). */
function scriptOptionsKnown(opts: readonly Word[], fam: string): boolean {
  const plain = PLAIN_OPTIONS[fam] ?? "";
  return opts.every((w) => {
    const a = w.value;
    // `-Ilib` adds a module directory: only one inside the working tree keeps the script the project's.
    if ((fam === "perl" || fam === "ruby") && /^-I\S/.test(a)) return inTree(a.slice(2)) !== null;
    if ((fam === "perl" || fam === "ruby") && /^-[Mmr]\S/.test(a)) return true;
    return /^-[A-Za-z]+$/.test(a) && [...a.slice(1)].every((l) => plain.includes(l));
  });
}

/** `perl -pi -e …`, `-i.bak`: the letters of one option word edit files in place (`-Ilib` is a module path, not -i). */
function perlInPlace(letters: string): boolean {
  for (const l of letters) {
    if (l === "i") return true;
    // These take the rest of the word as their value.
    if ("IMmxeEdDC0l".includes(l)) return false;
  }
  return false;
}

const interpreter: Handler = (args, cx) => {
  const acc = cx.acc;
  const fam = interpreterFamily(cx.name) ?? "python";
  const codeFlags = INTERPRETER_CODE_FLAG[fam] ?? "c";
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w) break;
    const a = w.value;
    if (a === "--version" || a === "-V" || (a === "-v" && fam !== "python")) {
      acc.tag(TAGS.read);
      lastCap(cx);
      return { name: cx.name };
    }
    if (a === "--eval" || a === "--print") {
      const code = args[i + 1];
      if (code) {
        runsWordAsCode(code, cx, `${cx.name} ${a}`);
        if (readPlainInline(cx.name, args, acc, cx.redirects)) return { name: cx.name };
        inlineCode(code.value, cx, cx.name);
      }
      return { name: cx.name };
    }
    if (a.startsWith("-") && !a.startsWith("--") && a.length > 1) {
      const letters = a.slice(1);
      // The index among the letters' code points, as a spread of them counts (no array built).
      let codeAt = -1;
      let at = 0;
      for (const l of letters) {
        if (codeFlags.includes(l)) {
          codeAt = at;
          break;
        }
        at++;
      }
      if (fam === "perl" && perlInPlace(letters)) {
        writeTargets(
          args.slice(i + 1).filter((x) => !x.value.startsWith("-")),
          cx,
          "edits",
        );
      }
      if (codeAt >= 0) {
        const attached = letters.slice(codeAt + 1);
        const codeWord = attached !== "" ? undefined : args[i + 1];
        const code = attached !== "" ? attached : (codeWord?.value ?? "");
        if (codeWord) runsWordAsCode(codeWord, cx, `${cx.name} -${letters[codeAt]}`);
        if (readPlainInline(cx.name, args, acc, cx.redirects)) return { name: cx.name };
        inlineCode(code, cx, cx.name);
        return { name: cx.name };
      }
      if (fam === "python" && letters.startsWith("m")) {
        const mod = letters.length > 1 ? letters.slice(1) : (args[i + 1]?.value ?? "");
        if (
          mod === "pip" ||
          mod === "venv" ||
          mod === "pytest" ||
          mod === "unittest" ||
          mod === "http.server" ||
          mod === "json.tool" ||
          mod === "site"
        ) {
          acc.tag(mod === "json.tool" || mod === "site" ? TAGS.read : TAGS.write);
          if (mod === "pip") acc.tag(TAGS.network);
          acc.find(`runs the Python module ${mod}`);
        } else {
          acc.tag(TAGS.unclassified);
          acc.find(`runs the Python module ${mod}, which Cordon does not classify`);
        }
        return { name: cx.name };
      }
      continue;
    }
    if (a === "-" || a === "/dev/stdin") break;
    if (w.procSub) {
      runsWordAsCode(w, cx, cx.name);
      return { name: cx.name };
    }
    ranDownload(a, cx);
    if (!scriptOptionsKnown(args.slice(0, i), fam) || !runOwnCode(w, acc, ` with ${cx.name}`, undefined, args.slice(i + 1))) {
      acc.tag(TAGS.unclassified);
      acc.find(`runs the ${cx.name} script ${a}, whose contents Cordon cannot see`);
    }
    return { name: cx.name };
  }
  const s = stdinText(cx);
  if (s) {
    if (s.word) runsWordAsCode(s.word, cx, cx.name);
    if (readPlainStdinProgram(cx.name, args, cx.redirects, acc)) return { name: cx.name };
    inlineCode(s.text, cx, cx.name);
    return { name: cx.name };
  }
  return { name: cx.name, runsStdin: true };
};

// ---------------------------------------------------------------- removal and disks

const rm: Handler = (args, cx) => {
  const acc = cx.acc;
  const p = parse(args);
  const recursive = p.short.has("r") || p.short.has("R") || p.long.has("recursive");
  const force = p.short.has("f") || p.long.has("force");
  const flags = p.flagWords.join(" ");
  const kind = recursive && force ? "recursive force" : recursive ? "recursive" : "forced";
  lastCap(cx);
  acc.tag(TAGS.write);
  if (p.long.has("no-preserve-root")) {
    acc.tag(TAGS.destructive);
    acc.find(`rm ${flags} disables the protection of /`);
  }
  if (p.pos.length === 0 && acc.stdinTargets) {
    if (recursive && acc.stdinTargets !== "find") {
      acc.tag(TAGS.destructive);
      acc.find(`rm ${flags} removes paths read from its input, which Cordon cannot see`);
    }
    return { name: "rm" };
  }
  for (const t of p.pos) {
    let why = t.value === "{}" && acc.stdinTargets ? null : broadReason(t.value);
    if (!why && recursive && isOutsideWorkspace(t.value)) why = `the directory ${t.value}, outside the working directory`;
    if ((recursive || force) && why) {
      acc.tag(TAGS.destructive);
      acc.find(`rm ${flags} on ${t.raw} (${kind} removal of ${why})`);
    } else if (isImportantFile(t.value)) {
      acc.tag(TAGS.destructive);
      acc.find(`rm removes ${t.value}, which the system or a login depends on`);
    }
    const secret = secretOf(t.value);
    if (secret) acc.find(`rm removes ${t.value} (${secret.what})`);
  }
  writeTargets(p.pos, cx, "removes");
  return { name: "rm" };
};

const alwaysDestructive =
  (why: string): Handler =>
  (args, cx) => {
    const targets = args.filter((w) => !w.value.startsWith("-")).map((w) => w.value);
    cx.acc.tag(TAGS.write, TAGS.destructive);
    cx.acc.find(`${cx.name} ${why}${targets.length ? ` (${targets.slice(0, 3).join(", ")})` : ""}`);
    lastCap(cx);
    return { name: cx.name };
  };

const dd: Handler = (args, cx) => {
  const acc = cx.acc;
  lastCap(cx);
  let wrote = false;
  for (const w of args) {
    const a = w.value;
    if (a.startsWith("of=")) {
      const p = a.slice(3);
      wrote = true;
      noteWrite(acc, p);
      if (isScratch(p)) continue;
      acc.tag(TAGS.write);
      if (isDevice(p) || isImportantFile(p)) {
        acc.tag(TAGS.destructive);
        acc.find(`dd overwrites ${p}`);
      }
      if (isOutsideWorkspace(p)) acc.tag(TAGS.outside_workspace);
    }
    if (a.startsWith("if=") && isDevice(a.slice(3))) acc.find(`dd reads the raw device ${a.slice(3)}`);
  }
  if (!wrote) acc.tag(TAGS.read);
  return { name: "dd" };
};

const truncate: Handler = (args, cx) => {
  const p = parse(args, "sr", ["size", "reference"]);
  const size = p.shortVal.get("s") ?? p.long.get("size");
  lastCap(cx);
  const empties = size === undefined || String(size) === "0";
  for (const t of p.pos) {
    if (isImportantFile(t.value) || isDevice(t.value) || (empties && isOutsideWorkspace(t.value))) {
      cx.acc.tag(TAGS.destructive);
      cx.acc.find(`truncate${size !== undefined ? ` -s ${String(size)}` : ""} empties ${t.value}`);
    }
  }
  writeTargets(p.pos, cx, "truncates");
  return { name: "truncate" };
};

function isWideMode(mode: string): boolean {
  return (
    mode === "777" ||
    mode === "0777" ||
    mode === "666" ||
    mode === "0666" ||
    mode.includes("a+w") ||
    mode.includes("o+w") ||
    mode.includes("+rwx") ||
    mode === "a=rwx"
  );
}

function isSetId(mode: string): boolean {
  if (mode.includes("+s") || mode.includes("=s")) return true;
  if (/^[0-7]{4}$/.test(mode)) return "4267".includes(mode[0] ?? "") && mode[0] !== "0";
  return false;
}

const chmod: Handler = (args, cx) => {
  const acc = cx.acc;
  const p = parse(args, "", ["reference"]);
  // A symbolic mode like -w or -x starts with '-': treat such a word as the mode.
  const modeWord = p.pos[0] ?? args.find((w) => /^-[rwxXst]+$/.test(w.value));
  const mode = modeWord?.value ?? "";
  const targets = p.pos[0] === modeWord ? p.pos.slice(1) : p.pos;
  const recursive = p.short.has("R") || p.long.has("recursive");
  lastCap(cx);
  if (isSetId(mode)) {
    acc.tag(TAGS.privilege);
    acc.find(`chmod ${mode} sets the setuid/setgid bit, so the file runs with its owner's privileges`);
  }
  for (const t of targets) {
    const why = broadReason(t.value);
    if (recursive && why) {
      acc.tag(TAGS.destructive);
      acc.find(`chmod -R ${mode} on ${t.value} (changes permissions of ${why})`);
    } else if (isImportantFile(t.value) && isWideMode(mode)) {
      acc.tag(TAGS.destructive, TAGS.privilege);
      acc.find(`chmod ${mode} makes ${t.value} writable by everyone`);
    }
  }
  writeTargets(targets, cx, "changes permissions of");
  return { name: "chmod" };
};

const chown: Handler = (args, cx) => {
  const acc = cx.acc;
  const p = parse(args, "", ["reference", "from"]);
  const owner = p.pos[0]?.value ?? "";
  const targets = p.pos.slice(1);
  const recursive = p.short.has("R") || p.long.has("recursive");
  lastCap(cx);
  const user = owner.split(/[:.]/)[0] ?? "";
  if (user === "root" || user === "0" || (cx.name === "chgrp" && (owner === "root" || owner === "wheel" || owner === "sudo"))) {
    acc.tag(TAGS.privilege);
    acc.find(`${cx.name} gives ownership to ${owner}`);
  }
  for (const t of targets) {
    const why = broadReason(t.value);
    if (recursive && why) {
      acc.tag(TAGS.destructive);
      acc.find(`${cx.name} -R on ${t.value} (changes ownership of ${why})`);
    }
  }
  writeTargets(targets, cx, "changes ownership of");
  return { name: cx.name };
};

/** `fd PATTERN -x CMD ...` / `-X CMD ...`: the command runs on every file found (a plain search otherwise). */
const fdFind: Handler = (args, cx) => {
  const acc = cx.acc;
  lastCap(cx);
  const at = args.findIndex((w) => w.value === "-x" || w.value === "--exec" || w.value === "-X" || w.value === "--exec-batch");
  // `--exec=cmd`, `-Hx cmd`, `-xcmd`: forms not followed here.
  const attached = args.some(
    (w) => /^--exec(-batch)?=/.test(w.value) || (/^-[a-zA-Z]*[xX]/.test(w.value) && w.value !== "-x" && w.value !== "-X"),
  );
  if (at < 0 && !attached) {
    acc.tag(TAGS.read);
    return { name: cx.name };
  }
  const rest = at < 0 ? [] : args.slice(at + 1).filter((w, k, all) => !(w.value === ";" && k === all.length - 1));
  if (
    attached ||
    rest.length === 0 ||
    rest.some((w) => w.value === "-x" || w.value === "-X" || w.value === "--exec" || w.value === "--exec-batch")
  ) {
    acc.tag(TAGS.unclassified);
    acc.find(`${cx.name} runs commands on the files it finds, which Cordon cannot follow here`);
    return { name: cx.name };
  }
  acc.find(`${cx.name} ${args[at]?.value} runs ${rest[0]?.value} on every file it finds`);
  const prev = acc.stdinTargets;
  acc.stdinTargets = "find";
  try {
    classifyWords(rest, acc, cx.depth + 1, []);
  } finally {
    acc.stdinTargets = prev;
  }
  return { name: cx.name };
};

const find: Handler = (args, cx) => {
  const acc = cx.acc;
  lastCap(cx);
  const roots: Word[] = [];
  let i = 0;
  // Leading options -H -L -P -O3 -D x.
  while (i < args.length && FIND_LEADING.test(args[i]?.value ?? "")) i++;
  while (i < args.length) {
    const a = args[i]?.value ?? "";
    if (a.startsWith("-") || a === "(" || a === "!" || a === "\\(") break;
    const w = args[i];
    if (w) roots.push(w);
    i++;
  }
  const expr = args.slice(i);
  const filtered = expr.some((w) => FIND_FILTERS.has(w.value));
  // The first broad root (later roots need no judgement).
  let broad: { r: Word; why: string } | undefined;
  for (const r of roots) {
    const why = broadReason(r.value);
    if (why !== null && !(r.value === "." || r.value === "./" || r.value === "*")) {
      broad = { r, why };
      break;
    }
  }
  const dotUnfiltered = !filtered && (roots.length === 0 || roots.some((r) => r.value === "." || r.value === "./"));
  // Judged at the first -exec only: nothing else needs it.
  let readScope: boolean | undefined;
  let wrote = false;
  for (let k = 0; k < expr.length; k++) {
    const a = expr[k]?.value ?? "";
    if (a === "-delete") {
      wrote = true;
      if (broad) {
        acc.tag(TAGS.destructive);
        acc.find(`find ${broad.r.value} -delete (deletes files under ${broad.why})`);
      } else if (dotUnfiltered) {
        acc.tag(TAGS.destructive);
        acc.find("find -delete with no filter deletes everything under the working directory");
      }
    }
    if (a === "-exec" || a === "-execdir" || a === "-ok" || a === "-okdir") {
      let end = k + 1;
      while (end < expr.length && expr[end]?.value !== ";" && expr[end]?.value !== "+") end++;
      const innerWords = expr.slice(k + 1, end);
      if (readScope === undefined) readScope = plainReadScope(expr, roots);
      const prev = acc.stdinTargets;
      acc.stdinTargets = broad ? "find-broad" : "find";
      // Tags already on the line hide what the -exec command adds: only a clean start can show it only reads.
      const clean = !acc.tags.has(TAGS.write) && !acc.tags.has(TAGS.unclassified) && !acc.tags.has(TAGS.destructive);
      let readOnly = false;
      try {
        const r = innerWords.length ? classifyWords(innerWords, acc, cx.depth + 1, []) : undefined;
        // Only a plain read-only program (cat, grep, stat, ...), not a shell or wrapper running more.
        readOnly =
          readScope &&
          r !== undefined &&
          READ_CMDS.has(r.name) &&
          clean &&
          acc.tags.has(TAGS.read) &&
          !acc.tags.has(TAGS.write) &&
          !acc.tags.has(TAGS.unclassified) &&
          !acc.tags.has(TAGS.destructive);
        if (r && broad && FIND_EXEC_CHANGES.has(r.name)) {
          acc.tag(TAGS.destructive);
          acc.find(`find ${broad.r.value} -exec ${r.name} (acts on files under ${broad.why})`);
        }
      } finally {
        acc.stdinTargets = prev;
      }
      if (!readOnly) wrote = true;
      k = end;
    }
    if (a === "-fprint" || a === "-fprintf" || a === "-fls" || a === "-fprint0") {
      const t = expr[k + 1];
      if (t) writeTargets([t], cx, "writes");
    }
  }
  if (wrote) writeTargets(roots, cx, "deletes under");
  else acc.tag(TAGS.read);
  return { name: "find" };
};

const FIND_LEADING = /^-[HLP]$|^-O[0-9]$/;
/** Tests that narrow what find matches (a `-delete` after one of them is not everything). */
const FIND_FILTERS = new Set([
  "-name",
  "-iname",
  "-path",
  "-ipath",
  "-regex",
  "-iregex",
  "-type",
  "-mtime",
  "-mmin",
  "-atime",
  "-ctime",
  "-newer",
  "-size",
  "-user",
  "-group",
  "-perm",
  "-empty",
  "-wholename",
  "-lname",
  "-links",
  "-inum",
  "-maxdepth",
]);
/** Commands that, run by -exec under a broad root, change or remove what they are given. */
const FIND_EXEC_CHANGES = new Set(["rm", "shred", "unlink", "chmod", "chown"]);
const FIND_NAME_TESTS = new Set(["-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex"]);
/** Words in a find pattern that point at credential files; such a search is judged as before, never as a plain read. */
const CREDENTIAL_HINT = /id_|env|key|secret|token|cred|pass|\.pem|\.p12|\.pfx|kdbx|shadow|ssh|aws|kube|history|cookie|login|wallet/i;

/**
 * `-exec cat {}` reads whatever find matches: a plain read only when no name pattern points at
 * credentials and, with no pattern at all, only inside the working tree (`find ~ -name 'id_*'
 * -exec cat {} \;` and `find ~ -exec cat {} +` are not).
 */
function plainReadScope(expr: readonly Word[], roots: readonly Word[]): boolean {
  let patterns = 0;
  for (let k = 1; k < expr.length; k++) {
    if (!FIND_NAME_TESTS.has((expr[k - 1] as Word).value)) continue;
    if (CREDENTIAL_HINT.test((expr[k] as Word).value)) return false;
    patterns++;
  }
  return patterns > 0 || roots.every((r) => !isOutsideWorkspace(r.value));
}

// ---------------------------------------------------------------- file writes

const copyLike: Handler = (args, cx) => {
  const acc = cx.acc;
  const p = parse(args, "tSZ", ["target-directory", "suffix", "backup", "context"]);
  lastCap(cx);
  const tdir = p.shortVal.get("t") ?? p.long.get("target-directory");
  const dest: Word | undefined = typeof tdir === "string" ? lit(tdir) : p.pos[p.pos.length - 1];
  const sources = typeof tdir === "string" ? p.pos : p.pos.slice(0, -1);
  if (dest) {
    if (cx.name === "mv" && dest.value === "/dev/null") {
      acc.tag(TAGS.destructive);
      acc.find(`mv to /dev/null deletes ${sources.map((s) => s.value).join(", ")}`);
    } else if (isImportantFile(dest.value) || isDevice(dest.value)) {
      acc.tag(TAGS.destructive);
      acc.find(`${cx.name} overwrites ${dest.value}`);
    }
    writeTargets([dest], cx, cx.name === "ln" ? "links into" : "writes to");
  } else acc.tag(TAGS.write);
  if (cx.name === "mv") {
    for (const s of sources) {
      const why = broadReason(s.value);
      if (why || isImportantFile(s.value)) {
        acc.tag(TAGS.destructive);
        acc.find(`mv moves ${s.value} away${why ? ` (${why})` : ""}`);
      }
    }
    writeTargets(sources, cx, "moves");
  }
  return { name: cx.name };
};

const writesArgs: Handler = (args, cx) => {
  const p = parse(args, "m", ["mode", "context"]);
  lastCap(cx);
  writeTargets(p.pos, cx, cx.name === "touch" ? "touches" : "creates");
  return { name: cx.name };
};

const tee: Handler = (args, cx) => {
  const acc = cx.acc;
  const p = parse(args);
  lastCap(cx);
  const targets = p.pos.filter((w) => !isScratch(w.value));
  if (targets.length === 0) {
    acc.tag(TAGS.read);
    return { name: "tee" };
  }
  const append = p.short.has("a") || p.long.has("append");
  for (const t of targets) {
    if (isImportantFile(t.value)) {
      if (!append) acc.tag(TAGS.destructive);
      acc.find(`tee ${append ? "appends to" : "overwrites"} ${t.value}`);
      const lower = t.value.toLowerCase();
      if (lower.includes("sudoers") || lower.includes("authorized_keys")) acc.tag(TAGS.privilege);
    }
  }
  writeTargets(targets, cx, "writes to");
  return { name: "tee" };
};

const sed: Handler = (args, cx) => {
  const p = parse(args, "efl", ["expression", "file", "line-length"]);
  lastCap(cx);
  const inPlace = p.short.has("i") || p.long.has("in-place") || [...p.long.keys()].some((k) => k.startsWith("in-place"));
  if (!inPlace) {
    cx.acc.tag(TAGS.read);
    return { name: "sed" };
  }
  const files = p.shortVal.has("e") || p.shortVal.has("f") || p.long.has("expression") || p.long.has("file") ? p.pos : p.pos.slice(1);
  writeTargets(files, cx, "edits");
  return { name: "sed" };
};

const awk: Handler = (args, cx) => {
  const p = parse(args, "fvF", ["file", "assign", "field-separator"]);
  lastCap(cx);
  const prog = p.shortVal.has("f") ? "" : (p.pos[0]?.value ?? "");
  if (p.shortVal.has("f") || prog.includes("system") || prog.includes("|") || prog.includes(">")) {
    cx.acc.tag(TAGS.unclassified);
    cx.acc.find(p.shortVal.has("f") ? "awk runs a program from a file" : "the awk program runs commands or writes files");
  } else cx.acc.tag(TAGS.read);
  return { name: cx.name };
};

const tar: Handler = (args, cx) => {
  const acc = cx.acc;
  lastCap(cx);
  const first = (args[0]?.value ?? "").replace(/^-/, "");
  const all = args.map((w) => w.value);
  if (
    all.some(
      (a) =>
        a.startsWith("--to-command") ||
        a.startsWith("--checkpoint-action") ||
        a.startsWith("--use-compress-program") ||
        a === "-I" ||
        a.startsWith("--info-script") ||
        a.startsWith("--new-volume-script"),
    )
  ) {
    acc.tag(TAGS.unclassified);
    acc.find("tar is told to run a program");
  }
  const listOnly = all.includes("--list") || (first.includes("t") && !/[cxru]/.test(first) && !first.startsWith("-"));
  if (listOnly) {
    acc.tag(TAGS.read);
    return { name: "tar" };
  }
  acc.tag(TAGS.write);
  const cIdx = all.findIndex((a) => a === "-C" || a === "--directory");
  const dir = cIdx >= 0 ? args[cIdx + 1] : undefined;
  if (dir) writeTargets([dir], cx, "extracts into");
  return { name: "tar" };
};

// ---------------------------------------------------------------- network

const CURL_VALUE_SHORT = "oHdXuAeFTbcKwmxrEyYzUQPtC";
const CURL_VALUE_LONG = [
  "output",
  "header",
  "data",
  "data-raw",
  "data-binary",
  "data-urlencode",
  "data-ascii",
  "json",
  "request",
  "user",
  "user-agent",
  "referer",
  "form",
  "form-string",
  "upload-file",
  "cookie",
  "cookie-jar",
  "config",
  "write-out",
  "max-time",
  "proxy",
  "range",
  "cert",
  "cacert",
  "key",
  "connect-timeout",
  "retry",
  "url",
  "resolve",
  "output-dir",
  "oauth2-bearer",
  "retry-delay",
  "retry-max-time",
  "limit-rate",
  "interface",
  "connect-to",
  "aws-sigv4",
];

/** Long options of curl that send a body, and the methods that do. */
const CURL_SEND_LONG = ["data", "data-raw", "data-binary", "data-urlencode", "data-ascii", "json", "form", "form-string", "upload-file"];
const CURL_SEND_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

const curl: Handler = (args, cx) => {
  const acc = cx.acc;
  const p = parse(args, CURL_VALUE_SHORT, CURL_VALUE_LONG);
  lastCap(cx);
  const urls: string[] = p.pos.map((w) => w.value);
  const urlOpt = p.long.get("url");
  if (typeof urlOpt === "string") urls.unshift(urlOpt);
  let host: string | null = null;
  for (const u of urls) {
    host = hostOf(u, true);
    if (host) break;
  }
  acc.host(host);
  acc.tag(TAGS.network);
  const output = p.shortVal.get("o") ?? (typeof p.long.get("output") === "string" ? String(p.long.get("output")) : undefined);
  const remoteName = p.short.has("O") || p.long.has("remote-name") || p.long.has("remote-name-all");
  const method = (p.shortVal.get("X") ?? String(p.long.get("request") ?? "")).toUpperCase();
  const sends =
    p.shortVal.has("d") ||
    p.shortVal.has("F") ||
    p.shortVal.has("T") ||
    CURL_SEND_LONG.some((k) => p.long.has(k)) ||
    CURL_SEND_METHODS.has(method);
  if (sends) {
    acc.tag(TAGS.write);
    acc.find(`sends data to ${host ?? "a remote host"}${method ? ` (${method})` : ""}`);
  }
  if (output !== undefined && output !== "-") {
    writeTargets([lit(output)], cx, "downloads to");
    recordDownload(output, host, cx);
    return { name: "curl", networkSink: true };
  }
  if (remoteName) acc.tag(TAGS.write);
  if (!sends && !remoteName) acc.tag(TAGS.read);
  return { name: "curl", fetchHost: remoteName ? undefined : host, networkSink: true };
};

const wget: Handler = (args, cx) => {
  const acc = cx.acc;
  const p = parse(args, "OoaPeUtTwiB", [
    "output-document",
    "output-file",
    "directory-prefix",
    "user-agent",
    "header",
    "post-data",
    "post-file",
    "tries",
    "timeout",
    "user",
    "password",
    "input-file",
    "execute",
  ]);
  lastCap(cx);
  let host: string | null = null;
  for (const u of p.pos) {
    host = hostOf(u.value, true);
    if (host) break;
  }
  acc.host(host);
  acc.tag(TAGS.network);
  const out =
    p.shortVal.get("O") ?? (typeof p.long.get("output-document") === "string" ? String(p.long.get("output-document")) : undefined);
  if (p.long.has("post-data") || p.long.has("post-file")) {
    acc.tag(TAGS.write);
    acc.find(`sends data to ${host ?? "a remote host"}`);
  }
  if (out === "-" || out === "/dev/stdout") {
    acc.tag(TAGS.read);
    return { name: "wget", fetchHost: host, networkSink: true };
  }
  if (out !== undefined) {
    writeTargets([lit(out)], cx, "downloads to");
    recordDownload(out, host, cx);
  } else {
    acc.tag(TAGS.write);
    const dir = p.shortVal.get("P") ?? p.long.get("directory-prefix");
    if (typeof dir === "string") writeTargets([lit(dir)], cx, "downloads to");
  }
  return { name: "wget", networkSink: true };
};

const httpClient: Handler = (args, cx) => {
  let host: string | null = null;
  for (const w of args) {
    if (w.value.startsWith("-")) continue;
    host = hostOf(w.value, w.value.includes(".") || w.value.startsWith("localhost"));
    if (host) break;
  }
  cx.acc.host(host);
  cx.acc.tag(TAGS.network, TAGS.read);
  lastCap(cx);
  return { name: cx.name, fetchHost: host, networkSink: true };
};

const netcat: Handler = (args, cx) => {
  const acc = cx.acc;
  const p = parse(args, "pswiqxXecPOI", ["exec", "sh-exec", "lua-exec", "source", "wait"]);
  lastCap(cx);
  const host = p.pos[0] ? hostOf(p.pos[0].value, true) : null;
  acc.host(host);
  acc.tag(TAGS.network, TAGS.write);
  if (p.shortVal.has("e") || p.shortVal.has("c") || p.long.has("exec") || p.long.has("sh-exec")) {
    acc.tag(TAGS.remote_exec);
    acc.find(`${cx.name} -e hands a shell to ${host ?? "whoever connects"} (a reverse or bind shell)`);
  }
  if (p.short.has("l")) acc.find(`${cx.name} -l listens for incoming connections`);
  return { name: cx.name, fetchHost: host, networkSink: true };
};

const socat: Handler = (args, cx) => {
  const acc = cx.acc;
  lastCap(cx);
  acc.tag(TAGS.network, TAGS.write);
  for (const w of args) {
    const u = w.value.toUpperCase();
    if (u.startsWith("EXEC:") || u.startsWith("SYSTEM:")) {
      acc.tag(TAGS.remote_exec);
      acc.find("socat connects a program to the network (a reverse or bind shell)");
    }
    if (
      u.startsWith("TCP:") ||
      u.startsWith("TCP4:") ||
      u.startsWith("TCP6:") ||
      u.startsWith("UDP:") ||
      u.startsWith("SSL:") ||
      u.startsWith("OPENSSL:")
    ) {
      const parts = w.value.split(":");
      acc.host(hostOf(parts[1] ?? "", true));
    }
  }
  return { name: "socat", fetchHost: acc.labels.host ?? null, networkSink: true };
};

const ssh: Handler = (args, cx) => {
  const acc = cx.acc;
  const p = parse(args, "bcDEeFIiJLlmOopQRSWwB", [], true);
  lastCap(cx);
  const target = args[p.rest];
  const host = target ? hostOf(target.value, true) : null;
  acc.host(host);
  acc.tag(TAGS.network);
  const opt = p.shortVal.get("o") ?? "";
  const config = p.shortVal.get("F");
  if (config !== undefined && config !== "/dev/null") {
    acc.tag(TAGS.unclassified);
    acc.find(`ssh -F ${config} reads a configuration that can run local commands (ProxyCommand, LocalCommand)`);
  }
  void opt;
  // Every -o, not only the last: ProxyCommand, LocalCommand and KnownHostsCommand run here, RemoteCommand there.
  for (let k = 0; k < p.rest && k < args.length; k++) {
    const v = args[k]?.value ?? "";
    const o = v === "-o" ? (args[k + 1]?.value ?? "") : v.startsWith("-o") ? v.slice(2) : null;
    if (o === null) continue;
    const m = /^\s*([A-Za-z]+)\s*[= ]\s*(.*)$/s.exec(o);
    const key = (m?.[1] ?? o).toLowerCase();
    const value = m?.[2] ?? "";
    if (key === "proxycommand" || key === "localcommand" || key === "knownhostscommand" || key === "match") {
      acc.tag(TAGS.unclassified);
      acc.find(`ssh -o ${key} runs a local command: ${value.slice(0, 60)}`);
      if (value !== "" && key !== "match") classifyLineInto(value, acc, cx.depth + 1);
    } else if (key === "remotecommand" && value !== "") {
      acc.find(`ssh -o RemoteCommand runs a command on ${host ?? "a remote host"}`);
      elsewhere(acc, () => classifyLineInto(value, acc, cx.depth + 1));
    }
  }
  const remote = args.slice(p.rest + 1);
  if (remote.length > 0) {
    acc.find(`runs a command on ${host ?? "a remote host"} over ssh`);
    // Relative paths in the remote command are the remote host's, not the project's.
    elsewhere(acc, () => classifyLineInto(remote.map((w) => w.value).join(" "), acc, cx.depth + 1));
  } else if (p.short.has("N") || p.short.has("L") || p.short.has("R") || p.short.has("D")) {
    acc.tag(TAGS.write);
    acc.find(`opens an ssh tunnel to ${host ?? "a remote host"}`);
  } else {
    // A live shell on the host: with the terminal as stdin an interactive session (exec), fed a pipe a remote script (see local.ts).
    if (acc.stdinTargets || cx.redirects.some((r) => r.op === "<")) {
      acc.tag(TAGS.unclassified);
      acc.find(`opens a shell on ${host ?? "a remote host"} and feeds it input Cordon cannot see`);
    }
    return { name: "ssh", fetchHost: host, networkSink: true, runsStdin: true };
  }
  return { name: "ssh", fetchHost: host, networkSink: true };
};

const copyRemote: Handler = (args, cx) => {
  const acc = cx.acc;
  const p = parse(args, cx.name === "rsync" ? "eTfB" : "cFiJloPS", [
    "rsh",
    "exclude",
    "include",
    "filter",
    "rsync-path",
    "password-file",
    "temp-dir",
    "log-file",
    "port",
    "exclude-from",
    "include-from",
    "files-from",
    "chmod",
    "chown",
  ]);
  lastCap(cx);
  acc.tag(TAGS.network, TAGS.write);
  let any = false;
  for (const w of p.pos) {
    const h = remoteHostOf(w.value);
    if (h) {
      any = true;
      acc.host(h);
    }
  }
  if (!any && cx.name !== "rsync") acc.tag(TAGS.unclassified);
  const dest = p.pos[p.pos.length - 1];
  if (dest && !remoteHostOf(dest.value)) {
    writeTargets([dest], cx, "copies into");
    if ([...p.long.keys()].some((k) => k.startsWith("delete"))) {
      const why = broadReason(dest.value);
      if (why) {
        acc.tag(TAGS.destructive);
        acc.find(`rsync --delete into ${dest.value} deletes whatever is not in the source (${why})`);
      }
    }
  }
  if (typeof p.long.get("rsync-path") === "string" || p.shortVal.has("e") || p.long.has("rsh"))
    acc.find(`${cx.name} runs a custom remote shell or program`);
  return { name: cx.name, networkSink: true };
};

const lookup: Handler = (args, cx) => {
  // The first operand that is not an option or an option's value (`ping -c 1 host`).
  const w = args.find((x, i) => {
    const prev = i > 0 ? (args[i - 1]?.value ?? "") : "";
    const optValue = /^-[a-zA-Z]$/.test(prev) && !["-4", "-6", "-n", "-q", "-v"].includes(prev);
    return !optValue && !x.value.startsWith("-") && !x.value.startsWith("@") && !x.value.startsWith("+");
  });
  cx.acc.host(w ? hostOf(w.value, true) : null);
  cx.acc.tag(TAGS.read, TAGS.network);
  lastCap(cx);
  return { name: cx.name };
};

// ---------------------------------------------------------------- decoders and printers

const echo: Handler = (args, cx) => {
  cx.acc.tag(TAGS.read);
  lastCap(cx);
  let i = 0;
  let escapes = false;
  while (i < args.length && /^-[neE]+$/.test(args[i]?.value ?? "")) {
    if ((args[i]?.value ?? "").includes("e")) escapes = true;
    i++;
  }
  const text = args
    .slice(i)
    .map((w) => w.value)
    .join(" ");
  if (escapes && (text.includes("\\x") || text.includes("\\0"))) return { name: "echo", decoder: "echo -e with escapes" };
  if (args.some((w) => w.expanded)) return { name: "echo", decoder: "echo of an expansion" };
  return { name: "echo", literal: text };
};

const cat: Handler = (args, cx) => {
  cx.acc.tag(TAGS.read);
  lastCap(cx);
  const s = args.length === 0 ? stdinText(cx) : null;
  // `cat <<EOF | sh`: the here-document is what the shell runs.
  if (s && !(s.word?.expanded ?? false)) return { name: "cat", literal: s.text };
  return { name: "cat" };
};

const printf: Handler = (args, cx) => {
  cx.acc.tag(TAGS.read);
  lastCap(cx);
  const fmt = args[0]?.value ?? "";
  if (fmt.includes("\\x") || /\\[0-7]/.test(fmt) || fmt.includes("\\u")) return { name: "printf", decoder: "printf with escape codes" };
  if (args.some((w) => w.expanded)) return { name: "printf", decoder: "printf of an expansion" };
  if (args.length === 1 && !fmt.includes("%")) return { name: "printf", literal: fmt.replaceAll("\\n", "\n") };
  return { name: "printf" };
};

function decoderWhen(flags: readonly string[], label: string): Handler {
  return (args, cx) => {
    cx.acc.tag(TAGS.read);
    lastCap(cx);
    const vals = args.map((w) => w.value);
    const decodes =
      flags.length === 0 ||
      vals.some(
        (v) =>
          flags.includes(v) || (v.startsWith("-") && !v.startsWith("--") && flags.some((f) => f.length === 2 && v.includes(f[1] ?? ""))),
      );
    return decodes ? { name: cx.name, decoder: label } : { name: cx.name };
  };
}

const openssl: Handler = (args, cx) => {
  lastCap(cx);
  const sub = args[0]?.value ?? "";
  const vals = args.map((w) => w.value);
  if (sub === "s_client") {
    const c = vals.indexOf("-connect");
    cx.acc.host(c >= 0 ? hostOf(vals[c + 1] ?? "", true) : null);
    cx.acc.tag(TAGS.network, TAGS.read);
    return { name: "openssl", fetchHost: cx.acc.labels.host ?? null, networkSink: true };
  }
  if (vals.includes("-d")) {
    cx.acc.tag(TAGS.read);
    return { name: "openssl", decoder: `openssl ${sub} -d` };
  }
  cx.acc.tag(TAGS.write);
  return { name: "openssl" };
};

// ---------------------------------------------------------------- system state

const kill: Handler = (args, cx) => {
  lastCap(cx);
  cx.acc.tag(TAGS.write);
  const targets = args.filter((w) => !/^-[A-Za-z0-9]+$/.test(w.value) || w.value === "-1").map((w) => w.value);
  if (cx.name === "kill" && (targets.includes("-1") || targets.includes("1"))) {
    cx.acc.tag(TAGS.destructive);
    cx.acc.find(targets.includes("-1") ? "kill -1 signals every process" : "kill 1 signals init");
  }
  return { name: cx.name };
};

const subcommandTable =
  (read: readonly string[], destructive: readonly string[], network: readonly string[] = [], defaultTag: string = TAGS.write): Handler =>
  (args, cx) => {
    lastCap(cx);
    const sub = args.find((w) => !w.value.startsWith("-"))?.value ?? "";
    const vals = args.map((w) => w.value);
    if (destructive.some((d) => (d.startsWith("-") ? vals.includes(d) : sub === d))) {
      cx.acc.tag(TAGS.write, TAGS.destructive);
      cx.acc.find(`${cx.name} ${sub || vals.find((v) => destructive.includes(v)) || ""} is destructive`.replace("  ", " "));
    } else if (sub === "" && read.includes("")) cx.acc.tag(TAGS.read);
    else if (read.some((r) => (r.startsWith("-") ? vals.includes(r) : sub === r && r !== ""))) cx.acc.tag(TAGS.read);
    else cx.acc.tag(defaultTag);
    if (network.includes(sub)) cx.acc.tag(TAGS.network);
    return { name: cx.name };
  };

/** Host paths whose mount into a container hands it the host (`-v /:/host`, `-v /etc:/etc`). */
const HOST_MOUNT = /^(\/|\/etc|\/root|\/proc|\/sys|\/dev|\/boot|\/var\/run|\/run|\/var\/lib\/docker|~\/\.ssh|\/home)\/?$/;

function hostMountSource(subArgs: readonly string[]): boolean {
  for (let i = 0; i < subArgs.length; i++) {
    const a = subArgs[i] ?? "";
    let v: string | undefined;
    if (a === "-v" || a === "--volume" || a === "--mount") v = subArgs[i + 1];
    else if (a.startsWith("--volume=") || a.startsWith("--mount=")) v = a.slice(a.indexOf("=") + 1);
    else if (a.startsWith("-v") && a.length > 2) v = a.slice(2);
    if (!v) continue;
    const src = v.includes("source=") || v.includes("src=") ? (/(?:source|src)=([^,]*)/.exec(v)?.[1] ?? "") : (v.split(":")[0] ?? "");
    if (HOST_MOUNT.test(src)) return true;
  }
  return false;
}

const docker: Handler = (args, cx) => {
  const acc = cx.acc;
  lastCap(cx);
  const vals = args.map((w) => w.value);
  const p = parse(args, "Hc", ["host", "context", "config", "log-level"], true);
  let rest = vals.slice(p.rest);
  if (rest[0] === "compose" || cx.name === "docker-compose") {
    rest = cx.name === "docker-compose" ? rest : rest.slice(1);
    const sub = rest.find((v) => !v.startsWith("-")) ?? "";
    if (["ps", "logs", "config", "ls", "images", "top", "version", "port"].includes(sub)) acc.tag(TAGS.read);
    else if (sub === "down" && (rest.includes("-v") || rest.includes("--volumes"))) {
      acc.tag(TAGS.write, TAGS.destructive);
      acc.find("docker compose down -v deletes the volumes and their data");
    } else if (sub === "exec" || sub === "run") acc.tag(TAGS.write, TAGS.exec);
    else acc.tag(TAGS.write);
    return { name: cx.name };
  }
  let sub = rest[0] ?? "";
  let subArgs = rest.slice(1);
  if (["container", "image", "volume", "network", "system", "builder", "buildx"].includes(sub)) {
    const group = sub;
    sub = `${group} ${subArgs[0] ?? ""}`.trim();
    subArgs = subArgs.slice(1);
    if (group === "image" && subArgs[0] === undefined && sub === "image ls") sub = "images";
  }
  const READ = [
    "ps",
    "images",
    "logs",
    "inspect",
    "version",
    "info",
    "stats",
    "top",
    "history",
    "port",
    "diff",
    "events",
    "search",
    "container ls",
    "image ls",
    "volume ls",
    "network ls",
    "container inspect",
    "image inspect",
    "volume inspect",
    "network inspect",
    "system df",
    "system info",
    "",
  ];
  if (READ.includes(sub)) acc.tag(TAGS.read);
  else if (
    sub.endsWith("prune") ||
    sub === "volume rm" ||
    sub === "rmi" ||
    sub === "image rm" ||
    (sub === "rm" && subArgs.some((a) => a === "-f" || a === "--force" || a === "-v"))
  ) {
    acc.tag(TAGS.write, TAGS.destructive);
    acc.find(`docker ${sub} deletes containers, images or volumes`);
  } else if (sub === "exec" || sub === "attach") acc.tag(TAGS.write, TAGS.exec);
  else acc.tag(TAGS.write);
  if (sub === "pull" || sub === "push" || sub === "login" || sub === "search") acc.tag(TAGS.network);
  if (sub === "run" || sub === "create" || sub === "container run") {
    const joined = subArgs.join(" ");
    if (
      subArgs.includes("--privileged") ||
      /--(pid|ipc|uts|userns|net|network|cgroupns)[= ]host\b/.test(joined) ||
      /(^| )--device([= ]| *$)/.test(joined) ||
      /--security-opt[= ]\S*(unconfined|no-new-privileges[:=]false|label[:=]disable)/.test(joined) ||
      hostMountSource(subArgs) ||
      joined.includes("docker.sock") ||
      addsExtraCapability(subArgs)
    ) {
      acc.tag(TAGS.privilege);
      acc.find("docker run with host access (privileged, host namespaces, devices, host mounts or capabilities)");
    }
  }
  if (sub === "build" || sub === "buildx build" || sub === "image build") {
    for (let i = 0; i < subArgs.length; i++) {
      const a = subArgs[i] ?? "";
      const v = a === "--build-arg" ? (subArgs[i + 1] ?? "") : a.startsWith("--build-arg=") ? a.slice(12) : "";
      const name = v.split("=")[0] ?? "";
      if (/(SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIAL)/i.test(name)) {
        acc.tag(TAGS.secrets);
        acc.find(`docker build --build-arg ${name} bakes a secret into the image layers`);
      }
      if (a === "--ssh" || a.startsWith("--ssh=")) {
        acc.tag(TAGS.secrets);
        acc.find("docker build --ssh lends the SSH agent to the build");
      }
    }
    if (subArgs.includes("--push")) acc.tag(TAGS.network);
  }
  return { name: cx.name };
};

const terraform: Handler = (args, cx) => {
  const acc = cx.acc;
  lastCap(cx);
  const vals = args.map((w) => w.value).filter((v) => !v.startsWith("-chdir"));
  const sub = vals.find((v) => !v.startsWith("-")) ?? "";
  const after = vals.slice(vals.indexOf(sub) + 1);
  if (sub === "destroy" || (sub === "apply" && after.includes("-destroy"))) {
    acc.tag(TAGS.write, TAGS.destructive);
    acc.find(`${cx.name} destroy tears down infrastructure`);
  } else if (
    (sub === "stack" && after[0] === "rm") ||
    (sub === "state" && (after[0] === "rm" || after[0] === "delete" || after[0] === "push" || after[0] === "replace-provider"))
  ) {
    acc.tag(TAGS.write, TAGS.destructive);
    acc.find(`${cx.name} ${sub} ${after[0]} deletes or overwrites recorded infrastructure state`);
  } else if (sub === "output" || (sub === "state" && (after[0] === "show" || after[0] === "pull"))) {
    acc.tag(TAGS.read, TAGS.secrets);
    acc.find(`${cx.name} ${sub === "state" ? `state ${after[0]}` : "output"} may print secrets (state holds them in plain text)`);
  } else if (
    [
      "plan",
      "preview",
      "show",
      "validate",
      "fmt",
      "version",
      "providers",
      "graph",
      "state",
      "workspace",
      "console",
      "whoami",
      "about",
      "ls",
    ].includes(sub) ||
    (sub === "stack" && (after[0] === "ls" || after[0] === undefined || after[0] === "history"))
  )
    acc.tag(TAGS.read);
  else acc.tag(TAGS.write);
  if (after.includes("-auto-approve") || after.includes("--auto-approve")) acc.find(`${cx.name} -auto-approve skips the confirmation`);
  if (["init", "apply", "plan", "destroy", "up", "update", "preview", "refresh"].includes(sub)) acc.tag(TAGS.network);
  const stack = args.findIndex((w) => w.value === "--stack" || w.value === "-s" || w.value === "-workspace");
  const stackName = stack >= 0 ? args[stack + 1]?.value : undefined;
  if (stackName && isProduction(stackName, acc.ctx)) {
    acc.tag(TAGS.production);
    acc.find(`${stackName} is in the production environment`);
  }
  return { name: cx.name };
};

const packageManager: Handler = (args, cx) => {
  lastCap(cx);
  const sub = args.find((w) => !w.value.startsWith("-"))?.value ?? "";
  const acc = cx.acc;
  // `go run github.com/x/y@latest`: fetches a module from the network and runs it.
  if (cx.name === "go" && sub === "run") {
    const target = args.slice(args.findIndex((w) => w.value === "run") + 1).find((w) => !w.value.startsWith("-"))?.value ?? "";
    const first = target.split("/")[0] ?? "";
    if (target.includes("@") || (first.includes(".") && !target.startsWith(".") && !target.endsWith(".go"))) {
      acc.tag(TAGS.remote_exec, TAGS.network, TAGS.write);
      acc.find(`go run ${target} downloads that module and runs it`);
      return { name: cx.name };
    }
  }
  // `… | bun`, `… | deno run -`: these runtimes run the program they are fed, like `| node`.
  if ((cx.name === "bun" || cx.name === "deno") && (args.length === 0 || (sub === "run" && args.some((w) => w.value === "-")))) {
    acc.tag(TAGS.write);
    return { name: cx.name, runsStdin: true };
  }
  const NET = [
    "install",
    "i",
    "add",
    "update",
    "upgrade",
    "get",
    "fetch",
    "download",
    "publish",
    "ci",
    "sync",
    "pull",
    "push",
    "dlx",
    "exec",
    "x",
    "outdated",
    "audit",
    "search",
    "info",
    "view",
    "login",
  ];
  const READ = [
    "list",
    "ls",
    "--version",
    "-v",
    "version",
    "show",
    "why",
    "outdated",
    "audit",
    "search",
    "info",
    "view",
    "help",
    "freeze",
    "check",
    "env",
    "config",
    "doctor",
    "tree",
    "metadata",
  ];
  const subIdx = args.findIndex((w) => !w.value.startsWith("-"));
  const sub2 = args.slice(subIdx + 1).find((w) => !w.value.startsWith("-"))?.value ?? "";
  if (
    (sub === "config" || sub === "sources") &&
    ["set", "delete", "rm", "edit", "add", "unset", "--add", "--remove"].some((v) => sub2 === v || args.some((w) => w.value === v))
  ) {
    acc.tag(TAGS.write);
    acc.find(`${cx.name} ${sub} ${sub2} changes the package manager's configuration (registry, auth)`);
  } else if (READ.includes(sub) || (sub === "" && args.some((w) => w.value === "--version" || w.value === "-v" || w.value === "-V")))
    acc.tag(TAGS.read);
  else acc.tag(TAGS.write);
  if (NET.includes(sub)) acc.tag(TAGS.network);
  if (["npx", "bunx", "uvx", "pnpx"].includes(cx.name) || sub === "dlx" || (cx.name === "pipx" && sub === "run")) {
    acc.tag(TAGS.network, TAGS.write);
    acc.find(`${cx.name} runs a package fetched from the registry`);
  }
  const denoRuns = cx.name === "deno" ? denoScript(args) : undefined;
  if (denoRuns === null || (denoRuns && !denoRuns.value.includes("://") && !runOwnCode(denoRuns, acc, " with deno"))) {
    acc.tag(TAGS.unclassified);
    acc.find(`deno runs ${denoRuns?.value ?? "a script"}, whose contents Cordon cannot see`);
  }
  return { name: cx.name };
};

const systemctl: Handler = (args, cx) => {
  lastCap(cx);
  const sub = args.find((w) => !w.value.startsWith("-"))?.value ?? "";
  if (["poweroff", "reboot", "halt", "kexec", "emergency", "rescue"].includes(sub)) {
    cx.acc.tag(TAGS.write, TAGS.destructive);
    cx.acc.find(`systemctl ${sub} takes the machine down`);
  } else if (
    guardOff(
      args.map((w) => w.value),
      cx,
      "systemctl",
    )
  ) {
    // tagged
  } else if (sub === "" || sub.startsWith("list") || sub.startsWith("is-") || ["status", "show", "cat", "help"].includes(sub))
    cx.acc.tag(TAGS.read);
  else cx.acc.tag(TAGS.write);
  return { name: cx.name };
};

const firewall: Handler = (args, cx) => {
  lastCap(cx);
  const vals = args.map((w) => w.value);
  if (
    vals.some(
      (v) => v === "-F" || v === "--flush" || v === "flush" || v === "reset" || v === "disable" || v === "-X" || v === "--delete-chain",
    )
  ) {
    cx.acc.tag(TAGS.write, TAGS.destructive);
    cx.acc.find(`${cx.name} flushes or disables the firewall`);
  } else if (vals.some((v) => v === "-L" || v === "-S" || v === "--list" || v === "list" || v === "status" || v === "show"))
    cx.acc.tag(TAGS.read);
  else cx.acc.tag(TAGS.write, TAGS.privilege);
  return { name: cx.name };
};

const crontab: Handler = (args, cx) => {
  lastCap(cx);
  const vals = args.map((w) => w.value);
  if (vals.includes("-r")) {
    cx.acc.tag(TAGS.write, TAGS.destructive);
    cx.acc.find("crontab -r deletes every scheduled job");
  } else if (vals.includes("-l")) cx.acc.tag(TAGS.read);
  else {
    cx.acc.tag(TAGS.write);
    cx.acc.find("changes scheduled jobs");
  }
  return { name: "crontab" };
};

const privileged = (what: string): Handler => {
  return (_args, cx) => {
    lastCap(cx);
    cx.acc.tag(TAGS.write, TAGS.privilege);
    cx.acc.find(`${cx.name} ${what}`);
    return { name: cx.name };
  };
};

/** setcap: `-r` removes a file's capabilities and `-v` only verifies them; anything else grants some. */
const setcap: Handler = (args, cx) => {
  const vals = args.map((w) => w.value);
  const flags = vals.filter((v) => v.startsWith("-"));
  if (flags.includes("-r") && flags.every((f) => f === "-r" || f === "-q")) {
    lastCap(cx);
    writeTargets(
      args.filter((w) => !w.value.startsWith("-")),
      cx,
      "setcap -r removes the capabilities of",
    );
    cx.acc.find("setcap -r removes file capabilities, which grants nothing");
    return { name: cx.name };
  }
  if (flags.includes("-v") && flags.every((f) => f === "-v" || f === "-q")) {
    lastCap(cx);
    cx.acc.tag(TAGS.read);
    return { name: cx.name };
  }
  return privileged("grants file capabilities")(args, cx);
};

const history: Handler = (args, cx) => {
  lastCap(cx);
  if (args.some((w) => w.value === "-c" || w.value === "-d" || /^-[a-z]*c/.test(w.value))) {
    cx.acc.tag(TAGS.write, TAGS.destructive);
    cx.acc.find("history -c / -d erases the shell history");
  } else
    cx.acc.tag(args.some((w) => w.value === "-w" || w.value === "-a" || w.value === "-r" || w.value === "-s") ? TAGS.write : TAGS.read);
  return { name: "history" };
};

const envDump: Handler = (args, cx) => {
  lastCap(cx);
  cx.acc.tag(TAGS.read);
  if (cx.name === "export" || cx.name === "declare")
    for (const w of args) {
      const eq = w.value.indexOf("=");
      if (eq > 0 && !w.value.startsWith("-")) codeVar(w.value.slice(0, eq), w.value.slice(eq + 1), cx);
    }
  const dump = args.length === 0 || args.every((w) => w.value === "-p" || w.value === "-x");
  return { name: cx.name, envDump: dump };
};

// ---------------------------------------------------------------- cloud and database clients

const CLOUD_DESTRUCTIVE = [
  "rm",
  "rb",
  "delete",
  "terminate",
  "destroy",
  "remove",
  "purge",
  "deregister",
  "disable",
  "revoke",
  "detach",
  "release",
];
const CLOUD_READ = [
  "describe",
  "list",
  "get",
  "ls",
  "show",
  "info",
  "whoami",
  "version",
  "help",
  "wait",
  "lookup",
  "search",
  "cat",
  "read",
  "config",
  "auth",
];

/** aws / gcloud / az / gsutil / doctl: the verb words decide; resource names may be production. */
const cloud: Handler = (args, cx) => {
  const acc = cx.acc;
  lastCap(cx);
  acc.tag(TAGS.network);
  const words = args.filter((w) => !w.value.startsWith("-")).map((w) => w.value);
  const verbs = words.slice(0, 4).map((v) => v.toLowerCase());
  const destructive = verbs.find((v) => CLOUD_DESTRUCTIVE.some((d) => v === d || v.startsWith(`${d}-`)));
  if (destructive) {
    acc.tag(TAGS.write, TAGS.destructive);
    acc.find(`${cx.name} ${words.slice(0, 3).join(" ")} deletes cloud resources`);
  } else if (verbs.some((v) => CLOUD_READ.some((r) => v === r || v.startsWith(`${r}-`)))) acc.tag(TAGS.read);
  else {
    acc.tag(TAGS.write);
    acc.find(`${cx.name} ${words.slice(0, 3).join(" ")} changes cloud resources`);
  }
  // Credential helpers mint a token for another tool (`| docker login --password-stdin`, `$(...)`):
  // like printenv, secrets only when the output goes to the network.
  const tokenHelper = verbs.some((v) =>
    /^(print-(access|identity|refresh)-token|get-access-token|config-helper|get-login-password|get-session-token|export-credentials|get-authorization-token)$/.test(
      v,
    ),
  );
  if (tokenHelper) acc.find(`${cx.name} ${words.slice(0, 3).join(" ")} prints a fresh credential`);
  // Stored secrets read out of a secret manager are secrets, like a credential file.
  if (
    verbs.includes("get-secret-value") ||
    (verbs.includes("access") && verbs.includes("secrets")) ||
    (verbs.includes("secret") && verbs.includes("show"))
  ) {
    acc.tag(TAGS.secrets);
    acc.find(`${cx.name} ${words.slice(0, 3).join(" ")} prints a stored secret`);
  }
  const iamVerb = verbs.find((v) =>
    /^(create-access-key|create-login-profile|update-login-profile|(attach|put)-(user|role|group)-policy|add-user-to-group|add-iam-policy-binding|set-iam-policy|update-assume-role-policy|create-key)$/.test(
      v,
    ),
  );
  if (iamVerb || (verbs[0] === "role" && verbs[1] === "assignment" && verbs[2] === "create")) {
    acc.tag(TAGS.privilege);
    acc.find(`${cx.name} ${words.slice(0, 3).join(" ")} grants access rights or credentials`);
  }
  for (const w of args) {
    let v = w.value;
    if (v.startsWith("s3://") || v.startsWith("gs://")) v = v.slice(5).split("/")[0] ?? "";
    if (!v.startsWith("-") && v.length < 200 && isProduction(v, acc.ctx)) {
      acc.tag(TAGS.production);
      acc.find(`${v} is in the production environment`);
      break;
    }
  }
  if (tokenHelper) return { name: cx.name, networkSink: true, envDump: true };
  if (args.some((w) => w.value === "--recursive" || w.value === "--force" || w.value === "--skip-final-snapshot") && destructive)
    acc.find("with --recursive/--force/--skip-final-snapshot there is no way back");
  return { name: cx.name, networkSink: true };
};

const REDIS_DESTRUCTIVE = [
  "flushall",
  "flushdb",
  "del",
  "unlink",
  "shutdown",
  "config",
  "debug",
  "script",
  "eval",
  "migrate",
  "swapdb",
  "rename",
];
const REDIS_READ = [
  "get",
  "mget",
  "keys",
  "scan",
  "info",
  "ping",
  "ttl",
  "type",
  "exists",
  "hget",
  "hgetall",
  "lrange",
  "smembers",
  "zrange",
  "dbsize",
  "monitor",
  "slowlog",
  "client",
  "memory",
  "strlen",
  "llen",
  "scard",
];

const redis: Handler = (args, cx) => {
  const acc = cx.acc;
  lastCap(cx);
  const p = parse(args, "hpanu", ["host", "port", "pass", "user", "uri"], true);
  const host = p.shortVal.get("h") ?? (typeof p.long.get("host") === "string" ? String(p.long.get("host")) : undefined);
  if (host) acc.host(hostOf(host, true));
  if (p.shortVal.has("a") || p.long.has("pass")) {
    acc.tag(TAGS.secrets);
    acc.find("carries a password on the command line");
  }
  const cmd = (args[p.rest]?.value ?? "").toLowerCase();
  if (cmd === "") {
    acc.tag(TAGS.unclassified);
    acc.find("opens an interactive redis shell");
  } else if (REDIS_DESTRUCTIVE.includes(cmd)) {
    acc.tag(TAGS.write, TAGS.destructive);
    acc.find(`redis ${cmd.toUpperCase()} deletes data or changes the server`);
  } else if (REDIS_READ.includes(cmd)) acc.tag(TAGS.read);
  else acc.tag(TAGS.write);
  return { name: cx.name, networkSink: true };
};

const SQL_CLIENT_LONG = [
  "command",
  "file",
  "host",
  "username",
  "user",
  "port",
  "dbname",
  "database",
  "execute",
  "password",
  "set",
  "variable",
  "output",
];

/** psql / mysql / sqlite3 with an inline statement: the SQL pack classifies it. */
const sqlClient: Handler = (args, cx) => {
  const acc = cx.acc;
  lastCap(cx);
  const mysql = cx.name === "mysql" || cx.name === "mariadb";
  // mysql -p prompts for the password; -pSECRET carries it attached, never as the next word.
  if (mysql) args = args.filter((w) => !/^-p/.test(w.value) && w.value !== "--password" && !w.value.startsWith("--password="));
  const p = parse(args, mysql ? "heuPpSD" : "cfhUpdFPvoT", SQL_CLIENT_LONG);
  const host = p.shortVal.get("h") ?? (typeof p.long.get("host") === "string" ? String(p.long.get("host")) : undefined);
  if (host) acc.host(hostOf(host, true));
  const db =
    p.shortVal.get("d") ??
    p.shortVal.get("D") ??
    (typeof p.long.get("dbname") === "string" ? String(p.long.get("dbname")) : undefined) ??
    p.pos[0]?.value;
  if (db && isProduction(db, acc.ctx)) acc.tag(TAGS.production);
  const sqlText =
    (mysql ? p.shortVal.get("e") : p.shortVal.get("c")) ??
    (typeof p.long.get("command") === "string" ? String(p.long.get("command")) : undefined) ??
    (typeof p.long.get("execute") === "string" ? String(p.long.get("execute")) : undefined) ??
    (cx.name === "sqlite3" ? p.pos[1]?.value : undefined);
  const heredoc = stdinText(cx);
  const text = sqlText ?? heredoc?.text;
  if (text !== undefined) {
    const dialect = mysql ? "mysql" : "postgresql";
    const d = classifySql(text, acc.ctx, db ? { dialect, database: db } : { dialect });
    acc.merge(d);
  } else if (p.shortVal.has("f") || p.long.has("file")) {
    acc.tag(TAGS.unclassified);
    acc.find(`${cx.name} runs SQL from a file, which Cordon cannot see`);
  } else {
    // From the terminal an interactive session, from a pipe or file SQL Cordon cannot see (decided with the pipeline, see local.ts).
    if (acc.stdinTargets || cx.redirects.some((r) => r.op === "<")) {
      acc.tag(TAGS.unclassified);
      acc.find(`${cx.name} runs SQL from its input, which Cordon cannot see`);
    }
    return { name: cx.name, networkSink: true, runsStdin: true };
  }
  return { name: cx.name, networkSink: true };
};

const mongo: Handler = (args, cx) => {
  const acc = cx.acc;
  lastCap(cx);
  const vals = args.map((w) => w.value);
  const e = vals.indexOf("--eval");
  const code = e >= 0 ? (vals[e + 1] ?? "") : undefined;
  if (code === undefined) {
    acc.tag(TAGS.unclassified);
    acc.find(`${cx.name} runs commands Cordon cannot see`);
    return { name: cx.name };
  }
  const lower = code.toLowerCase();
  if (
    ["dropdatabase", ".drop(", "deletemany", ".remove(", "dropuser", "dropindex", "dropallusers", "shutdownserver"].some((x) =>
      lower.includes(x),
    )
  ) {
    acc.tag(TAGS.write, TAGS.destructive);
    acc.find(`${cx.name} --eval deletes data`);
  } else if (["insert", "update", "replace", "create", "save", "rename"].some((x) => lower.includes(x))) acc.tag(TAGS.write);
  else if (["find", "count", "aggregate", "stats", "getcollectionnames", "show"].some((x) => lower.includes(x))) acc.tag(TAGS.read);
  else acc.tag(TAGS.unclassified);
  const db = vals.find((v, i) => !v.startsWith("-") && i !== e + 1);
  if (db && isProduction(db.split("/").pop() ?? db, acc.ctx)) acc.tag(TAGS.production);
  return { name: cx.name };
};

/** Units whose stop/disable/mask turns off auditing, logging or a firewall. */
const GUARD_UNITS =
  /^(auditd|rsyslog|syslog|syslogd|syslog-ng|systemd-journald|journald|ufw|firewalld|iptables|ip6tables|nftables|netfilter-persistent|apparmor|selinux|fail2ban|falco|osqueryd|wazuh-agent|falcon-sensor|clamav-daemon|clamd|aide|sshd|ssh)(\.service|\.socket)?$/;
const UNIT_OFF = new Set(["stop", "disable", "mask", "kill"]);

/** A stop/disable/mask of a unit that guards the machine (auditing, logs, firewall). */
function guardOff(words: readonly string[], cx: Cx, via: string): boolean {
  if (!words.some((v) => UNIT_OFF.has(v))) return false;
  const unit = words.find((v) => GUARD_UNITS.test(v));
  if (!unit) return false;
  cx.acc.tag(TAGS.write, TAGS.destructive);
  cx.acc.find(`${via} turns off ${unit}, which audits, logs or firewalls the machine`);
  return true;
}

const service: Handler = (args, cx) => {
  lastCap(cx);
  const vals = args.map((w) => w.value);
  if (guardOff(vals, cx, "service")) return { name: cx.name };
  const action = vals.filter((v) => !v.startsWith("-"))[1] ?? "";
  if (vals.includes("--status-all") || action === "status") cx.acc.tag(TAGS.read);
  else cx.acc.tag(TAGS.write);
  return { name: cx.name };
};

/** sysctl: reading a key is harmless; writing one changes the running kernel. */
const sysctl: Handler = (args, cx) => {
  lastCap(cx);
  const vals = args.map((w) => w.value);
  if (
    vals.some(
      (v) => v === "-w" || v === "--write" || v === "-p" || v === "--load" || v === "--system" || (!v.startsWith("-") && v.includes("=")),
    )
  ) {
    cx.acc.tag(TAGS.write, TAGS.privilege);
    cx.acc.find("sysctl changes kernel parameters of the running system");
  } else cx.acc.tag(TAGS.read);
  return { name: cx.name };
};

const IP_CHANGE = new Set(["add", "del", "delete", "replace", "change", "flush", "set", "append", "prepend", "exec"]);

/** ip / route / arp: listing is a read; changing routes, rules, neighbours or links is privileged. */
const ipTool: Handler = (args, cx) => {
  lastCap(cx);
  const words = args.filter((w) => !w.value.startsWith("-")).map((w) => w.value);
  const vals = args.map((w) => w.value);
  const changes =
    cx.name === "ip" || cx.name === "tc"
      ? words.slice(1, 3).some((v) => IP_CHANGE.has(v)) || (words[0] === "netns" && words[1] === "exec")
      : cx.name === "route"
        ? words.some((v) => v === "add" || v === "del" || v === "delete" || v === "change" || v === "flush")
        : vals.some((v) => v === "-s" || v === "-d" || v === "--set" || v === "--delete" || v === "-f");
  if (changes && cx.name === "ip" && words[0] === "route" && words[1] === "flush" && words[2] === "cache" && words.length === 3) {
    // Drops routes the kernel cached; the routing table itself is unchanged.
    cx.acc.tag(TAGS.write);
    cx.acc.find("ip route flush cache clears the kernel's route cache");
  } else if (changes) {
    cx.acc.tag(TAGS.write, TAGS.privilege);
    cx.acc.find(`${cx.name} ${words.slice(0, 2).join(" ")} changes the machine's network configuration`);
  } else cx.acc.tag(TAGS.read);
  return { name: cx.name };
};

/** Classify text that the shell will run later (a trap action, an alias body, keys typed into a terminal). */
function runsLater(text: string, cx: Cx, what: string): void {
  if (text.trim() === "") return;
  cx.acc.find(`${what} runs: ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`);
  classifyLineInto(text, cx.acc, cx.depth + 1);
}

const trap: Handler = (args, cx) => {
  lastCap(cx);
  cx.acc.tag(TAGS.read);
  const vals = args.map((w) => w.value);
  if (vals[0] === "-p" || vals[0] === "-l" || vals.length < 2) return { name: "trap" };
  const action = vals[0] === "--" ? (vals[1] ?? "") : (vals[0] ?? "");
  if (action === "-") return { name: "trap" };
  cx.acc.tag(TAGS.write);
  runsLater(action, cx, "trap");
  return { name: "trap" };
};

const alias: Handler = (args, cx) => {
  lastCap(cx);
  cx.acc.tag(TAGS.read);
  for (const w of args) {
    const eq = w.value.indexOf("=");
    if (eq <= 0) continue;
    cx.acc.tag(TAGS.write);
    runsLater(w.value.slice(eq + 1), cx, `alias ${w.value.slice(0, eq)}`);
    // Like a function, an alias makes its name run something else from here on (not inside its own body).
    cx.acc.functions.add(w.value.slice(0, eq));
  }
  return { name: "alias" };
};

/** tmux / screen: keys sent into a session and commands given to a new window run there. */
const terminalMux: Handler = (args, cx) => {
  lastCap(cx);
  const vals = args.map((w) => w.value);
  const sub = vals.find((v) => !v.startsWith("-")) ?? "";
  if (cx.name === "tmux") {
    if (
      [
        "ls",
        "list-sessions",
        "list-windows",
        "list-panes",
        "list-clients",
        "list-keys",
        "capture-pane",
        "show-options",
        "display-message",
        "has-session",
        "info",
        "-V",
      ].includes(sub) ||
      vals.includes("-V")
    ) {
      cx.acc.tag(TAGS.read);
      return { name: cx.name };
    }
    cx.acc.tag(TAGS.write);
    if (sub === "send-keys" || sub === "send") {
      const keys = parse(args.slice(vals.indexOf(sub) + 1), "tN", ["target"]).pos.map((w) => w.value);
      const text = keys.map((k) => (k === "Enter" || k === "C-m" || k === "KPEnter" ? ";" : k)).join(" ");
      runsLater(text, cx, "tmux send-keys");
    } else if (["new-session", "new", "new-window", "neww", "split-window", "splitw", "respawn-pane", "run-shell", "run"].includes(sub)) {
      const rest = parse(args.slice(vals.indexOf(sub) + 1), "cefFnstxyclLpPS", []).pos.map((w) => w.value);
      if (rest.length > 0) runsLater(rest.join(" "), cx, `tmux ${sub}`);
    }
    return { name: cx.name };
  }
  // screen
  if (vals.includes("-ls") || vals.includes("-list") || vals.includes("-v") || vals.includes("--version")) {
    cx.acc.tag(TAGS.read);
    return { name: cx.name };
  }
  cx.acc.tag(TAGS.write);
  const x = vals.indexOf("-X");
  if (x >= 0 && (vals[x + 1] === "stuff" || vals[x + 1] === "exec")) {
    runsLater((vals[x + 2] ?? "").replaceAll("\\n", ";").replaceAll("\n", ";"), cx, `screen -X ${vals[x + 1]}`);
  } else {
    const p = parse(args, "SLcrxhpT", []);
    if (p.pos.length > 0) runsLater(p.pos.map((w) => w.value).join(" "), cx, "screen");
  }
  return { name: cx.name };
};

/** Options of gh whose values are prose or names, not files. */
const GH_TEXT_FLAGS = new Set([
  "--body",
  "-b",
  "--title",
  "-t",
  "--notes",
  "-n",
  "--message",
  "-m",
  "--subject",
  "--search",
  "-S",
  "--label",
  "-l",
  "--jq",
  "-q",
  "--template",
  "--repo",
  "-R",
  "--desc",
  "-d",
  "--description",
]);

/** GitHub CLI: view/list read, create/comment/edit write, delete destructive; all over the network. */
/** Options of `gh api` that take a value. */
const GH_API_VALUED = new Set([
  "-X",
  "--method",
  "-H",
  "--header",
  "-f",
  "-F",
  "--field",
  "--raw-field",
  "--input",
  "-q",
  "--jq",
  "-t",
  "--template",
  "--hostname",
  "--cache",
  "-p",
  "--preview",
]);
/** The endpoint of `gh api [options] ENDPOINT [options]`. */
function ghApiEndpoint(args: readonly Word[]): string {
  let seenApi = false;
  for (let i = 0; i < args.length; i++) {
    const v = args[i]?.value ?? "";
    if (!seenApi) {
      seenApi = v === "api";
      continue;
    }
    if (GH_API_VALUED.has(v)) {
      i++;
      continue;
    }
    if (!v.startsWith("-")) return v;
  }
  return "";
}

const gh: Handler = (args, cx) => {
  const acc = cx.acc;
  lastCap(cx);
  acc.tag(TAGS.network);
  const words: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const v = args[i]?.value ?? "";
    if (GH_TEXT_FLAGS.has(v)) {
      i++;
      continue;
    }
    if (v.startsWith("-")) {
      const eq = v.indexOf("=");
      if (eq > 0 && GH_TEXT_FLAGS.has(v.slice(0, eq))) continue;
      if (eq > 0) files.push(v.slice(eq + 1));
      continue;
    }
    words.push(v);
    files.push(v);
  }
  const [group = "", verb = ""] = words;
  if (
    (group === "auth" && (verb === "token" || args.some((w) => w.value === "--show-token" || w.value === "-t"))) ||
    (group === "config" && verb === "get" && /token/i.test(words[2] ?? ""))
  ) {
    // A token helper (`GITHUB_TOKEN=$(gh auth token)`): secrets only when the output goes to the network.
    acc.tag(TAGS.read);
    acc.find("gh prints the GitHub token");
    return { name: cx.name, networkSink: true, envDump: true };
  } else if (verb === "delete" || verb === "delete-asset" || (group === "repo" && verb === "archive")) {
    acc.tag(TAGS.write, TAGS.destructive);
    acc.find(`gh ${group} ${verb} deletes it on GitHub`);
  } else if (
    [
      "view",
      "list",
      "ls",
      "status",
      "diff",
      "checks",
      "watch",
      "search",
      "browse",
      "download",
      "--version",
      "version",
      "help",
      "completion",
    ].includes(verb) ||
    ["status", "search", "browse", "help", "version", "completion"].includes(group)
  )
    acc.tag(TAGS.read);
  else if (group === "api") {
    const m = args.findIndex((w) => /^(-X|--method)$/.test(w.value));
    const eqMethod = args.find((w) => w.value.startsWith("--method="))?.value.slice(9);
    // With fields or an input body and no method, gh api sends a POST.
    const hasBody = args.some(
      (w) => /^(-f|-F|--field|--raw-field|--input)$/.test(w.value) || /^--(raw-)?field=|^--input=/.test(w.value) || /^-[fF]./.test(w.value),
    );
    const method = (m >= 0 ? (args[m + 1]?.value ?? "") : (eqMethod ?? (hasBody ? "POST" : ""))).toUpperCase();
    const endpoint = ghApiEndpoint(args);
    if (method === "DELETE") {
      acc.tag(TAGS.write, TAGS.destructive);
      acc.find(`gh api -X DELETE ${endpoint} deletes it on GitHub`);
    } else acc.tag(method === "" || method === "GET" ? TAGS.read : TAGS.write);
    if (method === "POST" || method === "PATCH" || method === "PUT") {
      if (/(^|\/)hooks\/?(\d+\/?)?$/.test(endpoint)) {
        acc.tag(TAGS.persistence);
        acc.find(`gh api ${method} ${endpoint} sets up a webhook: GitHub sends its events to that URL from now on`);
      } else if (/(^|\/)keys\/?$/.test(endpoint) || /(^|\/)collaborators\/[^/]+\/?$/.test(endpoint)) {
        acc.tag(TAGS.privilege);
        acc.find(`gh api ${method} ${endpoint} grants access to the repository (a deploy key or a collaborator)`);
      }
    }
  } else {
    acc.tag(TAGS.write);
    if (group === "secret" || group === "variable") acc.tag(TAGS.secrets);
  }
  for (const f of files) {
    const s = secretOf(f);
    if (s) {
      acc.tag(TAGS.secrets);
      acc.find(`gh sends ${f} (${s.what})`);
    }
  }
  return { name: cx.name, networkSink: true };
};

interface VerbRules {
  /** Verbs (any of the first `depth` words) that only read. */
  read: readonly string[];
  /** Verbs that print or hand over stored secrets. */
  secret?: readonly string[];
  /** Verbs that delete. */
  destructive?: readonly string[];
  /** Every call talks to a server. */
  network?: boolean;
  /** How many leading words may hold the verb (`vault kv get` → 2). */
  depth?: number;
  /** Verbs that expose a local port to the internet (a live path in, like a port-forward). */
  tunnel?: readonly string[];
  /** Verbs that list what a credential store holds: where the credentials are (TAGS.recon), not their values. */
  enumerate?: readonly string[];
  /** What the tool holds, for findings. */
  what?: string;
}

/** A CLI whose verb words decide: read, secret, destructive, otherwise write. `--version`/`--help` alone read. */
const verbTool =
  (r: VerbRules): Handler =>
  (args, cx) => {
    const acc = cx.acc;
    lastCap(cx);
    const vals = args.map((w) => w.value);
    const words = vals.filter((v) => !v.startsWith("-")).slice(0, r.depth ?? 2);
    if (r.network) acc.tag(TAGS.network);
    const has = (v: string): boolean => (v.startsWith("-") ? vals.includes(v) : words.includes(v));
    const secret = r.secret?.find(has);
    const destructive = r.destructive?.find(has);
    const tunnel = r.tunnel?.find(has);
    if (destructive) {
      acc.tag(TAGS.write, TAGS.destructive);
      acc.find(`${cx.name} ${words.join(" ")} deletes ${r.what ?? "what it manages"}`);
    } else if (tunnel) {
      acc.tag(TAGS.write, TAGS.exec);
      acc.find(`${cx.name} ${words.join(" ")} opens a public tunnel into this machine`);
    } else if (secret) {
      acc.tag(TAGS.read, TAGS.secrets);
      acc.find(`${cx.name} ${words.join(" ")} reveals ${r.what ?? "stored secrets"}`);
    } else if (r.enumerate?.some(has)) {
      acc.tag(TAGS.read, TAGS.recon);
      acc.find(
        `${cx.name} ${words.join(" ")} lists the names in a credential store (${r.what ?? "stored secrets"}): where the credentials are, not their values`,
      );
    } else if (
      words.some((v) => r.read.includes(v)) ||
      (words.length === 0 &&
        vals.some((v) => v === "--version" || v === "-version" || v === "-v" || v === "-V" || v === "--help" || v === "-h"))
    )
      acc.tag(TAGS.read);
    else acc.tag(TAGS.write);
    return { name: cx.name, ...(r.network ? { networkSink: true } : {}) };
  };

const COMMON_READ = [
  "version",
  "help",
  "list",
  "ls",
  "show",
  "status",
  "info",
  "whoami",
  "inspect",
  "describe",
  "get",
  "search",
  "find",
  "diff",
  "preview",
  "check",
  "verify",
  "digest",
  "query",
  "validate",
  "doctor",
];

/** gdb / lldb: attaching to a running process reads its memory; a core file is a read; otherwise a program runs. */
const debuggerH: Handler = (args, cx) => {
  lastCap(cx);
  const vals = args.map((w) => w.value);
  if (vals.some((v) => v === "-p" || v === "--pid" || v.startsWith("--pid=") || /\battach\b/.test(v))) {
    cx.acc.tag(TAGS.read, TAGS.privilege);
    cx.acc.find(`${cx.name} attaches to a running process and can read or change its memory`);
  } else if (
    vals.includes("-c") ||
    vals.includes("--core") ||
    args.filter((w) => !w.value.startsWith("-")).some((w) => /(^|\/)core(\.\d+)?$/.test(w.value))
  )
    cx.acc.tag(TAGS.read);
  else if (cx.name !== "gdb" || !gdbRunsOwn(args, cx)) {
    cx.acc.tag(TAGS.unclassified);
    cx.acc.find(`${cx.name} runs a program Cordon cannot see`);
  }
  return { name: cx.name };
};

/** strace / ltrace: `-p PID` attaches to another process (privileged); otherwise the traced command is classified. */
const tracer: Handler = (args, cx) => {
  const p = parse(args, "oepsuIbPSXEaA", ["output", "expr", "attach", "user", "string-limit", "signal", "trace"], true);
  if (p.shortVal.has("p") || p.long.has("attach")) {
    cx.acc.tag(TAGS.read, TAGS.privilege);
    cx.acc.find(`${cx.name} -p attaches to a running process and sees its data`);
    lastCap(cx);
  }
  const r = inner(args, p.rest, cx);
  if (!r) {
    cx.acc.tag(TAGS.read);
    lastCap(cx);
    return { name: cx.name };
  }
  return r;
};

/** systemd-run: runs a command as a transient unit, as root unless `--user`. */
const systemdRun: Handler = (args, cx) => {
  const p = parse(
    args,
    "pMEu",
    [
      "property",
      "machine",
      "setenv",
      "unit",
      "uid",
      "gid",
      "nice",
      "working-directory",
      "description",
      "slice",
      "on-calendar",
      "on-active",
      "timer-property",
      "path-property",
      "socket-property",
      "service-type",
    ],
    true,
  );
  if (!p.long.has("user")) {
    cx.acc.tag(TAGS.privilege);
    cx.acc.find("systemd-run runs the command as a system service (root)");
  }
  if (p.long.has("on-calendar") || p.long.has("on-active") || p.long.has("on-boot"))
    cx.acc.find("systemd-run schedules the command for later");
  const r = inner(args, p.rest, cx);
  if (!r) {
    cx.acc.tag(TAGS.read);
    lastCap(cx);
    return { name: cx.name };
  }
  return r;
};

/** xattr (macOS) and tune2fs: listing reads, anything else changes attributes. */
const attrTool =
  (readFlags: readonly string[]): Handler =>
  (args, cx) => {
    lastCap(cx);
    const flags = args.filter((w) => w.value.startsWith("-")).map((w) => w.value);
    cx.acc.tag(flags.length > 0 && flags.every((f) => readFlags.includes(f)) ? TAGS.read : TAGS.write);
    return { name: cx.name };
  };

/** Packet capture: reading a saved file is a read; capturing live traffic is privileged and sees what crosses the wire. */
const capture: Handler = (args, cx) => {
  lastCap(cx);
  const vals = args.map((w) => w.value);
  if (vals.includes("-r") || vals.includes("--version") || vals.includes("-D") || vals.includes("--list-interfaces")) cx.acc.tag(TAGS.read);
  else {
    cx.acc.tag(TAGS.read, TAGS.privilege, TAGS.secrets);
    cx.acc.find(`${cx.name} captures live network traffic, credentials included`);
  }
  if (vals.includes("-w")) cx.acc.tag(TAGS.write);
  return { name: cx.name };
};

/** Clipboard tools: reading the clipboard, or writing to it. */
const clipboard: Handler = (args, cx) => {
  lastCap(cx);
  const vals = args.map((w) => w.value);
  // Reading it is a credential read too (see home-data.ts): people paste passwords and tokens.
  cx.acc.tag(readsClipboard(cx.name, vals) ? TAGS.read : TAGS.write);
  return { name: cx.name };
};

const auditctl: Handler = (args, cx) => {
  lastCap(cx);
  const vals = args.map((w) => w.value);
  const e = vals.indexOf("-e");
  if (vals.includes("-D") || (e >= 0 && vals[e + 1] === "0")) {
    cx.acc.tag(TAGS.write, TAGS.destructive);
    cx.acc.find("auditctl -D / -e 0 removes the audit rules or turns auditing off");
  } else if (vals.length > 0 && vals.every((v) => v === "-l" || v === "-s" || v === "-v")) cx.acc.tag(TAGS.read);
  else cx.acc.tag(TAGS.write, TAGS.privilege);
  return { name: cx.name };
};

/** D-Bus calls: Get/List/Introspect methods read; any other method asks a system service to act. */
const dbusCall: Handler = (args, cx) => {
  lastCap(cx);
  const words = args.filter((w) => !w.value.startsWith("-")).map((w) => w.value);
  if (cx.name === "busctl" && !["call", "set-property", "emit", "wait"].includes(words[0] ?? "")) {
    cx.acc.tag(TAGS.read);
    return { name: cx.name };
  }
  const member =
    cx.name === "busctl"
      ? words[0] === "set-property"
        ? "Set"
        : (words[4] ?? "")
      : (words.find((v) => /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$/.test(v) && !v.startsWith("org.freedesktop.DBus.Properties")) ?? "");
  const method = member.split(".").pop() ?? "";
  if (/^(Get|List|Introspect|Ping|Query|Can|Is|Has)/.test(method)) cx.acc.tag(TAGS.read);
  else {
    cx.acc.tag(TAGS.write, TAGS.unclassified);
    cx.acc.find(`${cx.name} asks a D-Bus service to ${method || "act"}, which Cordon cannot judge`);
  }
  return { name: cx.name };
};

/** bind: listing reads; `-x` binds a key to a shell command, which then runs on a keypress. */
const bindH: Handler = (args, cx) => {
  lastCap(cx);
  const vals = args.map((w) => w.value);
  const x = vals.indexOf("-x");
  if (x >= 0) {
    cx.acc.tag(TAGS.write);
    const spec = vals[x + 1] ?? "";
    const colon = spec.indexOf(":");
    runsLater(
      colon >= 0
        ? spec
            .slice(colon + 1)
            .trim()
            .replace(/^"(.*)"$/, "$1")
        : spec,
      cx,
      "bind -x",
    );
  } else if (vals.includes("-f")) {
    cx.acc.tag(TAGS.write, TAGS.unclassified);
    cx.acc.find("bind -f loads key bindings from a file Cordon cannot see");
  } else if (vals.length === 0 || vals.every((v) => /^-[lpPsSvVq]+$/.test(v) || !v.includes(":"))) cx.acc.tag(TAGS.read);
  else {
    cx.acc.tag(TAGS.write);
    const macro = vals.find((v) => v.includes(":")) ?? "";
    const body = macro
      .slice(macro.indexOf(":") + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1");
    if (/\\n|\\r|\\C-m/.test(body)) runsLater(body.replace(/\\[nr]|\\C-m/g, ";"), cx, "a key macro");
  }
  return { name: cx.name };
};

/** complete: `-C cmd` runs a command on every completion; `-F func` a function. */
const completeH: Handler = (args, cx) => {
  lastCap(cx);
  const vals = args.map((w) => w.value);
  const c = vals.indexOf("-C");
  if (c >= 0) {
    cx.acc.tag(TAGS.write);
    runsLater(vals[c + 1] ?? "", cx, "complete -C");
  } else if (vals.length === 0 || vals.every((v) => v === "-p" || !v.startsWith("-")) || vals[0] === "-p") cx.acc.tag(TAGS.read);
  else cx.acc.tag(TAGS.write);
  return { name: cx.name };
};

/** mapfile / readarray: reads lines into an array; `-C callback` runs the callback with the data. */
const mapfileH: Handler = (args, cx) => {
  lastCap(cx);
  cx.acc.tag(TAGS.read);
  const vals = args.map((w) => w.value);
  const c = vals.indexOf("-C");
  if (c >= 0) {
    cx.acc.tag(TAGS.unclassified);
    cx.acc.find("mapfile -C runs a callback on the lines it reads, which Cordon cannot see");
    runsLater(vals[c + 1] ?? "", cx, "mapfile -C");
  }
  return { name: cx.name };
};

const jupyter: Handler = (args, cx) => {
  lastCap(cx);
  const vals = args.map((w) => w.value);
  const words = vals.filter((v) => !v.startsWith("-"));
  if (words[0] === "execute" || words[0] === "run" || vals.includes("--execute")) {
    cx.acc.tag(TAGS.write, TAGS.unclassified);
    cx.acc.find("jupyter runs a notebook's code, which Cordon cannot see");
  } else if (
    (words[0] === "kernelspec" && (words[1] === "list" || words[1] === "help")) ||
    ["--version", "--paths", "troubleshoot", "--help"].includes(vals[0] ?? "") ||
    words[1] === "list"
  )
    cx.acc.tag(TAGS.read);
  else if (words[0] === "kernelspec" && (words[1] === "remove" || words[1] === "uninstall")) cx.acc.tag(TAGS.write);
  else cx.acc.tag(TAGS.write);
  return { name: cx.name };
};

/** Build variables that name a program the build runs (compiler, shell, linker). */
const BUILD_TOOL_VARS =
  /^(SHELL|MAKE|CC|CXX|CPP|LD|AR|AS|FC|LD_PRELOAD|CFLAGS|CXXFLAGS|CPPFLAGS|LDFLAGS|CMAKE_[A-Z_]*(COMPILER|LAUNCHER|LINKER)[A-Z_]*)$/;

/** make / cmake: a build in the workspace is a write; a compiler, shell or plugin taken from scratch space runs code Cordon cannot see. */
const build: Handler = (args, cx) => {
  lastCap(cx);
  cx.acc.tag(TAGS.write);
  for (const w of args) {
    const v = w.value.startsWith("-D") ? w.value.slice(2) : w.value;
    const eq = v.indexOf("=");
    if (eq <= 0) continue;
    const name = v.slice(0, eq).split(":")[0] ?? "";
    const value = v.slice(eq + 1);
    if (!BUILD_TOOL_VARS.test(name)) continue;
    if (
      /(^|[\s=:'"])(\/tmp|\/var\/tmp|\/dev\/shm|\/private\/tmp)\//.test(value) ||
      value.includes("-fplugin") ||
      (name === "SHELL" && /\s/.test(value.trim()))
    ) {
      cx.acc.tag(TAGS.unclassified);
      cx.acc.find(`${cx.name} ${name}=${value.length > 40 ? `${value.slice(0, 40)}…` : value} runs a tool Cordon cannot see`);
    }
  }
  writeTargets(
    args.filter((w) => !w.value.startsWith("-") && (w.value.startsWith("/") || w.value.startsWith("~"))),
    cx,
    `${cx.name} writes to`,
  );
  return { name: cx.name };
};

// ---------------------------------------------------------------- tables

/** Commands that only read (or only print). Anything not known at all is unclassified. */
export const READ_CMDS = new Set(
  (
    "ls ll la dir vdir cat tac less more most head tail grep egrep fgrep rg ag ack wc sort uniq cut paste join column nl fold fmt expand unexpand " +
    "comm diff diff3 sdiff cmp colordiff jq yq xq gron pwd whoami id groups date cal uname hostname hostnamectl uptime w who last lastlog which whereis type file stat du df tree " +
    "basename dirname realpath readlink true false test [ [[ sleep seq yes md5sum sha1sum sha224sum sha256sum sha384sum sha512sum shasum cksum b2sum sum hexdump od strings " +
    "ps pgrep pstree free lsof ss netstat lsblk lscpu lsusb lspci lsmod nproc arch locale tty stty tput clear reset cd pushd popd dirs export unalias unset shopt read local declare typeset " +
    "readonly let shift return exit wait jobs fg bg disown umask ulimit hash getopts : man help info whatis apropos top htop btop vmstat iostat mpstat dmesg journalctl " +
    "envsubst gettext iconv numfmt bc dc expr factor units getent logname users look fd locate mlocate plocate cut diffstat ncdu bat exa eza glow mdcat " +
    "node-version npm-version git-lfs-version tldr printenv-safe fzf ifconfig iwconfig nmcli timedatectl lsns findmnt mountpoint tsort cmp " +
    "sha1 md5 shellcheck shfmt hadolint yamllint jsonlint eslint prettier-check biome-check tsc-noemit " +
    "lsattr getfacl getfattr getcap getenforce sestatus klist atq modinfo coredumpctl readelf objdump nm ldd size inotifywait compgen " +
    "dumpe2fs blkid lshw lsof lslocks lsipc ipcs iotop nethogs iftop pidstat sar " +
    "cloc tokei scc sloccount identify ffprobe mediainfo pdfinfo systemd-cgls systemd-cgtop systemd-analyze otool zenity"
  ).split(" "),
);

/** Commands that change files or state in ordinary, non-destructive ways (builds, archives, processes). */
const WRITE_CMDS = new Set(
  (
    "ninja meson bazel gcc g++ cc clang clang++ rustc javac java go-build tsc esbuild vite webpack rollup prettier eslint biome black ruff isort gofmt rustfmt " +
    "zip unzip gzip gunzip bzip2 bunzip2 xz unxz zstd 7z 7za lz4 patch split csplit sort-o jar " +
    "pkill killall nohup-off renice ulimit-set update-alternatives ldconfig modprobe insmod rmmod " +
    "ssh-keygen ssh-add ssh-agent gpg git-lfs code vim vi nano emacs ed pico " +
    "mount umount swapon swapoff hwclock chattr setfacl chcon restorecon logger notify-send date-set " +
    "fallocate mktemp sponge convert magick ffmpeg pandoc qrencode objcopy strip patchelf pdftotext"
  ).split(" "),
);

const HANDLERS = new Map<string, Handler>([
  ["sudo", sudo],
  ["sudoedit", sudo],
  ["doas", sudo],
  ["pkexec", simpleWrapper("", ["user"], 0, TAGS.privilege, "runs as root with pkexec")],
  ["runuser", simpleWrapper("ugG", ["user", "group", "command"], 0, TAGS.privilege, "runs as another user with runuser")],
  ["su", su],
  ["env", env],
  ["nohup", simpleWrapper("", [])],
  ["builtin", simpleWrapper("", [])],
  ["exec", simpleWrapper("a", [])],
  ["command", command],
  ["time", simpleWrapper("fo", ["format", "output"])],
  ["nice", simpleWrapper("n", ["adjustment"])],
  ["ionice", simpleWrapper("cnp", ["class", "classdata", "pid"])],
  ["timeout", simpleWrapper("sk", ["signal", "kill-after"], 1)],
  ["stdbuf", simpleWrapper("ioe", ["input", "output", "error"])],
  ["setsid", simpleWrapper("", [])],
  ["unbuffer", simpleWrapper("", [])],
  ["caffeinate", simpleWrapper("t", [])],
  ["chroot", simpleWrapper("", ["userspec", "groups"], 1, TAGS.privilege, "changes the root directory with chroot")],
  ["flock", simpleWrapper("wE", ["timeout", "conflict-exit-code"], 1)],
  ["busybox", simpleWrapper("", [])],
  ["toybox", simpleWrapper("", [])],
  ["watch", watch],
  ["xargs", xargs],
  ["eval", evalH],
  ["source", source],
  [".", source],
  ["rm", rm],
  ["rmdir", writesArgs],
  ["unlink", rm],
  ["shred", alwaysDestructive("overwrites files so they cannot be recovered")],
  ["wipefs", alwaysDestructive("erases filesystem signatures")],
  ["mkfs", alwaysDestructive("formats a filesystem, erasing it")],
  ["mke2fs", alwaysDestructive("formats a filesystem, erasing it")],
  ["mkswap", alwaysDestructive("formats a swap area, erasing it")],
  ["blkdiscard", alwaysDestructive("discards every block of a device")],
  ["fdisk", alwaysDestructive("rewrites a partition table")],
  ["sfdisk", alwaysDestructive("rewrites a partition table")],
  ["sgdisk", alwaysDestructive("rewrites a partition table")],
  ["gdisk", alwaysDestructive("rewrites a partition table")],
  ["cfdisk", alwaysDestructive("rewrites a partition table")],
  ["parted", alwaysDestructive("rewrites a partition table")],
  ["shutdown", alwaysDestructive("takes the machine down")],
  ["reboot", alwaysDestructive("takes the machine down")],
  ["halt", alwaysDestructive("takes the machine down")],
  ["poweroff", alwaysDestructive("takes the machine down")],
  ["dd", dd],
  ["truncate", truncate],
  ["chmod", chmod],
  ["chown", chown],
  ["chgrp", chown],
  ["find", find],
  ["fd", fdFind],
  ["cp", copyLike],
  ["mv", copyLike],
  ["ln", copyLike],
  ["install", copyLike],
  ["touch", writesArgs],
  ["mkdir", writesArgs],
  ["tee", tee],
  ["sed", sed],
  ["gsed", sed],
  ["awk", awk],
  ["gawk", awk],
  ["mawk", awk],
  ["nawk", awk],
  ["tar", tar],
  ["curl", curl],
  ["wget", wget],
  ["http", httpClient],
  ["https", httpClient],
  ["xh", httpClient],
  ["fetch", httpClient],
  ["aria2c", httpClient],
  ["lwp-request", httpClient],
  ["GET", httpClient],
  ["nc", netcat],
  ["ncat", netcat],
  ["netcat", netcat],
  ["telnet", netcat],
  ["socat", socat],
  ["ssh", ssh],
  ["scp", copyRemote],
  ["sftp", copyRemote],
  ["rsync", copyRemote],
  ["ping", lookup],
  ["ping6", lookup],
  ["dig", lookup],
  ["nslookup", lookup],
  ["host", lookup],
  ["traceroute", lookup],
  ["tracepath", lookup],
  ["mtr", lookup],
  ["whois", lookup],
  ["echo", echo],
  ["printf", printf],
  ["cat", cat],
  ["base64", decoderWhen(["-d", "--decode", "-D"], "base64 -d")],
  ["base32", decoderWhen(["-d", "--decode"], "base32 -d")],
  ["basenc", decoderWhen(["-d", "--decode"], "basenc -d")],
  ["xxd", decoderWhen(["-r", "--revert"], "xxd -r")],
  ["uudecode", decoderWhen([], "uudecode")],
  ["zcat", decoderWhen([], "zcat")],
  ["gzcat", decoderWhen([], "gzcat")],
  ["bzcat", decoderWhen([], "bzcat")],
  ["xzcat", decoderWhen([], "xzcat")],
  ["rev", decoderWhen([], "rev")],
  ["tr", decoderWhen([], "tr")],
  ["openssl", openssl],
  ["kill", kill],
  ["pkill", kill],
  ["killall", kill],
  ["systemctl", systemctl],
  ["service", service],
  ["sysctl", sysctl],
  ["ip", ipTool],
  ["route", ipTool],
  ["arp", ipTool],
  ["trap", trap],
  ["alias", alias],
  ["tmux", terminalMux],
  ["screen", terminalMux],
  ["gh", gh],
  ["fping", lookup],
  ["make", build],
  ["gmake", build],
  ["cmake", build],
  ["nmap", lookup],
  ["ldapsearch", verbTool({ read: [], network: true, depth: 0 })],
  ["tc", ipTool],
  ["gdb", debuggerH],
  ["lldb", debuggerH],
  ["strace", tracer],
  ["ltrace", tracer],
  ["valgrind", simpleWrapper("", [])],
  ["systemd-run", systemdRun],
  ["xattr", attrTool(["-l", "-p", "-r", "-x", "-lr", "-rl"])],
  ["tune2fs", attrTool(["-l"])],
  ["tcpdump", capture],
  ["tshark", capture],
  ["xclip", clipboard],
  ["xsel", clipboard],
  ["wl-paste", clipboard],
  ["wl-copy", clipboard],
  ["pbpaste", clipboard],
  ["pbcopy", clipboard],
  ["pulumi", terraform],
  [
    "vault",
    verbTool({
      read: [...COMMON_READ, "namespace", "token-lookup", "audit-list"],
      secret: ["get", "read", "print", "export"],
      enumerate: ["list", "ls"],
      destructive: ["delete", "destroy", "metadata-delete", "revoke"],
      network: true,
      what: "Vault secrets",
    }),
  ],
  [
    "pass",
    verbTool({
      read: ["git", "version", "help"],
      // `pass grep` decrypts every entry to search it.
      secret: ["show", "otp", "-c", "--clip", "grep"],
      enumerate: ["ls", "list", "find", "search"],
      destructive: ["rm", "remove", "delete"],
      what: "passwords",
    }),
  ],
  [
    "gopass",
    verbTool({
      read: ["version", "help"],
      secret: ["show", "cat", "otp", "clip"],
      enumerate: ["ls", "list", "find", "search"],
      destructive: ["rm", "remove", "delete"],
      what: "passwords",
    }),
  ],
  [
    "op",
    verbTool({
      read: ["whoami", "version", "help", "account"],
      secret: ["read", "get", "inject", "run", "export"],
      enumerate: ["list"],
      destructive: ["delete", "archive"],
      network: true,
      what: "1Password items",
    }),
  ],
  [
    "bw",
    verbTool({
      read: ["status", "sync", "help"],
      secret: ["get", "export", "unlock"],
      enumerate: ["list"],
      destructive: ["delete"],
      network: true,
      what: "Bitwarden items",
    }),
  ],
  [
    "keepassxc-cli",
    verbTool({
      read: ["db-info", "analyze", "estimate", "help"],
      secret: ["show", "clip", "export", "totp", "attachment-export"],
      enumerate: ["ls", "search", "locate"],
      destructive: ["rm", "rmdir"],
      what: "KeePassXC entries",
    }),
  ],
  [
    "huggingface-cli",
    verbTool({ read: ["whoami", "env", "scan-cache", "version"], destructive: ["delete-cache", "delete"], network: true }),
  ],
  ["hf", verbTool({ read: ["whoami", "env", "version"], destructive: ["delete"], network: true })],
  // Version managers and prompt tools: `init`/`env` print shell set-up (see shell-setup.ts); installs change the machine.
  ["zoxide", verbTool({ read: ["init", "query", "--version"] })],
  ["starship", verbTool({ read: ["init", "explain", "timings", "print-config", "module", "--version"] })],
  [
    "fnm",
    verbTool({
      read: ["env", "list", "ls", "current", "list-remote", "ls-remote", "completions", "--version"],
      destructive: ["uninstall"],
    }),
  ],
  ["jupyter", jupyter],
  ["twine", verbTool({ read: ["check"], network: true })],
  ["skopeo", verbTool({ read: ["inspect", "list-tags", "login-status"], destructive: ["delete"], network: true })],
  [
    "crane",
    verbTool({ read: ["digest", "ls", "manifest", "config", "export", "validate", "version"], destructive: ["delete"], network: true }),
  ],
  ["oras", verbTool({ read: ["discover", "manifest", "repo", "version"], network: true })],
  ["cosign", verbTool({ read: ["verify", "verify-attestation", "tree", "version", "triangulate"], network: true })],
  [
    "rclone",
    verbTool({
      read: ["ls", "lsd", "lsl", "lsf", "lsjson", "size", "about", "check", "version", "listremotes", "config-show"],
      destructive: ["delete", "purge", "deletefile", "rmdir", "rmdirs", "dedupe", "sync"],
      network: true,
      what: "remote files (sync deletes what the source lacks)",
    }),
  ],
  [
    "s3cmd",
    verbTool({ read: ["ls", "la", "info", "du", "--version"], destructive: ["del", "rm", "rb"], network: true, what: "bucket contents" }),
  ],
  [
    "stripe",
    verbTool({ read: ["list", "retrieve", "get", "version", "status", "logs"], destructive: ["delete"], network: true, depth: 3 }),
  ],
  [
    "ngrok",
    verbTool({ read: ["version", "help", "diagnose", "config-check"], tunnel: ["http", "tcp", "tls", "start", "tunnel"], network: true }),
  ],
  [
    "cloudflared",
    verbTool({
      read: ["version", "--version", "list", "info"],
      destructive: ["delete", "cleanup"],
      tunnel: ["run", "--url", "quick-tunnel"],
      network: true,
      depth: 3,
    }),
  ],
  ["zrok", verbTool({ read: ["status", "version", "overview", "ls"], tunnel: ["public"], network: true })],
  [
    "devtunnel",
    verbTool({ read: ["list", "show", "user", "--version"], destructive: ["delete", "delete-all"], tunnel: ["host"], network: true }),
  ],
  ["bore", verbTool({ read: ["--version", "--help"], tunnel: ["local"], network: true })],
  ["lt", verbTool({ read: [], tunnel: ["--port", "-p"], network: true })],
  ["launchctl", verbTool({ read: ["list", "print", "print-disabled", "blame", "version", "help"], destructive: ["remove"] })],
  ["wg", verbTool({ read: ["show", "pubkey"], secret: ["showconf", "genkey", "genpsk"], what: "WireGuard private keys" })],
  ["auditctl", auditctl],
  ["busctl", dbusCall],
  ["dbus-send", dbusCall],
  ["bind", bindH],
  ["complete", completeH],
  ["mapfile", mapfileH],
  ["readarray", mapfileH],
  [
    "firewall-cmd",
    attrTool([
      "--state",
      "--list-all",
      "--list-all-zones",
      "--get-active-zones",
      "--get-default-zone",
      "--list-services",
      "--list-ports",
      "--get-zones",
      "--version",
      "--query-panic",
    ]),
  ],
  ["iptables", firewall],
  ["ip6tables", firewall],
  ["nft", firewall],
  ["ufw", firewall],
  ["crontab", crontab],
  ["history", history],
  ["printenv", envDump],
  ["set", envDump],
  ["export", envDump],
  ["declare", envDump],
  ["setcap", setcap],
  ["useradd", privileged("creates a user")],
  ["adduser", privileged("creates a user")],
  ["usermod", privileged("changes a user's groups or rights")],
  ["userdel", privileged("deletes a user")],
  ["deluser", privileged("deletes a user")],
  ["groupadd", privileged("creates a group")],
  ["gpasswd", privileged("changes group membership")],
  ["passwd", privileged("changes a password")],
  ["chpasswd", privileged("changes passwords")],
  ["visudo", privileged("edits sudo rights")],
  ["docker", docker],
  ["podman", docker],
  ["nerdctl", docker],
  ["docker-compose", docker],
  ["terraform", terraform],
  ["tofu", terraform],
  ["open", (args, cx) => openHandler(cx.name, args, cx.acc, cx.depth, cx.redirects)],
  ["xdg-open", (args, cx) => openHandler(cx.name, args, cx.acc, cx.depth, cx.redirects)],
  ["init", subcommandTable([], ["0", "6"])],
  ["telinit", subcommandTable([], ["0", "6"])],
  [
    "apt",
    subcommandTable(
      ["list", "search", "show", "policy"],
      ["purge", "autoremove"],
      ["install", "update", "upgrade", "full-upgrade", "dist-upgrade"],
    ),
  ],
  ["apt-get", subcommandTable(["check"], ["purge", "autoremove"], ["install", "update", "upgrade", "dist-upgrade", "source"])],
  ["yum", subcommandTable(["list", "info", "search"], [], ["install", "update", "upgrade"])],
  ["dnf", subcommandTable(["list", "info", "search"], [], ["install", "update", "upgrade"])],
  ["apk", subcommandTable(["info", "search", "list"], [], ["add", "update", "upgrade", "fetch"])],
  [
    "brew",
    subcommandTable(
      ["list", "info", "search", "doctor", "config", "--version", "outdated"],
      [],
      ["install", "update", "upgrade", "reinstall", "tap"],
    ),
  ],
  ["pacman", subcommandTable(["-Q", "-Ss", "-Si", "-Qi", "-Ql"], [], ["-S", "-Syu", "-Sy"])],
  // Loop and case headers run nothing themselves (their substitutions were already classified).
  ["for", (_args, cx) => ({ name: cx.name })],
  ["select", (_args, cx) => ({ name: cx.name })],
  ["case", (_args, cx) => ({ name: cx.name })],
  ["aws", cloud],
  ["gcloud", cloud],
  ["gsutil", cloud],
  ["az", cloud],
  ["doctl", cloud],
  ["redis-cli", redis],
  ["psql", sqlClient],
  ["mysql", sqlClient],
  ["mariadb", sqlClient],
  ["sqlite3", sqlClient],
  ["mongo", mongo],
  ["mongosh", mongo],
  ["snap", subcommandTable(["list", "info", "find"], [], ["install", "refresh"])],
]);

for (const pm of "npm npx pnpm pnpx yarn bun bunx pip pip3 pipx uv uvx poetry pdm cargo go gem bundle bundler composer mvn gradle gradlew dotnet swift deno conda mamba rustup nvm volta".split(
  " ",
)) {
  HANDLERS.set(pm, packageManager);
}
for (const vm of ["pyenv", "rbenv", "nodenv", "goenv", "jenv", "plenv", "phpenv"])
  HANDLERS.set(
    vm,
    verbTool({
      read: [
        "init",
        "version",
        "versions",
        "version-name",
        "which",
        "whence",
        "root",
        "prefix",
        "commands",
        "help",
        "shims",
        "completions",
        "--version",
      ],
      destructive: ["uninstall"],
    }),
  );
for (const s of SHELLS) HANDLERS.set(s, shell);
for (const i of ["python", "python2", "python3", "pypy", "pypy3", "node", "nodejs", "perl", "ruby", "php", "lua"])
  HANDLERS.set(i, interpreter);

/** Commands where an argument naming a credential file does not mean the file is read. */
const NO_SECRET_SCAN = new Set([
  // These handlers decide themselves whether a secret is revealed.
  "gh",
  "keepassxc-cli",
  "pass",
  "gopass",
  "op",
  "bw",
  "vault",
  "echo",
  "printf",
  ":",
  "true",
  "false",
  "test",
  "[",
  "[[",
  "ls",
  "cd",
  "mkdir",
  "touch",
  "which",
  "type",
  "basename",
  "dirname",
]);
const SSH_FAMILY = new Set(["ssh", "scp", "sftp", "rsync", "ssh-copy-id", "ssh-add", "ssh-keygen", "git"]);

/** A command this module has an opinion about (used for `./../bin/rm`: still rm). */
export function isKnownCommand(name: string): boolean {
  return lookupHandler(name) !== undefined || READ_CMDS.has(name) || WRITE_CMDS.has(name) || readOnlyTool(name) !== undefined;
}

function lookupHandler(name: string): Handler | undefined {
  const h = HANDLERS.get(name);
  if (h) return h;
  if (name.startsWith("mkfs")) return HANDLERS.get("mkfs");
  if (name.startsWith("python") && /^python[0-9.]+$/.test(name)) return interpreter;
  return reconHandler(name) ?? localHandler(name);
}

/**
 * Classify a command by name with its argument words (the name already
 * unwrapped and de-pathed). Adds tags and findings to `acc`.
 */
export function classifyCommand(name: string, args: readonly Word[], acc: Acc, depth: number, redirects: readonly Redirect[]): CmdInfo {
  const cx: Cx = { name, acc, depth, redirects };
  acc.lastCapability = undefined;
  let info: CmdInfo | undefined;
  const h = lookupHandler(name);
  const hb = h ? undefined : (readOnlyTool(name) ?? extraHandler(name, args));
  if (h) info = h(args, cx);
  else if (hb) info = hb(name, args, acc, depth, redirects);
  else if (READ_CMDS.has(name)) {
    acc.tag(TAGS.read);
    lastCap(cx);
  } else if (WRITE_CMDS.has(name)) {
    acc.tag(TAGS.write);
    lastCap(cx);
    writeTargets(
      args.filter((w) => !w.value.startsWith("-") && (w.value.startsWith("/") || w.value.startsWith("~"))),
      cx,
      `${name} writes to`,
    );
  } else {
    acc.tag(TAGS.unclassified);
    acc.find(`${name.length > 60 ? `${name.slice(0, 60)}…` : name} is not a command Cordon knows`);
  }
  for (const w of args) {
    if (w.value.includes("PRIVATE KEY-----")) {
      acc.tag(TAGS.secrets);
      acc.find(`${name} handles private key material written out on the command line`);
      break;
    }
  }
  if (!NO_SECRET_SCAN.has(name)) {
    const text = textArgs(name, args);
    const prose = messageArgs(name, args);
    const sshLike = SSH_FAMILY.has(name);
    for (let i = 0; i < args.length; i++) {
      const w = args[i];
      if (!w || text?.has(i) || prose?.has(i)) continue;
      if (sshLike && i > 0 && (args[i - 1]?.value === "-i" || args[i - 1]?.value === "-e")) continue;
      const s = secretOf(w.value);
      const excused = s && notReadReason(w);
      // Judged like the same assignment in the shell (`export LD_PRELOAD=…` is unclassified, so is this).
      for (const [k, v] of dotenvAssignments(w)) codeVar(k, v, cx);
      if (excused) acc.find(`${w.value} (${s.what}) ${excused}`);
      else if (s) {
        acc.tag(TAGS.secrets);
        acc.find(`${name} reads ${w.value} (${s.what})`);
      }
    }
  }
  // Searchers that hand each file to a program of the caller's choosing.
  if ((name === "rg" || name === "ag") && args.some((w) => /^--(pre|pre-glob|pager)(=|$)/.test(w.value))) {
    acc.tag(TAGS.unclassified);
    acc.find(`${name} runs a program given by --pre or --pager on what it reads`);
  }
  const eb = commandEffects(name, args, acc, depth, redirects);
  if (eb) info = { ...(info ?? { name }), ...eb };
  const out = sameShape(info ?? { name });
  afterCommand(name, args, acc, out, redirects);
  return out;
}

/**
 * The handlers return CmdInfo literals of many shapes; the pipeline analysis reads every field of every
 * command's info, and on objects of one shape those reads stay cheap.
 */
function sameShape(i: CmdInfo): CmdInfo {
  return {
    name: i.name,
    fetchHost: i.fetchHost,
    decoder: i.decoder,
    runsStdin: i.runsStdin,
    envDump: i.envDump,
    networkSink: i.networkSink,
    literal: i.literal,
    capability: i.capability,
    flow: i.flow,
  };
}
