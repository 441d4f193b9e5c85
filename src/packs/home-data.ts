/**
 * Private per-user application state: the one judgement behind "reads another
 * application's data" in the shell pack (`cat X`, `cp X /tmp`, `tar czf a X`)
 * and the MCP pack (`read_file {path: X}`).
 *
 * Applications keep logins, tokens, sessions and private data (messages,
 * notes, contacts, database connections) in the user's per-user state:
 * - the hidden entries directly under a home directory (`~/.x`, `~/.x/...`,
 *   which covers the XDG trees `~/.config/<app>/`, `~/.local/share/<app>/`,
 *   `~/.local/state/`);
 * - macOS `~/Library/` (Application Support, Group Containers, Containers,
 *   Messages, Mail, Safari, Cookies, Keychains, Calendars, AddressBook,
 *   Preferences ...);
 * - Windows `%USERPROFILE%\AppData\` (Roaming, Local, LocalLow).
 * Cordon cannot see which of those files hold a token, so reading the
 * content of one is treated as reading a credential. Known credential files
 * (src/packs/credentials.ts) are judged first and keep their own, more
 * specific finding.
 *
 * Not per-user private state, each a class with its reason:
 * - caches (`~/.cache`, `Library/Caches`, a directory named as a cache):
 *   regenerable copies of downloaded or computed data; a cache that holds a
 *   credential (`~/.cache/huggingface/token`) is a known credential file;
 * - installed software and toolchains (`~/.local/bin`, `~/.nvm`,
 *   `~/.rustup`, `~/.cargo/registry`, `~/.m2/repository`, `~/.vscode/extensions`,
 *   `node_modules`, `site-packages` ...): the same files on every machine
 *   that installed them;
 * - logs (`~/Library/Logs`, a `log`/`logs` directory, `*.log`): the record
 *   of what a program did, read to debug it; the files an application keeps
 *   its logins in are not its logs (shell history is a known credential file);
 * - public material (public keys, known_hosts, authorized_keys, the ssh
 *   client's settings, certificates): made to be handed out;
 * - paths outside those trees, the working tree above all: a project under
 *   `/home/user/project/` is the agent's own work, and its `.git/` or `.env`
 *   is judged by the credential rules, not by this one.
 *
 * Deliberately included: shell start-up files (`~/.bashrc`, `~/.zshrc`,
 * `~/.profile`), where people export API keys, and `~/.gitconfig`, which can
 * hold credential helpers and tokens in `url.<token>@host.insteadOf`. Only
 * reading their content counts: `source ~/.bashrc` runs it, `git config
 * --global x` is the git pack's.
 *
 * Plain string work on a normalised path, precompiled tables, no per-call
 * regex compilation.
 */
import { homeRelative, isPublicMaterial, normPath, resolveDots } from "./credentials";

/** `${NAME}/` as shell writes it (kept out of a string literal that looks like a template). */
function braced(name: string): string {
  return ["$", `{${name}}/`].join("");
}

/** Environment variables that name a per-user data tree, as the tree they name (relative to the home directory). */
const TREE_VARIABLES: readonly [string, string][] = [
  ["$XDG_CONFIG_HOME/", "~/.config/"],
  [braced("XDG_CONFIG_HOME"), "~/.config/"],
  ["$XDG_DATA_HOME/", "~/.local/share/"],
  [braced("XDG_DATA_HOME"), "~/.local/share/"],
  ["$XDG_STATE_HOME/", "~/.local/state/"],
  [braced("XDG_STATE_HOME"), "~/.local/state/"],
  ["$XDG_CACHE_HOME/", "~/.cache/"],
  [braced("XDG_CACHE_HOME"), "~/.cache/"],
  ["%APPDATA%/", "~/AppData/Roaming/"],
  ["%APPDATA%\\", "~/AppData/Roaming/"],
  ["$APPDATA/", "~/AppData/Roaming/"],
  ["$env:APPDATA/", "~/AppData/Roaming/"],
  ["$env:APPDATA\\", "~/AppData/Roaming/"],
  ["%LOCALAPPDATA%/", "~/AppData/Local/"],
  ["%LOCALAPPDATA%\\", "~/AppData/Local/"],
  ["$LOCALAPPDATA/", "~/AppData/Local/"],
  ["$env:LOCALAPPDATA/", "~/AppData/Local/"],
  ["$env:LOCALAPPDATA\\", "~/AppData/Local/"],
  ["%USERPROFILE%/", "~/"],
  ["%USERPROFILE%\\", "~/"],
  ["$env:USERPROFILE/", "~/"],
  ["$env:USERPROFILE\\", "~/"],
];

/**
 * Installed software, toolchains and fonts under a home directory (relative
 * to it, lower case): the same files on every machine that installed them.
 */
