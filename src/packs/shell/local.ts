import { TAGS } from "../common";
import { BRACED_HOME } from "../credentials";
import { type Cx, READ_CMDS } from "./commands";
import { clonedFrom } from "./extra";
import type { Acc, CmdInfo } from "./index";
import { classifyLineInto, classifyWords, downloadedFrom } from "./index";
import { curlLeavesAlone, noteFileWrite } from "./inline-code";
import type { Command, Redirect, Script, Word } from "./tokenize";

/**
 * Running the project's own code, sessions and language-model CLIs.
 *
 * A script or program named by a relative path inside the working tree, run
 * directly (`./x.sh`, `bin/tool`), by an interpreter (`python3 x.py`,
 * `bash scripts/build.sh`, `node index.js`, `deno run ./x.ts`) or sourced
 * (`source ./env.sh`), is one class: the capability `shell.run`, tagged
 * `write`, the same as a build (`make`, `npm test`), whose Makefile or
 * package scripts are just as opaque. Policy authors who want a human to look
 * first can match `capability: shell.run`.
 *
 * Residual risk: an agent can write a script in one action and run it in the
 * next, and Cordon judges each action alone (the same is already true of a
 * Makefile edited before `make`). Within one line it is not allowed: a script
 * written, downloaded, cloned or unpacked earlier on the same line, one run
 * after a `cd` out of the tree, from stdin or a pipe, from an absolute path,
 * under `..`, `~` or scratch space, or named by an expansion or a glob stays
 * `unclassified` (or `remote-exec` when it came from the network).
 */

/** What the line has done so far that changes what a relative path means or holds. */
export interface LocalLineState {
  /** Relative paths written earlier on the line (files or directories), normalised. */
  written: Set<string>;
  /** Paths outside the tree written earlier (`~/.bashrc`), normalised. */
  writtenOut: Set<string>;
  /** A write whose target Cordon could not read (`> "$F"`, an archive unpacked, a patch applied, a branch checked out). */
  unknownWrite: boolean;
  /** A `cd` (or `env -C`) moved away from the working tree, or to a place Cordon cannot tell. */
  leftTree: boolean;
  /** Nested in a remote or container context (`ssh host CMD`, `kubectl exec`): relative paths are not the tree's. */
  elsewhere: number;
  /** Commands seen by localCommand (to tell whether every command of the line was). */
  seen: number;
  /** A curl ran whose only write is a named data file in scratch space (see curlLeavesAlone). */
  scratchFetch: boolean;
  /** Another command ran while the line had both `network` and `write`: it may be a fetch that wrote files. */
  fetchWrote: boolean;
}

function stateOf(acc: Acc): LocalLineState {
  let s = acc.localState;
  if (!s) {
    s = {
      written: new Set(),
      writtenOut: new Set(),
      unknownWrite: false,
      leftTree: false,
      elsewhere: 0,
      seen: 0,
      scratchFetch: false,
      fetchWrote: false,
    };
    acc.localState = s;
  }
  return s;
}

const GLOB = /[*?[\]{}]/;

/** The normalised form of a relative path that stays inside the working tree, or null. */
export function inTree(p: string): string | null {
  if (p === "" || p.startsWith("/") || p.startsWith("~") || p.startsWith("-")) return null;
  if (p.includes("$") || p.includes("`") || p.includes("://") || p.includes("\\") || GLOB.test(p)) return null;
  const parts: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") return null;
    parts.push(seg);
  }
  return parts.length === 0 ? "." : parts.join("/");
}

/** Verbs of writeTargets that do not change what a file holds. */
const NOT_CONTENT = new Set(["changes permissions of", "changes ownership of", "removes", "touches", "moves"]);

/** A write seen on the line (redirection or command target), for `echo ... > x.sh; bash x.sh`. */
export function noteWrite(acc: Acc, path: string, verb = "writes to"): void {
  // Every write, moves and permission changes included, for the inline reader (`mv x.txt json.py`).
  noteFileWrite(acc, path);
  if (NOT_CONTENT.has(verb)) return;
  const s = stateOf(acc);
  if (path.includes("$") || path.includes("`")) {
    s.unknownWrite = true;
    return;
  }
  const n = inTree(path);
  if (n !== null && s.written.size < 64) s.written.add(n);
  else if (n === null && GLOB.test(path)) s.unknownWrite = true;
  else if (n === null && s.writtenOut.size < 64) s.writtenOut.add(homeForm(path));
}

/** `$HOME/x`, `${HOME}/x` and `~/x` alike. */
function homeForm(p: string): string {
  if (p.startsWith("$HOME/")) return `~/${p.slice(6)}`;
  if (p.startsWith(BRACED_HOME)) return `~${p.slice(BRACED_HOME.length)}`;
  // `/home/u/.bashrc` may be this user's `~/.bashrc`: compare them as one (fail closed).
  const m = /^(?:\/home\/[^/]+|\/Users\/[^/]+|\/root)(\/.*)?$/.exec(p);
  if (m) return `~${m[1] ?? ""}`;
  return p;
}

/** Commands that change files of the tree without Cordon knowing which: unpacking, patching, git checkouts and merges. */
function writesUnknownFiles(name: string, vals: readonly string[]): boolean {
  switch (name) {
    case "tar":
    case "bsdtar":
    case "gtar":
      // The mode is the first word (`tar xzf`) or an option word (`tar -xzf`), never a file name.
      return vals.some(
        (v, k) => v === "--extract" || v === "--get" || ((k === 0 || v.startsWith("-")) && !v.startsWith("--") && /^-?[A-Za-z]*x/.test(v)),
      );
    case "unzip":
      return !vals.some((v) => v === "-l" || v === "-t" || v === "-Z" || v === "-v");
    case "7z":
    case "7za":
    case "7zr": {
      const first = vals.find((v) => !v.startsWith("-"));
      return first === "x" || first === "e";
    }
    case "cpio":
      return vals.some((v) => v === "--extract" || /^-[A-Za-z]*i/.test(v));
    case "patch":
      return !vals.includes("--dry-run");
    case "gunzip":
    case "bunzip2":
    case "unxz":
    case "unzstd":
    case "unlz4":
      return true;
    case "gzip":
    case "bzip2":
    case "xz":
    case "zstd":
      return vals.some((v) => v === "-d" || v === "--decompress");
    default:
      // Fail closed: only commands known to leave file contents alone, or whose written files are tracked
      // (noteWrite), or that are themselves the project's build and code runners, keep a later script the project's.
      return !LEAVES_FILES.has(name) && !READ_CMDS.has(name);
  }
}

