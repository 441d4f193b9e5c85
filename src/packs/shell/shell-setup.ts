import type { Word } from "./tokenize";

/**
 * Generated shell set-up: `eval "$(pyenv init -)"`, `source <(kubectl completion bash)`,
 * `eval "$(ssh-agent -s)"`. Running a string from an expansion normally hides
 * what runs (`obfuscated`). These are the exception: the string is printed by a
 * local tool's own set-up command, which prints that tool's shell functions,
 * completions and variables, and nothing a caller can put into it. The
 * generating command is still classified on its own (it is an ordinary
 * substitution), so a tool Cordon does not know stays `unclassified`.
 *
 * The recognised form is strict: the word is exactly one substitution, holding
 * one simple command with literal words (no expansion, no redirection other
 * than stderr to /dev/null, no assignment, no pipeline), whose argv is a known
 * set-up command below. Anything else keeps today's `obfuscated` reading.
 * Tools whose hooks later run files from the current directory (direnv, mise,
 * asdf's legacy files) are left out on purpose: their set-up is a hook that
 * runs project-provided code on every `cd`.
 */

/** Version managers whose set-up is `<tool> init [-] [shell]` (also `--path`). */
const INIT_TOOLS = new Set(["pyenv", "rbenv", "nodenv", "goenv", "jenv", "plenv", "phpenv", "zoxide", "starship"]);
/** Tools whose `completion <shell>` (or `completion -s <shell>`) prints a completion script. */
const COMPLETION_TOOLS = new Set([
  "kubectl",
  "helm",
  "gh",
  "glab",
  "docker",
  "minikube",
  "kind",
  "k3d",
  "kustomize",
  "flux",
  "argocd",
  "istioctl",
  "rustup",
  "poetry",
  "deno",
  "pnpm",
  "npm",
  "oc",
  "eksctl",
  "doctl",
  "hugo",
  "cilium",
  "velero",
  "stern",
  "k9s",
  "uv",
  "ruff",
]);
const SHELL_NAMES = new Set(["bash", "zsh", "fish", "sh", "ksh", "powershell", "pwsh", "elvish", "nushell"]);

/** The argv of the one literal simple command a word substitutes, or null. */
function substitutedArgv(w: Word): string[] | null {
  if (w.subs.length !== 1) return null;
  const v = w.value;
  const whole = (v.startsWith("$(") && v.endsWith(")")) || (v.startsWith("`") && v.endsWith("`")) || w.procSub;
  if (!whole || (w.procSub && !w.raw.startsWith("<("))) return null;
  // `$(a)$(b)` is two substitutions: rejected above. `$(a) b` does not end with `)` at the end of `a`:
  // the substitution must span the whole word, so its inner text is the word minus its delimiters.
  const inner = v.startsWith("$(") || v.startsWith("<(") ? v.slice(2, -1) : v.slice(1, -1);
  if (inner.includes("$(") || inner.includes("`") || inner.includes("(")) return null;
  const cmds = w.subs[0]?.commands ?? [];
  if (cmds.length !== 1) return null;
  const c = cmds[0];
  if (!c || c.group || c.funcName !== undefined || c.assigns.length > 0 || c.words.length === 0) return null;
  if (c.sep !== "" && c.sep !== ";" && c.sep !== "\n") return null;
  for (const r of c.redirects) if (!(r.fd === "2" && r.op === ">" && r.target?.value === "/dev/null")) return null;
  if (c.words.some((x) => x.expanded || x.subs.length > 0 || x.procSub)) return null;
  return c.words.map((x) => x.value);
}

/** No shell named, or a shell (`eval "$(tool init)"`, `eval "$(tool init zsh)"`). */
const isShell = (s: string | undefined): boolean => s === undefined || SHELL_NAMES.has(s);

/** `pyenv init -`, `brew shellenv`, `kubectl completion bash`, `ssh-agent -s` …: what the word runs, or null. */
export function generatedSetupOf(w: Word): string | null {
  const argv = substitutedArgv(w);
  if (!argv) return null;
  const [tool = "", ...rest] = argv;
  if (tool.includes("/")) return null;
  let ok = false;
  if (INIT_TOOLS.has(tool) && rest[0] === "init") {
    const tail = rest.slice(1).filter((a) => a !== "-" && a !== "--path" && a !== "--no-rehash");
    ok = tail.length <= 1 && isShell(tail[0]);
  } else if (tool === "brew" && rest[0] === "shellenv") ok = rest.length <= 2 && isShell(rest[1]);
  else if (tool === "ssh-agent") ok = rest.length <= 1 && (rest[0] === undefined || rest[0] === "-s" || rest[0] === "-c");
  else if (tool === "fnm" && rest[0] === "env") ok = rest.slice(1).every((a) => a === "--use-on-cd" || a.startsWith("--shell="));
  else if (tool === "conda" && rest.length === 2 && rest[1] === "hook") ok = /^shell\.(bash|zsh|fish|posix)$/.test(rest[0] ?? "");
  else if (COMPLETION_TOOLS.has(tool) && rest[0] === "completion") {
    const tail = rest.slice(1).filter((a) => a !== "-s" && a !== "--shell");
    ok = tail.length === 1 && isShell(tail[0]);
  }
  return ok ? argv.join(" ") : null;
}