const SOFTWARE_DIRS = [
  ".local/bin",
  ".local/lib",
  ".local/lib64",
  ".local/include",
  ".local/share/man",
  ".local/share/fonts",
  ".local/share/icons",
  ".local/share/themes",
  // Desktop entries: the menu launchers installed programs register.
  ".local/share/applications",
  ".local/share/flatpak",
  ".local/share/virtualenvs",
  ".local/share/pipx",
  ".local/pipx",
  ".local/share/pnpm",
  ".local/share/mise/installs",
  ".local/share/nvim/lazy",
  ".local/share/nvim/site",
  ".local/share/nvim/mason",
  ".nvm",
  ".pyenv",
  ".rbenv",
  ".goenv",
  ".nodenv",
  ".jenv",
  ".rvm",
  ".sdkman",
  ".asdf/installs",
  ".asdf/plugins",
  ".asdf/shims",
  ".volta",
  ".fnm",
  ".rustup",
  ".cargo/registry",
  ".cargo/git",
  ".cargo/bin",
  ".m2/repository",
  ".m2/wrapper",
  ".gradle/wrapper",
  ".gradle/native",
  ".ivy2",
  ".sbt/boot",
  ".vscode/extensions",
  ".vscode-insiders/extensions",
  ".vscode-server/extensions",
  ".vscode-server/bin",
  ".cursor/extensions",
  ".cursor-server/extensions",
  ".cursor-server/bin",
  ".windsurf/extensions",
  ".npm-global",
  ".bun/bin",
  ".bun/install",
  ".deno/bin",
  ".nix-profile",
  ".nix-defexpr",
  ".ghcup",
  ".stack/programs",
  ".elan/toolchains",
  ".julia/packages",
  ".julia/artifacts",
  ".virtualenvs",
  ".conda/pkgs",
  ".conda/envs",
  ".pub-cache",
  ".nuget/packages",
  ".dotnet/tools",
  ".oh-my-zsh",
  ".tmux/plugins",
  ".vim/plugged",
  ".vim/bundle",
  ".vim/pack",
  ".emacs.d/elpa",
  ".emacs.d/straight",
  ".fonts",
  ".icons",
  ".themes",
  ".terraform.d/plugins",
  ".tflint.d/plugins",
  ".krew",
  ".pnpm-store",
  ".platformio/packages",
  ".arduino15/packages",
  ".composer/vendor",
  ".config/composer/vendor",
  "library/fonts",
  "library/python",
  "library/android/sdk",
  "library/developer/xcode/deriveddata",
  "library/developer/xcode/archives",
  "appdata/local/programs",
  "appdata/local/microsoft/windowsapps",
  "appdata/local/temp",
  "appdata/roaming/npm",
];

/** A file named as an example or template: the word last before at most one extension, or first (not `com.example.app.plist`). */
const STAND_IN = /(?:[._-](?:example|sample|template|dist)s?(?:\.[a-z0-9]+)?$)|(?:^(?:example|sample|template)s?[._-])/;

/** SOFTWARE_DIRS by their first segment, so a path is compared with the few that can hold it. */
const SOFTWARE_BY_FIRST = new Map<string, string[]>();
for (const d of SOFTWARE_DIRS) {
  const first = d.split("/")[0] ?? d;
  const list = SOFTWARE_BY_FIRST.get(first) ?? [];
  list.push(d);
  SOFTWARE_BY_FIRST.set(first, list);
}

/** Directory names of installed packages, wherever they sit. */
const PACKAGE_SEGMENTS = new Set(["node_modules", "site-packages", "dist-packages", "bower_components"]);
/** Words that say a directory named as a cache still holds a credential (`token_cache`, `msal_cache`). */
const CREDENTIAL_CACHE_WORDS = ["token", "auth", "cred", "session", "key", "pass", "secret", "cookie", "login", "msal"];

/** Words that make a directory a cache wherever it sits (`.cache`, `npm-cache`, `Code Cache`, `_cacache`). */
const CACHE_WORDS = new Set(["cache", "caches", "cacache", "cache2"]);
const NAME_SEPARATORS = /[-_. ]+/;

/**
 * A directory named as a cache: one of its words is `cache` (`.cache`, `npm-cache`, `Code Cache`), or,
 * below the application's own directory, a name that starts or ends with it (`GPUCache`, `CachedData`).
 * At the application's level a name like `sccache` is the tool's, and its settings are not a cache.
 */
