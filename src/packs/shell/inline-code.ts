/**
 * A fail-closed reading of interpreter one-liners (`python3 -c "print(1)"`,
 * `node -e "console.log(process.version)"`, `ruby -e "puts 'hi'"`): code made
 * only of literals, local names, a few pure built-ins and pure library calls
 * is a read. Anything else — an unknown name, attribute or module, a write
 * mode, string interpolation, dunder names, more than a short line — returns
 * null, and the caller keeps the line unclassified.
 */

type Lang = "python" | "node" | "ruby" | "perl";

/** Pure modules and the names of theirs that only compute or read ("*": all of them). */
const PY_MODULES: Record<string, ReadonlySet<string> | "*"> = {
  json: new Set(["dumps", "loads", "load", "JSONDecodeError"]),
  math: "*",
  cmath: "*",
  statistics: "*",
  decimal: "*",
  fractions: "*",
  random: "*",
  string: "*",
  re: "*",
  itertools: "*",
  functools: new Set(["reduce", "lru_cache", "cache", "partial"]),
  collections: new Set(["Counter", "OrderedDict", "defaultdict", "deque", "namedtuple", "ChainMap"]),
  textwrap: "*",
  unicodedata: "*",
  struct: "*",
  base64: "*",
  binascii: "*",
  hashlib: "*",
  uuid: "*",
  calendar: "*",
  datetime: "*",
  time: new Set(["time", "perf_counter", "perf_counter_ns", "monotonic", "time_ns", "strftime", "gmtime", "localtime", "sleep"]),
  sys: new Set([
    "version",
    "version_info",
    "platform",
    "maxsize",
    "byteorder",
    "stdin",
    "argv",
    "executable",
    "getsizeof",
    "getrecursionlimit",
    "implementation",
    "path",
    "prefix",
  ]),
  platform: new Set([
    "system",
    "release",
    "version",
    "machine",
    "python_version",
    "platform",
    "node",
    "processor",
    "uname",
    "architecture",
    "python_implementation",
  ]),
  os: new Set(["getcwd", "getpid", "cpu_count", "sep", "linesep", "name", "listdir", "path", "curdir"]),
  "os.path": "*",
  yaml: new Set(["safe_load", "safe_load_all", "safe_dump"]),
};

const PY_BUILTINS = new Set(
  "print len str int float bool repr sorted sum min max range list dict set frozenset tuple abs round bytes bytearray hex oct bin ord chr enumerate zip map filter any all isinstance type divmod pow format reversed iter next hash id open True False None".split(
    " ",
  ),
);
const PY_KEYWORDS = new Set("for in if else elif not and or is lambda import from as True False None pass".split(" "));

const NODE_GLOBALS: Record<string, ReadonlySet<string> | "*"> = {
  console: new Set(["log", "error", "info", "warn", "dir", "table"]),
  process: new Set(["version", "versions", "platform", "arch", "cwd", "argv", "pid", "uptime", "release", "exitCode"]),
  JSON: "*",
  Math: "*",
  Buffer: new Set(["from", "alloc", "byteLength", "isBuffer", "concat"]),
  Object: new Set(["keys", "values", "entries", "assign", "fromEntries"]),
  Array: new Set(["from", "isArray", "of"]),
  Number: "*",
  String: "*",
  Date: new Set(["now", "parse", "UTC"]),
  Intl: "*",
};
const NODE_PLAIN = new Set(
  "parseInt parseFloat encodeURIComponent decodeURIComponent atob btoa isNaN Boolean const let var new typeof true false null undefined return of in if else".split(
    " ",
  ),
);

const RUBY_GLOBALS: Record<string, ReadonlySet<string> | "*"> = {
  JSON: new Set(["parse", "generate", "pretty_generate", "dump"]),
  File: new Set(["read", "exist?", "file?", "directory?", "basename", "dirname", "extname", "size", "readlines", "join", "expand_path"]),
  Math: "*",
  Time: new Set(["now", "at"]),
  Digest: "*",
  Base64: "*",
};
const RUBY_PLAIN = new Set("puts print p pp require RUBY_VERSION RUBY_PLATFORM true false nil do end if else unless".split(" "));
const RUBY_REQUIRES = new Set(["json", "digest", "base64", "time", "date", "set"]);

const PERL_PLAIN = new Set(
  "print printf say pack unpack join length uc lc ucfirst lcfirst sprintf reverse sort keys values scalar split sqrt abs int hex oct ord chr".split(
    " ",
  ),
);

/** Methods called on a value, which compute and do not act. */
const METHODS = new Set(
  "decode encode hexdigest digest upper lower strip lstrip rstrip split join replace keys values items get count startswith endswith format fromhex hex isoformat now today toString toUpperCase toLowerCase trim map filter reduce length slice includes toFixed padStart padEnd repeat parse stringify sqrt floor ceil upcase downcase to_s to_i to_f size reverse inspect sort id read readline readlines".split(
    " ",
  ),
);

interface Tok {
  kind: "name" | "str" | "num" | "punct";
  text: string;
}

const MAX_CODE = 400;

