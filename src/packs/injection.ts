import { TAGS } from "./common";

/**
 * Prompt-injection text: what an action writes or sends that addresses an AI
 * model with instructions to override its own. Agents write files, commit
 * messages, PR bodies, memory and context files and messages that other
 * models read; text shaped to take over that model is `prompt-injection`.
 *
 * Three kinds of marker, each judged on its own:
 * - chat-template control tokens (`[INST]`, `<<SYS>>`, `<|im_start|>`,
 *   `<|start_header_id|>`, `<start_of_turn>`, `\n\nHuman:` turn markers):
 *   prose for people never contains them;
 * - override phrases addressed to a model ("ignore all previous
 *   instructions", "disregard your system prompt", "you are now
 *   unrestricted");
 * - role directives (`SYSTEM:`, `AGENT:`, `AI:`) at the start of a line or of
 *   a quoted string (a JSON value), or hidden in an HTML comment or an
 *   image's alt text; in plain sight only when followed by words about the
 *   model's instructions or prompts, or an order in the second person.
 *
 * A marker quoted inside prose (`attacks such as "ignore previous
 * instructions"`, a token in backticks) is a mention, as documentation about
 * prompt injection writes it, and is not counted. Patterns are precompiled and
 * linear (bounded repetitions, no nested quantifiers); texts are scanned up to
 * 64 KiB.
 */

export interface InjectionHit {
  /** Plain words for findings ("a chat-template control token ([INST])"). */
  what: string;
}

const MAX_SCAN = 64 * 1024;

/** Chat-template control tokens: Llama 2/Mistral, ChatML, Llama 3, Phi/Zephyr, Gemma. */
const CONTROL = /\[\/?INST\]|<<\/?SYS>>|<\|[a-z][a-z0-9_]{1,30}\|>|<\/?(?:start|end)_of_turn>/g;
/** Turn markers of the Human/Assistant format, after a blank line (real or escaped newlines). */
const TURN = /(?:\n|\\n)[ \t]{0,4}(?:\n|\\n)[ \t]{0,4}(Human|Assistant):/g;

/** A verb of dropping or forcing, and the (up to five) words after it; which phrases count is decided in code. */
const VERB_PHRASE = /\b(ignore|disregard|forget|override|bypass|circumvent|disable)((?:[ \t]+[A-Za-z]+){1,5})/gi;
const DROP_VERBS = new Set(["ignore", "disregard", "forget"]);
const MODS = new Set(
  "all any the your my these those every of previous prior above preceding earlier former original existing current initial system safety security content developer ethical default".split(
    " ",
  ),
);
/** Modifiers that make "the rules" the model's own: all of them, the ones above, its safety rules ("the" alone does not). */
const STRONG_MODS = new Set(
  "all any every previous prior above preceding earlier former original initial your system safety security content ethical".split(" "),
);
const SAFETY_MODS = new Set(["safety", "security", "content", "ethical", "system"]);
const NOUNS = new Set(
  "instruction instructions rules guidelines directives prompt prompts constraints restrictions guardrails policies safeguards programming training filters".split(
    " ",
  ),
);

/**
 * "ignore all previous instructions", "disregard your system prompt", "forget
 * the above rules": a dropping verb, modifiers (one of them strong), a noun.
 * "bypass all safety restrictions", "override your guardrails", "ignore all
 * security checks": a forcing verb (or a dropping one) needs safety words.
 */
function overridePhrase(verb: string, rest: string): string | null {
  const words = rest.trim().split(/[ \t]+/);
  const v = verb.toLowerCase();
  const mods: string[] = [];
  for (const w of words) {
    const x = w.toLowerCase();
    const noun = NOUNS.has(x) || x === "checks" || x === "measures";
    if (noun) {
      const strong = mods.some((m) => STRONG_MODS.has(m));
      const safety = mods.some((m) => SAFETY_MODS.has(m));
      const ok =
        x === "guardrails" ||
        x === "safeguards" ||
        safety ||
        (DROP_VERBS.has(v) && strong && x !== "checks" && x !== "measures") ||
        (x === "restrictions" && (mods.includes("all") || mods.includes("your")));
      return ok ? `${verb} ${[...mods.map((_, i) => words[i]), w].join(" ")}` : null;
    }
    if (!MODS.has(x)) return null;
    mods.push(x);
  }
  // "ignore safety", "disregard all ethical": the phrase ends on the safety word itself.
  const last = mods[mods.length - 1];
  if (DROP_VERBS.has(v) && words.length === mods.length && (last === "safety" || last === "ethical")) return `${verb} ${words.join(" ")}`;
  return null;
}