function isCacheSegment(seg: string, belowApp: boolean): boolean {
  if (!seg.includes("cache")) return false;
  for (const w of CREDENTIAL_CACHE_WORDS) if (seg.includes(w)) return false;
  for (const w of seg.split(NAME_SEPARATORS)) if (CACHE_WORDS.has(w)) return true;
  const s = seg.startsWith(".") || seg.startsWith("_") ? seg.slice(1) : seg;
  return belowApp && (s.startsWith("cache") || s.endsWith("cache") || s.endsWith("caches"));
}

/** Trees whose next entry is an application's own directory (relative to the home directory, lower case). */
const APP_TREES = [
  ".config/",
  ".local/share/",
  ".local/state/",
  ".var/app/",
  "library/application support/",
  "library/group containers/",
  "library/containers/",
  "appdata/roaming/",
  "appdata/local/",
  "appdata/locallow/",
];

/** The index in `segs` of the application's own directory: `.x` itself, or the entry after one of the trees. */
function appIndex(rel: string): number {
  for (const t of APP_TREES) if (rel.startsWith(t)) return t.split("/").length - 1;
  return 0;
}

function under(rel: string, dir: string): boolean {
  return rel === dir || rel.startsWith(`${dir}/`);
}

/** `rel` (relative to the home directory, lower case, split in `segs`) is in one of the excluded classes. */
function excluded(rel: string, segs: readonly string[]): boolean {
  const last = segs[segs.length - 1] ?? "";
  const app = appIndex(rel);
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i] ?? "";
    if (PACKAGE_SEGMENTS.has(s) || isCacheSegment(s, i > app) || s === "log" || s === "logs") return true;
  }
  if (last.endsWith(".log")) return true;
  // Stand-ins (`~/.npmrc.example`, `config.sample.yml`) hold no one's data.
  if (STAND_IN.test(last)) return true;
  const first = segs[0] ?? "";
  const dirs = SOFTWARE_BY_FIRST.get(first);
  if (dirs) for (const d of dirs) if (under(rel, d)) return true;
  return false;
}

/** The path as written (case kept), with `\` as `/`, a drive letter dropped and a tree variable replaced. */
function spelledPath(raw: string): string {
  let s = raw.trim();
  const c = s[0];
  if (c === "$" || c === "%")
    for (const [v, tree] of TREE_VARIABLES) {
      if (s.startsWith(v)) {
        s = tree + s.slice(v.length);
        break;
      }
    }
  if (s.includes("\\")) s = s.replaceAll("\\", "/");
  if (s.length > 2 && s[1] === ":" && s[2] === "/") s = s.slice(2);
  // `~alice/.config/x`: another user's home, as the shell spells it.
  if (s.startsWith("~") && !s.startsWith("~/") && s.length > 1) {
    const slash = s.indexOf("/");
    if (slash > 1) s = `/home/x${s.slice(slash)}`;
  }
  return s;
}

/** A segment spelled as the OS spells it: `Library` on macOS, `AppData` on Windows (a project called `library` is not it). */
function spelledAs(spelled: string, rel: string, name: string): boolean {
  const at = spelled.length - rel.length;
  return at >= 0 && spelled.slice(at, at + name.length) === name;
}

/**
 * Where `raw` lies in another application's private per-user state, in
 * words ("a hidden entry of the home directory", "macOS per-user application
 * data (~/Library)"), or null: not under a home directory, not in those
 * trees, or in one of the excluded classes above.
 */
export function privateStateOf(raw: string): string | null {
  if (raw.length === 0 || raw.length > 4096 || raw.includes("://")) return null;
  // A path under a home holds a slash, and only a slash or a backslash in `raw` becomes one (see spelledPath).
  if (!raw.includes("/") && !raw.includes("\\")) return null;
  let kept = normPath(spelledPath(raw));
  if (kept.includes("/.")) kept = resolveDots(kept) || kept;
  const p = kept.toLowerCase();
  const rel = homeRelative(p);
  if (rel === null || rel === "" || rel.startsWith("..")) return null;
  if (isPublicMaterial(p)) return null;
  const segs = rel.split("/");
  const first = segs[0] ?? "";
  let where: string | null = null;
  if (first.startsWith(".") && first !== "." && first !== "..") where = "a hidden entry of the home directory";
  else if (first === "library" && (p.startsWith("/users/") || spelledAs(kept, rel, "Library")))
    where = "macOS per-user application data (~/Library)";
  else if (first === "appdata" && (p.startsWith("/users/") || spelledAs(kept, rel, "AppData")))
    where = "Windows per-user application data (AppData)";
  if (where === null) return null;
  // The tree itself counts too: `cp -r ~/.config /tmp` copies all of it.
  if (excluded(rel, segs)) return null;
  return where;
}

/** The finding for a read of private state, in plain words. */
export function privateStateFinding(verb: string, path: string, where: string): string {
  return `${verb} ${path}, another application's private per-user state (${where}), where applications keep logins and tokens`;
}
