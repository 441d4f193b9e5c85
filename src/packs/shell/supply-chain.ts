import { TAGS } from "../common";
import type { Acc, CmdInfo } from "./index";
import type { Redirect, Word } from "./tokenize";

/**
 * Where code comes from and what a build runs (TAGS.supply_chain): packages
 * installed from a URL, git or a registry other than the default; registry,
 * proxy and checksum settings; publishing packages and images; writes to CI
 * pipelines, container and build files, manifests, lockfiles and
 * package-manager configuration; CI logging commands that change the build.
 */

function supply(acc: Acc, why: string): void {
  acc.tag(TAGS.supply_chain);
  acc.find(why);
}

/** A package spec that names a source instead of a registry package. */
const SOURCE_SPEC = /^(git\+|git:\/\/|git@|hg\+|svn\+|bzr\+|https?:\/\/|github:|gitlab:|bitbucket:|gist:|file:)/i;

const BUILD_FILES = new Set([
  "dockerfile",
  "containerfile",
  "docker-compose.yml",
  "docker-compose.yaml",
  "compose.yml",
  "compose.yaml",
  "devcontainer.json",
  ".devcontainer.json",
  ".gitlab-ci.yml",
  "jenkinsfile",
  "azure-pipelines.yml",
  ".travis.yml",
  "bitbucket-pipelines.yml",
  "cloudbuild.yaml",
  "cloudbuild.yml",
  "buildspec.yml",
  "appveyor.yml",
  ".drone.yml",
  "makefile",
  "gnumakefile",
  "package.json",
  "package-lock.json",
  "npm-shrinkwrap.json",
  "yarn.lock",
  "pnpm-lock.yaml",
  "pnpm-workspace.yaml",
  "bun.lockb",
  "bun.lock",
  "pyproject.toml",
  "setup.py",
  "setup.cfg",
  "pipfile",
  "pipfile.lock",
  "poetry.lock",
  "uv.lock",
  "cargo.toml",
  "cargo.lock",
  "go.mod",
  "go.sum",
  "gemfile",
  "gemfile.lock",
  "pom.xml",
  "build.gradle",
  "build.gradle.kts",
  "settings.gradle",
  "settings.gradle.kts",
  "composer.json",
  "composer.lock",
  ".npmrc",
  ".yarnrc",
  ".yarnrc.yml",
  ".pypirc",
  "pip.conf",
  "pip.ini",
  ".condarc",
  ".gemrc",
  "nuget.config",
  ".pre-commit-config.yaml",
  "mcp.json",
  ".mcp.json",
  "mcp_settings.json",
  "claude_desktop_config.json",
]);
const BUILD_DIRS = [".github/workflows/", ".github/actions/", ".circleci/", ".devcontainer/", ".buildkite/", ".cargo/config", ".husky/"];
/** Each of BUILD_DIRS less its last character, for the paths that start with it. */
const BUILD_DIR_STEMS = BUILD_DIRS.map((d) => d.slice(0, -1));
const COMPOSE_VARIANT = /^docker-compose\..+\.ya?ml$/;
const REQUIREMENTS = /^requirements.*\.txt$/;
const LOCKFILES = new Set([
  "package-lock.json",
  "npm-shrinkwrap.json",
  "yarn.lock",
  "pnpm-lock.yaml",
  "bun.lockb",
  "bun.lock",
  "pipfile.lock",
  "poetry.lock",
  "uv.lock",
  "cargo.lock",
  "go.sum",
  "gemfile.lock",
  "composer.lock",
]);

/** `$NAME` and `${NAME}` (the braces kept out of a string literal that looks like a template). */
const varForms = (name: string): string[] => [`$${name}`, ["$", `{${name}}`].join("")];
const GITHUB_ENV = varForms("github_env");
const GITHUB_PATH = varForms("github_path");
const GITHUB_OUTPUT = [...varForms("github_output"), ...varForms("github_state")];

