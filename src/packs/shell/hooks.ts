/**
 * Where the persistence, evasion and privilege-escape judgements meet the
 * shell classifier: called for every write target, every redirection, every
 * classified command and every parsed line. Each hook only adds tags and
 * findings (it never removes what another rule derived), except the handlers
 * in {@link EXTRA_HANDLERS}, which teach the pack commands it did not know.
 */
import { TAGS } from "../common";
import { clipboardEffect } from "./clipboard";
import { isKnownCommand } from "./commands";
import { hostHandle, hostHookFile } from "./escape";
import { cloudLoggingOff, GUARD_PROCESS, historyVar, traceFile } from "./evasion";
import type { CmdInfo } from "./index";
import { Acc, classifyLineInto, classifyWords } from "./index";
import { isOutsideWorkspace, isScratch, isScratchOrRelative } from "./paths";
import { persistentTarget, pipelineFile } from "./persistence";
import type { Redirect, Script, Word } from "./tokenize";

function lit(value: string): Word {
  return { value, raw: value, quoted: false, expanded: false, subs: [], procSub: false, escapes: 0, notRead: undefined, dotenv: undefined };
}

function persistent(acc: Acc, path: string, verb: string): void {
  const p = persistentTarget(path);
  if (p) {
    acc.tag(TAGS.persistence);
    acc.find(`${verb} ${path}: ${p}`);
  }
  const ci = pipelineFile(path);
  if (ci) {
    acc.tag(TAGS.supply_chain);
    acc.find(`${verb} ${path}, ${ci}, which changes what the build runs`);
  }
  const hook = hostHookFile(path);
  if (hook) {
    acc.tag(TAGS.privilege);
    acc.find(`${verb} ${path}: ${hook}`);
  }
}

function erases(acc: Acc, path: string, verb: string): void {
  const t = traceFile(path);
  if (t) {
    acc.tag(TAGS.evasion);
    acc.find(`${verb} ${t}, which hides what happened on the machine`);
  }
}

/** Verbs of writeTargets that replace or add content (as opposed to removing, or changing metadata). */
const CONTENT_VERBS = new Set(["writes to", "edits", "downloads to", "copies into", "links into", "extracts into", "writes"]);
const ERASE_VERBS = new Set(["removes", "truncates", "moves", "deletes under", "links into"]);

/** Called by writeTargets for each target path with its verb (`writes to`, `removes`, `changes permissions of`, ...). */
export function writeEffects(acc: Acc, path: string, verb: string): void {
  if (CONTENT_VERBS.has(verb) || verb.endsWith(" writes to")) persistent(acc, path, verb);
  else if (verb === "changes permissions of") {
    // chmod +x on a hook is what arms it.
    const p = persistentTarget(path);
    if (p?.startsWith("a git hook")) {
      acc.tag(TAGS.persistence);
      acc.find(`makes ${path} runnable: ${p}`);
    }
  }
  if (ERASE_VERBS.has(verb)) erases(acc, path, verb);
}

/** Called for every output redirection (`>`, `>>`, `&>`, ...) with its target. */
export function redirectEffects(acc: Acc, path: string, op: string): void {
  const append = op === ">>" || op === "&>>";
  persistent(acc, path, append ? "appends to" : "writes to");
  if (!append) erases(acc, path, "empties");
  wildcardArm(acc, path);
}

/** A file named like a command-running option arms a later `tar *` or `rsync *` in that directory. */
function wildcardArm(acc: Acc, name: string): void {
  if (!name.startsWith("-")) return;
  if (/^--(checkpoint-action|to-command|use-compress-program|info-script|new-volume-script|rsh)=|^-e\s+\S/.test(name)) {
    acc.tag(TAGS.persistence);
    acc.find(
      `creates a file named ${name}, which a later \`tar *\` or \`rsync *\` in this directory reads as an option that runs a command`,
    );
  }
}

// ---------------------------------------------------------------- variables

/** Variables that redirect where programs read their configuration (and hooks) from. */
const CONFIG_HOME_VARS = new Set([
  "HOME",
  "XDG_CONFIG_HOME",
  "XDG_DATA_HOME",
  "ZDOTDIR",
  "GIT_CONFIG_GLOBAL",
  "GIT_CONFIG_SYSTEM",
  "NPM_CONFIG_USERCONFIG",
  "npm_config_userconfig",
  "npm_config_prefix",
  "NPM_CONFIG_PREFIX",
  "PIP_CONFIG_FILE",
  "GEM_HOME",
  "BUNDLE_GEMFILE",
]);