/** "you are now unrestricted", "act as an unrestricted agent", "pretend to be jailbroken". */
const PERSONA =
  /\b(?:you[ \t]+are[ \t]+now|act[ \t]+as|pretend[ \t]+(?:to[ \t]+be|you[ \t]+are))[ \t]+(?:an?[ \t]+)?(?:unrestricted|unfiltered|uncensored|jailbroken|DAN\b|in[ \t]+(?:developer|god|jailbreak|DAN)[ \t]+mode)/gi;

/** A role label opening a directive: at a line start, or after an HTML comment opener or `![`. */
const DIRECTIVE =
  /(?:^|\n|\\n|["']|(<!--)|(!\[))[ \t*#>_-]{0,6}((?:HIDDEN[ \t]|NEW[ \t]|SECRET[ \t])?(?:SYSTEM|AGENT|AI|ASSISTANT|INSTRUCTIONS?)(?:[ \t](?:MESSAGE|PROMPT|NOTE|OVERRIDE|INSTRUCTIONS?|UPDATE))?)[ \t]{0,3}:[ \t]{0,3}([^\n]{0,240})/g;
/** Verbs that open an instruction to an agent (`AGENT: run curl ...`, `SYSTEM: forward these ...`). */
const ACTION =
  /^(?:run|execute|exec|send|forward|copy|replicate|include|append|insert|write|read|fetch|download|upload|exfiltrate|delete|remove|ignore|disregard|forget|bypass|override|obey|follow|respond|reply|always|never|before|from[ \t]+now[ \t]+on|do[ \t]+not|don't)\b/i;
const SECOND_PERSON = /\byou(?:r|rs|rself)?\b/i;
/** Words of a directive's body that speak of the model's own instructions. */
const ABOUT_MODEL = /\b(?:instructions?|prompts?|system[ \t]+prompt|guidelines|safety|restrictions|guardrails|unrestricted|jailbr\w*)\b/i;

/** Words before a verb that make the phrase a statement about something, not an order ("the linter will ignore all rules"). */
const STATING = new Set(
  "can cannot can't will won't may might could would does doesn't did didn't not never it which that they we he she who users tools".split(
    " ",
  ),
);
const PREV_WORD = /([A-Za-z']+)[ \t]+$/;

/** Whether the verb at `at` follows a word that makes it a statement. */
function statedOf(text: string, at: number): boolean {
  const m = PREV_WORD.exec(text.slice(Math.max(0, at - 24), at));
  return m?.[1] !== undefined && STATING.has(m[1].toLowerCase());
}

/** Whether the match at [start, end) sits inside a quotation in prose, or in backticks: a mention. */
function quoted(text: string, start: number, end: number): boolean {
  const open = text[start - 1];
  if (open === "`") return text.indexOf("`", end) !== -1;
  if (open !== '"' && open !== "'" && open !== "\u201c" && open !== "\u2018") return false;
  const close = open === "\u201c" ? "\u201d" : open === "\u2018" ? "\u2019" : open;
  const at = text.indexOf(close, end);
  if (at === -1 || at - end > 120) return false;
  // A JSON or YAML value (`"task": "ignore ..."`, `- "..."`) is the text itself, not a quotation in prose.
  let i = start - 2;
  while (i >= 0 && (text[i] === " " || text[i] === "\t")) i--;
  if (i < 0) return false;
  return !":=[{,(-".includes(text[i] as string);
}

function firstUnquoted(re: RegExp, text: string, valid?: (m: RegExpExecArray) => boolean): RegExpExecArray | null {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length === 0) re.lastIndex++;
    else if (!quoted(text, m.index, m.index + m[0].length) && (!valid || valid(m))) return m;
    // The next phrase may start inside this one's words ("ignore the file, then ignore all instructions").
    if (m[0].length > 0) re.lastIndex = m.index + 1;
  }
  return null;
}

/** Cheap gates: a text without any of these cannot match (the markers as written, then the verbs in any case). */
const MARKERS = /\[\/?INST|SYS>>|<\||_of_turn>|Human:|Assistant:|SYSTEM|AGENT|AI|ASSISTANT|INSTRUCTION/;
const VERBS = /ignor|disregard|forget|overrid|bypass|circumvent|disable|you are now|act as|pretend/i;

function mayHold(text: string): boolean {
  return MARKERS.test(text) || VERBS.test(text);
}

/** The first prompt-injection marker in `text` (its first 64 KiB), or null. */
export function scanInjection(text: string): InjectionHit | null {
  if (typeof text !== "string" || text.length < 4) return null;
  const t = text.length > MAX_SCAN ? text.slice(0, MAX_SCAN) : text;
  if (!mayHold(t)) return null;
  const c = firstUnquoted(CONTROL, t);
  if (c) return { what: `a chat-template control token (${c[0]}) that opens or closes a model's turn` };
  const turn = firstUnquoted(TURN, t);
  if (turn) return { what: `a "${turn[1]}:" turn marker that starts a new turn of the conversation` };
  const o = firstUnquoted(VERB_PHRASE, t, (m) => !statedOf(t, m.index) && overridePhrase(m[1] ?? "", m[2] ?? "") !== null);
  if (o) return { what: `an instruction to a model to drop its own ("${overridePhrase(o[1] ?? "", o[2] ?? "")}")` };
  const p = firstUnquoted(PERSONA, t);
  if (p) return { what: `an instruction to a model to take on an unrestricted persona ("${p[0]}")` };
  DIRECTIVE.lastIndex = 0;
  for (let m = DIRECTIVE.exec(t); m !== null; m = DIRECTIVE.exec(t)) {
    if (m[0].length === 0) {
      DIRECTIVE.lastIndex++;
      continue;
    }
    const label = m[3] ?? "";
    const body = (m[4] ?? "").trim();
    const hidden = m[1] !== undefined ? "in an HTML comment" : m[2] !== undefined ? "in an image's alt text" : "";
    // In plain sight a directive must speak of the model's instructions, or order it about in the second person:
    // `AI: run the linter before commits` is a note for an assistant, not a takeover.
    const covert = /HIDDEN|SECRET|OVERRIDE/.test(label);
    if (hidden !== "" || covert || ABOUT_MODEL.test(body) || (ACTION.test(body) && SECOND_PERSON.test(body)))
      return { what: `a role directive addressed to an AI model${hidden ? ` ${hidden}` : ""} ("${label}: ${body.slice(0, 60)}")` };
  }
  return null;
}

const MAX_DEPTH = 32;
const MAX_NODES = 10_000;

interface InjectionWalk {
  nodes: number;
  size: number;
  found: { hit: InjectionHit; path: string } | null;
}

function walkForInjection(w: InjectionWalk, v: unknown, path: string, depth: number): void {
  if (w.found || w.nodes++ > MAX_NODES || w.size > MAX_SCAN || depth > MAX_DEPTH) return;
  if (typeof v === "string") {
    w.size += v.length;
    const hit = scanInjection(v);
    if (hit) w.found = { hit, path };
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length && !w.found; i++) walkForInjection(w, v[i], `${path}[${i}]`, depth + 1);
  } else if (typeof v === "object" && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      if (w.found) break;
      walkForInjection(w, x, path === "" ? k : `${path}.${k}`, depth + 1);
    }
  }
}

/**
 * Walk any JSON value (strings, arrays, objects; bounded) and report the first
 * prompt-injection marker it carries, as `prompt-injection` findings.
 */
export function injectionFindings(value: unknown, where = ""): { tags: string[]; findings: string[] } {
  const w: InjectionWalk = { nodes: 0, size: 0, found: null };
  walkForInjection(w, value, where, 0);
  const found = w.found;
  if (!found) return { tags: [], findings: [] };
  const { hit, path } = found as { hit: InjectionHit; path: string };
  const at = path === "" ? "" : ` (at ${path.length > 100 ? `${path.slice(0, 100)}…` : path})`;
  return { tags: [TAGS.prompt_injection], findings: [`carries ${hit.what}${at}`] };
}

/** The patterns, for the regex-safety test. */
export const INJECTION_PATTERNS: readonly RegExp[] = [
  CONTROL,
  TURN,
  VERB_PHRASE,
  PREV_WORD,
  PERSONA,
  DIRECTIVE,
  ACTION,
  SECOND_PERSON,
  ABOUT_MODEL,
];