/** What kind of build file a path is, or null. */
export function buildFileOf(path: string): string | null {
  const p = path.toLowerCase();
  if (GITHUB_ENV.includes(p)) return "the GitHub Actions environment file (sets variables for every later step)";
  if (GITHUB_PATH.includes(p)) return "the GitHub Actions PATH file (puts programs first on PATH for every later step)";
  if (GITHUB_OUTPUT.includes(p)) return "the GitHub Actions step outputs (inputs that later steps and jobs trust)";
  const base = p.slice(p.lastIndexOf("/") + 1);
  if (BUILD_DIRS.some((d, i) => p.includes(d) || p.startsWith(BUILD_DIR_STEMS[i] as string))) return "CI or build configuration";
  if (
    BUILD_FILES.has(base) ||
    base.startsWith("dockerfile.") ||
    base.endsWith(".dockerfile") ||
    COMPOSE_VARIANT.test(base) ||
    REQUIREMENTS.test(base)
  )
    return LOCKFILES.has(base) ? "a lockfile" : "a build, manifest or package-manager file";
  return null;
}

const WRITE_OPS = new Set([">", ">>", ">|", "&>", "&>>"]);
/** Commands whose last operand is the file they write. */
const COPY_WRITERS = new Set(["cp", "mv", "install", "ln", "rsync"]);
/** Commands whose operands name files they write or delete (a redirect names one for any command). */
const FILE_WRITERS = new Set(["tee", "sponge", "sed", "perl", ...COPY_WRITERS, "rm", "unlink"]);
const NO_OPERANDS: readonly string[] = [];

function fileWrites(name: string, args: readonly Word[], redirects: readonly Redirect[], acc: Acc): void {
  const targets: string[] = [];
  for (const r of redirects) if (WRITE_OPS.has(r.op) && r.target) targets.push(r.target.value);
  const pos = FILE_WRITERS.has(name) ? args.map((w) => w.value).filter((v) => !v.startsWith("-")) : NO_OPERANDS;
  if (name === "tee" || name === "sponge") targets.push(...pos);
  else if ((name === "sed" || name === "perl") && args.some((w) => /^-[a-zA-Z]*i/.test(w.value) || w.value.startsWith("--in-place")))
    targets.push(...pos.slice(1));
  else if (COPY_WRITERS.has(name) && pos.length >= 2) targets.push(pos[pos.length - 1] as string);
  for (const t of targets) {
    const kind = buildFileOf(t);
    if (kind) {
      supply(acc, `${name} writes ${t} (${kind}), which changes what builds and installs run`);
      return;
    }
  }
  if (name === "rm" || name === "unlink") {
    const lock = pos.find((p) => LOCKFILES.has(p.toLowerCase().slice(p.lastIndexOf("/") + 1)));
    if (lock) supply(acc, `${name} deletes ${lock}: the next install resolves whatever versions the registry serves then`);
  }
}

