/**
 * The command-line option parser the git and kubernetes packs share: long
 * options (`--name=value`, `--name value` for the names that take one,
 * `--flag`), clusters of short ones (`-fdx`, `-nprod`, `-n prod`) and `--`,
 * so the order and spelling of options never change what a command means.
 */

/** What a command's arguments hold once its options are read. */
export interface ParsedOptions {
  /** Operands (positional arguments) before `--`. */
  pos: string[];
  /** Long options seen, with their value or `true`. */
  long: Map<string, string | true>;
  /** Short options seen, each letter on its own: the value of a value-taking letter, else `true`. */
  short: Map<string, string | true>;
  /** Everything after `--`. */
  tail: string[];
}

export interface OptionSpec {
  /** Short letters that take a value (attached, `-nprod`, or the next argument). */
  valueShort: string;
  /** Long names that take the next argument as their value when written without `=`. */
  valueLong: ReadonlySet<string> | readonly string[];
  /** Letters of `valueShort` that take no value in this command. */
  booleanShort?: string;
  /** Drop a `=` written between a short letter and its value (`-n=prod`), as kubectl does. */
  stripEquals?: boolean;
}

function takesValue(names: ReadonlySet<string> | readonly string[], name: string): boolean {
  return Array.isArray(names) ? (names as readonly string[]).includes(name) : (names as ReadonlySet<string>).has(name);
}

/** Parse `args` (without the program and subcommand names) by `spec`. Never throws. */
export function parseOptions(args: readonly string[], spec: OptionSpec): ParsedOptions {
  const o: ParsedOptions = { pos: [], long: new Map(), short: new Map(), tail: [] };
  const booleanShort = spec.booleanShort ?? "";
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    if (a === "--") {
      o.tail = args.slice(i + 1);
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      if (eq > 0) o.long.set(a.slice(2, eq), a.slice(eq + 1));
      else {
        const name = a.slice(2);
        if (takesValue(spec.valueLong, name) && i + 1 < args.length) o.long.set(name, args[++i] ?? "");
        else o.long.set(name, true);
      }
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const c = a[k] ?? "";
        if (spec.valueShort.includes(c) && !booleanShort.includes(c)) {
          let v = a.slice(k + 1);
          if (spec.stripEquals && v.startsWith("=")) v = v.slice(1);
          o.short.set(c, v !== "" ? v : (args[++i] ?? ""));
          break;
        }
        o.short.set(c, true);
      }
      continue;
    }
    o.pos.push(a);
  }
  return o;
}

/** The value of an option, or undefined when it was given without one (or not at all). */
export function optionValue(v: string | true | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}
