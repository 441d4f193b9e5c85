import { isSecretName } from "./credentials";
import type { Command, Redirect, Script, Word } from "./tokenize";

/**
 * Credential files named on a line without their contents being read or
 * shown: text written into them (`echo "X=1" >> .env`, `echo ... | tee -a
 * .env`), names listed (`find . -name .env`), lines counted (`wc -l
 * ~/.bash_history`, `cat ~/.bash_history | wc -l`). Each shape is recognised
 * in full before anything is excused; anything else on the line that reads
 * the file (a substitution, `-exec`, `xargs`, a later pipeline stage, a
 * nested shell) leaves it judged as a read. Only top-level pipelines are
 * looked at: what a substitution or `sh -c` prints is consumed by something
 * else.
 */

// Why a word that names a credential file is not a read of it (Word.notRead), and the `KEY=value`
// lines literal text writes into a dotenv file (Word.dotenv): kept on the word itself.

/** The reason a credential-file word is not read on this line, or undefined when it is (or may be). */
export function notReadReason(w: Word | null | undefined): string | undefined {
  return w ? w.notRead : undefined;
}

/** Shared: asked for every argument of every command, and almost always empty. */
const NO_ASSIGNMENTS: readonly [string, string][] = [];

/**
 * The variable assignments literal text writes into a dotenv file (`echo
 * "LANGCHAIN_TRACING_V2=false" >> .env`): the application starts with them,
 * so they are judged as the same assignments made in the shell.
 */
export function dotenvAssignments(w: Word | null | undefined): readonly [string, string][] {
  return w?.dotenv ?? NO_ASSIGNMENTS;
}

const DOTENV = /(^|\/)(\.env(\.[A-Za-z0-9_.-]+)?|[A-Za-z0-9_.-]+\.env)$/;
const ASSIGN_LINE = /^(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

/** The text a literal printer prints, as far as assignments in it go. */
function printedText(cmd: Command): string {
  const name = cmd.words[0]?.value;
  if (name === "cat") return cmd.redirects.map((r) => (r.op === "<<<" ? (r.target?.value ?? "") : (r.body ?? ""))).join("\n");
  let words = cmd.words.slice(1).map((w) => w.value);
  if (name !== "printf") while (words[0] !== undefined && /^-[neE]+$/.test(words[0])) words = words.slice(1);
  return words.join(" ");
}

function assignmentsIn(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const line of text.split(/\n|\\n/)) {
    const m = ASSIGN_LINE.exec(line.trim());
    // git takes its identity and options from the shell that runs it, never from an application's dotenv file.
    if (m?.[1] && !m[1].startsWith("GIT_") && out.length < 32) out.push([m[1], (m[2] ?? "").trim()]);
  }
  return out;
}

function excuse(w: Word, why: string): void {
  w.notRead = why;
}

function excuseWrite(target: Word, printers: readonly Command[]): void {
  // Only dotenv files: literal text appended to another credential store (`credential_process = …` into
  // ~/.aws/credentials, a URL into ~/.git-credentials) changes credentials other programs use.
  if (!DOTENV.test(target.value)) return;
  target.notRead = "is written with literal text; nothing secret is read";
  target.dotenv = printers.flatMap((c) => assignmentsIn(printedText(c)));
}

const VAR_REF = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;

/** A word that holds only literal text (a non-secret variable at most): no substitution, no credential variable. */
function literalWord(w: Word): boolean {
  if (w.subs.length > 0 || w.procSub) return false;
  if (!w.raw.includes("$")) return true;
  // `${!k}` expands the variable whose name k holds: any variable, secrets included.
  if (w.raw.includes("${!")) return false;
  for (const m of w.raw.matchAll(VAR_REF)) if (!m[1] || isSecretName(m[1])) return false;
  return true;
}

function literalText(text: string | undefined, subs: readonly Script[] | undefined): boolean {
  if (subs && subs.length > 0) return false;
  if (text === undefined || !text.includes("$")) return true;
  if (text.includes("${!")) return false;
  for (const m of text.matchAll(VAR_REF)) if (!m[1] || isSecretName(m[1])) return false;
  return true;
}

const PRINTERS = new Set(["echo", "printf", "print"]);

/**
 * A command that prints only text written on the line: `echo`/`printf` with
 * literal arguments, `cat` fed a literal here-document or here-string.
 */