/** Azure Pipelines and GitHub Actions commands printed to the log that change the build. */
const CI_COMMAND =
  /(##vso\[(task\.(setvariable|prependpath|setendpoint|setsecret|uploadfile|addattachment|uploadsummary)|artifact\.(upload|associate))|::(set-env|add-path|set-output)\b)/i;

const PIP_SOURCE_OPTS = new Set(["--index-url", "-i", "--extra-index-url", "--trusted-host", "-f", "--find-links"]);
const REGISTRY_OPTS = new Set(["--registry", "--source", "-s", "--index", "--git", "--custom-remote", "--channel", "-c"]);
const PYTHON_NAME = /^python[0-9.]*$/;
const NODE_PMS = new Set(["npm", "pnpm", "yarn", "bun"]);
/** The package managers installSource reads besides pip's and Node's. */
const OTHER_PMS = new Set(["conda", "mamba", "micromamba", "gem", "cargo", "dotnet", "nuget", "brew", "composer", "mvn", "deno"]);
const INSTALL_VERBS = new Set(["install", "i", "add", "download", "wheel", "ci", "sync", "update"]);
const DENO_RUNS = new Set(["run", "install", "eval", "cache", "compile"]);

/** `pip install --index-url URL`, `npm install git+https://...`, `conda install -c https://...`. */
function installSource(name: string, vals: readonly string[], acc: Acc): void {
  let pm = name;
  let rest = vals;
  if (PYTHON_NAME.test(name) && vals[0] === "-m") {
    pm = vals[1] ?? "";
    rest = vals.slice(2);
  }
  if (pm === "uv" && rest[0] === "pip") rest = rest.slice(1);
  const isPip = pm === "pip" || pm === "pip3" || pm === "uv" || pm === "pipx";
  if (!(isPip || NODE_PMS.has(pm) || OTHER_PMS.has(pm))) return;
  const sub = rest.find((v) => !v.startsWith("-")) ?? "";
  const installs = INSTALL_VERBS.has(sub);
  for (let i = 0; i < rest.length; i++) {
    const v = rest[i] as string;
    const eq = v.indexOf("=");
    const opt = v.startsWith("-") ? (eq > 0 ? v.slice(0, eq) : v) : "";
    const val = eq > 0 && v.startsWith("-") ? v.slice(eq + 1) : (rest[i + 1] ?? "");
    if (opt === "" && installs && SOURCE_SPEC.test(v) && pm !== "brew" && pm !== "deno") {
      supply(acc, `${pm} ${sub} installs ${v}, code from a URL or repository rather than the registry`);
      return;
    }
    if (isPip && installs && PIP_SOURCE_OPTS.has(opt) && !/^https:\/\/pypi\.org\/simple\/?$/.test(val)) {
      supply(acc, `${pm} ${sub} ${opt} ${val} takes packages from another index`);
      return;
    }
    if (!isPip && REGISTRY_OPTS.has(opt) && (installs || sub === "tap") && /:\/\/|^git@/.test(val)) {
      supply(acc, `${pm} ${sub} ${opt} ${val} takes packages from a source other than the default registry`);
      return;
    }
    if (opt.startsWith("-DrepoUrl") || opt.startsWith("-DremoteRepositories") || opt.startsWith("-DaltDeploymentRepository")) {
      supply(acc, `${pm} ${opt} points Maven at another repository`);
      return;
    }
    // The value of `-i URL` was judged with its option, not as a package.
    if (eq < 0 && (PIP_SOURCE_OPTS.has(opt) || REGISTRY_OPTS.has(opt))) i++;
  }
  if (pm === "brew" && sub === "tap") {
    const tap = rest.filter((v) => !v.startsWith("-"))[1];
    if (tap && !tap.toLowerCase().startsWith("homebrew/")) supply(acc, `brew tap ${tap} adds a third-party formula repository`);
  }
  if (pm === "gem" && sub === "sources" && rest.some((v) => v === "--add" || v === "-a"))
    supply(acc, "gem sources --add adds a gem source");
  if (pm === "deno" && DENO_RUNS.has(sub)) {
    const url = rest.find((v) => /^https?:\/\//.test(v));
    if (url && sub !== "cache") {
      acc.tag(TAGS.remote_exec, TAGS.network);
      acc.find(`deno ${sub} runs code fetched from ${url}`);
    }
  }
}

/** The tools configSource reads besides pip (`pip`, `pip3.12`). */
const CONFIG_TOOLS = new Set([...NODE_PMS, "conda", "mamba", "go", "code", "cursor", "codium", "windsurf", "code-insiders"]);
const PIP_NAME = /^pip[0-9.]*$/;

/** `npm config set registry ...`, `pip config set global.index-url ...`, `go env -w GOPROXY=...`. */
function configSource(name: string, vals: readonly string[], acc: Acc): void {
  if (!CONFIG_TOOLS.has(name) && !PIP_NAME.test(name)) return;
  const pos = vals.filter((v) => !v.startsWith("-"));
  if (NODE_PMS.has(name)) {
    const set = (pos[0] === "config" && pos[1] === "set") || pos[0] === "set";
    const key = (pos[0] === "set" ? pos[1] : pos[2]) ?? "";
    const k = key.toLowerCase().split("=")[0] ?? "";
    if (set && (k.endsWith("registry") || k === "strict-ssl" || k === "ignore-scripts" || k === "npmregistryserver" || k === "unsafe-perm"))
      supply(acc, `${name} config set ${k} changes where packages come from or whether install scripts and TLS checks run`);
  }
  if (
    PIP_NAME.test(name) &&
    pos[0] === "config" &&
    pos[1] === "set" &&
    /(index-url|extra-index-url|trusted-host|find-links)$/.test(pos[2] ?? "")
  )
    supply(acc, `pip config set ${pos[2]} takes packages from another index`);
  if ((name === "conda" || name === "mamba") && pos[0] === "config" && vals.includes("--add") && pos.includes("channels"))
    supply(acc, `${name} config --add channels adds a package channel`);
  if (name === "go" && pos[0] === "env" && vals.includes("-w")) {
    for (const v of pos.slice(1)) {
      const eq = v.indexOf("=");
      if (eq > 0) supplyChainAssign(v.slice(0, eq), v.slice(eq + 1), acc);
    }
  }
  if (name === "go" && pos[0] === "mod" && pos[1] === "edit") {
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i] as string;
      const spec = v === "-replace" ? (vals[i + 1] ?? "") : v.startsWith("-replace=") ? v.slice(9) : null;
      if (spec === null) continue;
      const target = spec.slice(spec.indexOf("=") + 1);
      if (target && !/^(\.|\/|~)/.test(target))
        supply(acc, `go mod edit -replace sends ${spec.split("=")[0]} to ${target}, another module's code`);
    }
  }
  if (
    (name === "code" || name === "cursor" || name === "codium" || name === "windsurf" || name === "code-insiders") &&
    vals.some((v) => v === "--install-extension")
  ) {
    const ext = vals[vals.indexOf("--install-extension") + 1] ?? "";
    if (ext.endsWith(".vsix") || ext.includes("://"))
      supply(acc, `${name} installs the extension ${ext} from a file or URL, not the marketplace`);
  }
}

