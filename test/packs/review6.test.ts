import { describe, expect, it } from "vitest";
import { sh } from "./shell-support";

/**
 * Sixth adversarial review of the inline-code reader's new forms (src/packs/shell/inline-code.ts):
 * project file reads (`open('x').read()`, `json.load(open('x'))`, Ruby `File.read('x')`),
 * `os.getcwd()` / `os.listdir()`, and the literal-only LLM SDK calls. Each refusal below was read
 * as harmless (`read`, or `network` to the vendor) before its fix.
 */

function expectRefused(command: string): void {
  const d = sh(command);
  expect(d.risk_tags, `${command} must stay unclassified (got ${d.risk_tags.join(",")})`).toContain("unclassified");
}

function expectRead(command: string): void {
  const d = sh(command);
  expect(d.risk_tags, `${command} should be a plain read (got ${d.risk_tags.join(",")})`).toEqual(["read"]);
}

describe("review 6: a bare credential file name is judged as cat judges it", () => {
  // `cat token` is `secrets` (a reader's operand is a file, bare names too); `open('token').read()`
  // printed the same file as a plain read, because only the substring judgement was applied.
  const NAMES = ["token", "password", "passwords", "credentials", "creds", "secret", "secrets", "api_key", "apikey", "kubeconfig"];
  for (const n of NAMES) {
    it(`cat ${n} is secrets (the reference)`, () => {
      expect(sh(`cat ${n}`).risk_tags).toContain("secrets");
    });
    it(`python open('${n}').read()`, () => expectRefused(`python3 -c "print(open('${n}').read())"`));
    it(`python json.load(open('${n}'))`, () => expectRefused(`python3 -c "import json; print(json.load(open('${n}')))"`));
    it(`ruby File.read('${n}')`, () => expectRefused(`ruby -e "puts File.read('${n}')"`));
  }
  it("in a sub-directory and in a here-document too", () => {
    expectRefused(`python3 -c "print(open('deploy/access_token').read())"`);
    expectRefused(`python3 <<'EOF'\nprint(open('refresh_token').read())\nEOF`);
  });
  it("ordinary project files stay reads", () => {
    expectRead(`python3 -c "print(open('README.md').read())"`);
    expectRead(`python3 -c "import json; print(json.load(open('package.json'))['version'])"`);
    expectRead(`ruby -e "puts File.read('VERSION')"`);
    expectRead(`python3 -c "print(open('token_test.py').read()[:100])"`);
  });
});

describe("review 6: file contents, listings and API answers are not bounded by the code's length", () => {
  // The amplifier's count is bounded so that a repeated LITERAL stays a few MB; a file (or an
  // answer of up to max_tokens) repeated 50,000 times is gigabytes.
  const REFUSED = [
    `python3 -c "print(open('data.csv').read()*50000)"`,
    `python3 -c "print(50000*open('data.csv').read())"`,
    `python3 -c "x = open('data.csv').read(); print(x * 5000)"`,
    `python3 -c "import json; print(str(json.load(open('a.json')))*50000)"`,
    `python3 -c "print(open('data.csv').read().split()*9999)"`,
    `python3 -c "import os; print(os.listdir('/usr/lib')*5000)"`,
    `ruby -e "puts File.read('data.csv')*50000"`,
    `ruby -e "puts File.read('data.csv').chars*500"`,
    `python3 -c "import openai; r = openai.chat.completions.create(model='m', messages=[], max_tokens=100000); print(r.choices[0].message.content*20000)"`,
    `python3 -c "import anthropic; c = anthropic.Anthropic(); r = c.messages.create(model='m', max_tokens=64000, messages=[]); print(r.content[0].text*20000)"`,
    // Pretty-printing: each nesting level indents every line below it, so a file of deeply nested
    // arrays grows quadratically (a 1 MB file of 980-deep arrays dumps to over 2 GB with indent=8).
    `python3 -c "import json; print(json.dumps(json.load(open('a.json')), indent=8))"`,
    `python3 -c "import json; print(json.dumps(json.loads(open('a.json').read()), indent=2))"`,
    `ruby -e "require 'json'; puts JSON.pretty_generate(JSON.parse(File.read('a.json')))"`,
  ];
  for (const c of REFUSED) it(c, () => expectRefused(c));

  it("the same shapes on literals, and file reads without them, are unchanged", () => {
    expectRead(`python3 -c "print('ab' * 1000)"`);
    expectRead(`python3 -c "import json; print(json.dumps({'a': 1}, indent=2))"`);
    expectRead(`python3 -c "import json; print(json.dumps(json.load(open('a.json'))))"`);
    expectRead(`python3 -c "print(len(open('data.csv').read().splitlines()))"`);
    expectRead(`ruby -e "require 'json'; puts JSON.generate(JSON.parse(File.read('a.json')))"`);
    expectRead(`ruby -e 'puts "ab" * 1000'`);
  });
});

