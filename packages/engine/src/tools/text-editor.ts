// The text editor with the name and semantics of Anthropic's `text_editor_20250728` client tool, so
// Claude uses it as trained (and other models get the same schema as a function): `view` a file with line
// numbers or a directory two levels deep, `create`, `str_replace` of a unique match, and `insert`.
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { resolveWorkspacePath } from "../workspaces/resolve-path";
import type { Tool, ToolContext } from "./registry";
import { mayEdit, READING_ROLES } from "./workspace-roles";

const MAX_FILE_BYTES = 5 * 1024 * 1024;
const MAX_DIRECTORY_ENTRIES = 1_000;
const SNIPPET_LINES = 4;

const input = z.object({
  command: z.enum(["view", "create", "str_replace", "insert"]).describe("The command to run."),
  path: z
    .string()
    .describe(
      "Absolute path of a file or directory in the workspace, or a path relative to the workspace root.",
    ),
  file_text: z.string().optional().describe("`create`: the content of the new file."),
  old_str: z
    .string()
    .optional()
    .describe("`str_replace`: the exact text to replace; it must occur exactly once."),
  new_str: z
    .string()
    .optional()
    .describe("`str_replace`: the replacement (empty or omitted deletes `old_str`)."),
  insert_line: z
    .number()
    .int()
    .optional()
    .describe("`insert`: the line after which to insert the text (0 inserts at the top)."),
  insert_text: z.string().optional().describe("`insert`: the text to insert."),
  view_range: z
    .array(z.number().int())
    .length(2)
    .optional()
    .describe("`view` of a file: the first and last line to show, 1-based; -1 as the last means the end."),
});

export type TextEditorInput = z.infer<typeof input>;

export const TEXT_EDITOR_TOOL_NAME = "str_replace_based_edit_tool";

class EditorError extends Error {}

export const textEditorTool: Tool<TextEditorInput> = {
  name: TEXT_EDITOR_TOOL_NAME,
  description:
    "View, create and edit files in the task's workspace. `view` shows a file with line numbers (optionally `view_range`) or lists a directory two levels deep; `create` writes a new file (making parent directories); `str_replace` replaces `old_str`, which must occur exactly once, with `new_str`; `insert` adds `insert_text` after line `insert_line` (0 = top). Roles that do not change code may only view.",
  input,
  roles: READING_ROLES,
  needsWorkspace: true,
  anthropicClientTool: { type: "text_editor_20250728" },
  async execute(args, ctx) {
    try {
      return { content: await runEditor(args, ctx) };
    } catch (error) {
      if (error instanceof EditorError) return { content: error.message, isError: true };
      throw error;
    }
  },
};

async function runEditor(args: TextEditorInput, ctx: ToolContext): Promise<string> {
  const workspace = ctx.workspace;
  if (!workspace) throw new EditorError("This step has no workspace.");
  if (args.command !== "view" && !mayEdit(ctx.role)) {
    throw new EditorError(
      `The ${ctx.role ?? "calling"} role may only view files; \`${args.command}\` is for the developers and QA.`,
    );
  }
  const target = await resolveWorkspacePath(workspace.root, args.path).catch((error: Error) => {
    throw new EditorError(error.message);
  });
  if (args.command !== "view" && target.relative.split(path.sep).includes(".git")) {
    throw new EditorError(
      `The path ${args.path} is inside git's own data; change files of the working tree only.`,
    );
  }
  // Answers name paths as the prompt does, relative to the workspace root: where the server keeps its data
  // is none of the model's business (and would reach the activity feed).
  const file = { absolute: target.absolute, shown: target.relative || "." };
  switch (args.command) {
    case "view":
      return view(file, args);
    case "create":
      return create(file, args);
    case "str_replace":
      return replace(file, args);
    case "insert":
      return insert(file, args);
  }
}

/** A path inside the workspace: where it is, and how answers name it. */
type EditedPath = { absolute: string; shown: string };

async function view({ absolute: file, shown }: EditedPath, args: TextEditorInput): Promise<string> {
  const info = await statOrFail(file, args.path);
  if (info.isDirectory()) {
    if (args.view_range) {
      throw new EditorError("The `view_range` parameter is not allowed when `path` points to a directory.");
    }
    const entries = await listDirectory(file, shown, 2);
    return `Here are the files and directories up to 2 levels deep in ${shown}, excluding hidden items:\n${entries.join("\n")}`;
  }
  const lines = splitLines(await readText(file, args.path));
  let first = 1;
  let last = lines.length;
  if (args.view_range) {
    const [start, end] = args.view_range as [number, number];
    if (start < 1 || start > Math.max(lines.length, 1)) {
      throw new EditorError(
        `Invalid \`view_range\`: [${start}, ${end}]. Its first element should be within the lines of the file: [1, ${lines.length}].`,
      );
    }
    if (end !== -1 && (end < start || end > lines.length)) {
      throw new EditorError(
        `Invalid \`view_range\`: [${start}, ${end}]. Its second element should be -1 or between ${start} and ${lines.length}.`,
      );
    }
    first = start;
    last = end === -1 ? lines.length : end;
  }
  return `Here's the content of ${shown} with line numbers:\n${numbered(lines.slice(first - 1, last), first)}`;
}

async function create({ absolute: file, shown }: EditedPath, args: TextEditorInput): Promise<string> {
  if (args.file_text === undefined)
    throw new EditorError("Parameter `file_text` is required for command: create.");
  const existing = await stat(file).catch(() => null);
  if (existing?.isDirectory())
    throw new EditorError(`The path ${args.path} is a directory; give a file path.`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, args.file_text);
  // Overwriting is allowed: the workspace is a git clone, so nothing is lost that git cannot show.
  return existing ? `File overwritten at: ${shown}` : `File created successfully at: ${shown}`;
}

