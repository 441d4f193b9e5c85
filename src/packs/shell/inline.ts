/**
 * Inline interpreter code that only computes and prints (`python3 -c
 * "print(json.dumps(...))"`, `node -e "console.log(process.version)"`). The
 * code is read as a flat list of names: every name, dotted chain and method
 * must come from a small table of functions that neither run programs, touch
 * the network, write files nor evaluate strings. Anything else — an unknown
 * name, an f-string or template interpolation, a write mode, dunder access —
 * leaves the code unclassified, as before. Fails closed.
 */

/** Longest inline program this recogniser looks at. */
const MAX_CODE = 2048;

const COMMON_METHODS = [
  "keys",
  "values",
  "items",
  "get",
  "upper",
  "lower",
  "strip",
  "lstrip",
  "rstrip",
  "split",
  "join",
  "replace",
  "startswith",
  "endswith",
  "format",
  "count",
  "index",
  "find",
  "decode",
  "encode",
  "hex",
  "read",
  "readlines",
  "readline",
  "splitlines",
  "title",
  "capitalize",
  "zfill",
  "isdigit",
  "isalpha",
  "append",
  "extend",
  "sort",
  "reverse",
  "copy",
  "pop",
  "length",
  "toString",
  "toUpperCase",
  "toLowerCase",
  "trim",
  "map",
  "filter",
  "reduce",
  "slice",
  "substring",
  "padStart",
  "padEnd",
  "includes",
  "indexOf",
  "forEach",
  "toFixed",
  "to_s",
  "to_i",
  "to_f",
  "to_a",
  "to_h",
  "to_json",
  "inspect",
  "each",
  "size",
  "first",
  "last",
  "sum",
  "uniq",
  "chomp",
  "upcase",
  "downcase",
  "reverse",
];

const PYTHON = new Set([
  "print",
  "len",
  "str",
  "int",
  "float",
  "bool",
  "list",
  "dict",
  "tuple",
  "set",
  "sorted",
  "sum",
  "min",
  "max",
  "abs",
  "round",
  "range",
  "enumerate",
  "zip",
  "map",
  "filter",
  "repr",
  "hex",
  "bin",
  "oct",
  "ord",
  "chr",
  "isinstance",
  "type",
  "bytes",
  "bytes.fromhex",
  "True",
  "False",
  "None",
  "and",
  "or",
  "not",
  "in",
  "is",
  "for",
  "if",
  "else",
  "elif",
  "lambda",
  "import",
  "as",
  "open",
  "json",
  "json.load",
  "json.loads",
  "json.dumps",
  "math",
  "sys",
  "sys.version",
  "sys.version_info",
  "sys.platform",
  "sys.stdin",
  "sys.stdin.read",
  "sys.argv",
  "sys.maxsize",
  "sys.byteorder",
  "sys.executable",
  "sys.path",
  "sys.getrecursionlimit",
  "platform",
  "os",
  "os.getcwd",
  "os.listdir",
  "os.sep",
  "os.cpu_count",
  "os.path",
  "datetime",
  "time",
  "time.time",
  "base64",
  "base64.b64encode",
  "base64.b64decode",
  "hashlib",
  "re",
  "uuid",
  "uuid.uuid4",
  "random",
  "string",
  "statistics",
  "decimal",
  "fractions",
  "struct",
  "struct.pack",
  "struct.unpack",
  "struct.calcsize",
  "textwrap",
  "pprint",
  "pprint.pprint",
]);
/** Modules whose every attribute is pure computation. */
const PYTHON_PURE_MODULES = new Set([
  "math",
  "platform",
  "datetime",
  "hashlib",
  "re",
  "random",
  "string",
  "statistics",
  "decimal",
  "fractions",
  "textwrap",
  "os.path",
]);
const PYTHON_IMPORTS = new Set([
  "json",
  "math",
  "sys",
  "platform",
  "os",
  "datetime",
  "time",
  "base64",
  "hashlib",
  "re",
  "uuid",
  "random",
  "string",
  "statistics",
  "decimal",
  "fractions",
  "struct",
  "textwrap",
  "pprint",
]);

