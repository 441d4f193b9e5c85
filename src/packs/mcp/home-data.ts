/**
 * Which MCP tools read the content of the file a path argument names, for
 * the private per-user state rule (src/packs/home-data.ts): `read_file`,
 * `cat_file`, `view_file`, `get_file_contents`, `read_multiple_files`, and
 * tools that send a file (`upload_file`). Not the ones that list, search or
 * describe (`list_directory`, `search_files`, `get_file_info`,
 * `directory_tree`): they show names and sizes, not what a file holds.
 */

/** Words of a tool that looks at names, sizes and dates, not content. */
const LISTING_WORDS = new Set([
  "list",
  "ls",
  "tree",
  "stat",
  "info",
  "metadata",
  "exists",
  "exist",
  "search",
  "find",
  "glob",
  "locate",
  "dir",
  "directory",
  "directories",
  "folder",
  "folders",
  "count",
  "size",
  "check",
  "watch",
  "permissions",
  "attributes",
  "properties",
]);
/** Words of a tool that hands over what a file holds. */
const CONTENT_WORDS = new Set([
  "read",
  "reader",
  "cat",
  "view",
  "viewer",
  "show",
  "head",
  "tail",
  "open",
  "load",
  "preview",
  "get",
  "fetch",
  "download",
  "dump",
  "print",
  "export",
  "diff",
  "query",
  "content",
  "contents",
  "text",
]);

/** A tool (named as a reader, or as sending what it is given) that reads the content of its path arguments. */
export function readsContent(words: readonly string[], reader: boolean, sends: boolean): boolean {
  if (!reader && !sends) return false;
  if (words.some((w) => LISTING_WORDS.has(w))) return false;
  return sends || words.some((w) => CONTENT_WORDS.has(w));
}