const NPM_LIKE = new Set(["npm", "pnpm", "bun"]);
const PUBLISH_VERB = new Set(["cargo", "poetry", "uv", "flit", "hatch", "vsce", "ovsx"]);
const IMAGE_TOOLS = new Set(["docker", "podman", "nerdctl", "buildah"]);
const CRANE_WRITES = new Set(["push", "copy", "cp", "append", "mutate", "tag"]);
const ORAS_WRITES = new Set(["push", "copy", "cp", "attach", "tag"]);
/** The tools publishes knows besides Python's `-m twine`. */
const PUBLISHERS = new Set([
  ...NPM_LIKE,
  "yarn",
  "twine",
  ...PUBLISH_VERB,
  "gem",
  "dotnet",
  "nuget",
  "mvn",
  "gradle",
  "gradlew",
  ...IMAGE_TOOLS,
  "crane",
  "skopeo",
  "oras",
  "helm",
  "gh",
]);

/** Publishing packages and images. */
function publishes(name: string, vals: readonly string[]): string | null {
  if (PYTHON_NAME.test(name))
    return vals[0] === "-m" && vals[1] === "twine" && vals[2] === "upload" ? "twine upload publishes a package to PyPI" : null;
  if (!PUBLISHERS.has(name)) return null;
  const pos = vals.filter((v) => !v.startsWith("-"));
  const [a = "", b = ""] = pos;
  if (NPM_LIKE.has(name) && (a === "publish" || (a === "dist-tag" && b === "add")))
    return `${name} ${a} publishes a package to the registry`;
  if (name === "yarn" && (a === "publish" || (a === "npm" && b === "publish"))) return "yarn publish publishes a package to the registry";
  if (name === "twine" && a === "upload") return "twine upload publishes a package to PyPI";
  if (PUBLISH_VERB.has(name) && a === "publish") return `${name} publish publishes a package`;
  if (name === "gem" && a === "push") return "gem push publishes a gem";
  if ((name === "dotnet" && a === "nuget" && b === "push") || (name === "nuget" && a === "push")) return "nuget push publishes a package";
  if (name === "mvn" && pos.some((v) => v === "deploy" || v === "release:perform" || v.startsWith("deploy:")))
    return "mvn deploy publishes artifacts to a repository";
  if ((name === "gradle" || name === "gradlew") && pos.some((v) => /^publish/.test(v) && !/MavenLocal$/.test(v)))
    return "gradle publish publishes artifacts to a repository";
  if (IMAGE_TOOLS.has(name)) {
    if (a === "push" || (a === "image" && b === "push") || (a === "manifest" && b === "push"))
      return `${name} push publishes an image to a registry`;
    if (
      (a === "build" || (a === "buildx" && b === "build") || (a === "builder" && b === "build")) &&
      vals.some((v) => v === "--push" || v.startsWith("--output=type=registry"))
    )
      return `${name} build --push publishes an image to a registry`;
  }
  if (name === "crane" && CRANE_WRITES.has(a)) return `crane ${a} writes an image to a registry`;
  if (name === "skopeo" && (a === "copy" || a === "sync")) return `skopeo ${a} writes an image to a registry`;
  if (name === "oras" && ORAS_WRITES.has(a)) return `oras ${a} writes an artifact to a registry`;
  if (name === "helm" && a === "push") return "helm push publishes a chart";
  if (name === "gh" && a === "release" && (b === "create" || b === "upload")) return `gh release ${b} publishes release artifacts`;
  return null;
}

