// Connecting GitHub against the fake: the authorize page clicked through, states that are single-use and
// bound to their person, GitHub's `{ error }` answer to a bad code, and the token sealed at rest.
import { openSecret, schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitHubApiError } from "./errors";
import {
  connectGitHub,
  consumeOAuthState,
  createConnectUrl,
  disconnectGitHub,
  getGitHubStatus,
  OAUTH_STATE_TTL_MS,
} from "./oauth";
import { describeGitHubSettings, resolveGitHubConfig, setGitHubSettings } from "./settings";
import { createGitHubTestWorld, type GitHubTestWorld, gitHubFailure, TEST_SECRET } from "./testing";

const REDIRECT = "http://localhost:3001/api/v1/github/callback";

describe("connecting a GitHub account", () => {
  let w: GitHubTestWorld;
  beforeEach(async () => {
    w = await createGitHubTestWorld();
  });
  afterEach(async () => {
    await w.close();
  });

  it("goes through the authorize page and stores the token sealed, never in plain text", async () => {
    const ada = await w.user("ada");
    w.github.addUser("ada-gh", { name: "Ada Lovelace" });
    const { authUrl, state } = await createConnectUrl(w.deps, { userId: ada.id, redirectUri: REDIRECT });
    expect(authUrl.startsWith(`${w.github.webUrl}/login/oauth/authorize?`)).toBe(true);
    expect(new URL(authUrl).searchParams.get("state")).toBe(state);

    // What a browser does: open the page, click "Authorize", follow the redirect back to us.
    const page = await (await fetch(authUrl)).text();
    const href = /id="authorize" href="([^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, "&");
    expect(href).toBeDefined();
    const approved = await fetch(new URL(href!, w.github.webUrl), { redirect: "manual" });
    expect(approved.status).toBe(302);
    const back = new URL(approved.headers.get("location")!);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get("state")).toBe(state);

    const status = await connectGitHub(w.deps, {
      userId: ada.id,
      code: back.searchParams.get("code")!,
      state: back.searchParams.get("state")!,
    });
    expect(status).toMatchObject({
      connected: true,
      needsReconnect: false,
      github: { username: "ada-gh", profile: { login: "ada-gh", name: "Ada Lovelace" } },
    });
    expect(JSON.stringify(status)).not.toMatch(/gho_/);

    const exchange = w.github.requests.find((r) => r.path === "/login/oauth/access_token");
    expect(exchange?.method).toBe("POST");
    expect(exchange?.headers.accept).toContain("application/json");

    const row = await w.db.query.githubConnections.findFirst({
      where: eq(schema.githubConnections.userId, ada.id),
    });
    const userCall = w.github.apiRequests().find((r) => r.path === "/user");
    const token = userCall!.headers.authorization!.split(" ")[1]!;
    expect(token).toMatch(/^gho_/);
    expect(row!.accessTokenEncrypted).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(token);
    expect(openSecret(TEST_SECRET, row!.accessTokenEncrypted, "github-token")).toBe(token);
    expect(JSON.stringify(w.logs)).not.toContain(token);
    // The state was used up.
    expect(await w.db.query.oauthStates.findMany()).toHaveLength(0);
  });

  it("refuses a state used twice, another person's state, and an expired one", async () => {
    const ada = await w.user("ada");
    const bob = await w.user("bob");
    w.github.addUser("ada-gh");

    const first = await createConnectUrl(w.deps, { userId: ada.id, redirectUri: REDIRECT });
    await connectGitHub(w.deps, { userId: ada.id, state: first.state, code: w.github.createCode("ada-gh") });
    const reused = await gitHubFailure(
      connectGitHub(w.deps, { userId: ada.id, state: first.state, code: w.github.createCode("ada-gh") }),
    );
    expect(reused).toMatchObject({ code: "VALIDATION_ERROR", reason: "invalid_state" });
    expect(reused.message).toMatch(/already used/);

    const adas = await createConnectUrl(w.deps, { userId: ada.id, redirectUri: REDIRECT });
    const stolen = await gitHubFailure(consumeOAuthState(w.deps, { userId: bob.id, state: adas.state }));
    expect(stolen.message).toMatch(/another account/);
    // Still Ada's to use.
    await consumeOAuthState(w.deps, { userId: ada.id, state: adas.state });

    const late = await createConnectUrl(w.deps, { userId: ada.id, redirectUri: REDIRECT });
    w.clock.now = new Date(w.clock.now.getTime() + OAUTH_STATE_TTL_MS + 1);
    const expired = await gitHubFailure(consumeOAuthState(w.deps, { userId: ada.id, state: late.state }));
    expect(expired.message).toMatch(/expired/);
  });

  it("reports GitHub's refusal of a bad code (a 200 with { error }) as a GitHub error, and stores nothing", async () => {
    const ada = await w.user("ada");
    const { state } = await createConnectUrl(w.deps, { userId: ada.id, redirectUri: REDIRECT });
    const error = await gitHubFailure(connectGitHub(w.deps, { userId: ada.id, state, code: "not-a-code" }));
    expect(error).toBeInstanceOf(GitHubApiError);
    expect(error).toMatchObject({ code: "GITHUB_API_ERROR", needsReconnect: false });
    expect(error.message).toContain("The code passed is incorrect or expired.");
    expect((await getGitHubStatus(w.deps, ada.id)).connected).toBe(false);
  });

  it("says what to configure when there is no OAuth app, instead of failing", async () => {
    const bare = await createGitHubTestWorld({ env: { clientId: undefined, clientSecret: undefined } });
    try {
      const ada = await bare.user("ada");
      const error = await gitHubFailure(
        createConnectUrl(bare.deps, { userId: ada.id, redirectUri: REDIRECT }),
      );
      expect(error).toMatchObject({ code: "CONFLICT", reason: "not_configured" });
      expect(error.message).toMatch(/GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET/);
    } finally {
      await bare.close();
    }
  });

  it("uses an administrator's stored settings over the environment, with the secrets sealed", async () => {
    const admin = await w.user("admin");
    await setGitHubSettings(
      w.db,
      TEST_SECRET,
      {
        webUrl: w.github.webUrl,
        apiUrl: w.github.apiUrl,
        clientId: "admin-client",
        clientSecret: "admin-client-secret-value",
        webhookSecret: "hook-secret-value",
      },
      admin.id,
    );
    const config = await resolveGitHubConfig(w.db, w.deps.env, TEST_SECRET);
    expect(config).toMatchObject({
      source: "admin",
      oauth: { clientId: "admin-client", clientSecret: "admin-client-secret-value" },
      webhookSecret: "hook-secret-value",
      app: null,
    });
    const row = await w.db.query.githubSettings.findFirst();
    expect(JSON.stringify(row)).not.toContain("admin-client-secret-value");
    expect(JSON.stringify(row)).not.toContain("hook-secret-value");
    const described = await describeGitHubSettings(w.db, w.deps.env, TEST_SECRET);
    expect(described).toMatchObject({ source: "admin", oauthConfigured: true, webhookConfigured: true });
    expect(JSON.stringify(described)).not.toContain("secret-value");
  });

  it("forgets the connection and its repositories on disconnect", async () => {
    const ada = await w.user("ada");
    w.github.addUser("ada-gh");
    await w.connect(ada.id, "ada-gh");
    expect(await disconnectGitHub(w.deps, ada.id)).toBe(true);
    expect(await getGitHubStatus(w.deps, ada.id)).toEqual({
      connected: false,
      needsReconnect: false,
      github: null,
    });
    expect(await disconnectGitHub(w.deps, ada.id)).toBe(false);
  });
});