/**
 * Commands after which a relative script is still the project's: they change no file content, or the
 * files they write are recorded (cp, mv, ln, tee, install, dd, sed -i, redirections), or they are the
 * project's own build and test runners (which run the project's code anyway). git has its own rule (localGit).
 */
const LEAVES_FILES = new Set(
  (
    "echo printf mkdir touch chmod chown chgrp rm rmdir cp mv ln tee install dd git cd pushd popd export set unset " +
    "source . alias true false make cmake npm pnpm yarn bun cargo go pytest python python3 node bash sh zsh ruby perl deno tsx ts-node sudo env time timeout nice nohup " +
    // Compilers and bundlers write build output from the tree's own sources, like make.
    "tsc esbuild vite webpack rollup gcc g++ cc clang clang++ rustc javac ninja meson bazel gradle mvn dotnet swift"
  ).split(" "),
);

const GIT_TREE_WRITERS = new Set([
  "apply",
  "am",
  "checkout",
  "switch",
  "restore",
  "merge",
  "pull",
  "rebase",
  "cherry-pick",
  "reset",
  "stash",
  "revert",
  "submodule",
  "worktree",
  "read-tree",
  "checkout-index",
]);

/** Called after a git command (see afterGit in flow.ts): checkouts, merges and patches change files of the tree. */
export function localGit(words: readonly Word[], acc: Acc): void {
  let i = 1;
  while (i < words.length && (words[i]?.value ?? "").startsWith("-"))
    i += ["-C", "-c", "--git-dir", "--work-tree"].includes(words[i]?.value ?? "") ? 2 : 1;
  const sub = words[i]?.value ?? "";
  if (GIT_TREE_WRITERS.has(sub)) stateOf(acc).unknownWrite = true;
}

/** `cd DIR` (and friends): a relative path afterwards is only the tree's when DIR is inside it. */
export function noteChdir(acc: Acc, dir: string | undefined): void {
  if (dir === undefined || inTree(dir) === null) stateOf(acc).leftTree = true;
}

/** Classify `fn` as running somewhere else (a remote host, a container). */
export function elsewhere<T>(acc: Acc, fn: () => T): T {
  const s = stateOf(acc);
  s.elsewhere++;
  try {
    return fn();
  } finally {
    s.elsewhere--;
  }
}

/** The script of a whole line (not a substitution, group or nested `sh -c`): its stdin is the caller's. */
export function markTopLevel(acc: Acc, script: Script, line: string): void {
  // Loops, `coproc` and braces give the commands inside them a stdin of their own (`while ...; do bash; done < f`).
  if (acc.topLevel === undefined && !COMPOUND.test(line)) acc.topLevel = script;
}

const COMPOUND = /(^|[\s;&|(])(coproc|while|until|for|select|do|done|if|then|else|case|\{|\})(?=[\s;&|)]|$)/;

/** Called after each command: `cd` and `pushd` change where relative paths point. */
export function localCommand(name: string, args: readonly Word[], acc: Acc, vals: readonly string[] = args.map((w) => w.value)): void {
  if (name === "hash" && args.some((w) => w.value === "-p" || /^-[a-z]*p/.test(w.value))) {
    acc.tag(TAGS.unclassified);
    acc.find("hash -p binds a command name to a file of the caller's choosing, so what later commands run is hidden");
  }
  const s = stateOf(acc);
  s.seen++;
  // `curl -s -o /tmp/repo.json URL`: its one write is a data file in scratch space, which changes no
  // file of the tree and nothing `import` finds (see scratchDataFile).
  const scratchFetch = name === "curl" && curlLeavesAlone(args);
  if (scratchFetch) s.scratchFetch = true;
  else if (acc.tags.has(TAGS.network) && acc.tags.has(TAGS.write)) s.fetchWrote = true;
  if (!scratchFetch && writesUnknownFiles(name, vals)) s.unknownWrite = true;
  if (name === "cd" || name === "pushd" || name === "popd" || name === "chdir") {
    const dir = args.find((w) => !w.value.startsWith("-") || w.value === "-");
    noteChdir(acc, name === "popd" || dir?.value === "-" ? undefined : dir?.value);
  }
}

/** Why a relative path named on this line is not (any longer) the project's own code, or null when it is. */
function notOwn(path: string, acc: Acc): string | null {
  const n = inTree(path);
  if (n === null) return "";
  // Inside the tree but not the project's source: git's own files (hooks) and installed packages.
  // (A virtualenv's own activate script, which `python -m venv` writes, is the exception.)
  const activate = /^\.?venv\/bin\/activate(\.fish|\.csh)?$/.test(n);
  if (!activate && /(^|\/)(\.git|node_modules|\.venv|venv|site-packages|\.tox|vendor\/bundle)(\/|$)/.test(n))
    return `${path} is in git's metadata or an installed package, not the project's own source`;
  const s = stateOf(acc);
  if (s.elsewhere > 0) return "";
  if (s.leftTree) return `the line changed directory first, so ${path} may not be the project's`;
  if (s.unknownWrite)
    return `the line first ran a command that may write files Cordon cannot list (an unknown tool, a download, an unpacked archive, a patch, a checkout), which may include ${path}`;
  for (const w of s.written) {
    if (w === "." || n === "." || n === w || n.startsWith(`${w}/`)) return `${path} is written earlier on the line`;
  }
  // A fetch that wrote files (git clone, wget, scp, curl -O) may have put the script there. Not when the
  // network and write tags come from curls whose only writes are data files in scratch space, every
  // earlier command was seen here (none handed to another pack, none unnoted), and no other command
  // ran with both tags present.
  const scratchOnly = s.scratchFetch && !s.fetchWrote && s.seen === acc.commandCount - 1;
  if (acc.tags.has(TAGS.network) && acc.tags.has(TAGS.write) && !scratchOnly)
    return `the line fetched and wrote files first, which may include ${path}`;
  return null;
}