/** An assignment `NAME=VALUE` (bare, as a prefix, or through export/declare/env). */
export function assignEffects(acc: Acc, name: string, value: string, depth = 0): void {
  const h = historyVar(name, value);
  if (h) {
    acc.tag(TAGS.evasion);
    acc.find(h);
  }
  if (name === "PROMPT_COMMAND" && value.trim() !== "") {
    acc.tag(TAGS.persistence);
    acc.find("sets PROMPT_COMMAND, which runs before every prompt of this shell");
  }
  if (CONFIG_HOME_VARS.has(name) && isScratchOrRelative(value)) {
    acc.tag(TAGS.unclassified);
    acc.find(`points ${name} at ${value}, so programs load their configuration and hooks from a place Cordon cannot see`);
  }
  if (SEARCH_PATH_VARS.has(name) && value.split(":").some((d) => d !== "" && isScratchOrRelative(d))) {
    acc.tag(TAGS.unclassified);
    acc.find(`puts ${value} on ${name}, so programs load code from a place anyone can fill`);
  }
  const loader = CODE_OPTION_VARS.get(name);
  if (loader?.test(value)) {
    acc.tag(TAGS.unclassified);
    acc.find(`sets ${name}=${value.length > 40 ? `${value.slice(0, 40)}…` : value}, which makes programs load code Cordon cannot see`);
  }
  // git runs `$GIT_SSH_COMMAND host git-upload-pack ...`: plain ssh with options is what it expects.
  if (
    COMMAND_VARS.has(name) &&
    value.trim() !== "" &&
    depth < 8 &&
    !/^(ssh|\/usr\/bin\/ssh)(\s+-\S+(\s+[^-\s;|&$`]\S*)?)*\s*$/.test(value.trim())
  ) {
    acc.find(`${name} names a command that runs later: ${value.length > 60 ? `${value.slice(0, 60)}…` : value}`);
    classifyLineInto(value, acc, depth + 1);
  } else if (COMMAND_VARS.has(name)) {
    // Plain ssh with options, as git expects: still, an -o option can run a local command on every connection.
    const m = /-o\s*['"]?\s*(ProxyCommand|LocalCommand|KnownHostsCommand|Match)\s*[= ]\s*(.*)$/is.exec(value);
    if (m) {
      acc.tag(TAGS.unclassified);
      acc.find(`${name} sets ssh's ${m[1]}, which runs a local command on every connection`);
      if (depth < 8) classifyLineInto((m[2] ?? "").replace(/^['"]|['"]\s*$/g, ""), acc, depth + 1);
    }
  }
  const tls = TLS_OFF_VARS.get(name);
  if (tls?.test(value.replace(/^['"]|['"]$/g, ""))) {
    acc.tag(TAGS.evasion);
    acc.find(`sets ${name}=${value}, which turns off TLS certificate checks (anyone on the path can impersonate the server)`);
  }
  if (LOGGING_VAR.test(name) && LOGGING_OFF.test(value.replace(/^['"]|['"]$/g, ""))) {
    acc.tag(TAGS.evasion);
    acc.find(`sets ${name}=${value}, which turns logging or auditing off`);
  }
}

/** Library and module search paths: dangerous only when they point at scratch or relative directories. */
const SEARCH_PATH_VARS = new Set(["PYTHONPATH", "NODE_PATH", "PERL5LIB", "PERLLIB", "RUBYLIB", "CLASSPATH", "GEM_PATH", "LD_LIBRARY_PATH"]);
/** Variables whose options load code, with the options that do. */
const CODE_OPTION_VARS = new Map<string, RegExp>([
  ["NODE_OPTIONS", /(^|\s)(--require|-r|--import|--loader|--experimental-loader)(\s|=|$)/],
  ["PERL5OPT", /(^|\s)-[A-Za-z]*[MmdI]/],
  ["RUBYOPT", /(^|\s)-[A-Za-z]*[rI]/],
  ["JAVA_TOOL_OPTIONS", /-(javaagent|agentpath|agentlib)/],
  ["_JAVA_OPTIONS", /-(javaagent|agentpath|agentlib)/],
  ["JDK_JAVA_OPTIONS", /-(javaagent|agentpath|agentlib)/],
  ["PYTHONSTARTUP", /\S/],
  ["LD_AUDIT", /\S/],
  ["DYLD_INSERT_LIBRARIES", /\S/],
]);
/** Variables whose value is a command git or ssh run later. */
const COMMAND_VARS = new Set(["GIT_SSH_COMMAND", "GIT_SSH", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_PROXY_COMMAND", "GIT_EXTERNAL_DIFF"]);
/** Variables that switch off TLS certificate verification, with the values that do. */
const TLS_OFF_VARS = new Map<string, RegExp>([
  ["GIT_SSL_NO_VERIFY", /^(1|true|yes)$/i],
  ["NODE_TLS_REJECT_UNAUTHORIZED", /^0$/],
  ["PYTHONHTTPSVERIFY", /^0$/],
  ["CURL_INSECURE", /^(1|true)$/i],
  ["npm_config_strict_ssl", /^false$/i],
  ["NPM_CONFIG_STRICT_SSL", /^false$/i],
  ["GONOSUMCHECK", /\S/],
  ["GOINSECURE", /\S/],
]);
const LOGGING_VAR = /(^|_)(LOG_?LEVEL|LOGGING|AUDIT|AUDIT_?LOG|AUDITING)$/;
const LOGGING_OFF = /^(off|none|disabled?|false|0)$/i;

// ---------------------------------------------------------------- lines and scripts

/** Invisible and direction-changing characters: the line displays differently from what runs. */
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;
/** `while true; do`, `while :; do`, `until false; do`. */
const ENDLESS_LOOP = /\b(?:while\s+(?:true|:|\[\s*1\s*\]|\(\(\s*1\s*\)\))|until\s+false)\s*;?\s*do\b/;

/** Shell hook functions that run on their own (command not found, before each prompt, on directory change). */
const HOOK_FUNCTIONS = new Set([
  "command_not_found_handle",
  "command_not_found_handler",
  "preexec",
  "precmd",
  "chpwd",
  "periodic",
  "zshaddhistory",
  "zshexit",
  "TRAPDEBUG",
  "TRAPEXIT",
  "TRAPZERR",
  "fish_prompt",
]);

/**
 * `x[$(cmd)]=1`: bash runs the substitution and evaluates its output as
 * arithmetic, where a further `a[$(...)]` in that output runs too — what
 * finally runs is hidden.
 */
function subscriptRuns(acc: Acc, w: Word): void {
  if (w.subs.length === 0) return;
  const eq = w.raw.indexOf("=");
  const open = w.raw.indexOf("[");
  if (open < 0 || (eq >= 0 && open > eq)) return;
  const close = w.raw.lastIndexOf("]", eq >= 0 ? eq : w.raw.length);
  const subscript = w.raw.slice(open, close > open ? close : w.raw.length);
  if (!subscript.includes("$(") && !subscript.includes("`")) return;
  acc.obfuscated("an array subscript runs a command, and bash evaluates its output as arithmetic, which can run further commands");
}

const SHELL_NAMES = new Set(["sh", "bash", "zsh", "dash", "ksh", "ash", "mksh", "fish", "csh", "tcsh"]);
const INTERACTIVE_FLAG = /^-[a-z]*i/;
const NET_TOOLS = new Set(["nc", "ncat", "netcat", "socat", "telnet", "cryptcat"]);
/** Wrappers whose next word is the command they run. */
const NAME_WRAPPERS = new Set(["exec", "eval", "command", "builtin", "sudo", "doas", "nohup", "env", "time", "nice", "xargs", "setsid"]);

function baseOf(w: Word | undefined): string {
  const v = w?.value ?? "";
  const k = v.lastIndexOf("/");
  return k >= 0 ? v.slice(k + 1) : v;
}

const GLOB_OR_BRACE = /[?*[{]/;

/** `{cu,rl}`, `/???/???/c?rl`, `/usr/bin/[cw]url`: a command name that the shell builds by expansion. */
function expandedName(w: Word | undefined): boolean {
  if (!w || w.quoted) return false;
  const r = w.raw;
  // Run for every command: one test for the characters the patterns below need, which most names lack.
  if (!GLOB_OR_BRACE.test(r)) return false;
  if (/[?*]/.test(r) || /\[[^\]]+\]/.test(r)) return true;
  return /\{[^{}]*,[^{}]*\}/.test(r);
}

/**
 * Per pipeline: an interactive shell wired to a network tool is a reverse
 * shell; a command name spelled as a glob or brace expansion hides what runs;
 * `git config` of a key whose value git runs later is persistence.
 */
function pipelineEffects(script: Script, acc: Acc): void {
  let shell = false;
  let net = false;
  for (const c of script.commands) {
    const w0 = c.words[0];
    const n0 = baseOf(w0);
    const named = NAME_WRAPPERS.has(n0) ? c.words[1] : w0;
    if (expandedName(w0) || (named !== w0 && expandedName(named))) {
      acc.obfuscated(`the command name ${named?.raw ?? ""} is a glob or brace pattern, so what runs depends on expansion`);
    }
    const name = named === w0 ? n0 : baseOf(named);
    if (SHELL_NAMES.has(name)) {
      // One pass over the arguments: an `-i` among the options, or no script operand at all.
      let interactive = false;
      let script = false;
      for (let k = 1; k < c.words.length; k++) {
        const v = (c.words[k] as Word).value;
        if (!v.startsWith("-")) script = true;
        else if (INTERACTIVE_FLAG.test(v)) interactive = true;
      }
      if (interactive || !script) shell = true;
    }
    if (NET_TOOLS.has(name) || (name === "openssl" && c.words.some((w) => w.value === "s_client"))) net = true;
    if (name === "git") gitConfigRunsLater(c.words, acc);
    if (c.sep !== "|" && c.sep !== "|&") {
      if (shell && net) {
        acc.tag(TAGS.remote_exec, TAGS.network);
        acc.find("wires a shell to a network connection (a reverse or bind shell)");
      }
      shell = false;
      net = false;
    }
  }
}

/** git config keys whose value is a program or script git runs later, on its own. */
const GIT_RUN_KEYS =
  /^(core\.(hookspath|fsmonitor|pager|sshcommand|editor|askpass)|sequence\.editor|credential\.helper|gpg\.program|uploadpack\.packobjectshook|(diff|filter|merge)\.[^.]+\.(textconv|command|clean|smudge|process|driver)|alias\.[^.]+)$/i;

function gitConfigRunsLater(words: readonly Word[], acc: Acc): void {
  // Every git command comes here: look for `config` before copying any value.
  const at = words.findIndex((w) => w.value === "config");
  if (at < 0) return;
  const rest = words.slice(at + 1).map((w) => w.value);
  if (rest.some((v) => /^--(get|get-all|get-regexp|list|unset|unset-all|remove-section|show-origin)$/.test(v) || v === "-l")) return;
  const pos = rest.filter((v) => !v.startsWith("-"));
  const key = pos[0] ?? "";
  const value = pos[1];
  if (value === undefined || !GIT_RUN_KEYS.test(key)) return;
  const lower = key.toLowerCase();
  const alias = lower.startsWith("alias.");
  if (alias && !value.startsWith("!")) return;
  const script = /^[/.~]/.test(value) || /[;|&$`<>]|\s/.test(value) || alias || lower === "core.hookspath";
  if (!script) return;
  acc.tag(TAGS.persistence);
  acc.find(`git config ${key} makes git run ${value.length > 60 ? `${value.slice(0, 60)}…` : value} later, on its own`);
  if (lower !== "core.hookspath") classifyLineInto(alias ? value.slice(1) : value, acc, 1);
}

/** Commands handed to other packs (not in the shell tables). */
const PACK_COMMANDS = new Set(["git", "kubectl", "helm", "oc"]);

/**
 * The assignments and function definitions of every command of `script`, groups included (at most
 * 8 levels down). Returns whether one of those commands is put in the background.
 */
function commandDefinitions(script: Script, acc: Acc, depth: number, level = 0): boolean {
  if (level > 8) return false;
  let background = false;
  for (const c of script.commands) {
    if (c.sep === "&") background = true;
    for (const a of c.assigns) {
      const eq = a.value.indexOf("=");
      if (eq > 0) assignEffects(acc, a.value.slice(0, eq), a.value.slice(eq + 1), depth);
      subscriptRuns(acc, a);
    }
    if (c.funcName !== undefined) {
      if (HOOK_FUNCTIONS.has(c.funcName)) {
        acc.tag(TAGS.persistence);
        acc.find(`defines the shell hook ${c.funcName}, which the shell runs on its own later`);
      } else if (isKnownCommand(c.funcName) || PACK_COMMANDS.has(c.funcName)) {
        acc.tag(TAGS.persistence);
        acc.find(`defines a function named ${c.funcName}, so later ${c.funcName} commands run it instead of the real program`);
      }
    }
    if (c.group && commandDefinitions(c.group, acc, depth, level + 1)) background = true;
  }
  return background;
}

/** Called once per parsed line (the top line and every nested `sh -c` string). */
export function lineEffects(line: string, script: Script, acc: Acc, depth = 0): void {
  if (line.length <= 65536 && INVISIBLE.test(line)) {
    acc.tag(TAGS.obfuscated);
    acc.find("the line contains invisible or direction-reversing Unicode characters, so it displays differently from what runs");
  }
  // A plain recursion, not a visitor with a closure: this runs for every line.
  const background = commandDefinitions(script, acc, depth);
  pipelineEffects(script, acc);
  if (background && line.length <= 65536 && ENDLESS_LOOP.test(line)) {
    acc.tag(TAGS.destructive, TAGS.write);
    acc.find("starts background jobs in an endless loop, until the machine runs out of processes (a fork bomb)");
  }
}

// ---------------------------------------------------------------- commands

interface Ctx {
  name: string;
  args: readonly Word[];
  vals: string[];
  acc: Acc;
  depth: number;
  redirects: readonly Redirect[];
}

type Effect = (c: Ctx) => Partial<CmdInfo> | undefined;

function words(vals: readonly string[]): string[] {
  return vals.filter((v) => !v.startsWith("-"));
}

function stripUnit(u: string): string {
  return u.replace(/\.(service|socket|timer)$/, "");
}

const FIREWALL_UNITS = /^(ufw|firewalld|iptables|ip6tables|nftables|netfilter-persistent|selinux|apparmor)$/;
function guardUnit(u: string): boolean {
  const s = stripUnit(u);
  return GUARD_PROCESS.test(s) || FIREWALL_UNITS.test(s);
}

const PERSIST_UNIT_VERBS = new Set(["enable", "reenable", "link", "preset", "add-wants", "add-requires", "edit", "set-default"]);
const OFF_VERBS = new Set(["stop", "disable", "mask", "kill"]);

const systemctl: Effect = (c) => {
  const w = words(c.vals);
  const verb = w[0] ?? "";
  const units = w.slice(1);
  if (verb === "hibernate" || verb === "suspend" || verb === "hybrid-sleep" || verb === "suspend-then-hibernate") {
    c.acc.tag(TAGS.destructive, TAGS.write);
    c.acc.find(`systemctl ${verb} takes the machine down`);
  }
  if (PERSIST_UNIT_VERBS.has(verb)) {
    c.acc.tag(TAGS.persistence);
    c.acc.find(`systemctl ${verb} ${units.join(" ")} makes the unit start on its own at every boot or login`.replace("  ", " "));
  }
  if (OFF_VERBS.has(verb)) {
    const g = units.find(guardUnit);
    if (g) {
      c.acc.tag(TAGS.evasion);
      c.acc.find(`systemctl ${verb} ${g} turns off a service that audits, logs or guards the machine`);
    }
  }
  return undefined;
};

const service: Effect = (c) => {
  const w = words(c.vals);
  if (w[0] && guardUnit(w[0]) && OFF_VERBS.has(w[1] ?? "")) {
    c.acc.tag(TAGS.evasion);
    c.acc.find(`service ${w[0]} ${w[1]} turns off a service that audits, logs or guards the machine`);
  }
  return undefined;
};

const crontab: Effect = (c) => {
  if (c.vals.some((v) => v === "-l" || v === "-r" || v === "-h" || v === "--help" || v === "-V")) return undefined;
  c.acc.tag(TAGS.persistence);
  c.acc.find("crontab installs or edits scheduled jobs, which run on their own later");
  return undefined;
};

const launchctl: Effect = (c) => {
  const verb = words(c.vals)[0] ?? "";
  if (["load", "bootstrap", "enable", "submit"].includes(verb)) {
    c.acc.tag(TAGS.persistence);
    c.acc.find(`launchctl ${verb} registers a job that launchd starts on its own`);
  }
  return undefined;
};

const systemdRun: Effect = (c) => {
  const timer = c.vals.find((v) =>
    /^--(on-calendar|on-active|on-boot|on-startup|on-unit-active|on-unit-inactive|on-clock-change|on-timezone-change|timer-property)(=|$)/.test(
      v,
    ),
  );
  if (timer) {
    c.acc.tag(TAGS.persistence);
    c.acc.find(`systemd-run ${timer.split("=")[0]} creates a timer that runs the command later, on its own`);
  }
  return undefined;
};

const history: Effect = (c) => {
  const v = c.vals;
  if (v.some((x) => /^-[a-z]*[cd]/.test(x)) || ((v.includes("-w") || v.includes("-a")) && v.includes("/dev/null"))) {
    c.acc.tag(TAGS.evasion);
    c.acc.find("erases the shell history, which hides what was run");
  }
  return undefined;
};

const unset: Effect = (c) => {
  if (c.vals.includes("-f")) return undefined;
  for (const w of c.args) subscriptRuns(c.acc, w);
  if (c.vals.includes("HISTFILE")) {
    c.acc.tag(TAGS.evasion);
    c.acc.find("unset HISTFILE stops the shell saving its history");
  }
  return undefined;
};

const setH: Effect = (c) => {
  for (let i = 0; i < c.vals.length; i++) {
    if (c.vals[i] === "+o" && c.vals[i + 1] === "history") {
      c.acc.tag(TAGS.evasion);
      c.acc.find("set +o history stops the shell recording commands");
    }
  }
  return undefined;
};

/** Variables that make every later program (or shell) load or run a file. */
const SESSION_CODE_VARS = new Set(["BASH_ENV", "ENV", "LD_PRELOAD", "LD_AUDIT", "DYLD_INSERT_LIBRARIES", "PYTHONSTARTUP"]);

const exportLike: Effect = (c) => {
  const fn = c.vals.includes("-f");
  for (const w of c.args) subscriptRuns(c.acc, w);
  for (const v of c.vals) {
    if (v.startsWith("-")) continue;
    const eq = v.indexOf("=");
    if (eq > 0) {
      assignEffects(c.acc, v.slice(0, eq), v.slice(eq + 1), c.depth);
      const name = v.slice(0, eq);
      const value = v.slice(eq + 1);
      if (
        c.name === "export" &&
        value !== "" &&
        (SESSION_CODE_VARS.has(name) || (name === "LD_LIBRARY_PATH" && value.split(":").some((d) => d !== "" && isScratchOrRelative(d))))
      ) {
        c.acc.tag(TAGS.persistence);
        c.acc.find(`export ${name} makes every later program of this session load ${value}`);
      }
    } else if (fn && (isKnownCommand(v) || PACK_COMMANDS.has(v))) {
      c.acc.tag(TAGS.persistence);
      c.acc.find(`${c.name} -f ${v} hands a function named ${v} to every child shell, where it replaces the real program`);
    }
  }
  return undefined;
};

const envH: Effect = (c) => {
  for (let i = 0; i < c.vals.length; i++) {
    const v = c.vals[i] ?? "";
    const u = v === "-u" || v === "--unset" ? c.vals[i + 1] : v.startsWith("--unset=") ? v.slice(8) : undefined;
    if (u === "HISTFILE") {
      c.acc.tag(TAGS.evasion);
      c.acc.find("env -u HISTFILE runs a shell that does not save its history");
    }
    if (!v.startsWith("-") && v.includes("=")) assignEffects(c.acc, v.slice(0, v.indexOf("=")), v.slice(v.indexOf("=") + 1), c.depth);
    else if (!v.startsWith("-") && i > 0 && c.vals[i - 1] !== "-u") break;
  }
  return undefined;
};

const dmesg: Effect = (c) => {
  if (c.vals.some((v) => v === "--clear" || v === "--read-clear" || /^-[a-zA-Z]*[Cc]/.test(v))) {
    c.acc.tag(TAGS.evasion, TAGS.write);
    c.acc.find("dmesg --clear erases the kernel log");
  }
  return undefined;
};

const journalctl: Effect = (c) => {
  const v = c.vals.find((x) => x.startsWith("--vacuum-"));
  const keep = v?.slice(v.indexOf("=") + 1) ?? "";
  // Routine retention (`--vacuum-time=7d`, `--vacuum-size=500M`) is maintenance; keeping almost nothing wipes the logs.
  if (v && /^(\d+(s|sec|m|min|h|hours?)?|[0-9]+[KkB]|[0-9]M|1)$/.test(keep)) {
    c.acc.tag(TAGS.evasion, TAGS.write);
    c.acc.find(`journalctl ${v.split("=")[0]} deletes system logs`);
  }
  return undefined;
};

const auditctl: Effect = (c) => {
  const e = c.vals.indexOf("-e");
  if (c.vals.includes("-D") || (e >= 0 && c.vals[e + 1] === "0")) {
    c.acc.tag(TAGS.evasion);
    c.acc.find("auditctl removes the audit rules or turns auditing off");
  }
  return undefined;
};

const firewall: Effect = (c) => {
  const v = c.vals;
  const p = v.indexOf("-P");
  if (
    v.some(
      (x) => x === "-F" || x === "--flush" || x === "flush" || x === "reset" || x === "disable" || x === "-X" || x === "--delete-chain",
    ) ||
    (p >= 0 && v[p + 2] === "ACCEPT")
  ) {
    c.acc.tag(TAGS.evasion);
    c.acc.find(
      `${c.name} ${p >= 0 ? "sets the default policy to ACCEPT" : "flushes or disables the firewall"}, which weakens the machine's defences`,
    );
  }
  return undefined;
};

const KILL_SIGNALS = /^-(STOP|SIGSTOP|TSTP|SIGTSTP|KILL|SIGKILL|TERM|SIGTERM|9|15|17|19|20|23|24|s)$/;
const killH: Effect = (c) => {
  const targets: string[] = [];
  if (c.name === "kill") {
    for (const w of c.args) {
      const m = /\bpgrep(?:\s+-\S+)*\s+['"]?([\w.-]+)/.exec(w.value);
      if (m?.[1]) targets.push(m[1]);
    }
  } else targets.push(...words(c.vals));
  const g = targets.find((t) => GUARD_PROCESS.test(t));
  const signal = c.vals.find((v) => v.startsWith("-") && KILL_SIGNALS.test(v.toUpperCase() === v ? v : v.toUpperCase()));
  if (g && (signal || c.vals.every((v) => !v.startsWith("-") || v === "-f"))) {
    c.acc.tag(TAGS.evasion);
    c.acc.find(`${c.name} stops or suspends ${g}, a process that audits, logs or guards the machine`);
  }
  return undefined;
};

const touch: Effect = (c) => {
  let afterDashes = false;
  for (const v of c.vals) {
    if (afterDashes) {
      wildcardArm(c.acc, v);
      continue;
    }
    if (v === "--") {
      afterDashes = true;
      continue;
    }
    if (/^-[a-zA-Z]*[rtd]/.test(v) || v.startsWith("--reference") || v.startsWith("--date")) {
      c.acc.tag(TAGS.evasion);
      c.acc.find(`touch ${v.split("=")[0]} sets a file's timestamps to a chosen time, which hides when it was changed`);
    }
  }
  return undefined;
};

const kernelModule: Effect = (c) => {
  if (
    c.name === "modprobe" &&
    c.vals.some(
      (v) => /^-[a-zA-Z]*[rnlcD]/.test(v) || v === "--remove" || v === "--dry-run" || v === "--show-depends" || v === "--showconfig",
    )
  )
    return undefined;
  if (c.name === "kexec" && !c.vals.some((v) => v === "-l" || v === "-e" || v === "--load" || v === "--exec" || v === "-p"))
    return undefined;
  if (words(c.vals).length === 0 && c.name !== "kexec") return undefined;
  c.acc.tag(TAGS.privilege);
  c.acc.find(`${c.name} loads code into the kernel, where it runs with full control of the machine`);
  return undefined;
};

const HOST_SOURCES =
  /^(\/|\/proc|\/sys|\/etc|\/root|\/home|\/var\/run|\/run|\/dev|\/var\/lib\/docker|\/var\/run\/docker\.sock|\/run\/docker\.sock)\/?$/;
const mount: Effect = (c) => {
  const v = c.vals;
  const t = v.indexOf("-t");
  const type = t >= 0 ? (v[t + 1] ?? "") : (v.find((x) => x.startsWith("--types="))?.slice(8) ?? "");
  const o = v.indexOf("-o");
  const opts = o >= 0 ? (v[o + 1] ?? "") : (v.find((x) => x.startsWith("--options="))?.slice(10) ?? "");
  const optList = opts.split(",");
  const bind = v.includes("--bind") || v.includes("--rbind") || optList.includes("bind") || optList.includes("rbind");
  const src = words(v).filter((x) => x !== type && x !== opts)[0] ?? "";
  if (type === "cgroup" || type === "cgroup2") {
    c.acc.tag(TAGS.privilege);
    c.acc.find("mounts a cgroup hierarchy, the first step of the release_agent container escape");
  } else if (optList.includes("remount") && optList.some((x) => x === "suid" || x === "exec" || x === "dev")) {
    c.acc.tag(TAGS.privilege);
    c.acc.find(`mount -o ${opts} re-enables setuid programs or execution on a filesystem`);
  } else if (bind && HOST_SOURCES.test(src)) {
    c.acc.tag(TAGS.privilege);
    c.acc.find(`mount --bind ${src} exposes a host directory elsewhere`);
  }
  return undefined;
};

const ldconfig: Effect = (c) => {
  const f = c.vals.indexOf("-f");
  const r = c.vals.indexOf("-r");
  if (f >= 0 || r >= 0 || words(c.vals).some((d) => isScratchOrRelative(d))) {
    c.acc.tag(TAGS.privilege);
    c.acc.find("ldconfig builds the library cache every program uses from a configuration or directory of the caller's choosing");
  }
  return undefined;
};

const jupyter: Effect = (c) => {
  const w = words(c.vals);
  if (w[0] === "kernelspec" && w[1] === "install") {
    c.acc.tag(TAGS.persistence);
    c.acc.find("jupyter kernelspec install registers a kernel, a program Jupyter starts on its own later");
  }
  return undefined;
};

const trapH: Effect = (c) => {
  const v = c.vals;
  if (v[0] === "-p" || v[0] === "-l" || v.length < 2) return undefined;
  const action = v[0] === "--" ? (v[1] ?? "") : (v[0] ?? "");
  if (action === "" || action === "-") return undefined;
  const sig = v.slice(v[0] === "--" ? 2 : 1).find((s) => /^(SIG)?(DEBUG|RETURN|ERR)$/.test(s.toUpperCase()));
  if (sig) {
    c.acc.tag(TAGS.persistence);
    c.acc.find(`trap on ${sig} runs its action around every later command of this shell`);
  }
  return undefined;
};

const completeH: Effect = (c) => {
  if (c.vals.includes("-C")) {
    c.acc.tag(TAGS.persistence);
    c.acc.find("complete -C runs a command every time completion is asked for");
  }
  return undefined;
};

const bindH: Effect = (c) => {
  const x = c.vals.includes("-x");
  const macro = c.vals.find((v) => v.includes(":") && /\\n|\\r|\\C-m/.test(v));
  if (x || macro) {
    c.acc.tag(TAGS.persistence);
    c.acc.find("bind ties a key to a command, which runs later when the key is pressed");
  }
  return undefined;
};

const aliasH: Effect = (c) => {
  for (const v of c.vals) {
    const eq = v.indexOf("=");
    if (eq <= 0) continue;
    const name = v.slice(0, eq);
    const body = v.slice(eq + 1).trim();
    if (!isKnownCommand(name) && !PACK_COMMANDS.has(name)) continue;
    // `alias grep='grep --color=auto'`: the same command with options only.
    const parts = body.split(/\s+/);
    const sameWithOptions = (parts[0] ?? "") === name && parts.slice(1).every((a) => /^-[\w=-]*$/.test(a)) && !/[;&|`$<>]/.test(body);
    if (sameWithOptions) continue;
    const probe = new Acc(c.acc.ctx);
    classifyLineInto(body, probe, c.depth + 1);
    let risky = false;
    for (const t of probe.tags) {
      if (t !== TAGS.read) {
        risky = true;
        break;
      }
    }
    if (!risky) continue;
    c.acc.tag(TAGS.persistence);
    c.acc.find(`alias ${name} redefines the command ${name}, so later ${name} commands run something else`);
  }
  return undefined;
};

/** Text a clipboard writer is given on its own command line (see clipboard.ts; the piped case is in flow.ts). */
const clipboardH: Effect = (c) => {
  clipboardEffect(c.name, c.args, c.acc, c.depth, c.redirects);
  return undefined;
};

/** deno / bun reading a program from stdin, or given one inline. */
const jsRuntime: Effect = (c) => {
  const v = c.vals;
  const evalAt =
    c.name === "deno" ? (v[0] === "eval" ? 1 : -1) : v.findIndex((x) => x === "-e" || x === "--eval" || x === "-p" || x === "--print");
  if (evalAt >= 0) {
    const code = c.args[evalAt + (c.name === "deno" ? 0 : 1)];
    // Classified as node code, but named as what runs it (so the one-liner reader, which knows node only, stays out).
    if (code) classifyWords([{ ...lit("node"), raw: c.name }, lit("-e"), code], c.acc, c.depth + 1, c.redirects);
    return undefined;
  }
  if (
    (c.name === "deno" && v.length === 0) ||
    ((v[0] === "run" || v[0] === "repl") && (v[v.length - 1] === "-" || v[v.length - 1] === "/dev/stdin"))
  )
    return { runsStdin: true };
  if (c.name === "bun" && (v[0] === "-" || (v[0] === "run" && v[1] === "-"))) return { runsStdin: true };
  return undefined;
};

/** A loopback URL: no one on the network can intercept it, so skipping its certificate check weakens nothing. */
function loopbackUrl(vals: readonly string[]): boolean {
  const urls = vals.filter((v) => !v.startsWith("-"));
  return (
    urls.length > 0 && urls.every((u) => /^(https?:\/\/)?(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/.test(u) || !/[./:]/.test(u))
  );
}

const insecureTls: Effect = (c) => {
  const off =
    c.name === "curl"
      ? c.vals.some((v) => v === "-k" || v === "--insecure" || /^-[a-zA-Z]*k[a-zA-Z]*$/.test(v))
      : c.vals.some((v) => v === "--no-check-certificate");
  if (off && !loopbackUrl(c.vals)) {
    c.acc.tag(TAGS.evasion);
    c.acc.find(`${c.name} skips the TLS certificate check, so anyone on the path can impersonate the server`);
  }
  return undefined;
};

/** Keys whose `true → false` switches a safeguard off, and keys whose `false → true` switches one off. */
const GUARD_KEY = /(approv|confirm|verif|ssl|tls|auth|secur|sandbox|review|scan|audit|protect|enforc|requir|validat|strict|safe)/i;
const LAX_KEY = /(allow_all|allowall|skip|bypass|disable|insecure|unsafe|no_verify|trust_all|yolo|auto_approve|autoapprove)/i;

/** `sed -i 's/requires_approval: true/requires_approval: false/' f`: an edit that turns a safeguard off in configuration. */
const sedFlip: Effect = (c) => {
  if (!c.vals.some((v) => v === "-i" || v.startsWith("-i") || v.startsWith("--in-place"))) return undefined;
  for (const v of c.vals) {
    if (v.length < 6 || v.length > 400 || v[0] !== "s") continue;
    const d = v[1] ?? "";
    if (/[\w\s\\]/.test(d)) continue;
    const parts = v.split(d);
    const from = parts[1] ?? "";
    const to = parts[2] ?? "";
    const m = /^\s*["']?([\w.-]+)["']?\s*[:=]\s*["']?(true|false|yes|no|on|off|1|0|enabled|disabled)["']?\s*,?$/i.exec(from);
    const n = /^\s*["']?([\w.-]+)["']?\s*[:=]\s*["']?(true|false|yes|no|on|off|1|0|enabled|disabled)["']?\s*,?$/i.exec(to);
    if (!m || !n || m[1] !== n[1]) continue;
    const key = m[1] ?? "";
    const on = (x: string) => /^(true|yes|on|1|enabled)$/i.test(x);
    const wasOn = on(m[2] ?? "");
    const isOn = on(n[2] ?? "");
    if ((LAX_KEY.test(key) && !wasOn && isOn) || (!LAX_KEY.test(key) && GUARD_KEY.test(key) && wasOn && !isOn)) {
      c.acc.tag(TAGS.evasion);
      c.acc.find(`${c.name} switches ${key} from ${m[2]} to ${n[2]}, which turns a safeguard off`);
    }
  }
  return undefined;
};

const cloudH: Effect = (c) => {
  const joined = c.vals.join(" ");
  if (joined.length <= 8192 && OPEN_TO_WORLD.some((re) => re.test(joined))) {
    c.acc.tag(TAGS.evasion);
    c.acc.find(`${c.name} ${words(c.vals).slice(0, 2).join(" ")} opens a port or resource to the whole internet`);
  }
  const w = cloudLoggingOff(joined);
  if (w) {
    c.acc.tag(TAGS.evasion);
    c.acc.find(`${c.name} ${words(c.vals).slice(0, 2).join(" ")} ${w}`);
  }
  return undefined;
};

/** `100G`, `1T`, `512M`, `4096` (bytes) → bytes; NaN when not a size. */
function sizeBytes(v: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMGTPE]?)(i?B)?$/i.exec(v.trim());
  if (!m) return Number.NaN;
  const unit = "BKMGTPE".indexOf((m[2] || "B").toUpperCase());
  return Number(m[1]) * 1024 ** unit;
}

/** Allocating this much at once can fill a disk and take everything on it down. */
const FILL_BYTES = 10 * 1024 ** 3;

const fallocate: Effect = (c) => {
  const i = c.vals.findIndex((v) => v === "-l" || v === "--length" || v.startsWith("--length=") || (v.startsWith("-l") && v.length > 2));
  if (i < 0) return undefined;
  const v = c.vals[i] ?? "";
  const size = v === "-l" || v === "--length" ? (c.vals[i + 1] ?? "") : v.startsWith("--length=") ? v.slice(9) : v.slice(2);
  if (sizeBytes(size) >= FILL_BYTES) {
    c.acc.tag(TAGS.destructive);
    c.acc.find(`fallocate -l ${size} reserves enough disk to fill it, which stops everything that needs to write`);
  }
  return undefined;
};

const ddFill: Effect = (c) => {
  const get = (k: string) => c.vals.find((v) => v.startsWith(`${k}=`))?.slice(k.length + 1);
  const src = get("if") ?? "";
  const of = get("of");
  if (!of || !/^\/dev\/(zero|urandom|random)$/.test(src)) return undefined;
  const bs = sizeBytes(get("bs") ?? "512");
  const countWord = get("count");
  // Without count=, dd copies from an endless source until the disk is full.
  if (countWord === undefined || bs * Number(countWord) >= FILL_BYTES) {
    c.acc.tag(TAGS.destructive, TAGS.write);
    c.acc.find(
      `dd writes ${get("count") ? `${get("count")} × ${get("bs") ?? "512"}` : "without end"} from ${src} to ${of}, enough to fill the disk`,
    );
  }
  return undefined;
};

/** shred / srm / wipe overwrite files beyond recovery; on logs and history that hides what happened. */
const shredH: Effect = (c) => {
  for (const v of words(c.vals)) erases(c.acc, v, "destroys");
  return undefined;
};

/** Cloud firewall and policy changes that open access to everyone. */
const OPEN_TO_WORLD: readonly RegExp[] = [
  /\bauthorize-security-group-ingress\b.*(0\.0\.0\.0\/0|::\/0)/,
  /\bfirewall-rules (create|update)\b.*--source-ranges[= ]\S*0\.0\.0\.0\/0/,
  /\bnsg rule (create|update)\b.*--source-address-prefixes[= ]['"]?(\*|0\.0\.0\.0\/0|Internet)/,
  /\bput-bucket-policy\b.*"Principal"\s*:\s*("\*"|\{\s*"AWS"\s*:\s*"\*")/,
  /\bput-bucket-acl\b.*--acl[= ]public-read/,
  /\b(add-iam-policy-binding)\b.*--member[= ]['"]?(allUsers|allAuthenticatedUsers)/,
];

/** `claude mcp add`, `gemini mcp add`, `npx @anthropic-ai/claude-code mcp add ...`: registers a program the agent starts later. */
function mcpAdd(c: Ctx): void {
  for (let i = 0; i + 1 < c.vals.length; i++) {
    if (c.vals[i] === "mcp" && /^add(-json|-from-claude-desktop)?$/.test(c.vals[i + 1] ?? "")) {
      c.acc.tag(TAGS.persistence);
      c.acc.find("registers an MCP server, a program the agent starts on its own in later sessions");
      return;
    }
  }
}

/** tmux send-keys / screen -X stuff type into a live terminal session, where the keys run as its user. */
const sessionKeys: Effect = (c) => {
  const v = c.vals;
  const types =
    c.name === "tmux" ? v.some((x) => x === "send-keys" || x === "send") : v.includes("-X") && v.some((x) => x === "stuff" || x === "exec");
  if (types) {
    c.acc.tag(TAGS.exec);
    c.acc.find(`${c.name} types commands into a running terminal session, which runs them as that session's user`);
  }
  return undefined;
};

/** Inline code that forks in an endless loop (`perl -e 'fork while 1'`). */
const FORK = /\bfork\b/;
const ENDLESS = /(while\s*\(?\s*(1|true|True)\b|for\s*\(\s*;\s*;\s*\)|iter\(\s*int\s*,\s*1\s*\)|\bloop\s*(do|\{)|while\s*:)/;
const inlineFork: Effect = (c) => {
  const i = c.vals.findIndex((v) => /^-[a-zA-Z]*[ceE]$/.test(v) || v === "--eval");
  const code = i >= 0 ? (c.vals[i + 1] ?? "") : "";
  if (code.length > 0 && code.length < 4096 && FORK.test(code) && ENDLESS.test(code)) {
    c.acc.tag(TAGS.destructive, TAGS.write);
    c.acc.find(`inline ${c.name} code forks in an endless loop until the machine runs out of processes (a fork bomb)`);
  }
  return undefined;
};

/** Command strings inside awk or debugger programs: `system("...")`, `print | "cmd"`, `"cmd" | getline`. */
const SYSTEM_CALL = /\bsystem\s*\(\s*\\?"((?:[^"\\]|\\.){1,2000}?)\\?"\s*\)/g;
const PIPE_TO = /\|\s*"([^"]{1,2000})"/g;
const PIPE_FROM = /"([^"]{1,2000})"\s*\|\s*getline/g;
const embeddedCommands: Effect = (c) => {
  const text = c.vals.join(" ");
  if (text.length > 16384) return undefined;
  let n = 0;
  let shellSink = false;
  let fetch = false;
  for (const re of [SYSTEM_CALL, PIPE_TO, PIPE_FROM]) {
    for (const m of text.matchAll(re)) {
      const cmd = (m[1] ?? "").replaceAll('\\"', '"');
      if (cmd.trim() === "" || n++ >= 8) continue;
      const first = cmd.trim().split(/\s+/)[0] ?? "";
      if (re === PIPE_TO && SHELL_NAMES.has(first.replace(/^.*\//, ""))) shellSink = true;
      if (/\b(curl|wget)\b/.test(cmd)) fetch = true;
      c.acc.find(`${c.name} runs the command: ${cmd.length > 60 ? `${cmd.slice(0, 60)}…` : cmd}`);
      classifyLineInto(cmd, c.acc, c.depth + 1);
    }
  }
  if (shellSink && fetch) {
    c.acc.tag(TAGS.remote_exec, TAGS.network);
    c.acc.find(`${c.name} pipes a download into a shell`);
  }
  return undefined;
};

const EFFECTS = new Map<string, Effect>([
  ["perl", inlineFork],
  ["python", inlineFork],
  ["python3", inlineFork],
  ["ruby", inlineFork],
  ["node", inlineFork],
  ["awk", embeddedCommands],
  ["gawk", embeddedCommands],
  ["mawk", embeddedCommands],
  ["gdb", embeddedCommands],
  ["lldb", embeddedCommands],
  ["tmux", sessionKeys],
  ["screen", sessionKeys],
  ["curl", insecureTls],
  ["wget", insecureTls],
  ["sed", sedFlip],
  ["gsed", sedFlip],
  ["shred", shredH],
  ["srm", shredH],
  ["wipe", shredH],
  ["fallocate", fallocate],
  ["dd", ddFill],
  ["systemctl", systemctl],
  ["service", service],
  ["crontab", crontab],
  ["launchctl", launchctl],
  ["systemd-run", systemdRun],
  ["history", history],
  ["unset", unset],
  ["set", setH],
  ["export", exportLike],
  ["declare", exportLike],
  ["typeset", exportLike],
  ["readonly", exportLike],
  ["local", exportLike],
  ["env", envH],
  ["dmesg", dmesg],
  ["journalctl", journalctl],
  ["auditctl", auditctl],
  ["iptables", firewall],
  ["ip6tables", firewall],
  ["nft", firewall],
  ["ufw", firewall],
  ["kill", killH],
  ["pkill", killH],
  ["killall", killH],
  ["touch", touch],
  ["insmod", kernelModule],
  ["modprobe", kernelModule],
  ["kexec", kernelModule],
  ["mount", mount],
  ["ldconfig", ldconfig],
  ["jupyter", jupyter],
  ["trap", trapH],
  ["complete", completeH],
  ["bind", bindH],
  ["alias", aliasH],
  ["pbcopy", clipboardH],
  ["wl-copy", clipboardH],
  ["xclip", clipboardH],
  ["xsel", clipboardH],
  ["deno", jsRuntime],
  ["bun", jsRuntime],
  ["aws", cloudH],
  ["gcloud", cloudH],
  ["az", cloudH],
]);

const PRINTERS = new Set(["echo", "printf", "print"]);
/** Flags that switch off an AI coding agent's approval prompts and sandbox. */
const AGENT_UNGUARDED = new Set([
  "--dangerously-skip-permissions",
  "--dangerously-bypass-approvals-and-sandbox",
  "--yolo",
  "bypassPermissions",
]);
const COMPILERS = new Set(["gcc", "g++", "cc", "c++", "clang", "clang++"]);

/**
 * Called after every command was classified by its handler: adds the
 * persistence, evasion and escape judgements. May return CmdInfo fields to
 * merge (a runtime that reads its program from stdin).
 */
export function commandEffects(
  name: string,
  args: readonly Word[],
  acc: Acc,
  depth: number,
  redirects: readonly Redirect[],
): Partial<CmdInfo> | undefined {
  const compiler = COMPILERS.has(name);
  for (const w of args) {
    const v = w.value;
    const h = hostHandle(v);
    if (h) {
      acc.tag(TAGS.privilege);
      acc.find(`${name} uses ${v}: ${h}`);
    }
    if (v === "/proc/kallsyms" || v === "/boot/System.map" || v.startsWith("/boot/System.map-")) {
      acc.tag(TAGS.recon);
      acc.find(`${name} reads kernel symbol addresses (${v}), which defeats address randomisation`);
    }
    if (AGENT_UNGUARDED.has(v)) {
      acc.tag(TAGS.privilege);
      acc.find(`${name} ${v} runs an AI agent with its permission checks turned off`);
    }
    if (compiler && /^-f(pass-)?plugin=/.test(v) && isScratchOrRelative(v.slice(v.indexOf("=") + 1))) {
      acc.tag(TAGS.unclassified);
      acc.find(`${name} ${v.split("=")[0]} loads a compiler plugin from a place anyone can fill`);
    }
    if (w.raw.startsWith("$'") && w.escapes >= 3 && !PRINTERS.has(name) && /^[\x20-\x7e]+$/.test(v)) {
      acc.tag(TAGS.obfuscated);
      acc.find(`${name} gets an argument spelled in escapes (${w.raw.length > 40 ? `${w.raw.slice(0, 40)}…` : w.raw}), which hides ${v}`);
    }
  }
  const e = EFFECTS.get(name);
  const agentish = name === "claude" || name === "gemini" || name === "codex" || name === "npx" || name === "bunx" || name === "pnpx";
  if (!e && !agentish) return undefined;
  const c: Ctx = { name, args, vals: args.map((w) => w.value), acc, depth, redirects };
  if (agentish) mcpAdd(c);
  return e?.(c);
}

// ---------------------------------------------------------------- commands the pack did not know

export type ExtraHandler = (name: string, args: readonly Word[], acc: Acc, depth: number, redirects: readonly Redirect[]) => CmdInfo;

function capOf(acc: Acc, name: string): void {
  // replaceAll costs even when there is nothing to replace.
  acc.lastCapability = `shell.${name.includes(".") ? name.replaceAll(".", "-") : name}`;
}

/** Skip leading options (some taking a value), return the index of the command word. */
function commandStart(args: readonly Word[], valued: ReadonlySet<string>): number {
  let i = 0;
  while (i < args.length) {
    const a = args[i]?.value ?? "";
    if (a === "--") return i + 1;
    if (!a.startsWith("-")) return i;
    i += valued.has(a) ? 2 : 1;
  }
  return i;
}

const NSENTER_VALUED = new Set(["-t", "--target", "-S", "--setuid", "-G", "--setgid", "-w", "--wd", "-r", "--root", "-Z"]);
const UNSHARE_VALUED = new Set([
  "--propagation",
  "--setgroups",
  "-S",
  "--setuid",
  "-G",
  "--setgid",
  "-R",
  "--root",
  "-w",
  "--wd",
  "--map-user",
  "--map-group",
]);

const nsenter: ExtraHandler = (name, args, acc, depth, redirects) => {
  capOf(acc, name);
  acc.tag(TAGS.write, TAGS.privilege);
  const vals = args.map((w) => w.value);
  const t = vals.indexOf("-t") >= 0 ? vals[vals.indexOf("-t") + 1] : vals.find((v) => v.startsWith("--target="))?.slice(9);
  acc.find(
    t === "1"
      ? "nsenter -t 1 enters the namespaces of PID 1 — from a container, the host"
      : "nsenter enters another process's namespaces (mount, network, PID), stepping outside this one",
  );
  const from = commandStart(args, NSENTER_VALUED);
  if (from < args.length) return classifyWords(args.slice(from), acc, depth + 1, redirects);
  acc.tag(TAGS.unclassified);
  acc.find("nsenter opens a shell there");
  return { name };
};

const unshare: ExtraHandler = (name, args, acc, depth, redirects) => {
  capOf(acc, name);
  acc.tag(TAGS.write);
  const vals = args.map((w) => w.value);
  if (vals.some((v) => v === "-r" || v === "--map-root-user" || v === "--map-user=0" || /^-[a-zA-Z]*r/.test(v))) {
    acc.tag(TAGS.privilege);
    acc.find("unshare -r maps the caller to root in a new user namespace");
  }
  const from = commandStart(args, UNSHARE_VALUED);
  if (from < args.length) return classifyWords(args.slice(from), acc, depth + 1, redirects);
  acc.tag(TAGS.unclassified);
  acc.find("unshare opens a shell in the new namespaces");
  return { name };
};

const at: ExtraHandler = (name, args, acc, depth, redirects) => {
  capOf(acc, name);
  const vals = args.map((w) => w.value);
  if (vals.some((v) => v === "-l" || v === "-c" || v === "-V" || v === "--help")) {
    acc.tag(TAGS.read);
    return { name };
  }
  acc.tag(TAGS.write);
  if (vals.some((v) => v === "-r" || v === "-d")) return { name };
  acc.tag(TAGS.persistence);
  acc.find(`${name} schedules commands to run later, on their own`);
  const f = vals.indexOf("-f");
  if (f >= 0) {
    acc.tag(TAGS.unclassified);
    acc.find(`${name} -f runs the script ${vals[f + 1] ?? ""}, whose contents Cordon cannot see`);
    return { name };
  }
  for (const r of redirects) {
    if ((r.op === "<<" || r.op === "<<-") && r.body !== undefined) {
      classifyLineInto(r.body, acc, depth + 1);
      return { name };
    }
    if (r.op === "<<<" && r.target) {
      classifyLineInto(r.target.value, acc, depth + 1);
      return { name };
    }
  }
  return { name, runsStdin: true };
};

const atrm: ExtraHandler = (name, _args, acc) => {
  capOf(acc, name);
  acc.tag(TAGS.write);
  return { name };
};

const schtasks: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  const vals = args.map((w) => w.value.toLowerCase());
  if (vals.includes("/query")) acc.tag(TAGS.read);
  else if (vals.includes("/create") || (vals.includes("/change") && vals.includes("/tr"))) {
    acc.tag(TAGS.write, TAGS.persistence);
    acc.find("schtasks schedules a task (or changes what it runs) that Windows runs on its own later");
  } else acc.tag(TAGS.write);
  return { name };
};

const rcTool: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  const vals = args.map((w) => w.value);
  if (vals.includes("--list") || vals.includes("show") || vals.length === 0 || (name === "rc-update" && vals[0] === "show")) {
    acc.tag(TAGS.read);
    return { name };
  }
  acc.tag(TAGS.write);
  if (vals.some((v) => v === "defaults" || v === "enable" || v === "on" || v === "add" || v === "--add")) {
    acc.tag(TAGS.persistence);
    acc.find(`${name} makes a service start on its own at boot`);
  }
  return { name };
};

const setenforce: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  acc.tag(TAGS.write);
  const v = (args[0]?.value ?? "").toLowerCase();
  if (v === "0" || v === "permissive") {
    acc.tag(TAGS.evasion);
    acc.find("setenforce 0 switches SELinux to permissive, so it stops enforcing");
  }
  return { name };
};

const apparmorOff: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  acc.tag(TAGS.write);
  const vals = args.map((w) => w.value);
  if (name !== "apparmor_parser" || vals.some((v) => /^-[a-zA-Z]*R/.test(v) || v === "--remove")) {
    acc.tag(TAGS.evasion);
    acc.find(`${name} removes or relaxes AppArmor confinement`);
  } else if (vals.every((v) => v.startsWith("-") || !v.startsWith("/tmp"))) acc.find(`${name} loads AppArmor profiles`);
  else acc.tag(TAGS.unclassified);
  return { name };
};

const patchelf: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  const vals = args.map((w) => w.value);
  const flags = vals.filter((v) => v.startsWith("-"));
  if (flags.length > 0 && flags.every((f) => f.startsWith("--print") || f === "--version" || f === "--help")) {
    acc.tag(TAGS.read);
    return { name };
  }
  acc.tag(TAGS.write);
  libraryHijack(name, vals, acc);
  return { name };
};

const chrpath: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  const vals = args.map((w) => w.value);
  const read = vals.every((v) => !v.startsWith("-") || v === "-l" || v === "--list" || v === "-v" || v === "--version");
  acc.tag(read ? TAGS.read : TAGS.write);
  if (!read) libraryHijack(name, vals, acc);
  return { name };
};

/** A system program made to load its libraries from scratch space: whoever fills that directory runs code in it. */
function libraryHijack(name: string, vals: readonly string[], acc: Acc): void {
  const targets = vals.filter((v) => !v.startsWith("-") && isOutsideWorkspace(v) && !isScratch(v));
  const scratch = vals.some((v) => !v.startsWith("-") && v.split(":").some((d) => d !== "" && isScratchOrRelative(d)));
  for (const t of targets) {
    acc.tag(TAGS.outside_workspace);
    acc.find(`${name} rewrites ${t}, outside the working directory`);
  }
  if (scratch) {
    acc.tag(targets.length > 0 ? TAGS.privilege : TAGS.unclassified);
    acc.find(`${name} makes a program load its interpreter or libraries from a place anyone can fill`);
  }
}

const AGENT_READ = new Set(["list", "get", "show", "ls"]);
/** claude / codex / gemini: inspecting their configuration reads; anything else runs an agent Cordon cannot see. */
const agentCli: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  const w = args.map((x) => x.value).filter((v) => !v.startsWith("-"));
  if (args.length === 1 && VERSION_WORDS.has(args[0]?.value ?? "")) acc.tag(TAGS.read);
  else if ((w[0] === "mcp" || w[0] === "config") && AGENT_READ.has(w[1] ?? "")) acc.tag(TAGS.read);
  else if (w[0] === "mcp" && w[1] !== undefined) acc.tag(TAGS.write);
  else {
    acc.tag(TAGS.unclassified);
    acc.find(`${name} runs an AI agent, whose actions Cordon cannot see`);
  }
  return { name };
};

/** bash's enable: listing reads, -n switches a builtin off, -f loads one from a shared library. */
const enableH: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  const vals = args.map((x) => x.value);
  if (vals.some((v) => /^-[a-zA-Z]*f/.test(v))) {
    acc.tag(TAGS.write, TAGS.unclassified);
    acc.find("enable -f loads a shell builtin from a shared library Cordon cannot see");
  } else if (vals.every((v) => v.startsWith("-") && !v.includes("n"))) acc.tag(TAGS.read);
  else acc.tag(TAGS.write);
  return { name };
};

/** fc -l lists the history; otherwise it re-runs (possibly edited) earlier commands. */
const fcH: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  if (args.some((x) => /^-[a-zA-Z]*l/.test(x.value))) acc.tag(TAGS.read);
  else {
    acc.tag(TAGS.unclassified);
    acc.find("fc re-runs commands from the shell history, which Cordon cannot see");
  }
  return { name };
};

const setarch: ExtraHandler = (name, args, acc, depth, redirects) => {
  capOf(acc, name);
  const vals = args.map((x) => x.value);
  if (vals.length === 0 || vals.includes("--list") || vals.includes("--version") || vals.includes("--help")) {
    acc.tag(TAGS.read);
    return { name };
  }
  // Address randomisation, non-executable data and a guard at address 0 are exploit defences: turning them off weakens them.
  const off = vals.filter(
    (v) => /^-[A-Za-z]*[RXZ]/.test(v) || ["--addr-no-randomize", "--read-implies-exec", "--mmap-page-zero"].includes(v),
  );
  if (off.length > 0) {
    acc.tag(TAGS.evasion);
    acc.find(
      `setarch ${off.join(" ")} turns off exploit defences (address randomisation, non-executable memory, the null-page guard) for the program`,
    );
  }
  let i = vals[0]?.startsWith("-") ? 0 : 1;
  while (i < args.length && (args[i]?.value ?? "").startsWith("-")) i++;
  if (i < args.length) return classifyWords(args.slice(i), acc, depth + 1, redirects);
  acc.tag(TAGS.unclassified);
  acc.find("setarch opens a shell");
  return { name };
};

const BPF_READ = new Set(["show", "list", "dump", "lookup", "getnext", "tree", "probe", "help"]);
const bpftool: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  const w = args.map((x) => x.value).filter((v) => !v.startsWith("-"));
  if (w.length <= 1 || BPF_READ.has(w[1] ?? "") || w[0] === "version" || w[0] === "feature") acc.tag(TAGS.read);
  else {
    acc.tag(TAGS.write, TAGS.privilege);
    acc.find(`bpftool ${w.slice(0, 2).join(" ")} loads or changes eBPF programs in the kernel`);
  }
  return { name };
};

const bpftrace: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  const vals = args.map((x) => x.value);
  acc.tag(TAGS.read);
  if (
    vals.length === 0 ||
    vals.every((v) => v === "-l" || v === "--version" || v === "-V" || v === "--help" || (!v.startsWith("-") && vals.includes("-l")))
  )
    return { name };
  acc.tag(TAGS.privilege);
  acc.find("bpftrace traces the kernel with eBPF and sees the data of every process");
  return { name };
};

const readOnly: ExtraHandler = (name, _args, acc) => {
  capOf(acc, name);
  acc.tag(TAGS.read);
  return { name };
};

const fsck: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  acc.tag(args.some((x) => /^-[a-zA-Z]*[nN]/.test(x.value)) ? TAGS.read : TAGS.write);
  return { name };
};

const CDK_READ = new Set([
  "diff",
  "synth",
  "synthesize",
  "ls",
  "list",
  "doctor",
  "docs",
  "notices",
  "metadata",
  "context",
  "acknowledge",
  "version",
]);
const cdk: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  const vals = args.map((x) => x.value);
  const sub = vals.find((v) => !v.startsWith("-")) ?? "";
  if (sub === "destroy") {
    acc.tag(TAGS.write, TAGS.destructive, TAGS.network);
    acc.find("cdk destroy deletes the stack and its resources");
  } else if (CDK_READ.has(sub) || (sub === "" && vals.some((v) => v === "--version" || v === "--help"))) acc.tag(TAGS.read);
  else acc.tag(TAGS.write, TAGS.network);
  return { name };
};

/** Windows reg: query reads; add, delete and import change the registry (a Run key starts a program at every logon). */
const reg: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  // Windows paths: match the words as written, since a POSIX parse drops unquoted backslashes.
  const vals = args.map((x) => x.raw);
  const sub = (vals[0] ?? "").toLowerCase();
  if (sub === "query" || sub === "compare") acc.tag(TAGS.read);
  else acc.tag(TAGS.write);
  if (sub === "add" && vals.some((v) => /\\(Run|RunOnce|RunServices|Winlogon|Image File Execution Options)(\\|["']|$)/i.test(v))) {
    acc.tag(TAGS.persistence);
    acc.find("reg add writes an autostart key, which Windows runs at every logon");
  }
  if (sub === "add" && vals.some((v) => /\\shell\\[^\\]+\\command(\\|["']|$)/i.test(v))) {
    acc.tag(TAGS.persistence);
    acc.find("reg add changes the command Windows runs to open a file type or protocol (also a known UAC bypass)");
  }
  return { name };
};

/**
 * ollama: listing and showing local models reads; `rm` deletes one, `stop` unloads it. Running (a prompt),
 * serving, pulling, pushing or creating models is left unclassified.
 */
const OLLAMA_READ = new Set(["list", "ls", "show", "ps", "help", "--version", "-v"]);
/** A model name as ollama takes it (`llama3`, `mistral:7b`, `hf.co/org/repo:Q4_K_M`), no options. */
const OLLAMA_MODEL = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*){0,2}(:[A-Za-z0-9][A-Za-z0-9._-]*)?$/;

const ollama: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  const sub = args[0]?.value ?? "";
  const model = args.length === 2 ? (args[1]?.value ?? "") : "";
  if (OLLAMA_READ.has(sub)) acc.tag(TAGS.read);
  else if (sub === "rm" && OLLAMA_MODEL.test(model)) {
    acc.tag(TAGS.write, TAGS.destructive);
    acc.find(`ollama rm deletes the local model ${model}`);
  } else if (sub === "stop" && OLLAMA_MODEL.test(model)) {
    acc.tag(TAGS.write);
    acc.find(`ollama stop unloads the running model ${model}`);
  } else {
    acc.tag(TAGS.unclassified);
    acc.find(`ollama ${sub} runs, serves or fetches a model, which Cordon does not classify`);
  }
  return { name };
};

/** stress / stress-ng: load on purpose; memory workers that together take 10 GiB or more can bring the machine down. */
const stress: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  acc.tag(TAGS.write);
  acc.find(`${name} loads the CPU, memory or disks on purpose`);
  const vals = args.map((x) => x.value);
  const at = (flags: readonly string[]) => {
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i] ?? "";
      for (const f of flags) {
        if (v === f) return vals[i + 1];
        if (v.startsWith(`${f}=`)) return v.slice(f.length + 1);
      }
    }
    return undefined;
  };
  const workers = Number(at(["-m", "--vm"]) ?? "0");
  const bytes = at(["--vm-bytes"]) ?? "256M";
  const pct = /^(\d+)%$/.exec(bytes);
  if (workers > 0 && ((pct && Number(pct[1]) >= 50) || workers * sizeBytes(bytes) >= FILL_BYTES)) {
    acc.tag(TAGS.destructive);
    acc.find(`${name} allocates ${workers} × ${bytes} of memory, enough to push the machine out of memory`);
  }
  return { name };
};

const ttyd: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  if (args.every((x) => ["--version", "-v", "--help", "-h"].includes(x.value)) && args.length > 0) acc.tag(TAGS.read);
  else {
    acc.tag(TAGS.write, TAGS.exec, TAGS.network);
    acc.find("ttyd shares a terminal over the web, a live path into this machine");
  }
  return { name };
};

