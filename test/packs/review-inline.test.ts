import { describe, expect, it } from "vitest";
import { sh } from "./shell-support";

/**
 * Review of the inline-code allowlist reader (src/packs/shell/inline-code.ts), wave 5.
 * Every line here is classified a plain `read` by the reader today, and does more than
 * compute and print when the real interpreter runs it. Each test is expected to FAIL until
 * the reader (or the handler it relies on) is fixed. Confirmed with python3 3.11, node 20,
 * ruby 3.1, bash 5, in /tmp, under `ulimit -v` and `timeout`.
 */

function expectUnclassified(command: string): void {
  const d = sh(command);
  expect(d.risk_tags, `${command.slice(0, 160)} must stay unclassified (got ${d.risk_tags.join(",")})`).toContain("unclassified");
}

/** A secret reaches the output: either fix (keep `secrets`, or refuse the reader) is fine. */
function expectNotPlainSecret(command: string): void {
  const d = sh(command);
  const ok = d.risk_tags.includes("unclassified") || d.risk_tags.includes("secrets");
  expect(ok, `${command} prints a secret (got ${d.risk_tags.join(",")})`).toBe(true);
}

const chain = (unit: string, n: number): string => unit.repeat(n);

describe("review: unbounded CPU or memory without the one amplifier", () => {
  // round(int, -N) computes 10**N: still running after 20 s (killed by timeout).
  it("python round(1, -999999999)", () => expectUnclassified(`python3 -c "print(round(1, -999999999))"`));

  // str(list(s)) makes each character 5 (`'a', `): 11 rounds of a 10-char literal = 488M chars, 1.25 GB RSS, 5.6 s.
  it("python str(list(...)) nested", () =>
    expectUnclassified(`python3 -c "print(len(${chain("str(list(", 11)}'abcdefghij'${chain("))", 11)}))"`));

  // .encode().hex() doubles: 28 rounds = 268M chars, 407 MB RSS (each extra round doubles it).
  it("python .encode().hex() chain", () => expectUnclassified(`python3 -c "print(len('x'${chain(".encode().hex()", 28)}))"`));

  // str(list(range(100000))) is a 588 KB string without any `*`; isqrt of that 4.7M-bit integer: 8.6 s CPU.
  it("python math.isqrt of a huge integer", () =>
    expectUnclassified(`python3 -c "import math; print(math.isqrt(int.from_bytes(str(list(range(100000))).encode())) > 0)"`));

  // Schoolbook division of two such integers: 18.4 s CPU.
  it("python big-integer division", () =>
    expectUnclassified(
      `python3 -c "print(int.from_bytes(str(list(range(100000))).encode()) // int.from_bytes(str(list(range(50000))).encode()) > 0)"`,
    ));

  // Escaped key is `length` to JavaScript, not to jsKey(): Buffer.from({length: 999999999}) ran 21 s, 6.6 GB, then aborted (OOM).
  it("node Buffer.from({'len\\u0067th': N})", () =>
    expectUnclassified(`node -e "console.log(Buffer.from({'len\\u0067th': 999999999}).length)"`));
  it("node Buffer.from({'\\x6cength': N})", () =>
    expectUnclassified(`node -e "console.log(Buffer.from({'\\x6cength': 999999999}).length)"`));

  // .split('').join('0123456789') multiplies by 11 per round, no amplifier counted: 7 rounds = 175M chars, 550 MB RSS in 0.8 s.
  it("node split/join chain", () =>
    expectUnclassified(`node -e "console.log('abcdefghij'${chain(".split('').join('0123456789')", 7)}.length)"`));

  // "x".bytes.join doubles (each byte is two digits): 27 rounds = 201M chars, 1.34 GB RSS, 24 s.
  it("ruby .bytes.join chain", () => expectUnclassified(`ruby -e 'puts "x"${chain(".bytes.join", 27)}.length'`));

  // sys.stdin.read() of /dev/zero or `yes` never ends and grows without bound (the reader vouches for sys.stdin).
  it("python sys.stdin.read() < /dev/zero", () => expectUnclassified(`python3 -c "import sys; print(len(sys.stdin.read()))" < /dev/zero`));
  it("yes | python sys.stdin.read()", () => expectUnclassified(`yes | python3 -c "import sys; print(len(sys.stdin.read()))"`));
});