async function replace({ absolute: file, shown }: EditedPath, args: TextEditorInput): Promise<string> {
  if (args.old_str === undefined || args.old_str === "") {
    throw new EditorError("Parameter `old_str` is required for command: str_replace, and must not be empty.");
  }
  await requireFile(file, args.path);
  const content = await readText(file, args.path);
  const oldStr = args.old_str;
  const newStr = args.new_str ?? "";
  const at: number[] = [];
  for (let i = content.indexOf(oldStr); i !== -1; i = content.indexOf(oldStr, i + 1)) at.push(i);
  if (at.length === 0) {
    throw new EditorError(
      `No replacement was performed, old_str \`${oldStr}\` did not appear verbatim in ${shown}.`,
    );
  }
  if (at.length > 1) {
    const lines = [...new Set(at.map((i) => lineNumberAt(content, i)))];
    throw new EditorError(
      `No replacement was performed. Multiple occurrences of old_str \`${oldStr}\` in lines ${lines.join(", ")}. Please ensure it is unique.`,
    );
  }
  const updated = content.slice(0, at[0]) + newStr + content.slice(at[0]! + oldStr.length);
  await writeFile(file, updated);
  const firstLine = lineNumberAt(content, at[0]!);
  const lastLine = firstLine + newStr.split("\n").length - 1;
  return `The file ${shown} has been edited. ${snippet(updated, firstLine, lastLine, shown)}`;
}

async function insert({ absolute: file, shown }: EditedPath, args: TextEditorInput): Promise<string> {
  const text = args.insert_text ?? args.new_str;
  if (args.insert_line === undefined || text === undefined) {
    throw new EditorError("Parameters `insert_line` and `insert_text` are required for command: insert.");
  }
  await requireFile(file, args.path);
  const content = await readText(file, args.path);
  const lines = splitLines(content);
  if (args.insert_line < 0 || args.insert_line > lines.length) {
    throw new EditorError(
      `Invalid \`insert_line\` parameter: ${args.insert_line}. It should be within the range of lines of the file: [0, ${lines.length}].`,
    );
  }
  const added = splitLines(text.endsWith("\n") ? text : `${text}\n`);
  lines.splice(args.insert_line, 0, ...added);
  const endsWithNewline = content === "" || content.endsWith("\n");
  const updated = lines.join("\n") + (endsWithNewline ? "\n" : "");
  await writeFile(file, updated);
  const first = args.insert_line + 1;
  return `The file ${shown} has been edited. ${snippet(updated, first, first + added.length - 1, shown)}`;
}

/** The file's lines without the empty string a final newline would add. */
function splitLines(content: string): string[] {
  if (content === "") return [];
  return (content.endsWith("\n") ? content.slice(0, -1) : content).split("\n");
}

function numbered(lines: string[], first: number): string {
  return lines.map((line, i) => `${String(first + i).padStart(6)}\t${line}`).join("\n");
}

function snippet(content: string, firstChanged: number, lastChanged: number, file: string): string {
  const lines = splitLines(content);
  const from = Math.max(1, firstChanged - SNIPPET_LINES);
  const to = Math.min(lines.length, lastChanged + SNIPPET_LINES);
  return `Here's the result of running \`cat -n\` on a snippet of ${file}:\n${numbered(lines.slice(from - 1, to), from)}\nReview the changes and make sure they are as expected. Edit the file again if necessary.`;
}

function lineNumberAt(content: string, index: number): number {
  return content.slice(0, index).split("\n").length;
}

async function statOrFail(file: string, shown: string) {
  const info = await stat(file).catch(() => null);
  if (!info) throw new EditorError(`The path ${shown} does not exist. Please provide a valid path.`);
  return info;
}

async function requireFile(file: string, shown: string): Promise<void> {
  if (!(await statOrFail(file, shown)).isFile()) throw new EditorError(`The path ${shown} is not a file.`);
}

async function readText(file: string, shown: string): Promise<string> {
  const info = await statOrFail(file, shown);
  if (info.size > MAX_FILE_BYTES) {
    throw new EditorError(
      `The file ${shown} is ${info.size} bytes, too large to open here; search it or read it with a command.`,
    );
  }
  const bytes = await readFile(file);
  if (bytes.subarray(0, 8_000).includes(0))
    throw new EditorError(`The file ${shown} is binary; it cannot be shown.`);
  return bytes.toString("utf8");
}

/** Like `find DIR -maxdepth 2 -not -path '*\/.*'`, also skipping node_modules, with directories marked by `/`. */
/** The entries under `dir`, named from `shown` (how the answer names `dir`) rather than the real path. */
async function listDirectory(dir: string, shown: string, depth: number): Promise<string[]> {
  const name = (full: string) => path.join(shown, path.relative(dir, full));
  const out: string[] = [`${shown}/`];
  const walk = async (current: string, level: number) => {
    const entries = (await readdir(current, { withFileTypes: true }).catch(() => []))
      .filter((e) => !e.name.startsWith(".") && e.name !== "node_modules")
      .sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (out.length > MAX_DIRECTORY_ENTRIES) return;
      const full = path.join(current, entry.name);
      out.push(entry.isDirectory() ? `${name(full)}/` : name(full));
      if (entry.isDirectory() && level < depth) await walk(full, level + 1);
    }
  };
  await walk(dir, 1);
  if (out.length > MAX_DIRECTORY_ENTRIES) {
    out.length = MAX_DIRECTORY_ENTRIES;
    out.push(`[… more entries; view a subdirectory to see them]`);
  }
  return out;
}