/** Commands the install, configuration and publishing rules look at. */
const SC_NAMES = new Set(
  "pip pip3 uv pipx npm pnpm yarn bun conda mamba micromamba gem cargo dotnet nuget brew composer mvn deno go code cursor codium windsurf code-insiders twine poetry flit hatch vsce ovsx gradle gradlew docker podman nerdctl buildah crane skopeo oras helm gh".split(
    " ",
  ),
);

export function supplyChainCommand(
  name: string,
  args: readonly Word[],
  acc: Acc,
  _info: CmdInfo,
  redirects: readonly Redirect[],
  given?: readonly string[],
): void {
  if (redirects.length > 0 || FILE_WRITERS.has(name)) fileWrites(name, args, redirects, acc);
  // A printer installs, configures and publishes nothing: only its text is read.
  if (name === "echo" || name === "printf") {
    if ((given ?? args.map((w) => w.value)).some((v) => CI_COMMAND.test(v)))
      supply(acc, `${name} prints a CI logging command that changes the build's variables, PATH or artifacts`);
    return;
  }
  if (!SC_NAMES.has(name) && !name.startsWith("python")) return;
  const vals = given ?? args.map((w) => w.value);
  installSource(name, vals, acc);
  configSource(name, vals, acc);
  const pub = publishes(name, vals);
  if (pub) {
    acc.tag(TAGS.network);
    supply(acc, pub);
  }
}

/** `git config url.X.insteadOf Y`: every fetch of Y goes to X. */
export function supplyChainGit(words: readonly Word[], acc: Acc): void {
  const vals = words.map((w) => w.value);
  if (vals[1] !== "config" && !vals.includes("config")) return;
  const key = vals.find((v) => /^url\..+\.(insteadof|pushinsteadof)$/i.test(v));
  if (key) supply(acc, `git config ${key} rewrites where git fetches code from`);
}

const DEFAULT_GOPROXY = new Set(["https://proxy.golang.org,direct", "https://proxy.golang.org", "direct"]);

/** Variables that change where packages come from or whether they are checked. */
export function supplyChainAssign(name: string, value: string, acc: Acc): void {
  const n = name.toUpperCase();
  const v = value.replace(/^['"]|['"]$/g, "");
  if (n === "GOPROXY" && v !== "" && !DEFAULT_GOPROXY.has(v)) supply(acc, `GOPROXY=${v} fetches Go modules from another proxy`);
  else if ((n === "GONOSUMDB" || n === "GONOSUMCHECK" || n === "GOINSECURE" || n === "GONOSUMCHECKS") && v !== "")
    supply(acc, `${n}=${v} turns off checksum or TLS checks for Go modules`);
  else if (n === "GOSUMDB" && v === "off") supply(acc, "GOSUMDB=off turns off Go's checksum database");
  else if (n === "GOFLAGS" && /-insecure/.test(v)) supply(acc, "GOFLAGS=-insecure fetches Go modules without TLS checks");
  else if (
    /^(PIP_INDEX_URL|PIP_EXTRA_INDEX_URL|PIP_TRUSTED_HOST|PIP_FIND_LINKS|UV_INDEX_URL|UV_EXTRA_INDEX_URL|UV_DEFAULT_INDEX|UV_INDEX|NPM_CONFIG_REGISTRY|YARN_REGISTRY|YARN_NPM_REGISTRY_SERVER|BUN_CONFIG_REGISTRY|CARGO_REGISTRIES_.+_INDEX|GEM_SOURCE)$/.test(
      n,
    ) &&
    v !== ""
  )
    supply(acc, `${name}=${v} takes packages from another registry`);
  else if (n === "DOCKER_CONTENT_TRUST" && v === "0") supply(acc, "DOCKER_CONTENT_TRUST=0 turns off image signature checks");
  else if (n === "NPM_CONFIG_IGNORE_SCRIPTS" && v === "false") supply(acc, "npm_config_ignore_scripts=false lets install scripts run");
  else if (
    /^(CC|CXX|CPP|LD|CFLAGS|CXXFLAGS|CPPFLAGS|LDFLAGS|RUSTFLAGS|GOFLAGS)$/.test(n) &&
    /-fplugin|-Xclang\s+-load|--wrap[,=]|-specs=|-wrapper\b|-Zplugin|-toolexec/.test(v)
  )
    supply(acc, `${name}=${v} makes the build load a plugin or wrap functions of the caller's choosing`);
}