describe("review: sys.stdin makes Python a pass-through, and the secret tag of its input is lost", () => {
  // `env` alone is [read,secrets]; piped into this reader-approved program the whole environment is printed, tagged [read].
  it("env | python3 print(stdin)", () => expectNotPlainSecret(`env | python3 -c "import sys; print(sys.stdin.read())"`));
  it("printenv | python3", () => expectNotPlainSecret(`printenv | python3 -c "import sys; print(sys.stdin.read())"`));
  // `echo $AWS_SECRET_ACCESS_KEY` alone is [read,secrets]; through python it prints the key, tagged [read].
  it("echo $SECRET | python3", () =>
    expectNotPlainSecret(`echo $AWS_SECRET_ACCESS_KEY | python3 -c "import sys; print(sys.stdin.read())"`));
  it("python3 <<< $SECRET", () => expectNotPlainSecret(`python3 -c "import sys; print(sys.stdin.read())" <<< $AWS_SECRET_ACCESS_KEY`));
  // `gh auth token` alone is [network,read,secrets]; through python it is [network,read].
  it("gh auth token | python3", () => expectNotPlainSecret(`gh auth token | python3 -c "import sys; print(sys.stdin.read())"`));
});

describe("review: a file written earlier on the line without a `write` tag becomes `import json`", () => {
  // Each writes ./json.py (handler misses the write), then `import json` runs it: confirmed, the planted
  // json.py printed its marker before `1` for every one of these in /tmp/rv2/w.
  const WRITES = [
    `sed -n 'w json.py' /tmp/evil.py && python3 -c "import json; print(1)"`,
    `sort -o json.py /tmp/evil.py && python3 -c "import json; print(1)"`,
    `uniq /tmp/evil.py json.py && python3 -c "import json; print(1)"`,
    `xxd -r /tmp/evil.hex json.py && python3 -c "import json; print(1)"`,
    `iconv -f utf8 -t utf8 /tmp/evil.py -o json.py && python3 -c "import json; print(1)"`,
    `openssl enc -d -base64 -in /tmp/e -out json.py && python3 -c "import json; print(1)"`,
    // Self-contained: no file needed. sort -o / sed 'w' write stdin to json.py untagged; `import json` then ran
    // os.system("id") (confirmed: printed uid=0(root) before `1`).
    `echo 'import os; os.system("id")' | sort -o json.py && python3 -c "import json; print(1)"`,
    `printf 'import os\\nos.system("id")\\n' | sed -n 'w json.py' && python3 -c 'import json; print(1)'`,
    // git log --output writes the commit message (a hostile repository's text) to json.py: confirmed in a scratch repo.
    `git log -1 --format=%B --output=json.py && python3 -c "import json; print(1)"`,
  ];
  for (const c of WRITES) it(c, () => expectUnclassified(c));
});

describe("review: a for/select loop variable is an assignment the reader does not see", () => {
  // PATH is always exported: `for PATH in DIR` runs DIR/python3 (confirmed: a fake /tmp/rv2/bin/python3 ran).
  it("for PATH in /tmp", () => expectUnclassified(`for PATH in /tmp; do python3 -c "print(1)"; done`));
  it("select PATH in /tmp", () => expectUnclassified(`select PATH in /tmp; do python3 -c "print(1)"; done`));
  // HOME is exported: Python runs DIR/.local/lib/python3.X/site-packages/*.pth at start (confirmed: a planted x.pth ran).
  it("for HOME in /tmp/x", () => expectUnclassified(`for HOME in /tmp/x; do python3 -c "print(1)"; done`));
  // When the agent's environment already exports NODE_OPTIONS (even empty), the loop sets it: the required file ran.
  it("for NODE_OPTIONS in --require", () =>
    expectUnclassified(`for NODE_OPTIONS in "--require /tmp/x.js"; do node -e "console.log(1)"; done`));
});

describe("review: arithmetic expansion assigns variables the reader does not see", () => {
  // `$((PATH=0))` sets the exported PATH to `0`, a directory relative to the working tree:
  // confirmed, ./0/python3 (a fake) ran instead of Python.
  it(": $((PATH=0))", () => expectUnclassified(`: $((PATH=0)); python3 -c "print(1)"`));
  it("echo $((PATH=0))", () => expectUnclassified(`echo $((PATH=0)) >/dev/null; python3 -c "print(1)"`));
});