/**
 * A script or program the line runs: when it is the project's own, tag it
 * as one (`write`, `shell.run`) and return true; otherwise return false and
 * leave the caller's fail-closed handling (with the reason as a finding).
 */
export function runOwnCode(word: Word | string, acc: Acc, how = "", finding?: string, args: readonly Word[] = []): boolean {
  const path = typeof word === "string" ? word : word.value;
  safetyOptions(args, acc);
  if (typeof word !== "string" && (word.expanded || word.procSub)) return false;
  if (downloadedFrom(path, acc) !== undefined) return false;
  const url = clonedFrom(path, acc);
  if (url !== undefined) {
    acc.tag(TAGS.remote_exec, TAGS.network, TAGS.write);
    acc.find(`runs ${path}, from ${url}, cloned earlier on the line: it runs code fetched from the network`);
    return false;
  }
  const why = notOwn(path, acc);
  if (why !== null) {
    if (why !== "") acc.find(why);
    return false;
  }
  acc.tag(TAGS.write);
  acc.find(finding ?? `runs the project's own script ${path}${how}; Cordon cannot see what it does`);
  acc.lastCapability = "shell.run";
  return true;
}

// ---------------------------------------------------------------- shell start-up files

const STARTUP_HOME = new Set([
  ".bashrc",
  ".bash_profile",
  ".bash_login",
  ".profile",
  ".zshrc",
  ".zprofile",
  ".zshenv",
  ".zlogin",
  ".kshrc",
  ".mkshrc",
]);
const STARTUP_SYSTEM = new Set(["/etc/profile", "/etc/bash.bashrc", "/etc/bashrc", "/etc/zshrc", "/etc/zsh/zshrc", "/etc/zprofile"]);

/** A shell start-up file every new shell of the user runs anyway (`~/.bashrc`, `/etc/profile.d/x.sh`). */
export function startupFile(path: string): boolean {
  let p = path;
  if (p.startsWith("$HOME/")) p = `~/${p.slice(6)}`;
  else if (p.startsWith(BRACED_HOME)) p = `~${p.slice(BRACED_HOME.length)}`;
  if (p.startsWith("~/")) return STARTUP_HOME.has(p.slice(2));
  if (STARTUP_SYSTEM.has(p)) return true;
  if (p.startsWith("/etc/profile.d/")) {
    const rest = p.slice(15);
    // `/etc/profile.d/*.sh` is what /etc/profile itself runs.
    return rest === "*.sh" || (rest.endsWith(".sh") && !rest.includes("/") && inTree(rest) !== null);
  }
  return false;
}

/**
 * `source ~/.bashrc`: re-running the user's own start-up files is what every
 * new shell does, and the shell the agent runs in already ran them, so it is
 * `write` (it may set variables and functions), not an unknown. A start-up
 * file changed earlier on the line (`echo ... >> ~/.bashrc && source ~/.bashrc`)
 * is tagged `persistence` by the write and is not excused here.
 */
export function sourceStartup(word: Word, acc: Acc, name: string): boolean {
  if (word.procSub || !startupFile(word.value)) return false;
  const s = stateOf(acc);
  if (acc.tags.has(TAGS.persistence) || s.unknownWrite || s.writtenOut.has(homeForm(word.value))) return false;
  acc.tag(TAGS.write);
  acc.find(`${name} re-runs the shell start-up file ${word.value}, as every new shell does`);
  acc.lastCapability = "shell.run";
  return true;
}

// ---------------------------------------------------------------- interactive sessions

const SHELL_NAMES = new Set(["sh", "bash", "zsh", "dash", "ksh", "ash", "mksh", "fish", "csh", "tcsh"]);
/** Readers of stdin whose language is not shell: interpreters and database clients. */
const OTHER_LANGUAGE = new Set([
  "node",
  "nodejs",
  "perl",
  "ruby",
  "php",
  "lua",
  "pypy",
  "pypy3",
  "deno",
  "bun",
  "psql",
  "mysql",
  "mariadb",
  "sqlite3",
  "mongo",
  "mongosh",
  "redis-cli",
]);

/** A reader of commands (a shell, `at`, `source /dev/stdin`, `ssh`) that reads what it is fed as shell commands. */
export function readsShell(name: string): boolean {
  return !OTHER_LANGUAGE.has(name) && !name.startsWith("python") && !name.startsWith("perl5");
}
const SESSION_CLIENTS = new Set(["ssh", "psql", "mysql", "mariadb", "sqlite3", "mongo", "mongosh", "redis-cli"]);

/**
 * A command that reads commands from its stdin, first in its pipeline: when it
 * is a whole line's own command and nothing is redirected into it, its stdin
 * is the terminal, so it is an interactive session, not `curl | sh`. Returns
 * true when it was classified as one.
 *
 * - A local shell (`bash`, `bash --norc`, `exec bash`, `zsh -l`) runs the
 *   user's start-up files and then waits for commands typed into it; the
 *   agent's commands reach Cordon as later actions. `write`, `shell.session`.
 * - `ssh host` and database clients open a live session elsewhere whose
 *   commands Cordon does not see: `exec` + `network`.
 */