/** `tool --version`, `tool --help`, `tool version`: an unknown program asked only for its version or usage. */
const versionOnly: ExtraHandler = (name, _args, acc) => {
  capOf(acc, name);
  acc.tag(TAGS.read);
  acc.find(`${name} is only asked for its version or usage`);
  return { name };
};
const VERSION_WORDS = new Set(["--version", "-V", "--help", "-h", "version", "help"]);

/** The handler this module has for a command the shell tables do not know, if any. */
export function extraHandler(name: string, args: readonly Word[]): ExtraHandler | undefined {
  const h = EXTRA_HANDLERS.get(name);
  if (h) return h;
  if (args.length === 1 && VERSION_WORDS.has(args[0]?.value ?? "") && !isKnownCommand(name) && !PACK_COMMANDS.has(name)) return versionOnly;
  return undefined;
}

const terragrunt: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  const w = args.map((x) => x.value).filter((v) => !v.startsWith("-"));
  const sub = w[0] === "run-all" || w[0] === "run" ? (w[1] ?? "") : (w[0] ?? "");
  if (sub === "destroy") {
    acc.tag(TAGS.write, TAGS.destructive, TAGS.network);
    acc.find(`${name} destroy tears down infrastructure`);
  } else if (
    ["plan", "validate", "output", "show", "graph", "providers", "fmt", "hclfmt", "render-json", "version", "--version"].includes(sub)
  )
    acc.tag(TAGS.read);
  else acc.tag(TAGS.write, TAGS.network);
  return { name };
};

