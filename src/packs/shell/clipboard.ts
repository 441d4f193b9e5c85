import { TAGS } from "../common";
import { readsClipboard } from "./home-data";
import { Acc, classifyLineInto } from "./index";
import type { Redirect, Word } from "./tokenize";

/**
 * Pastejacking: text written to the clipboard (`echo 'curl x | sh' | pbcopy`,
 * `printf 'rm -rf ~\n' | wl-copy`, `xclip -selection clipboard <<< '...'`)
 * runs later, in someone's terminal, when they paste it; a trailing newline
 * runs it on paste without a key press. The text is read as a shell line in a
 * probe (nothing of it runs now, so none of its tags are the line's own); when
 * it would do harm, the line is tagged `persistence` (it plants a command that
 * runs later, out of the agent's session, like `bind -x` or an alias) with
 * what it would do. Text Cordon cannot see (a pipeline's output, a file, an
 * expansion) is left as it is today: the agent runs nothing by copying it.
 * Reading the clipboard is `secrets` (home-data.ts), not this.
 */

/** Clipboard tools that write what they are given: macOS, Wayland, X11 (two). */
const WRITERS = new Set(["pbcopy", "wl-copy", "xclip", "xsel"]);

/**
 * What a pasted command may do that makes planting it harmful. A plain read, write or fetch does not, nor a read
 * of a credential alone (`secrets`): it shows the credential to the one who pasted it, whose it is; sending it
 * away is `exfiltration`. Prose (`rotate ~/.aws/credentials`) would otherwise count.
 */
const HARM = new Set<string>([
  TAGS.destructive,
  TAGS.remote_exec,
  TAGS.privilege,
  TAGS.obfuscated,
  TAGS.exfiltration,
  TAGS.persistence,
  TAGS.evasion,
  TAGS.history_rewrite,
  TAGS.supply_chain,
]);

/** wl-copy options that take a value (`-t text/plain`, `--seat seat0`). */
const WL_VALUED = new Set(["-t", "--type", "-s", "--seat"]);
/** xsel options that do something other than fill the selection from stdin: clear, delete, keep, exchange, help. */
const XSEL_OTHER = /^-[a-z]*[cdkxh][a-z]*$/;

/** Does `name` with these options copy text into the clipboard (rather than read, clear or print help)? */
function writes(name: string, vals: readonly string[]): boolean {
  if (!WRITERS.has(name) || readsClipboard(name, vals)) return false;
  for (const v of vals) {
    if (v === "--help" || v === "-h" || v === "-help" || v === "--version" || v === "-version") return false;
    if (name === "wl-copy" && (v === "-c" || v === "--clear")) return false;
    if (
      name === "xsel" &&
      (v === "--clear" || v === "--delete" || v === "--keep" || v === "--exchange" || (!v.startsWith("--") && XSEL_OTHER.test(v)))
    )
      return false;
  }
  return true;
}

/** wl-copy's text operands (`wl-copy 'text'` copies them, joined by spaces), or null when there are none. */
function wlCopyOperands(args: readonly Word[]): Word[] | null {
  const out: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w) continue;
    if (w.value === "--") {
      out.push(...args.slice(i + 1));
      break;
    }
    if (w.value.startsWith("-") && w.value.length > 1) {
      if (WL_VALUED.has(w.value)) i++;
      continue;
    }
    out.push(w);
  }
  return out.length > 0 ? out : null;
}

/** Where the writer's standard input comes from: a redirection (`<`, `<<`, `<<<`) rather than the pipe. */
function stdinRedirect(redirects: readonly Redirect[]): Redirect | undefined {
  for (const r of redirects)
    if ((r.op === "<" || r.op === "<<" || r.op === "<<-" || r.op === "<<<") && (r.fd === "" || r.fd === "0")) return r;
  return undefined;
}

/**
 * A clipboard writer that copies what arrives through the pipe (no text operands, no stdin redirection),
 * for flowPipeline to hand it the literal an `echo`/`printf` before it prints.
 */
export function copiesPipe(name: string, args: readonly Word[], redirects: readonly Redirect[]): boolean {
  if (
    !WRITERS.has(name) ||
    !writes(
      name,
      args.map((w) => w.value),
    ) ||
    stdinRedirect(redirects)
  )
    return false;
  return name !== "wl-copy" || wlCopyOperands(args) === null;
}

/**
 * The effect of a clipboard writer given its text on the command itself: `wl-copy 'text'`, a here-string or a
 * here-document. Text built from an expansion, or read from a file, is not seen.
 */
export function clipboardEffect(name: string, args: readonly Word[], acc: Acc, depth: number, redirects: readonly Redirect[]): void {
  const vals = args.map((w) => w.value);
  if (!writes(name, vals)) return;
  const r = stdinRedirect(redirects);
  if (r) {
    if (r.op === "<<<" && r.target && !r.target.expanded) plantedText(name, r.target.value, acc, depth);
    // An unquoted here-document expands `$x` and backticks before the text reaches the clipboard: not seen.
    else if ((r.op === "<<" || r.op === "<<-") && r.body !== undefined && !r.body.includes("$") && !r.body.includes("`"))
      plantedText(name, r.body, acc, depth);
    return;
  }
  if (name !== "wl-copy") return;
  const ops = wlCopyOperands(args);
  if (ops === null || ops.some((w) => w.expanded)) return;
  plantedText(name, ops.map((w) => w.value).join(" "), acc, depth);
}

/** Read `text`, which `writer` puts in the clipboard, as the shell line it becomes when pasted. */
export function plantedText(writer: string, text: string, acc: Acc, depth: number): void {
  if (text.trim() === "") return;
  const probe = new Acc(acc.ctx);
  classifyLineInto(text, probe, depth + 1);
  let harmful = false;
  for (const t of probe.tags) if (HARM.has(t)) harmful = true;
  if (!harmful) return;
  acc.tag(TAGS.persistence);
  const what = probe.findings.slice(0, 3).join("; ");
  acc.find(
    `${writer} puts a command in the clipboard for someone to paste into a terminal, where it would run${what ? `: ${what.length > 200 ? `${what.slice(0, 200)}…` : what}` : " and do harm"}`,
  );
}
