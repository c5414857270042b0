import { describe, expect, it } from "vitest";
import { githubIssuesHere } from "./github-labels";

// The server's words, as packages/github's settings write them.
const NOT_CONFIGURED =
  "GitHub is not configured: set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET (an OAuth app whose callback is <APP_URL>/api/v1/github/callback) in the server's environment and restart it, or have an administrator store them with PUT /api/v1/admin/github.";
const APP_HALF =
  "The GitHub App needs both its id (GITHUB_APP_ID) and its private key (GITHUB_APP_PRIVATE_KEY).";

describe("githubIssuesHere", () => {
  it("points an unconfigured site to the form below, not to environment variables", () => {
    const said = githubIssuesHere({
      oauthConfigured: false,
      source: "environment",
      issues: [NOT_CONFIGURED],
    });
    expect(said).toEqual([
      "Not configured yet: register an OAuth app on GitHub with the callback URL below, paste its client ID and secret, and save.",
    ]);
    expect(said.join(" ")).not.toMatch(/GITHUB_|PUT /);
  });

  it("says what stored settings lack, and keeps the other issues in words for the form", () => {
    expect(
      githubIssuesHere({
        oauthConfigured: false,
        source: "admin",
        issues: ["GitHub has administrator settings without a complete OAuth app: …", APP_HALF],
      }),
    ).toEqual([
      "People cannot connect yet: the stored settings lack the OAuth app's client ID or secret. Fill both in below and save.",
      "The GitHub App needs both its app ID and its private key.",
    ]);
  });

  it("says nothing when people can connect and nothing else is wrong", () => {
    expect(githubIssuesHere({ oauthConfigured: true, source: "admin", issues: [] })).toEqual([]);
  });
});
