import { describe, expect, it } from "vitest";
import { sh } from "./shell-support";

/**
 * Python one-liners that stop at once with NameError (wave 6, unbound):
 * src/packs/shell/inline-code.ts (pyStopsAtOnce). Attacks first: each of these either binds the
 * name, evaluates something before it, or is outside the shapes the reader proves.
 */

function expectUnclassified(command: string): void {
  const d = sh(command);
  expect(d.risk_tags, `${command} must stay unclassified (got ${d.risk_tags.join(",")})`).toContain("unclassified");
}

function expectStops(command: string, name: string): void {
  const d = sh(command);
  expect(d.risk_tags, `${command} (got ${d.risk_tags.join(",")})`).toEqual(["read"]);
  expect(d.findings.join("\n")).toContain(`stops at once: ${name} is not defined (NameError)`);
}

const py = (code: string): string => `python3 -c "${code}"`;

describe("unbound6: names that are bound after all", () => {
  const BOUND = [
    // Builtins: exec/eval/breakpoint/__import__ run code, site's exit/quit/help/license/... exist.
    `exec('import os')`,
    `eval('1')`,
    `breakpoint()`,
    `__import__('os').system('id')`,
    `__build_class__`,
    `__debug__`,
    `__name__.upper()`,
    `__builtins__.exec('1')`,
    `exit(1)`,
    `quit()`,
    `help('modules')`,
    `license()`,
    `credits()`,
    `copyright()`,
    `open('x', 'w').write('y')`,
    `compile('1', 'x', 'exec')`,
    `getattr(x, 'y')`,
    `globals().update(a=1)`,
    `input()`,
    `memoryview(b'x')`,
    `bytearray(10)`,
    `enumerate(x)`,
    `callable(x)`,
    `zip(a, b)`,
    `map(f, x)`,
    `filter(f, x)`,
    `iter(x)`,
    `next(x)`,
    `id(x)`,
    `hash(x)`,
    `format(x)`,
    `sum(x)`,
    `pow(x, y)`,
    `slice(x)`,
    `complex(x)`,
    `isinstance(x, y)`,
    `issubclass(x, y)`,
    `hasattr(x, 'y')`,
    `vars(x)`,
    `dir(x)`,
    `locals()`,
    `super(x)`,
    `object(x)`,
    `type(x)`,
    // Builtins only in later versions: bound there.
    `aiter(x)`,
    `anext(x)`,
    // Python 2 builtins (`python` may be 2.7): execfile runs a file.
    `execfile('x.py')`,
    `reload(os)`,
    `raw_input()`,
    `file('x', 'w')`,
    `reduce(f, x)`,
    `unicode(x)`,
    `xrange(10)`,
    // Capitalised names: exceptions, constants, classes the reader never reads.
    `Exception(x)`,
    `ExceptionGroup(x)`,
    `PythonFinalizationError(x)`,
    `Ellipsis(x)`,
    `NotImplemented(x)`,
    `True(x)`,
    `AutoModel.from_pretrained(x)`,
    // Underscore names, one letter.
    `_(x)`,
    `_agent.run(x)`,
    `x.run(y)`,
    // Bound by an import (also a dotted one), or by an earlier assignment.
    `import json; json.foo(x)`,
    `import os; os.system('id')`,
    `import sys; sys.modules(x)`,
    `import os.path; os.system('id')`,
    `import os.path; path.join(x)`,
    `import json as agent; agent.run(x)`,
    `from os import system as agent; agent('id')`,
    `from os import *; system('id')`,
    `agent = 1; agent.run(x)`,
    `x = 1; agent.run(x)`,
    `print(1); agent.run(x)`,
    `import subprocess; agent.run(x)`,
    `import builtins; agent.run(x)`,
    `import torch; agent.run(x)`,
    `import json, torch; agent.run(x)`,
    `import json; import torch; agent.run(x)`,
    // The target is the name itself.
    `agent = agent.run(x)`,
  ];
  for (const c of BOUND) it(c, () => expectUnclassified(py(c)));
});