export function printsLiteral(cmd: Command): boolean {
  if (cmd.group || cmd.funcName !== undefined) return false;
  const first = cmd.words[0];
  if (!first || first.expanded || first.quoted || first.escapes > 0) return false;
  // Only a printer or a bare cat prints literal text: decide that before looking at every word.
  const printer = PRINTERS.has(first.value);
  if (!printer && !(first.value === "cat" && cmd.words.length === 1)) return false;
  if (!cmd.assigns.every(literalWord)) return false;
  for (const r of cmd.redirects) {
    if (r.op === "<" || r.op === "<>" || r.op === "<&") return false;
    if (r.op === "<<<" && r.target && !literalWord(r.target)) return false;
    if ((r.op === "<<" || r.op === "<<-") && !literalText(r.body, r.bodySubs)) return false;
  }
  if (printer) return cmd.words.slice(1).every(literalWord);
  return cmd.redirects.some((r) => r.op === "<<" || r.op === "<<-" || r.op === "<<<");
}

/** `wc` options that print line or word counts only (not bytes, characters or the longest line: a token's length). */
const COUNT_OPTS = new Set(["-l", "-w", "-lw", "-wl", "--lines", "--words"]);

function countsOnly(cmd: Command): boolean {
  const w = cmd.words;
  // `PATH=/tmp wc -l …` may not be wc at all.
  if (w[0]?.value !== "wc" || w[0].expanded || cmd.assigns.length > 0) return false;
  let counted = false;
  for (const x of w.slice(1)) {
    if (!x.value.startsWith("-") || x.value === "-") continue;
    if (!COUNT_OPTS.has(x.value)) return false;
    counted = true;
  }
  return counted;
}

/** Text filters whose output says no more than their input (names in, names out). */
const NAME_FILTERS = new Set(["sort", "uniq", "head", "tail", "wc", "grep", "egrep", "fgrep", "rg", "cut", "nl"]);

/** find actions that print names or metadata only. */
const FIND_PRINTS = new Set(["-print", "-print0", "-ls", "-printf", "-prune", "-quit"]);
const FIND_NAME_TESTS = new Set(["-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename"]);

/** The name-test values of a find that only prints names, or null when it may act on what it finds. */
function findNameWords(cmd: Command): Word[] | null {
  const w = cmd.words;
  if (w[0]?.value !== "find" || w[0].expanded) return null;
  const out: Word[] = [];
  for (let i = 1; i < w.length; i++) {
    const v = w[i]?.value ?? "";
    if (FIND_NAME_TESTS.has(v)) {
      const x = w[i + 1];
      if (x) out.push(x);
      i++;
      continue;
    }
    if (v === "-printf") {
      i++;
      continue;
    }
    // -exec, -execdir, -ok, -okdir, -delete, -fprint*, -fls: find acts on, or writes, what it matches.
    if (v.startsWith("-") && /^-(exec|ok|delete|fprint|fls)/.test(v)) return null;
    if (v.startsWith("-") && !FIND_PRINTS.has(v) && /^-(print|ls)/.test(v)) return null;
  }
  return out;
}

/** `find / …`, `find ~ …`: a hunt across the machine or a home directory, not a look at the project. */
function broadFind(cmd: Command): boolean {
  for (const x of cmd.words.slice(1)) {
    const v = x.value;
    if (v.startsWith("-") || v === "(" || v === "!") break;
    if (x.expanded && !/^\$\{?HOME\}?/.test(v)) return true;
    if (/^(\/|~[^/]*|\$\{?HOME\}?|\/home|\/Users|\/root|\/etc|\/var|\/opt|\/mnt|\/media|\/srv)\/?$/.test(v)) return true;
  }
  return false;
}

/** Operands of a command that are not options. */
function operandsOf(cmd: Command): Word[] {
  return cmd.words.slice(1).filter((x) => !x.value.startsWith("-") || x.value === "-");
}

/** Mark, for one top-level script, the credential-file words its pipelines name without reading them. */
export function markNotRead(script: Script): void {
  const cmds = script.commands;
  let start = 0;
  for (let i = 0; i < cmds.length; i++) {
    const c = cmds[i] as Command;
    if (c.sep === "|" || c.sep === "|&") continue;
    pipeline(cmds.slice(start, i + 1));
    start = i + 1;
  }
  if (start < cmds.length) pipeline(cmds.slice(start));
}

const noStdoutRedirect = (r: Redirect): boolean =>
  !((r.op === ">" || r.op === ">>" || r.op === ">|" || r.op === "&>" || r.op === "&>>") && (r.fd === "" || r.fd === "1"));

