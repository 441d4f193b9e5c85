import { TAGS } from "../common";
import { scanInjection } from "../injection";
import type { Acc } from "./index";
import type { Redirect, Word } from "./tokenize";

/**
 * Prompt-injection text in what a command writes or sends (the scanner is
 * src/packs/injection.ts): `echo "[INST] ..." >> agent_memory.yaml`, `git
 * commit -m "ignore all previous instructions"`, a here-document into
 * CLAUDE.md. Searching for such text (grep, find) writes nothing, and the
 * arguments of wrappers (sudo, sh -c, ssh, xargs) are judged where the
 * command they run is classified.
 */

/** Commands whose arguments are patterns, names or a command line run elsewhere: never text written or sent. */
const NOT_TEXT = new Set(
  (
    "grep egrep fgrep rg ag ack ugrep zgrep find locate fd ls test [ [[ which type man info help " +
    "sudo sudoedit doas pkexec runuser su env nohup builtin exec command time nice ionice timeout stdbuf setsid unbuffer " +
    "caffeinate chroot flock busybox toybox watch xargs eval source . ssh " +
    "sh bash zsh dash ksh ash mksh fish csh tcsh rbash"
  ).split(" "),
);

/** git subcommands that search or show history: their patterns (`log --grep`, `grep`, `-S`) are not text written. */
const GIT_READS = new Set(["grep", "log", "show", "diff", "blame", "rev-list", "shortlog", "reflog", "whatchanged", "status", "ls-files"]);

/** git's subcommand, past global options (`-C dir`, `-c k=v`, `--git-dir=...`). */
function gitSubcommand(args: readonly Word[]): string {
  for (let i = 0; i < args.length; i++) {
    const v = args[i]?.value ?? "";
    if (v === "-C" || v === "-c" || v === "--git-dir" || v === "--work-tree" || v === "--namespace") i++;
    else if (!v.startsWith("-")) return v;
  }
  return "";
}

/** Called for every classified command: tags text carrying instructions to an AI model. */
export function injectionCommand(name: string, args: readonly Word[], acc: Acc, redirects: readonly Redirect[]): void {
  if (NOT_TEXT.has(name)) return;
  if (name === "git" && GIT_READS.has(gitSubcommand(args))) return;
  for (const w of args) {
    const hit = scanInjection(w.value);
    if (hit) {
      found(name, hit.what, acc);
      return;
    }
  }
  for (const r of redirects) {
    const text = r.op === "<<<" ? r.target?.value : r.op === "<<" || r.op === "<<-" ? r.body : undefined;
    const hit = text === undefined ? null : scanInjection(text);
    if (hit) {
      found(name, hit.what, acc);
      return;
    }
  }
}

function found(name: string, what: string, acc: Acc): void {
  acc.tag(TAGS.prompt_injection);
  acc.find(`${name || "the command"} writes or sends text that addresses an AI model: ${what}`);
}