describe("unbound6: something evaluated before the name, or a shape not proven", () => {
  const ORDER = [
    // print shadowing and other callees that are not reader-known builtins or table members.
    `print = exec; print(agent)`,
    `exec(agent)`,
    `eval(agent)`,
    `breakpoint(agent)`,
    `getattr(agent, 'x')`,
    `open(agent)`,
    `__import__(agent)`,
    `import os; os.system(agent)`,
    `import os; os.getcwd(agent)`,
    `import json; json.loads.foo(agent)`,
    `import json; json(agent)`,
    `import anthropic; anthropic.Anthropic(agent)`,
    `import openai; openai.chat.completions.create(model=agent)`,
    // The name not first in its statement or its call.
    `print(1, agent)`,
    `print('x', agent.run())`,
    `print(*agent)`,
    `print(end=agent)`,
    `print(sep=agent.run(x))`,
    `print((agent))`,
    `print([agent])`,
    `print({agent})`,
    `print(-agent)`,
    `print(not agent)`,
    `not agent`,
    `-agent`,
    `(agent)`,
    `[agent]`,
    `print(len)(agent)`,
    // Comprehensions and generators: the iterable is evaluated first, the name is bound.
    `[x for x in y]`,
    `print([agent for agent in y])`,
    `print(agent for agent in range(3))`,
    `agent for agent in y`,
    `print(agent for x in __import__('os').system('id'))`,
    `{agent: 1 for agent in y}`,
    // Conditional expressions, or/and, lambda, in/is.
    `agent if __import__('os').system('id') else 1`,
    `print(agent if x else y)`,
    `agent or b`,
    `agent and b`,
    `a or b`,
    `a if b else c`,
    `print(agent.x or 1)`,
    `agent = lambda: 1`,
    `print(lambda: agent)`,
    `agent in x`,
    `agent is x`,
    `agent.run(lambda: 1)`,
    // Assignments that store to the name or evaluate their right side first.
    `agent.x = print('ran')`,
    `agent[0] = print('ran')`,
    `agent, b = 1, 2`,
    `agent.run(x)[0] = open('x', 'w')`,
    `x = agent = 1`,
    `x = y = agent`,
    `agent: print('ran')`,
    `agent: int = 1`,
    // Walrus, decorators, del, global, nonlocal, statements with keywords, soft keywords.
    `(agent := 1)`,
    `print(agent := 1)`,
    `@agent`,
    `del agent`,
    `global agent`,
    `nonlocal agent`,
    `assert agent`,
    `await agent`,
    `async def f(): pass`,
    `raise agent`,
    `return agent`,
    `yield agent`,
    `if agent: pass`,
    `for agent in x: pass`,
    `while agent: pass`,
    `with agent: pass`,
    `try: agent`,
    `match agent`,
    `case agent`,
    `type agent = int`,
    `match = agent`,
    // f-strings, comments, backslashes, triple quotes, non-ASCII and unicode identifiers.
    `agent.run(f'{x}')`,
    `f'{agent}'`,
    `agent.run(x) # comment`,
    `agent.run('\\N{BULLET}')`,
    `agent.run(\\'x\\')`,
    `ａgent.run(x)`,
    `agеnt.run(x)`,
    `ｅxec('1')`,
    `agent.run(x); print(é)`,
    `agent.run(é)`,
    // An unbalanced or broken program, anywhere in it.
    `agent.run(x`,
    `agent.run(x)]`,
    `agent.run(x); print((1)`,
    `agent.run(x); print(1))`,
    `agent.run(x); print([1)]`,
    `agent.run(x); 1**2`,
    `agent.run(x); a @ b`,
    `agent.run(x); 1234567890`,
    // Too deeply nested, even after the failing statement.
    `agent.run(x); print([[[[[1]]]]])`,
  ];
  for (const c of ORDER) it(c, () => expectUnclassified(py(c)));

  it("very long programs stay unclassified (MAX_CODE)", () => {
    expectUnclassified(py(`agent.run(x); ${"print(1); ".repeat(120)}`));
    expectUnclassified(py(`agent.run('${"x".repeat(1000)}')`));
    expectUnclassified(py(`${"a".repeat(40)}.run(x)`));
  });

  it("a literal naming a credential file anywhere is left to the unclassified path", () => {
    expectUnclassified(py(`agent.run(x); print(open('.env').read())`));
    expectUnclassified(py(`agent.run('~/.ssh/id_rsa')`));
  });
});