/** dropdb / dropuser delete a whole database or role; mysqladmin drop a database. */
const dbAdmin: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  const w = args.map((x) => x.value).filter((v) => !v.startsWith("-"));
  if (name === "mysqladmin") {
    if (w.includes("drop")) {
      acc.tag(TAGS.write, TAGS.destructive);
      acc.find("mysqladmin drop deletes a database");
    } else if (w.every((v) => ["status", "ping", "version", "processlist", "variables", "extended-status"].includes(v))) acc.tag(TAGS.read);
    else acc.tag(TAGS.write);
    return { name };
  }
  acc.tag(TAGS.write, TAGS.destructive);
  acc.find(`${name} deletes ${name === "dropdb" ? "the database" : "the role"} ${w[w.length - 1] ?? ""}`.trim());
  return { name };
};

const terminalShare: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  if (args.length > 0 && args.every((x) => ["--version", "-v", "-V", "--help", "-h"].includes(x.value))) acc.tag(TAGS.read);
  else {
    acc.tag(TAGS.write, TAGS.exec, TAGS.network);
    acc.find(`${name} shares a terminal over the network, a live path into this machine`);
  }
  return { name };
};

const installNameTool: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  acc.tag(TAGS.write);
  libraryHijack(
    name,
    args.map((x) => x.value),
    acc,
  );
  return { name };
};

