import { TAGS } from "../common";
import type { Acc } from "./index";
import type { Word } from "./tokenize";

/**
 * Editing a compiled program: adding or replacing its code sections, or
 * changing which interpreter, libraries or search paths it loads. The
 * executable then runs something its build did not produce, which is what
 * `supply-chain` means ("changes ... what a build runs"). Reading a binary's
 * headers (`patchelf --print-rpath`, `chrpath -l`, `objdump`) and ordinary
 * build steps (`objcopy --strip-debug`, `--only-keep-debug`) are not this.
 */

/** objcopy options that put new bytes into a section or make data executable. */
const OBJCOPY_CODE = /^--(?:add-section|update-section|set-section-flags|rename-section|add-symbol)(?:=|$)/;
/** patchelf options that change what the program loads. */
const PATCHELF_CHANGES = /^--(?:set-interpreter|set-rpath|add-rpath|add-needed|replace-needed|remove-needed|set-soname)(?:=|$)/;
/** install_name_tool options that change what a Mach-O binary loads. */
const INSTALL_NAME_CHANGES = new Set(["-change", "-add_rpath", "-rpath", "-delete_rpath", "-id"]);

function edits(acc: Acc, name: string, what: string): void {
  acc.tag(TAGS.write, TAGS.supply_chain);
  acc.find(`${name} ${what}, so the program runs code or libraries its build did not produce`);
}

/** Called for every classified command (see afterCommand in flow.ts). */
export function binaryEditCommand(name: string, args: readonly Word[], acc: Acc, vals: readonly string[] = args.map((w) => w.value)): void {
  if ((name === "objcopy" || name.endsWith("-objcopy")) && vals.some((v) => OBJCOPY_CODE.test(v))) {
    const opt = vals.find((v) => OBJCOPY_CODE.test(v)) ?? "";
    edits(acc, name, `${opt.split("=")[0]} rewrites a section of the binary`);
  } else if (name === "patchelf" && vals.some((v) => PATCHELF_CHANGES.test(v))) {
    edits(acc, name, `${(vals.find((v) => PATCHELF_CHANGES.test(v)) ?? "").split("=")[0]} changes what the binary loads`);
  } else if (name === "install_name_tool" && vals.some((v) => INSTALL_NAME_CHANGES.has(v))) {
    edits(acc, name, `${vals.find((v) => INSTALL_NAME_CHANGES.has(v))} changes which libraries the binary loads`);
  } else if (name === "elfedit" && vals.some((v) => v.startsWith("--output-"))) {
    edits(acc, name, "rewrites the binary's ELF header");
  } else if (name === "chrpath" && vals.some((v) => v === "-r" || v.startsWith("--replace") || v === "-c" || v === "--convert")) {
    edits(acc, name, "changes the binary's library search path");
  }
}