describe("review 6: held (no change needed)", () => {
  it("never throws on odd inputs and stays fast", () => {
    const odd = [
      `python3 -c "open("`,
      `python3 -c "open('x'"`,
      `python3 -c "open('x').read("`,
      `python3 -c "import json; json.load("`,
      `python3 -c "import json; json.load(open"`,
      `python3 -c "import os; os."`,
      `python3 -c "import os; os.listdir("`,
      `python3 -c "import openai; openai."`,
      `python3 -c "import openai; openai.chat.completions.create("`,
      `python3 -c "import openai; openai.chat.completions.create(model="`,
      `python3 -c "import openai; openai.chat.completions.create(model=[{"`,
      `python3 -c "import openai; c = openai.OpenAI(); c."`,
      `python3 -c "import anthropic; c = anthropic.Anthropic(); c.messages.create(messages={'a':"`,
      `ruby -e "File.read("`,
      `ruby -e "File.read('x'"`,
      `ruby -e "File."`,
      `python3 -c "import openai; openai.chat.completions.create(messages=${"[".repeat(400)}${"]".repeat(400)})"`,
      `python3 -c "import openai; openai${".chat".repeat(200)}.create()"`,
    ];
    for (const c of odd) {
      const t0 = performance.now();
      expect(() => sh(c), c).not.toThrow();
      expect(sh(c).risk_tags, c).toContain("unclassified");
      expect(performance.now() - t0, c).toBeLessThan(50);
    }
  });

  it("paths that leave the project, devices and escapes stay refused", () => {
    for (const c of [
      `python3 -c "print(open('proc/self/environ' if 0 else '/proc/self/environ').read())"`,
      `python3 -c "print(open('/proc/self/environ').read())"`,
      `python3 -c "print(open('x\\0').read())"`,
      `python3 -c "print(open('./../x').read())"`,
      `python3 -c "print(open('x/..').read())"`,
      `python3 -c "print(open('caf\u00e9').read())"`,
      `python3 -c "print(open(r'\\x').read())"`,
      `python3 -c "print(open('x', 'rt+').read())"`,
      `python3 -c "print(open('x', 'r' 'b').read())"`,
      `python3 -c "print(open('x', mode='r').read())"`,
      `python3 -c "print(open('x').read(), file=open('y', 'w'))"`,
      `python3 -c "print(open('x').read(), sep=open('y', 'w'))"`,
      `ruby -e "puts File.read('-')"`,
      `ruby -e "puts File.read(' |id')"`,
    ])
      expectRefused(c);
  });

  it("SDK calls that send local data, redirect or run tools stay refused", () => {
    for (const c of [
      `python3 -c "import openai; openai.chat.completions.create(model='m', messages=[], stream=True)"`,
      `python3 -c "import openai; openai.chat.completions.create(model='m', messages=[], timeout=999999)"`,
      `python3 -c "import openai; openai.chat.completions.create(model='m', messages=[], n=128)"`,
      `python3 -c "import openai; openai.OpenAI(http_client=None).chat.completions.create(model='m', messages=[])"`,
      `python3 -c "import openai; openai.OpenAI(default_headers={}).chat.completions.create(model='m', messages=[])"`,
      `python3 -c "import openai; openai.OpenAI(max_retries=99999).chat.completions.create(model='m', messages=[])"`,
      `python3 -c "import openai; openai.audio.transcriptions.create(file=open('a.wav','rb'), model='m')"`,
      `python3 -c "import openai; openai.images.edit(image=open('a.png','rb'), prompt='x')"`,
      `python3 -c "import openai, os; openai = os; openai.system('id')"`,
      `python3 -c "import openai; r = openai.chat.completions.create(model='m', messages=[]); print(r.__class__)"`,
      `python3 -c "import openai; r = openai.chat.completions.create(model='m', messages=[]); open('o.json','w').write(r.model_dump_json())"`,
      `python3 -c "import openai; r = openai.chat.completions.create(model='m', messages=[]); print(r.choices[0].message.tool_calls)"`,
      `python3 -c "import openai; r = openai.chat.completions.create(model='m', messages=[]); print(r.to_json())"`,
      `python3 -c "import openai; openai.chat.completions.with_raw_response.create(model='m', messages=[])"`,
      `python3 -c "import openai; openai.chat.completions.create(model='m', messages=[], extra_query={'a': 'b'})"`,
      `python3 -X importtime -c "import openai; openai.chat.completions.create(model='m', messages=[])"`,
    ])
      expectRefused(c);
  });
});