export function interactiveSession(cmd: Command, info: CmdInfo, acc: Acc, script: Script): boolean {
  if (acc.topLevel !== script) return false;
  if (cmd.redirects.some((r: Redirect) => r.op.startsWith("<") && r.op !== "<<" && r.op !== "<<-" && r.op !== "<<<")) return false;
  if (cmd.redirects.some((r: Redirect) => r.op === "<<" || r.op === "<<-" || r.op === "<<<")) return false;
  // `exec </tmp/x; bash`: an earlier bare `exec` with redirections changed this shell's own input or descriptors.
  if (script.commands.some((c) => c !== cmd && c.words[0]?.value === "exec" && c.words.length === 1 && c.redirects.length > 0))
    return false;
  const name = info.name;
  // Only the program itself or `exec PROGRAM`, with no variables set for it: not `coproc bash` (fed by a pipe),
  // `unshare bash`, `setarch ... bash` or `INPUTRC=... bash`, which stay with their own rules.
  const first = cmd.words[0]?.value ?? "";
  const direct = first === name || (first === "exec" && cmd.words[1]?.value === name);
  if (!direct || cmd.assigns.length > 0) return false;
  if (SHELL_NAMES.has(name)) {
    if (cmd.words.some((w) => w.value === "--rcfile" || w.value === "--init-file" || w.expanded)) return false;
    acc.tag(TAGS.write);
    acc.find(
      `starts an interactive ${name}: it runs the user's start-up files, then waits for commands, which reach Cordon as later actions`,
    );
    acc.lastCapability = "shell.session";
    return true;
  }
  if (SESSION_CLIENTS.has(name)) {
    acc.tag(TAGS.exec, TAGS.network);
    acc.find(
      `opens an interactive ${name} session${acc.labels.host ? ` on ${acc.labels.host}` : ""}: what is typed into it, Cordon does not see`,
    );
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- handlers

type Handler = (args: readonly Word[], cx: Cx) => CmdInfo | undefined;

function cap(cx: Cx, c?: string): void {
  cx.acc.lastCapability = c ?? `shell.${cx.name.replaceAll(".", "-")}`;
}

function unclassified(cx: Cx, why: string): CmdInfo {
  cx.acc.tag(TAGS.unclassified);
  cx.acc.find(why);
  return { name: cx.name };
}

/** Classify the command a wrapper runs, from word `from` on. */
function innerFrom(args: readonly Word[], from: number, cx: Cx): CmdInfo | undefined {
  if (from >= args.length) return undefined;
  return classifyWords(args.slice(from), cx.acc, cx.depth + 1, cx.redirects);
}

const VERSION = new Set(["--version", "-V", "version", "--help", "-h", "help"]);

/** `doppler run -- CMD`, `infisical run -- CMD`: the inner command, handed the project's secrets as variables by design. */
const secretsRunner: Handler = (args, cx) => {
  cap(cx);
  const vals = args.map((w) => w.value);
  const sub = vals.find((v) => !v.startsWith("-")) ?? "";
  if (vals.length === 0 || VERSION.has(vals[0] ?? "")) {
    cx.acc.tag(TAGS.read);
    return { name: cx.name };
  }
  if (sub !== "run") return unclassified(cx, `${cx.name} ${sub} is not a subcommand Cordon knows`);
  const dd = vals.indexOf("--");
  cx.acc.tag(TAGS.secrets);
  cx.acc.find(`${cx.name} run hands the project's secrets to the command it runs, as environment variables`);
  if (dd < 0) {
    const cmd = vals.findIndex((v) => v === "--command" || v.startsWith("--command="));
    if (cmd >= 0) {
      const text = vals[cmd]?.includes("=") ? (vals[cmd]?.slice(10) ?? "") : (vals[cmd + 1] ?? "");
      classifyLineInto(text, cx.acc, cx.depth + 1);
      return { name: cx.name };
    }
    return unclassified(cx, `${cx.name} run without -- runs a command Cordon cannot find`);
  }
  if (dd + 1 >= args.length) return unclassified(cx, `${cx.name} run -- with no command`);
  innerFrom(args, dd + 1, cx);
  return { name: cx.name };
};

/** gdb commands (from -ex) that only inspect or run the program: not `shell`, `!`, `python`, `call`, `print`. */
const GDB_SAFE =
  /^(info( [a-z -]+)?|bt( full)?|backtrace( full)?|where|run|r|start|continue|c|quit|q|list|disassemble|thread apply all (bt|backtrace)( full)?|set (pagination|confirm) (on|off)|set print pretty( on| off)?)$/;

const GDB_PLAIN = new Set([
  "-batch",
  "--batch",
  "-q",
  "-quiet",
  "--quiet",
  "-nx",
  "--nx",
  "-n",
  "-nh",
  "--nh",
  "-silent",
  "--silent",
  "-tui",
  "--tui",
]);

/**
 * gdb PROGRAM [CORE]: debugs a local program. Only a program of the project,
 * with no command files (`-x`) and no commands (`-ex`) beyond inspection, is
 * `write`; gdb runs shell commands from `shell`, `!` and Python, and `-p`
 * attaches to another process.
 */
export function gdbRunsOwn(args: readonly Word[], cx: Cx): boolean {
  const vals = args.map((w) => w.value);
  let program: Word | undefined;
  const no = (why: string): boolean => {
    cx.acc.find(why);
    return false;
  };
  for (let i = 0; i < args.length; i++) {
    const v = vals[i] ?? "";
    if (v === "--args") {
      program = args[i + 1];
      break;
    }
    if (v === "-ex" || v === "--ex" || v === "-eval-command" || v === "--eval-command") {
      const c = (vals[i + 1] ?? "").trim().replace(/\s+/g, " ");
      if (!GDB_SAFE.test(c)) return no(`gdb -ex '${c.length > 40 ? `${c.slice(0, 40)}…` : c}' runs a command Cordon does not classify`);
      i++;
      continue;
    }
    if (GDB_PLAIN.has(v)) continue;
    if (v.startsWith("-")) return no(`gdb ${v} may run commands from a file, which Cordon does not classify`);
    if (!program) program = args[i];
    else if (i !== args.length - 1) return no(`gdb ${v}: more than a program and a core file`);
  }
  if (!program) return no("starts gdb without a program; the commands typed into it, Cordon does not see");
  return runOwnCode(program, cx.acc, " under the debugger gdb");
}

/** watchmedo: `auto-restart ... -- CMD` restarts CMD on changes; `shell-command --command=...` runs a shell line. */
const watchmedo: Handler = (args, cx) => {
  cap(cx);
  const vals = args.map((w) => w.value);
  const sub = vals[0] ?? "";
  if (vals.length === 0 || VERSION.has(sub)) {
    cx.acc.tag(TAGS.read);
    return { name: cx.name };
  }
  if (sub === "log") {
    // Logs file events; watching outside the tree (`/etc`, `~`) is surveillance Cordon does not judge.
    const dirs = args
      .slice(1)
      .filter((w, k) => !w.value.startsWith("-") && !["-p", "--patterns", "-i", "--ignore-patterns", "--trace"].includes(vals[k] ?? ""));
    if (dirs.some((w) => inTree(w.value) === null)) return unclassified(cx, "watchmedo log watches file events outside the working tree");
    cx.acc.tag(TAGS.read);
    return { name: cx.name };
  }
  cx.acc.tag(TAGS.write);
  if (sub === "auto-restart") {
    const dd = vals.indexOf("--");
    if (dd < 0 || dd + 1 >= args.length) return unclassified(cx, "watchmedo auto-restart without -- runs a command Cordon cannot find");
    cx.acc.find("watchmedo auto-restart runs the command again whenever files change");
    innerFrom(args, dd + 1, cx);
    return { name: cx.name };
  }
  if (sub === "shell-command") {
    const at = vals.findIndex((v) => v === "-c" || v === "--command" || v.startsWith("--command="));
    if (at < 0) return unclassified(cx, "watchmedo shell-command runs a default command");
    const v = vals[at] ?? "";
    classifyLineInto(v.startsWith("--command=") ? v.slice(10) : (vals[at + 1] ?? ""), cx.acc, cx.depth + 1);
    return { name: cx.name };
  }
  return unclassified(cx, `watchmedo ${sub} runs commands Cordon does not classify`);
};

/** picklescan reads pickle files (or a URL) and reports dangerous imports, without loading them. */
const picklescan: Handler = (args, cx) => {
  cap(cx);
  cx.acc.tag(TAGS.read);
  const vals = args.map((w) => w.value);
  const u = vals.findIndex((v) => v === "-u" || v === "--url");
  if (u >= 0) {
    const url = vals[u + 1] ?? "";
    const m = /^https?:\/\/([^/:?#]+)/.exec(url);
    cx.acc.host(m?.[1] ?? null);
    cx.acc.tag(TAGS.network);
  }
  return { name: cx.name };
};

const PYTEST_VALUED = new Set([
  "-k",
  "-m",
  "-p",
  "-c",
  "-o",
  "-n",
  "--rootdir",
  "--junitxml",
  "--junit-xml",
  "--basetemp",
  "--cov",
  "--tb",
  "-W",
  "--maxfail",
  "--deselect",
  "--ignore",
  "--confcutdir",
  "--log-file",
  "--durations",
]);

/** pytest options whose value is a path it reads or writes. */
const PYTEST_PATHS = new Set([
  "-c",
  "--config-file",
  "--rootdir",
  "--confcutdir",
  "--basetemp",
  "--log-file",
  "--junitxml",
  "--junit-xml",
  "--html",
  "--result-log",
  "--report-log",
  "--debug",
]);

/** pytest runs the project's tests (its own code), like `npm test`: `write`; test paths outside the tree stay unknown. */
const pytest: Handler = (args, cx) => {
  const vals = args.map((w) => w.value);
  if (vals.length === 1 && VERSION.has(vals[0] ?? "")) {
    cx.acc.tag(TAGS.read);
    cap(cx);
    return { name: cx.name };
  }
  for (let i = 0; i < args.length; i++) {
    const v = vals[i] ?? "";
    if (v.startsWith("-")) {
      // Options that name a file or directory pytest reads (configuration) or writes (logs, reports, and
      // --basetemp, which it deletes first): only paths inside the working tree keep this the project's run.
      const eq = v.indexOf("=");
      const opt = eq > 0 ? v.slice(0, eq) : /^-c./.test(v) ? "-c" : v;
      const attached = eq > 0 ? v.slice(eq + 1) : opt === "-c" && v.length > 2 ? v.slice(2) : undefined;
      const val = attached ?? (PYTEST_VALUED.has(opt) || PYTEST_PATHS.has(opt) ? (vals[i + 1] ?? "") : "");
      if (PYTEST_PATHS.has(opt) && inTree(val) === null)
        return unclassified(cx, `${cx.name} ${opt} ${val} names a file or directory outside the working tree`);
      if (attached === undefined && (PYTEST_VALUED.has(opt) || PYTEST_PATHS.has(opt))) i++;
      continue;
    }
    const path = v.split("::")[0] ?? "";
    if (inTree(path) === null) return unclassified(cx, `${cx.name} runs tests from ${v}, outside the working tree`);
  }
  if (!runOwnCode(".", cx.acc, "", `${cx.name} runs the project's tests (its own code); Cordon cannot see what they do`))
    return unclassified(cx, `${cx.name} runs tests Cordon cannot see`);
  return { name: cx.name };
};

// ---------------------------------------------------------------- language models and AI agents

const AGENT = "starts an AI agent whose own actions Cordon does not see";

function agent(cx: Cx, extra = ""): CmdInfo {
  cap(cx);
  cx.acc.tag(TAGS.unclassified);
  cx.acc.find(`${cx.name} ${AGENT}${extra}`);
  return { name: cx.name, networkSink: true };
}

/** Autonomous coding agents: whatever they do next, they do on their own. */
const autonomous: Handler = (args, cx) => {
  const vals = args.map((w) => w.value);
  if (vals.length === 1 && VERSION.has(vals[0] ?? "")) {
    cap(cx);
    cx.acc.tag(TAGS.read);
    return { name: cx.name };
  }
  return agent(cx);
};

/** A prompt sent to a model: `network` (egress allowlists govern where), the answer printed. */
function prompt(cx: Cx, where: string, host?: string): CmdInfo {
  cap(cx, "shell.llm");
  cx.acc.tag(TAGS.network);
  if (host) cx.acc.host(host);
  cx.acc.find(
    where.includes("prints") ? `${cx.name} sends a prompt to ${where}` : `${cx.name} sends a prompt to ${where}; the answer is printed`,
  );
  return { name: cx.name, networkSink: true };
}

const LLM_READ = new Set(["models", "templates", "aliases", "logs", "plugins", "schemas", "fragments", "collections", "similar", "openai"]);
const LLM_WRITE = new Set(["embed", "embed-multi", "embed-models"]);
const LLM_VALUED = new Set([
  "-m",
  "--model",
  "-s",
  "--system",
  "-t",
  "--template",
  "-p",
  "--param",
  "-o",
  "--option",
  "-a",
  "--attachment",
  "-f",
  "--fragment",
  "-c",
  "--cid",
  "--conversation",
  "--key",
  "--at",
  "--schema",
  "-d",
  "--database",
  "--usage",
]);

/** `llm "prompt"`, `cat x | llm summarize`, `llm chat` (simonw/llm). Tools (`-T`, `--functions`) and `llm cmd` run code. */
const llm: Handler = (args, cx) => {
  const vals = args.map((w) => w.value);
  if (
    vals.some(
      (v) =>
        v === "-T" ||
        v === "--tool" ||
        v.startsWith("--tool=") ||
        (v.startsWith("-T") && !v.startsWith("--")) ||
        v.startsWith("--functions") ||
        v === "--td" ||
        v === "--tools-debug" ||
        v === "--ta" ||
        v === "--tools-approve",
    )
  )
    return agent(cx, " (tools let the model run code)");
  let i = 0;
  while (i < vals.length && (vals[i] ?? "").startsWith("-")) i += LLM_VALUED.has(vals[i] ?? "") ? 2 : 1;
  const sub = vals[i] ?? "";
  if (vals.length === 1 && VERSION.has(vals[0] ?? "")) {
    cap(cx);
    cx.acc.tag(TAGS.read);
    return { name: cx.name };
  }
  if (sub === "keys") {
    cap(cx);
    cx.acc.tag(TAGS.secrets);
    cx.acc.find("llm keys handles the API keys llm stores");
    return { name: cx.name };
  }
  if (sub === "install" || sub === "uninstall") return unclassified(cx, `llm ${sub} changes the Python packages (plugins) llm loads`);
  if (sub === "cmd") return agent(cx);
  if (LLM_READ.has(sub) && i === 0) {
    cap(cx);
    cx.acc.tag(TAGS.read);
    return { name: cx.name };
  }
  if (LLM_WRITE.has(sub) && i === 0) {
    cx.acc.tag(TAGS.write);
    return prompt(cx, "an embedding model");
  }
  if (sub === "chat" && i === 0) return prompt(cx, "a language model in a chat session");
  return prompt(cx, "a language model");
};

/** `mods "prompt"` (charmbracelet): a prompt and the piped input go to the model; MCP servers give it tools. */
const mods: Handler = (args, cx) => {
  const vals = args.map((w) => w.value);
  if (vals.some((v) => v.includes("mcp"))) return agent(cx, " (MCP servers give the model tools)");
  if (vals.length === 1 && VERSION.has(vals[0] ?? "")) {
    cap(cx);
    cx.acc.tag(TAGS.read);
    return { name: cx.name };
  }
  if (vals.some((v) => v === "--settings" || v === "--dirs" || v === "-l" || v === "--list" || v === "-S" || v === "--show")) {
    cap(cx);
    cx.acc.tag(TAGS.read);
    return { name: cx.name };
  }
  return prompt(cx, "a language model");
};

/** sgpt (shell-gpt): a prompt, unless --shell / --execute, which runs the shell commands the model writes. */
const sgpt: Handler = (args, cx) => {
  const vals = args.map((w) => w.value);
  if (vals.some((v) => v === "-s" || v === "--shell" || v === "--execute" || v === "-e" || v === "--functions" || v === "--repl"))
    return agent(cx, " (it runs the shell commands the model writes)");
  return prompt(cx, "a language model");
};

/** OLLAMA_HOST set on the line (`OLLAMA_HOST=0.0.0.0 ollama serve`): where the server listens. */
const ollamaHost = new WeakMap<Acc, string>();

/** A variable assignment on the line (see onAssign in flow.ts). */
export function localAssign(name: string, value: string, acc: Acc): void {
  if (name === "OLLAMA_HOST") ollamaHost.set(acc, value);
  const why = safetyOff(name, value);
  if (why) {
    acc.tag(TAGS.evasion);
    acc.find(`sets ${name}=${value}, which ${why}`);
  }
}

// ---------------------------------------------------------------- safety switches

/** A setting that names a safety control of an application or agent: safe mode, guardrails, approvals, a sandbox, harm blocking, moderation. */
const SAFETY_WORD =
  /(^|[_-])(safe[_-]?mode|safety|guardrails?|approvals?|harm[_-]?block[_-]?threshold|content[_-]?filter(ing)?|moderation|sandbox(ing)?|human[_-]?in[_-]?the[_-]?loop|auth)([_-]|$)/;
/** Words in the name that turn the control off (`--skip-approval`, `GUARDRAILS_DISABLED`, `AGENT_AUTH_BYPASS`). */
const NEGATION = /(^|[_-])(no|skip|disabled?|bypass|off|without|unsafe)([_-]|$)/;
const OFF = /^(false|0|off|no|none|disabled?|block[_-]?none|never)$/;
const ON = /^(true|1|on|yes|enabled?)$/;

/**
 * `--safe_mode=false`, `--require-approval=false`, `--skip-approval`, `GUARDRAILS_DISABLED=true`,
 * `HARM_BLOCK_THRESHOLD=BLOCK_NONE`: a setting that, by its own name, switches a safety control
 * of the program off. Whatever the program does with it, the action asks for less protection:
 * `evasion` (it weakens a defence). The reason, or null. `value` is undefined for a bare flag.
 */
export function safetyOff(rawName: string, rawValue: string | undefined): string | null {
  const name = rawName.replace(/^-+/, "").toLowerCase();
  if (name.length > 64 || !SAFETY_WORD.test(name)) return null;
  const value = rawValue?.replace(/^['"]|['"]$/g, "").toLowerCase();
  if (name.includes("auth") && !NEGATION.test(name)) return null;
  const negated = NEGATION.test(name);
  const off = negated ? value === undefined || ON.test(value) : value !== undefined && OFF.test(value);
  return off ? "switches off a safety control (safe mode, guardrails, approvals, a sandbox) of what it runs" : null;
}

/** The options of a run of the project's code: `--name=value`, `--name value` (a boolean value), `--flag`. */
function safetyOptions(args: readonly Word[], acc: Acc): void {
  for (let i = 0; i < args.length && i < 64; i++) {
    const v = args[i]?.value ?? "";
    if (!v.startsWith("-") || v === "-" || v === "--") continue;
    const eq = v.indexOf("=");
    const next = args[i + 1]?.value;
    const value = eq > 0 ? v.slice(eq + 1) : next !== undefined && (ON.test(next) || OFF.test(next)) ? next : undefined;
    const opt = (eq > 0 ? v.slice(0, eq) : v).toLowerCase().replaceAll("_", "-");
    if (opt === "--trust-remote-code" && (value === undefined || ON.test(value.toLowerCase()))) {
      // Hugging Face's trust_remote_code runs the Python code that comes with a model from the hub.
      acc.tag(TAGS.supply_chain);
      acc.find(`${v} lets the program run code that comes with a downloaded model`);
    }
    const why = safetyOff(eq > 0 ? v.slice(0, eq) : v, value);
    if (why) {
      acc.tag(TAGS.evasion);
      acc.find(`${v}${eq < 0 && value !== undefined ? ` ${value}` : ""} ${why}`);
    }
  }
}

/** A model name as ollama takes it (`llama3`, `mistral:7b`, `hf.co/org/repo:Q4_K_M`). */
const OLLAMA_MODEL = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*){0,2}(:[A-Za-z0-9][A-Za-z0-9._-]*)?$/;
const OLLAMA_READ = new Set(["list", "ls", "ps", "show", "help", "--version", "-v", "version", "--help", "-h"]);

/** ollama: a local model server and its client. `run` prompts a model (downloading it when missing); `pull` downloads one. */
const ollama: Handler = (args, cx) => {
  const vals = args.map((w) => w.value);
  const sub = vals.find((v) => !v.startsWith("-")) ?? vals[0] ?? "";
  cap(cx);
  const acc = cx.acc;
  const model = vals[1] ?? "";
  if (vals.length === 0 || OLLAMA_READ.has(sub)) acc.tag(TAGS.read);
  else if (["run", "pull", "rm", "stop", "push", "cp", "create"].includes(sub) && (vals[0] !== sub || !OLLAMA_MODEL.test(model)))
    return unclassified(cx, `ollama ${sub} ${model}: not a plain model name`);
  else if (sub === "run") return prompt(cx, "a local model through the ollama server (it downloads the model when missing)");
  else if (sub === "pull") {
    acc.tag(TAGS.network, TAGS.write);
    acc.find(`ollama pull downloads the model ${vals[vals.indexOf("pull") + 1] ?? ""} from its registry`);
  } else if (sub === "serve") {
    if (vals.length > 1) return unclassified(cx, `ollama serve ${vals[1]}: an option Cordon does not know`);
    const bind = ollamaHost.get(acc);
    if (bind !== undefined && !/^(127\.[0-9.]+|localhost|\[?::1\]?)(:\d+)?$/.test(bind.replace(/^https?:\/\//, "")))
      return unclassified(
        cx,
        `ollama serve with OLLAMA_HOST=${bind} serves the models, without authentication, to whoever can reach ${bind}`,
      );
    acc.tag(TAGS.network, TAGS.write);
    acc.find("ollama serve starts the local model server (on 127.0.0.1:11434 unless OLLAMA_HOST says otherwise)");
  } else if (sub === "push") {
    acc.tag(TAGS.network, TAGS.write, TAGS.exfiltration);
    acc.find("ollama push uploads a local model to a registry");
  } else if (sub === "rm") {
    acc.tag(TAGS.write, TAGS.destructive);
    acc.find(`ollama rm deletes the local model ${model}`);
  } else if (["cp", "create", "stop"].includes(sub)) acc.tag(TAGS.write);
  else return unclassified(cx, `ollama ${sub} is not a subcommand Cordon knows`);
  return { name: cx.name };
};

/** Tools Claude Code may use in print mode without being able to change anything. */
const CLAUDE_READ_TOOLS = /^(Read|Grep|Glob|LS)(\([^()]*\))?$/;
const CLAUDE_VALUED = new Set([
  "--model",
  "--output-format",
  "--input-format",
  "--system-prompt",
  "--append-system-prompt",
  "--max-turns",
  "--fallback-model",
  "--resume",
  "-r",
  "--session-id",
  "--disallowedTools",
  "--disallowed-tools",
  "--add-dir",
]);
const CLAUDE_FLAGS = new Set([
  "-p",
  "--print",
  "--verbose",
  "-c",
  "--continue",
  "--debug",
  "--strict-mcp-config",
  "--include-partial-messages",
  "--replay-user-messages",
]);

/**
 * `claude -p "..."` answers once and stops: a prompt (`network`), as long as
 * no flag gives it tools that run commands or change files. Without `-p` it is
 * the interactive agent. Its settings files can allow more tools; Cordon
 * cannot see them, which the finding says.
 */
const claude: Handler = (args, cx) => {
  const vals = args.map((w) => w.value);
  if (vals.length === 1 && VERSION.has(vals[0] ?? "")) {
    cap(cx);
    cx.acc.tag(TAGS.read);
    return { name: cx.name };
  }
  const sub = vals[0] ?? "";
  if (sub === "mcp" || sub === "config") {
    cap(cx);
    const verb = vals[1] ?? "";
    if (["list", "get", "ls"].includes(verb)) {
      cx.acc.tag(TAGS.read);
      return { name: cx.name };
    }
    if (sub === "mcp" && ["add", "add-json", "add-from-claude-desktop"].includes(verb)) {
      cx.acc.tag(TAGS.write, TAGS.persistence);
      cx.acc.find(`claude mcp ${verb} adds an MCP server, a program the agent starts on its own later`);
      return { name: cx.name };
    }
    return unclassified(cx, `claude ${sub} ${verb} changes the agent's configuration in a way Cordon does not judge`);
  }
  if (sub === "doctor") {
    cap(cx);
    cx.acc.tag(TAGS.read);
    return { name: cx.name };
  }
  let print = false;
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i] ?? "";
    if (v === "-p" || v === "--print") print = true;
    if (!v.startsWith("-")) continue;
    const eq = v.indexOf("=");
    const opt = eq > 0 ? v.slice(0, eq) : v;
    if (opt === "--allowedTools" || opt === "--allowed-tools") {
      const list = eq > 0 ? v.slice(eq + 1) : (vals[++i] ?? "");
      const tools = list.split(/[\s,]+/).filter((t) => t !== "");
      const grant = tools.find((t) => !CLAUDE_READ_TOOLS.test(t));
      if (grant !== undefined) return agent(cx, ` (--allowedTools grants ${grant})`);
      continue;
    }
    if (CLAUDE_FLAGS.has(opt)) continue;
    if (CLAUDE_VALUED.has(opt)) {
      if (eq < 0) i++;
      continue;
    }
    return agent(cx, ` (${opt} is an option Cordon does not judge)`);
  }
  if (!print) return agent(cx);
  // Even in print mode the tools and hooks allowed by its settings files run, and those files live in the
  // working tree (the agent can write them): the same agent, answering once. Fail closed.
  return agent(cx, " (print mode still runs the tools and hooks its settings files allow, which Cordon cannot see)");
};

/** `tsx x.ts`, `ts-node x.ts`, `tsx watch x.ts`: TypeScript runners; with options Cordon does not read the script is not sure. */
const tsRunner: Handler = (args, cx) => {
  const vals = args.map((w) => w.value);
  if (vals.length === 1 && VERSION.has(vals[0] ?? "")) {
    cap(cx);
    cx.acc.tag(TAGS.read);
    return { name: cx.name };
  }
  const at = cx.name === "tsx" && vals[0] === "watch" ? 1 : 0;
  const script = args[at];
  if (!script || script.value.startsWith("-") || !runOwnCode(script, cx.acc, ` with ${cx.name}`))
    return unclassified(cx, `${cx.name} runs ${script?.value ?? "code"}, whose contents Cordon cannot see`);
  return { name: cx.name };
};

const DENO_VALUED = new Set(["-c", "--config", "--import-map", "--lock", "--cert", "--location", "--seed"]);
const DENO_PLAIN = new Set([
  "--watch",
  "--check",
  "--quiet",
  "--cached-only",
  "--allow-all",
  "--reload",
  "--inspect",
  "--inspect-brk",
  "--env-file",
  "--v8-flags",
]);

/**
 * `deno run [options] SCRIPT`: the script word (undefined when this is not `deno run`, null when
 * Cordon cannot read past the options). A URL is supply-chain.ts's to judge.
 */
export function denoScript(args: readonly Word[]): Word | null | undefined {
  if (args[0]?.value !== "run") return undefined;
  for (let i = 1; i < args.length; i++) {
    const v = args[i]?.value ?? "";
    if (!v.startsWith("-")) return args[i];
    const eq = v.indexOf("=");
    const opt = eq > 0 ? v.slice(0, eq) : v;
    if (DENO_VALUED.has(opt)) {
      // A configuration or import map from outside the tree decides what the script imports.
      const value = eq > 0 ? v.slice(eq + 1) : (args[++i]?.value ?? "");
      if (opt !== "--seed" && opt !== "--location" && opt !== "-r" && opt !== "--reload" && inTree(value) === null) return null;
      continue;
    }
    if (/^-[A-Za-z]$/.test(v) || /^--(allow|deny|unstable|no)-[a-z-]+(=.*)?$/.test(v) || DENO_PLAIN.has(opt)) continue;
    return null;
  }
  return null;
}

/**
 * kinit obtains a Kerberos ticket from the realm's KDC (asking for the password) and keeps it in
 * the ticket cache, like `gh auth login`: network + write. With a keytab (`-k -t FILE`) it reads a
 * stored key: secrets. kdestroy throws the cached tickets away.
 */
const kinit: Handler = (args, cx) => {
  cap(cx);
  const acc = cx.acc;
  const vals = args.map((w) => w.value);
  if (cx.name === "kdestroy") {
    acc.tag(TAGS.write);
    acc.find("kdestroy deletes the cached Kerberos tickets");
    return { name: cx.name };
  }
  acc.tag(TAGS.network, TAGS.write);
  const principal = [...vals].reverse().find((v, k, r) => !v.startsWith("-") && !/^-[A-Za-z]*[tcSlrTX]$/.test(r[k + 1] ?? ""));
  acc.find(`kinit obtains a Kerberos ticket${principal ? ` for ${principal}` : ""} and keeps it in the ticket cache`);
  const t = vals.findIndex((v) => /^-[A-Za-z]*t$/.test(v) || v.startsWith("-t"));
  const keytab = t >= 0 ? (vals[t] === "-t" || /^-[A-Za-z]*t$/.test(vals[t] ?? "") ? vals[t + 1] : vals[t]?.slice(2)) : undefined;
  if (keytab !== undefined || vals.some((v) => /^-[A-Za-z]*k/.test(v))) {
    acc.tag(TAGS.secrets);
    acc.find(`kinit -k reads a stored Kerberos key${keytab ? ` (${keytab})` : " (the default keytab)"}`);
  }
  return { name: cx.name };
};

const LOCAL_HANDLERS = new Map<string, Handler>([
  ["kinit", kinit],
  ["kdestroy", kinit],
  ["tsx", tsRunner],
  ["ts-node", tsRunner],
  ["doppler", secretsRunner],
  ["infisical", secretsRunner],
  ["watchmedo", watchmedo],
  ["picklescan", picklescan],
  ["pytest", pytest],
  ["py.test", pytest],
  ["llm", llm],
  ["mods", mods],
  ["sgpt", sgpt],
  ["ollama", ollama],
  ["claude", claude],
]);
// codex and gemini are agentCli in hooks.ts (which reads their `mcp list` too).
for (const a of ["aider", "autogpt", "opencode", "goose", "interpreter", "gpt-engineer", "openhands", "cursor-agent", "amp", "qwen"])
  LOCAL_HANDLERS.set(a, autonomous);

/** The handler this module has for a command name, if any. */
export function localHandler(name: string): Handler | undefined {
  return LOCAL_HANDLERS.get(name);
}
