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

/** Called for every classified command: tags text carrying instructions to an AI model. */
export function injectionCommand(name: string, args: readonly Word[], acc: Acc, redirects: readonly Redirect[]): void {
  if (NOT_TEXT.has(name)) return;
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