describe("unbound6: the command line is judged as for every inline program", () => {
  const LINE = [
    `PYTHONPATH=/tmp python3 -c "agent.run(task)"`,
    `PYTHONSTARTUP=/tmp/x python3 -c "agent.run(task)"`,
    `cd /tmp && python3 -c "agent.run(task)"`,
    `echo 'import os' > json.py && python3 -c "import json; agent.run(task)"`,
    `echo 'x' > traceback.py && python3 -c "agent.run(task)"`,
    `python3 -i -c "agent.run(task)"`,
    `python3 -m agent -c "agent.run(task)"`,
    `/tmp/python3 -c "agent.run(task)"`,
    `python3 -c "$CODE agent.run(task)"`,
    `python3 -c agent.run\\(task\\)*`,
    `bash -c 'python3 -c "agent.run(task)"'; rm -rf ~`,
  ];
  for (const c of LINE) it(c, () => expectUnclassified(c));
});

describe("unbound6: programs that stop at once", () => {
  const STOPS: [string, string][] = [
    [`agent.run(task, max_iterations=10, require_approval=True)`, "agent"],
    [`sub_agent.run(task, permissions=['read_files'])`, "sub_agent"],
    [`sub_agent.run(task, permissions=['read_docs', 'read_files'])`, "sub_agent"],
    [`model.save_pretrained('./local-weights')`, "model"],
    [`import hashlib; print(hashlib.sha256(data).hexdigest())`, "data"],
    [`r = openai.chat.completions.create(model='gpt-4', messages=msgs); print(r.choices[0].message.content)`, "openai"],
    [
      `import anthropic; resp=client.messages.create(model='claude-3-5-sonnet-20241022',max_tokens=100,messages=[{'role':'user','content':'hello'}]); print(resp.content[0].text)`,
      "client",
    ],
    [`import json, sys; print(json.dumps(payload))`, "payload"],
    [`import json\nprint(len(str(items)))`, "items"],
    [`import os; agent.run(task)`, "agent"],
    [`result = agent.invoke({'input': 'hi'})['output']`, "agent"],
    [`x = agent2.run(task)`, "agent2"],
    [`agent`, "agent"],
    [`agent.run(x=1)`, "agent"],
    [`torch.load('model.pt', weights_only=True)`, "torch"],
    [`print(agent)`, "agent"],
    [`print(agent.run(task), end='')`, "agent"],
  ];
  for (const [c, name] of STOPS) it(c, () => expectStops(py(c), name));

  it("nothing after the failing statement is read (it never runs), but it must tokenize", () => {
    expectStops(py(`agent.run(x); import subprocess; subprocess.run('id')`), "agent");
    expectStops(py(`agent.run(x); exec(input())`), "agent");
    expectUnclassified(py(`agent.run(x); exec(f'{input()}')`));
  });

  it("also under -I, in a here-document, and after commands that leave files alone", () => {
    expectStops(`python3 -I -c "agent.run(task)"`, "agent");
    expectStops(`python3 <<'EOF'\nimport json\nagent.run(task)\nEOF`, "agent");
    expectStops(`echo start && python3 -c "agent.run(task)"`, "agent");
  });

  it("a plain assignment stays what the reader made of it before", () => {
    expect(sh(py(`agent = 1`)).findings.join("\n")).not.toContain("NameError");
    expect(sh(py(`agent.run('é')`)).risk_tags).toEqual(["read"]);
  });

  it("the findings say what stops it", () => {
    expect(sh(py(`agent.run(task)`)).findings.join("\n")).toContain("NameError");
  });
});
