// What the GitHub configuration lacks, said for the form right below it. The server's own words are for API
// clients (environment variables, PUT /admin/github) and would send the administrator away from the form
// that fixes it, as the model providers' did (provider-labels.ts).
import type { RouterOutputs } from "../../lib/trpc";

type GitHubSettings = Pick<
  RouterOutputs["github"]["settings"]["get"],
  "oauthConfigured" | "issues" | "source"
>;

/** The server's issue about the OAuth app names it; the others (a secret that cannot be read…) stand. */
const isOAuthIssue = (issue: string) => issue.includes("OAuth");
const isAppIssue = (issue: string) => issue.startsWith("The GitHub App needs both");

export function githubIssuesHere(settings: GitHubSettings): string[] {
  const rest = settings.issues
    .filter((issue) => !isOAuthIssue(issue))
    .map((issue) =>
      isAppIssue(issue) ? "The GitHub App needs both its app ID and its private key." : issue,
    );
  if (settings.oauthConfigured) return rest;
  const oauth =
    settings.source === "admin"
      ? "People cannot connect yet: the stored settings lack the OAuth app's client ID or secret. Fill both in below and save."
      : "Not configured yet: register an OAuth app on GitHub with the callback URL below, paste its client ID and secret, and save.";
  return [oauth, ...rest];
}
