// What the task page says about a task's code — its changes, its runs and the agents' tool calls — kept out
// of the components so it is tested without a browser.
import type { BadgeTone } from "../ui/badge";

export type ChangedFile = {
  path: string;
  oldPath?: string | undefined;
  status: string;
  additions: number;
  deletions: number;
  patch?: string | undefined;
};

/** GitHub's file statuses in words, with a tone for the badge. */
export function fileStatus(status: string): { label: string; tone: BadgeTone } {
  switch (status) {
    case "added":
      return { label: "added", tone: "ok" };
    case "removed":
      return { label: "deleted", tone: "danger" };
    case "renamed":
      return { label: "renamed", tone: "accent" };
    case "copied":
      return { label: "copied", tone: "accent" };
    default:
      return { label: "modified", tone: "neutral" };
  }
}

/** The file's name as a heading: `old → new` for a rename. */
export const fileTitle = (file: ChangedFile) =>
  file.oldPath && file.oldPath !== file.path ? `${file.oldPath} → ${file.path}` : file.path;

/**
 * GitHub gives each file's hunks only; the diff viewer parses a unified diff, so the file headers are put
 * back. Null when there is nothing to show (a binary file, or a diff GitHub found too large).
 */
export function unifiedDiff(file: ChangedFile): string | null {
  if (!file.patch) return null;
  const oldName = file.status === "added" ? "/dev/null" : `a/${file.oldPath ?? file.path}`;
  const newName = file.status === "removed" ? "/dev/null" : `b/${file.path}`;
  return `--- ${oldName}\n+++ ${newName}\n${file.patch}\n`;
}

/** Why a file has no diff to show. */
export const noPatchReason = (file: ChangedFile) =>
  file.status === "renamed" && file.additions === 0 && file.deletions === 0
    ? "Renamed without changes."
    : "No text diff: a binary file, or too large for GitHub to show.";

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const changeSummary = (totals: { files: number; additions: number; deletions: number }) =>
  `${plural(totals.files, "file")} changed, +${totals.additions} −${totals.deletions}`;

/** Files are open by default unless there are many, so a large change does not start as a wall of code. */
export const openByDefault = (fileCount: number, index: number) => fileCount <= 5 || index < 3;

// --- run history ---

export type RunItem = {
  id: string;
  status: string;
  isRevision: boolean;
  result: { type: string; pullRequestUrl?: string | undefined; output?: string | undefined } | null;
  error: string | null;
  reason: string | null;
};

/** The run the task page's pipeline shows is the newest; each row says how its run ended. */
export function describeRun(run: RunItem, index: number) {
  const kind = run.isRevision ? "Revision" : "Run";
  const outcome =
    run.result?.type === "pull_request"
      ? "opened or updated a pull request"
      : run.result?.type === "output"
        ? "finished with an answer"
        : run.status === "cancelled"
          ? (run.reason ?? "cancelled")
          : run.status === "failed" || run.status === "interrupted"
            ? (run.error ?? run.reason ?? run.status)
            : run.status === "completed"
              ? "completed"
              : "under way";
  return { kind, outcome, isCurrent: index === 0 };
}

// --- live activity (agent_action events) ---

export type AgentAction = {
  id: string;
  agentId: string;
  runId?: string | null | undefined;
  type: "thought" | "tool_call" | "tool_result";
  tool?: string | undefined;
  content: string;
};

export const ACTIVITY_LIMIT = 200;

/** Adds the newest action at the end, once per event id, keeping the last `limit`. */
export function appendAction(
  list: AgentAction[],
  action: AgentAction,
  limit = ACTIVITY_LIMIT,
): AgentAction[] {
  if (list.some((a) => a.id === action.id)) return list;
  const next = [...list, action];
  return next.length > limit ? next.slice(next.length - limit) : next;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function parseInput(content: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(content);
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

const EDITOR_VERBS: Record<string, string> = {
  view: "read",
  str_replace: "edited",
  create: "created",
  insert: "inserted into",
  undo_edit: "undid an edit in",
};

/** One line for the feed: what the agent did (`edited shop/src/greet.js`, `ran cd shop && npm test`). */
export function describeAction(action: AgentAction): { label: string; detail: string | null } {
  if (action.type === "thought") return { label: "thought", detail: clip(action.content, 2000) };
  if (action.type === "tool_result") {
    return { label: `${action.tool ?? "tool"} answered`, detail: clip(action.content, 4000) };
  }
  const input = parseInput(action.content);
  const str = (key: string) => (typeof input?.[key] === "string" ? (input[key] as string) : null);
  if (action.tool === "bash" && str("command"))
    return { label: `ran ${clip(str("command")!, 200)}`, detail: null };
  if (action.tool === "str_replace_based_edit_tool" && str("path")) {
    const verb = EDITOR_VERBS[str("command") ?? ""] ?? str("command") ?? "used";
    return { label: `${verb} ${str("path")}`, detail: null };
  }
  return { label: `called ${action.tool ?? "a tool"}`, detail: clip(action.content, 2000) };
}
