// What the Issues and Pull requests tabs say about a pull request or an issue, kept out of the components
// so it is tested without a browser.
import type { BadgeTone } from "../ui/badge";

export type ChecksStatus = "pending" | "success" | "failure" | "neutral" | null;

/** The checks badge: its words and its tone. */
export function checksBadge(status: ChecksStatus): { label: string; tone: BadgeTone } {
  switch (status) {
    case "success":
      return { label: "Checks passed", tone: "ok" };
    case "failure":
      return { label: "Checks failed", tone: "danger" };
    case "pending":
      return { label: "Checks running", tone: "warn" };
    case "neutral":
      return { label: "No checks", tone: "neutral" };
    default:
      return { label: "Checks unknown", tone: "neutral" };
  }
}

/**
 * Why Approve would be refused, as far as the list knows (GitHub is asked again on approval, so this is a
 * hint, not the decision); null when it looks mergeable.
 */
export function approveHint(pr: { state: string; checksStatus: ChecksStatus; mergeable: boolean | null }) {
  if (pr.state !== "open") return `This pull request is ${pr.state}.`;
  if (pr.checksStatus === "failure") return "Checks failed: it cannot be merged until they pass.";
  if (pr.checksStatus === "pending") return "Checks are still running.";
  if (pr.mergeable === false) return "It conflicts with its base branch.";
  return null;
}

export const pullRequestStateTone = (state: string): BadgeTone =>
  state === "merged" ? "accent" : state === "open" ? "ok" : "neutral";

export const ISSUE_STATES = ["open", "closed", "all"] as const;
export const PULL_REQUEST_STATES = ["open", "merged", "closed", "all"] as const;

/** What a sync found, in one sentence. */
export function describeSync(result: {
  issues: { synced: number; added: number; updated: number };
  pullRequests: { synced: number; added: number; updated: number };
}): string {
  const part = (n: { synced: number; added: number; updated: number }, what: string) =>
    `${n.synced} ${what}${n.synced === 1 ? "" : "s"} (${n.added} new, ${n.updated} updated)`;
  return `Synced ${part(result.issues, "issue")} and ${part(result.pullRequests, "pull request")}.`;
}