/** Tools that reach into another process, terminal or raw disk. */
const intrusive =
  (tags: readonly string[], what: string): ExtraHandler =>
  (name, args, acc) => {
    capOf(acc, name);
    if (args.length > 0 && args.every((x) => ["--version", "-V", "--help", "-h"].includes(x.value))) {
      acc.tag(TAGS.read);
      return { name };
    }
    acc.tag(...tags);
    acc.find(`${name} ${what}`);
    if (name === "debugfs" && args.some((x) => /^-[a-zA-Z]*w/.test(x.value))) acc.tag(TAGS.write, TAGS.destructive);
    return { name };
  };

const firewallSave: ExtraHandler = (name, args, acc) => {
  capOf(acc, name);
  if (name.endsWith("-save")) acc.tag(TAGS.read);
  else {
    acc.tag(TAGS.write, TAGS.privilege);
    acc.find(`${name} replaces the firewall rules with ${args.find((x) => !x.value.startsWith("-"))?.value ?? "rules from its input"}`);
  }
  return { name };
};

export const EXTRA_HANDLERS = new Map<string, ExtraHandler>([
  ["terragrunt", terragrunt],
  ["dropdb", dbAdmin],
  ["dropuser", dbAdmin],
  ["mysqladmin", dbAdmin],
  ["tmate", terminalShare],
  ["gotty", terminalShare],
  ["upterm", terminalShare],
  ["install_name_tool", installNameTool],
  ["gcore", intrusive([TAGS.read, TAGS.secrets, TAGS.privilege], "dumps a running process's memory, keys and tokens included")],
  ["reptyr", intrusive([TAGS.write, TAGS.exec, TAGS.privilege], "takes over another process's terminal")],
  ["conspy", intrusive([TAGS.read, TAGS.secrets, TAGS.privilege], "watches and types into a virtual console")],
  ["writevt", intrusive([TAGS.write, TAGS.exec, TAGS.privilege], "types commands into another terminal")],
  ["debugfs", intrusive([TAGS.read, TAGS.privilege], "reads the raw filesystem, bypassing file permissions")],
  ["pivot_root", intrusive([TAGS.write, TAGS.privilege], "changes the root filesystem of the process")],
  ["elfedit", installNameTool],
  ["iptables-save", firewallSave],
  ["ip6tables-save", firewallSave],
  ["iptables-restore", firewallSave],
  ["ip6tables-restore", firewallSave],
  ["claude", agentCli],
  ["codex", agentCli],
  ["gemini", agentCli],
  ["enable", enableH],
  ["fc", fcH],
  ["setarch", setarch],
  ["bpftool", bpftool],
  ["bpftrace", bpftrace],
  ["dbus-monitor", readOnly],
  ["tasklist", readOnly],
  ["findstr", readOnly],
  ["fsck", fsck],
  ["cdk", cdk],
  ["reg", reg],
  ["ollama", ollama],
  ["stress", stress],
  ["stress-ng", stress],
  ["ttyd", ttyd],
  ["nsenter", nsenter],
  ["unshare", unshare],
  ["at", at],
  ["batch", at],
  ["atrm", atrm],
  ["schtasks", schtasks],
  ["update-rc.d", rcTool],
  ["chkconfig", rcTool],
  ["rc-update", rcTool],
  ["setenforce", setenforce],
  ["aa-disable", apparmorOff],
  ["aa-complain", apparmorOff],
  ["aa-teardown", apparmorOff],
  ["apparmor_parser", apparmorOff],
  ["patchelf", patchelf],
  ["chrpath", chrpath],
]);

// ---------------------------------------------------------------- inline code