/** A filter that sees only the names find prints (`grep -v test`), not files of its own (`grep -r KEY`). */
function namesOnly(c: Command): boolean {
  return (
    NAME_FILTERS.has(c.words[0]?.value ?? "") &&
    operandsOf(c).length <= 1 &&
    c.assigns.length === 0 &&
    !c.words
      .slice(1)
      .some((x) => /^-[A-Za-z]*[rR]/.test(x.value) || x.value === "--recursive" || x.value.startsWith("--dereference-recursive"))
  );
}

function pipeline(p: readonly Command[]): void {
  const last = p[p.length - 1];
  if (!last) return;
  // `echo "X=1" >> .env`, `printf 'X=1\n' > .env.local`: the redirect target is written, not read.
  for (const c of p) {
    if (!printsLiteral(c)) continue;
    for (const r of c.redirects) {
      if (r.target && (r.op === ">" || r.op === ">>" || r.op === ">|" || r.op === "&>" || r.op === "&>>")) excuseWrite(r.target, [c]);
    }
  }
  // `echo "X=1" | tee -a .env`: tee writes its operands, fed text from the line itself.
  for (let j = 1; j < p.length; j++) {
    const c = p[j] as Command;
    if (c.words[0]?.value !== "tee" || c.words[0].expanded) continue;
    if (!p.slice(0, j).every(printsLiteral)) break;
    for (const w of operandsOf(c)) excuseWrite(w, p.slice(0, j));
  }
  // `wc -l ~/.bash_history`, `wc -l < .env`: only how many lines (or words) there are.
  for (const c of p) {
    if (!countsOnly(c)) continue;
    for (const w of operandsOf(c)) excuse(w, "is only counted (wc -l); its contents are not shown");
    for (const r of c.redirects) if (r.op === "<" && r.target) excuse(r.target, "is only counted (wc -l); its contents are not shown");
  }
  // `cat ~/.bash_history | wc -l`: the whole file goes to a line count and nowhere else.
  if (p.length === 2 && countsOnly(last) && operandsOf(last).length === 0) {
    const c = p[0] as Command;
    const cat = c.words[0];
    if (cat?.value === "cat" && !cat.expanded && c.assigns.length === 0 && c.redirects.every(noStdoutRedirect) && c.sep === "|") {
      const files = c.words.slice(1);
      if (files.length > 0 && files.every((w) => !w.value.startsWith("-") && w.subs.length === 0 && !w.procSub))
        for (const w of files) excuse(w, "is only counted (wc -l); its contents are not shown");
    }
  }
  // `find . -name .env -print`: names printed, contents never read (no -exec, no xargs after it).
  const head = p[0] as Command;
  const names = findNameWords(head);
  // A filter that reads files of its own (`grep -r KEY`) does not only see find's names.
  if (names && !broadFind(head) && p.slice(1).every(namesOnly)) {
    for (const w of names) excuse(w, "is a name find looks for; it prints paths, not contents");
  }
}

/**
 * Message options of tools whose value is text for people (a commit message, a
 * merge request's description): a path mentioned in it is not read. Only these
 * tools and options; a quoted argument elsewhere may well be run (`ssh host
 * "cat ~/.ssh/id_rsa"`, `bash -c`). The secrets scanner still reads the text.
 */
const MESSAGE_OPTS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["glab", new Set(["--title", "-t", "--description", "-d", "--message", "-m"])],
  ["hg", new Set(["--message", "-m"])],
  ["svn", new Set(["--message", "-m"])],
  ["bzr", new Set(["--message", "-m"])],
  ["jj", new Set(["--message", "-m"])],
  ["fossil", new Set(["--comment", "-m"])],
  ["tea", new Set(["--title", "-t", "--description", "-d"])],
]);

/** Indices of `args` that are message text of a tool listed in MESSAGE_OPTS, or null. */
export function messageArgs(name: string, args: readonly Word[]): Set<number> | null {
  const opts = MESSAGE_OPTS.get(name);
  if (!opts) return null;
  const out = new Set<number>();
  for (let i = 0; i < args.length; i++) {
    const v = args[i]?.value ?? "";
    if (opts.has(v) && i + 1 < args.length) out.add(++i);
    else if (v.startsWith("--") && opts.has(v.slice(0, v.indexOf("=")))) out.add(i);
  }
  return out;
}