function tokenize(code: string, lang: Lang): Tok[] | null {
  const out: Tok[] = [];
  let i = 0;
  while (i < code.length) {
    const c = code[i] as string;
    if (c === " " || c === "\t" || c === "\n") {
      i++;
      continue;
    }
    // String literals, with an optional Python prefix (r, b, u; f-strings hold code and are refused).
    let j = i;
    if (lang === "python") while (j < code.length && /[rbuRBU]/.test(code[j] as string) && j - i < 2) j++;
    const q = code[j];
    if ((q === "'" || q === '"' || (q === "`" && lang === "node")) && (j === i || !/[A-Za-z0-9_]/.test(code[i - 1] ?? ""))) {
      if (code.startsWith(q.repeat(3), j)) return null;
      let k = j + 1;
      let s = "";
      while (k < code.length && code[k] !== q) {
        if (code[k] === "\\") {
          s += code.slice(k, k + 2);
          k += 2;
          continue;
        }
        s += code[k];
        k++;
      }
      if (k >= code.length) return null;
      // Devices and kernel files (raw memory, other processes) are not ordinary reads.
      if (/^\/(dev|proc|sys)\//.test(s)) return null;
      // Ruby's and Perl's readers run `|command` strings.
      if ((lang === "ruby" || lang === "perl") && s.trimStart().startsWith("|")) return null;
      // Interpolation runs code: refused.
      if (q === "`" || (lang === "ruby" && q === '"' && s.includes("#{")) || (lang === "perl" && q === '"' && /[$@]/.test(s))) return null;
      out.push({ kind: "str", text: s });
      i = k + 1;
      continue;
    }
    if (/[0-9]/.test(c)) {
      let k = i;
      while (k < code.length && /[0-9a-fA-FxXoObB._]/.test(code[k] as string)) k++;
      out.push({ kind: "num", text: code.slice(i, k) });
      i = k;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let k = i;
      while (k < code.length && /[A-Za-z0-9_]/.test(code[k] as string)) k++;
      if (lang === "ruby" && (code[k] === "?" || code[k] === "!")) k++;
      out.push({ kind: "name", text: code.slice(i, k) });
      i = k;
      continue;
    }
    if ("()[]{},:;=+-*/%<>!.&|^~".includes(c)) {
      out.push({ kind: "punct", text: c });
      i++;
      continue;
    }
    // `$`, `@`, `#`, backslashes, backticks and the rest: not in the subset.
    return null;
  }
  return out;
}

/** The table's entry for `key`, own properties only (`constructor` is no module). */
function entry(table: Record<string, ReadonlySet<string> | "*">, key: string): ReadonlySet<string> | "*" | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** True when the module member (or a dotted path under it) is in the table. */
function allowed(table: Record<string, ReadonlySet<string> | "*">, head: string, member: string): boolean {
  const t = entry(table, head);
  if (t === undefined) return false;
  return t === "*" || t.has(member);
}

/**
 * Returns true when `code` is in the safe subset for `lang`: it only computes,
 * prints and reads. Returns false for everything else.
 */
export function isSafeInlineCode(code: string, lang: Lang): boolean {
  // `$` may be a shell expansion spliced into the code before the interpreter sees it: refused.
  if (code.length === 0 || code.length > MAX_CODE || code.includes("__") || code.includes("$")) return false;
  const toks = tokenize(code, lang);
  if (!toks) return false;
  const locals = new Set<string>();
  const modules = new Map<string, string>();
  // Pass 1: names the code binds itself (`x = ...`, `for x in`, `lambda x:`, keyword arguments, imports).
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Tok;
    const next = toks[i + 1];
    const prev = toks[i - 1];
    if (t.kind !== "name") continue;
    if (next?.text === "=" && toks[i + 2]?.text !== "=" && prev?.text !== ".") locals.add(t.text);
    if (prev?.kind === "name" && ["for", "lambda", "const", "let", "var", "as"].includes(prev.text)) locals.add(t.text);
    if (prev?.text === "," && locals.size > 0 && ["for", "lambda"].some((k) => toks.slice(Math.max(0, i - 4), i).some((x) => x.text === k)))
      locals.add(t.text);
    if (lang === "ruby" && prev?.text === "|") locals.add(t.text);
    // `{a: 1}`: an object key.
    if (lang === "node" && next?.text === ":" && (prev?.text === "{" || prev?.text === ",")) locals.add(t.text);
  }
  if (lang === "python") {
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i] as Tok;
      if (t.text === "import" && toks[i - 1]?.kind !== "name") {
        // `import a, b as c`
        let k = i + 1;
        while (k < toks.length && toks[k]?.text !== ";") {
          const m = toks[k] as Tok;
          if (m.kind === "name" && m.text !== "as") {
            let name = m.text;
            while (toks[k + 1]?.text === "." && toks[k + 2]?.kind === "name") {
              name += `.${toks[k + 2]?.text}`;
              k += 2;
            }
            if (entry(PY_MODULES, name) === undefined) return false;
            const alias = toks[k + 1]?.text === "as" ? (toks[k + 2]?.text ?? name) : name;
            modules.set(alias, name);
            // `import os.path` binds `os`.
            const top = name.split(".")[0] as string;
            if (alias === name && top !== name && entry(PY_MODULES, top) !== undefined) modules.set(top, top);
          }
          k++;
        }
      }
      if (t.text === "from") {
        let mod = toks[i + 1]?.text ?? "";
        let k = i + 2;
        while (toks[k]?.text === "." && toks[k + 1]?.kind === "name") {
          mod += `.${toks[k + 1]?.text}`;
          k += 2;
        }
        if (entry(PY_MODULES, mod) === undefined || toks[k]?.text !== "import") return false;
        for (k++; k < toks.length && toks[k]?.text !== ";"; k++) {
          const m = toks[k] as Tok;
          if (m.kind === "name" && m.text !== "as") {
            if (!allowed(PY_MODULES, mod, m.text)) return false;
            locals.add(m.text);
          }
        }
      }
    }
  }
  // Pass 2: every name is bound, a keyword, a pure built-in, or a listed member of a listed module.
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Tok;
    if (t.kind !== "name") continue;
    const prev = toks[i - 1];
    if (prev?.text === "from") {
      // `from a.b import c`: the module was checked with its import.
      while (toks[i + 1]?.text === "." && toks[i + 2]?.kind === "name") i += 2;
      continue;
    }
    if (prev?.text === ".") {
      // A member of something already checked: a method on a value.
      if (!METHODS.has(t.text)) return false;
      continue;
    }
    // The dotted chain `a.b.c` that starts here.
    const chain = [t.text];
    let k = i;
    while (toks[k + 1]?.text === "." && toks[k + 2]?.kind === "name") {
      chain.push(toks[k + 2]?.text ?? "");
      k += 2;
    }
    if (lang === "ruby") {
      // `Digest::SHA256`: the `::` reads as a member.
      while (toks[k + 1]?.text === ":" && toks[k + 2]?.text === ":" && toks[k + 3]?.kind === "name") {
        chain.push(toks[k + 3]?.text ?? "");
        k += 3;
      }
    }
    const head = chain[0] as string;
    const member = chain[1];
    if (lang === "python") {
      if (PY_KEYWORDS.has(head) && chain.length === 1) continue;
      const mod = modules.get(head);
      if (mod !== undefined) {
        if (member === undefined) continue;
        if (mod === "os" && member === "path") {
          if (chain[2] !== undefined && !allowed(PY_MODULES, "os.path", chain[2])) return false;
        } else if (!allowed(PY_MODULES, mod, member)) return false;
        if (chain.slice(mod === "os" && member === "path" ? 3 : 2).some((m) => !METHODS.has(m))) return false;
      } else if (locals.has(head) || PY_BUILTINS.has(head)) {
        if (chain.slice(1).some((m) => !METHODS.has(m))) return false;
        if (head === "open" && !readOnlyOpen(toks, k + 1)) return false;
      } else return false;
    } else if (lang === "node") {
      if (NODE_PLAIN.has(head) && chain.length === 1) continue;
      if (entry(NODE_GLOBALS, head) !== undefined) {
        if (member !== undefined && !allowed(NODE_GLOBALS, head, member)) return false;
        if (chain.slice(2).some((m) => !METHODS.has(m))) return false;
      } else if (locals.has(head)) {
        if (chain.slice(1).some((m) => !METHODS.has(m))) return false;
      } else return false;
    } else if (lang === "ruby") {
      if (RUBY_PLAIN.has(head) && chain.length === 1) {
        if (head === "require" && !(toks[k + 1]?.kind === "str" && RUBY_REQUIRES.has(toks[k + 1]?.text ?? ""))) return false;
        continue;
      }
      if (entry(RUBY_GLOBALS, head) !== undefined) {
        if (member !== undefined && !allowed(RUBY_GLOBALS, head, member)) return false;
        if (chain.slice(2).some((m) => !METHODS.has(m))) return false;
      } else if (locals.has(head)) {
        if (chain.slice(1).some((m) => !METHODS.has(m))) return false;
      } else return false;
    } else if (!(PERL_PLAIN.has(head) && chain.length === 1)) return false;
    i = k;
  }
  return true;
}

/** `open(path)` / `open(path, "r")`: a mode string other than reading is refused. */
function readOnlyOpen(toks: readonly Tok[], at: number): boolean {
  if (toks[at]?.text !== "(") return false;
  let depth = 0;
  let strings = 0;
  for (let k = at; k < toks.length; k++) {
    const t = toks[k] as Tok;
    if (t.text === "(") depth++;
    else if (t.text === ")") {
      depth--;
      if (depth === 0) return true;
    } else if (t.kind === "str" && depth === 1) {
      strings++;
      if (strings > 1 && !/^[rbt]*$/.test(t.text)) return false;
    } else if (t.kind === "name" && depth === 1 && t.text === "mode") return false;
  }
  return false;
}

/** The language of an interpreter family name, when the subset covers it. */
export function inlineLang(family: string): Lang | null {
  if (family.startsWith("python") || family === "pypy" || family === "pypy3") return "python";
  if (family === "node" || family === "nodejs") return "node";
  if (family === "ruby") return "ruby";
  if (family === "perl") return "perl";
  return null;
}