const NODE = new Set([
  "console.log",
  "console.error",
  "console.info",
  "JSON.stringify",
  "JSON.parse",
  "Math",
  "process.version",
  "process.versions",
  "process.platform",
  "process.arch",
  "process.argv",
  "process.cwd",
  "process.pid",
  "process.release",
  "Buffer.from",
  "Buffer.alloc",
  "String",
  "Number",
  "Boolean",
  "Array",
  "Array.from",
  "Array.isArray",
  "Object.keys",
  "Object.values",
  "Object.entries",
  "parseInt",
  "parseFloat",
  "Date",
  "Date.now",
  "new",
  "const",
  "let",
  "var",
  "true",
  "false",
  "null",
  "undefined",
  "typeof",
  "of",
  "in",
  "for",
  "if",
  "else",
  "return",
  "Intl",
  "encodeURIComponent",
  "decodeURIComponent",
]);
const NODE_PURE_MODULES = new Set(["Math", "Intl"]);

const RUBY = new Set([
  "puts",
  "print",
  "p",
  "pp",
  "require",
  "JSON",
  "JSON.parse",
  "JSON.generate",
  "JSON.pretty_generate",
  "File.read",
  "RUBY_VERSION",
  "RUBY_PLATFORM",
  "Math",
  "Time.now",
  "true",
  "false",
  "nil",
  "do",
  "end",
  "if",
  "else",
  "Integer",
  "Float",
  "String",
  "Array",
  "Hash",
]);
const RUBY_REQUIRES = new Set(["json", "yaml", "time", "date", "set", "pp", "digest", "base64"]);

const PERL = new Set([
  "print",
  "printf",
  "say",
  "pack",
  "unpack",
  "join",
  "split",
  "length",
  "uc",
  "lc",
  "ucfirst",
  "lcfirst",
  "sprintf",
  "reverse",
  "sort",
  "keys",
  "values",
  "scalar",
  "my",
  "for",
  "foreach",
  "if",
  "else",
  "time",
  "localtime",
  "gmtime",
  "abs",
  "int",
  "sqrt",
  "hex",
  "oct",
  "ord",
  "chr",
  "x",
  "eq",
  "ne",
  "lt",
  "gt",
  "le",
  "ge",
  "and",
  "or",
  "not",
]);

const METHODS = new Set(COMMON_METHODS);

export interface PlainCode {
  /** The file names the code opens, for the secret check. */
  strings: string[];
}

/**
 * When `code` (in `lang`: python, node, ruby, perl) only computes and prints,
 * the string literals it uses; otherwise null.
 */
export function plainInlineCode(code: string, lang: string): PlainCode | null {
  if (code.length > MAX_CODE || code.trim() === "") return null;
  const table = lang === "python" ? PYTHON : lang === "node" ? NODE : lang === "ruby" ? RUBY : lang === "perl" ? PERL : null;
  if (!table) return null;
  // Interpolation runs code inside strings: never plain.
  if (lang === "python" && /(^|[^A-Za-z0-9_])[fFrRbB]{0,2}[fF][rRbB]?['"]/.test(code)) return null;
  if (lang === "node" && code.includes("`")) return null;
  if (lang === "ruby" && (code.includes("#{") || code.includes("`") || code.includes("%x"))) return null;
  if (lang === "perl" && (code.includes("`") || code.includes("@{[") || code.includes("${\\") || code.includes("qx"))) return null;
  // Strip string literals, keeping them for the secret check.
  const strings: string[] = [];
  let bare = "";
  for (let i = 0; i < code.length; i++) {
    const c = code[i] ?? "";
    if (c === "'" || c === '"') {
      let j = i + 1;
      let s = "";
      while (j < code.length && code[j] !== c) {
        if (code[j] === "\\") {
          s += code[j + 1] ?? "";
          j += 2;
          continue;
        }
        s += code[j];
        j++;
      }
      if (j >= code.length) return null;
      strings.push(s);
      bare += " S ";
      i = j;
      continue;
    }
    if (c === "#" && (lang === "python" || lang === "ruby")) return null;
    bare += c;
  }
  if (lang === "perl") bare = bare.replace(/[$@%]\{?\w+\}?/g, " V ");
  // Names assigned in the code (`d = ...`, `for k in`, `import x as y`, `const x =`) may be used freely.
  const local = new Set<string>(["S", "V"]);
  for (const m of bare.matchAll(/(?:^|[;\s(,])(?:const |let |var |my )?([A-Za-z_]\w*)\s*=(?!=)/g)) if (m[1]) local.add(m[1]);
  for (const m of bare.matchAll(/\bfor\s+\(?\s*(?:const |let |var )?([A-Za-z_]\w*)(?:\s*,\s*([A-Za-z_]\w*))?\s+(?:in|of)\b/g)) {
    if (m[1]) local.add(m[1]);
    if (m[2]) local.add(m[2]);
  }
  for (const m of bare.matchAll(/\blambda\s+([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*:/g))
    for (const v of (m[1] ?? "").split(",")) local.add(v.trim());
  for (const m of bare.matchAll(/\|([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\|/g))
    for (const v of (m[1] ?? "").split(",")) local.add(v.trim());
  for (const m of bare.matchAll(/\(?([A-Za-z_]\w*)\)?\s*=>/g)) if (m[1]) local.add(m[1]);
  // Python imports: only modules from the table.
  if (lang === "python") {
    for (const m of bare.matchAll(/\bimport\s+([\w., ]+)/g)) {
      for (const part of (m[1] ?? "").split(",")) {
        const [mod, , alias] = part.trim().split(/\s+/);
        if (!mod || !PYTHON_IMPORTS.has(mod)) return null;
        if (alias) return null;
      }
    }
    if (/\bfrom\b/.test(bare)) return null;
    // open() only for reading: a mode argument with w, a, x or + writes.
    if (/\bopen\s*\(/.test(bare) && strings.some((s) => /^[rwaxbt+]{1,3}$/.test(s) && /[wax+]/.test(s))) return null;
  }
  // A file opened by a name built at run time escapes the secret check: only literal names are plain.
  const opens = bare.match(/\b(open|File\.read)\s*\(/g)?.length ?? 0;
  if (opens > 0) {
    const literal = bare.match(/\b(open|File\.read)\s*\(\s*S\s*(,\s*S\s*)?\)/g)?.length ?? 0;
    if (literal !== opens) return null;
  }
  if (lang === "ruby") {
    const req = [...code.matchAll(/\brequire\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? "");
    if (req.some((r) => !RUBY_REQUIRES.has(r))) return null;
  }
  // Every name or dotted chain must be known, local, or a method on an expression.
  for (const m of bare.matchAll(/(\.?)\s*([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)/g)) {
    const lead = m[1] ?? "";
    const chain = (m[2] ?? "").replace(/\s+/g, "");
    if (chain.includes("__")) return null;
    const parts = chain.split(".");
    if (lead === ".") {
      if (!parts.every((p) => METHODS.has(p))) return null;
      continue;
    }
    if (/^\d/.test(chain)) continue;
    if (table.has(chain)) continue;
    const root = parts[0] ?? "";
    if (local.has(root) && parts.slice(1).every((p) => METHODS.has(p))) continue;
    // A prefix from the table followed by safe methods (`json.dumps(x).upper` is split by the call, but `sys.stdin.read`).
    let ok = false;
    for (let k = parts.length - 1; k >= 1 && !ok; k--) {
      const head = parts.slice(0, k).join(".");
      const rest = parts.slice(k);
      const pure = lang === "python" ? PYTHON_PURE_MODULES.has(head) : lang === "node" ? NODE_PURE_MODULES.has(head) : head === "Math";
      if (pure && rest.every((p) => /^[A-Za-z_]\w*$/.test(p))) ok = true;
      else if (table.has(head) && rest.every((p) => METHODS.has(p))) ok = true;
    }
    if (!ok) return null;
  }
  return { strings };
}
