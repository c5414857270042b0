// A local GitHub for tests: the web side (OAuth authorize page and code exchange, git over smart HTTP) and
// the REST endpoints this package uses under `/api/v3` (as on GitHub Enterprise Server), on 127.0.0.1.
// It answers as GitHub does — Link-header pagination, ETags and 304s, rate-limit headers, `Bad credentials`
// 401s, app JWTs and installation tokens — so the real Octokit client runs against it unchanged.
import { execFileSync, spawn } from "node:child_process";
import { createHash, createVerify, generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export type FakeGitHubRequest = {
  method: string;
  /** Path without the query, API prefix included (`/api/v3/user/repos`). */
  path: string;
  query: URLSearchParams;
  /** Lower-case names. */
  headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read GitHub's JSON field by field
  body: any;
  /** Who the request authenticated as: a login, `app:<id>`, `installation:<id>`, or null. */
  principal: string | null;
  /** The status the fake answered with. */
  status?: number;
};

export type FakeUser = { id: number; login: string; name: string | null };

export type FakeRepo = {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  private: boolean;
  description: string | null;
  defaultBranch: string;
  language: string | null;
  stargazers: number;
  forks: number;
  pushedAt: string;
  /** Logins that may read and write besides the owner. */
  collaborators: Set<string>;
  branches: Map<string, { sha: string; protected: boolean }>;
  /** Bare repository served over smart HTTP, when `createGitRepository` made one. */
  gitDir: string | null;
  installationId: number | null;
};

export type FakeIssue = {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  labels: string[];
  author: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Set on pull requests, which share the issue numbers. */
  pull?: FakePull;
  comments: Array<{ id: number; body: string; author: string; createdAt: string }>;
};

export type FakePull = {
  head: string;
  headSha: string;
  base: string;
  /** What GitHub says of mergeability: null while "computing". */
  mergeable: boolean | null;
  merged: boolean;
  mergedAt: string | null;
  draft: boolean;
  reviews: Array<{ id: number; state: string; body: string; author: string }>;
};

export type FakeCheckRun = {
  name: string;
  status: "queued" | "in_progress" | "completed";
  conclusion?:
    | "success"
    | "failure"
    | "neutral"
    | "cancelled"
    | "skipped"
    | "timed_out"
    | "action_required"
    | null;
};
export type FakeCommitStatus = { context: string; state: "pending" | "success" | "failure" | "error" };

type ScriptedFailure = {
  match?: (request: FakeGitHubRequest) => boolean;
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** Reset time written into the headers when the failure is served, in seconds from then. */
  resetInSeconds?: number;
};

export type FakeGitHub = {
  /** GITHUB_WEB_URL */
  webUrl: string;
  /** GITHUB_API_URL (`<webUrl>/api/v3`) */
  apiUrl: string;
  oauthApp: { clientId: string; clientSecret: string };
  /** Every request received, in order. */
  requests: FakeGitHubRequest[];
  /** API requests only, with the `/api/v3` prefix removed from `path` for easy matching. */
  apiRequests: () => FakeGitHubRequest[];
  addUser: (login: string, options?: { name?: string }) => FakeUser;
  /** A personal token for `login` (as the OAuth exchange would mint). */
  issueToken: (login: string, scopes?: string[]) => string;
  /** GitHub answers 401 `Bad credentials` to this token from now on. */
  revokeToken: (token: string) => void;
  /** The person who "clicks Authorize" on the authorize page; the first user unless set. */
  authorizeAs: (login: string) => void;
  /** An OAuth code for `login`, as the authorize page would redirect with. */
  createCode: (login: string) => string;
  addRepo: (
    fullName: string,
    options?: Partial<
      Pick<FakeRepo, "private" | "description" | "defaultBranch" | "language" | "stargazers">
    > & {
      collaborators?: string[];
    },
  ) => FakeRepo;
  repo: (fullName: string) => FakeRepo;
  /** Changes a repository as a push or an edit on GitHub would (its ETagged listings change with it). */
  updateRepo: (
    fullName: string,
    change: Partial<Pick<FakeRepo, "description" | "language" | "private">>,
  ) => void;
  removeRepo: (fullName: string) => void;
  setBranch: (fullName: string, branch: string, options?: { sha?: string; protected?: boolean }) => string;
  addIssue: (
    fullName: string,
    issue: { title: string; body?: string; labels?: string[]; state?: "open" | "closed"; author?: string },
  ) => FakeIssue;
  addPull: (
    fullName: string,
    pull: {
      title: string;
      head: string;
      base?: string;
      body?: string;
      author?: string;
      mergeable?: boolean | null;
    },
  ) => FakeIssue;
  issue: (fullName: string, number: number) => FakeIssue;
  addCheckRun: (fullName: string, sha: string, run: FakeCheckRun) => void;
  addStatus: (fullName: string, sha: string, status: FakeCommitStatus) => void;
  /** A GitHub App: returns its id and PEM private key (PKCS#1, as GitHub issues them). */
  createApp: () => { appId: string; privateKey: string };
  /** Installs the app on these repositories; returns the installation id. */
  installApp: (fullNames: string[]) => number;
  /** The next matching request gets a primary rate-limit answer (403, `x-ratelimit-remaining: 0`). */
  rateLimitNext: (options?: { resetInSeconds?: number; match?: (r: FakeGitHubRequest) => boolean }) => void;
  /** The next matching request gets a secondary rate-limit answer (403 with `retry-after`). */
  secondaryLimitNext: (options?: { retryAfter?: number; match?: (r: FakeGitHubRequest) => boolean }) => void;
  /** The next matching request gets this status and GitHub's `{ message }`. */
  failNext: (status: number, message: string, match?: (r: FakeGitHubRequest) => boolean) => void;
  /** The next matching API request is answered only after `ms` (GitHub slow); its answer is the usual one. */
  stallNext: (ms: number, match?: (r: FakeGitHubRequest) => boolean) => void;
  /**
   * A bare git repository for `fullName`, served at `<webUrl>/<owner>/<name>.git` through `git http-backend`,
   * seeded with one commit of `files` on the default branch; branches are read from it from now on.
   */
  createGitRepository: (fullName: string, files?: Record<string, string>) => string;
  close: () => Promise<void>;
};

const now = () => new Date().toISOString();
const DOCS = "https://docs.github.com/rest";

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function verifyJwt(token: string, publicKey: string): { iss?: string | number } | null {
  const [header, payload, signature] = token.split(".");
  if (!header || !payload || !signature) return null;
  const verifier = createVerify("RSA-SHA256");
  verifier.update(`${header}.${payload}`);
  if (!verifier.verify(publicKey, Buffer.from(signature, "base64url"))) return null;
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
    iss?: string | number;
    exp?: number;
  };
  if (claims.exp && claims.exp * 1000 < Date.now()) return null;
  return claims;
}

export async function startFakeGitHub(options: { perPageDefault?: number } = {}): Promise<FakeGitHub> {
  const requests: FakeGitHubRequest[] = [];
  const users = new Map<string, FakeUser>();
  const tokens = new Map<string, { login: string; scopes: string[]; revoked: boolean }>();
  const installationTokens = new Map<string, number>();
  const codes = new Map<string, string>();
  const repos = new Map<string, FakeRepo>();
  const issues = new Map<string, FakeIssue[]>();
  const checkRuns = new Map<string, FakeCheckRun[]>();
  const statuses = new Map<string, FakeCommitStatus[]>();
  const failures: ScriptedFailure[] = [];
  const stalls: Array<{ ms: number; match?: ((r: FakeGitHubRequest) => boolean) | undefined }> = [];
  const remaining = new Map<string, number>();
  const sockets = new Set<Socket>();
  const oauthApp = { clientId: "Iv1.fakeclient", clientSecret: `secret-${randomBytes(8).toString("hex")}` };
  let app: { appId: string; privateKey: string; publicKey: string } | null = null;
  let nextId = 1000;
  let authorizer: string | null = null;
  let gitRoot: string | null = null;
  let webUrl = "";
  let apiUrl = "";

  const htmlUrl = (repo: FakeRepo) => `${webUrl}/${repo.fullName}`;
  const userJson = (login: string) => {
    const u = users.get(login);
    return {
      login,
      id: u?.id ?? 0,
      type: login.endsWith("[bot]") ? "Bot" : "User",
      avatar_url: `${webUrl}/avatars/${login}`,
      html_url: `${webUrl}/${login}`,
    };
  };
  const repoJson = (repo: FakeRepo) => ({
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: repo.fullName,
    owner: userJson(repo.owner),
    private: repo.private,
    visibility: repo.private ? "private" : "public",
    description: repo.description,
    fork: false,
    html_url: htmlUrl(repo),
    url: `${apiUrl}/repos/${repo.fullName}`,
    clone_url: `${htmlUrl(repo)}.git`,
    ssh_url: `git@127.0.0.1:${repo.fullName}.git`,
    default_branch: repo.defaultBranch,
    language: repo.language,
    stargazers_count: repo.stargazers,
    forks_count: repo.forks,
    pushed_at: repo.pushedAt,
    permissions: { admin: true, push: true, pull: true },
  });
  const issueJson = (repo: FakeRepo, issue: FakeIssue) => ({
    id: issue.id,
    node_id: `I_${issue.id}`,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    labels: issue.labels.map((name, i) => ({ id: i + 1, name, color: "ededed" })),
    user: userJson(issue.author),
    html_url: `${htmlUrl(repo)}/${issue.pull ? "pull" : "issues"}/${issue.number}`,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    ...(issue.pull
      ? {
          pull_request: {
            url: `${apiUrl}/repos/${repo.fullName}/pulls/${issue.number}`,
            merged_at: issue.pull.mergedAt,
          },
        }
      : {}),
  });
  const pullJson = (repo: FakeRepo, issue: FakeIssue) => {
    const pull = followHead(repo, issue);
    return {
      id: issue.id,
      node_id: `PR_${issue.id}`,
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      draft: pull.draft,
      merged: pull.merged,
      merged_at: pull.mergedAt,
      closed_at: issue.closedAt,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      html_url: `${htmlUrl(repo)}/pull/${issue.number}`,
      user: userJson(issue.author),
      head: { ref: pull.head, sha: pull.headSha, label: `${repo.owner}:${pull.head}`, repo: repoJson(repo) },
      base: { ref: pull.base, sha: branchesOf(repo).get(pull.base)?.sha ?? "", repo: repoJson(repo) },
      mergeable: pull.mergeable,
      mergeable_state: pull.mergeable === null ? "unknown" : pull.mergeable ? "clean" : "dirty",
    };
  };

  const git = (gitDir: string, args: string[]) =>
    execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8" }).trim();
  const branchesOf = (repo: FakeRepo) => {
    if (!repo.gitDir) return repo.branches;
    const out = git(repo.gitDir, ["for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads"]);
    const live = new Map<string, { sha: string; protected: boolean }>();
    for (const line of out.split("\n").filter(Boolean)) {
      const [name, sha] = line.split(" ");
      live.set(name!, { sha: sha!, protected: repo.branches.get(name!)?.protected ?? false });
    }
    return live;
  };

  /** An open pull request's head follows its branch, as on GitHub: a push moves it to the new commit. */
  const followHead = (repo: FakeRepo, issue: FakeIssue) => {
    const pull = issue.pull!;
    if (repo.gitDir && issue.state === "open" && !pull.merged) {
      const live = branchesOf(repo).get(pull.head)?.sha;
      if (live) pull.headSha = live;
    }
    return pull;
  };

  /**
   * GitHub's contents answer for `encodedPath` at `ref`, read from the bare repository: a file's object
   * (base64 `content` in 60-character lines, none over 1 MB), an array for a directory, null when absent.
   */
  const contentsJson = (repo: FakeRepo, ref: string, encodedPath: string) => {
    const gitDir = repo.gitDir!;
    const filePath = decodeURIComponent(encodedPath).replace(/^\/+|\/+$/g, "");
    if (ref.startsWith("-")) return null;
    const item = (mode: string, kind: string, sha: string, size: string, itemPath: string) => {
      const type =
        kind === "tree" ? "dir" : kind === "commit" ? "submodule" : mode === "120000" ? "symlink" : "file";
      const url = `${apiUrl}/repos/${repo.fullName}/contents/${itemPath}?ref=${encodeURIComponent(ref)}`;
      const gitUrl = `${apiUrl}/repos/${repo.fullName}/git/${kind === "tree" ? "trees" : "blobs"}/${sha}`;
      const html = `${htmlUrl(repo)}/${kind === "tree" ? "tree" : "blob"}/${ref}/${itemPath}`;
      return {
        type,
        name: path.posix.basename(itemPath),
        path: itemPath,
        sha,
        size: kind === "blob" ? Number(size) : 0,
        url,
        git_url: gitUrl,
        html_url: html,
        download_url: type === "file" ? `${webUrl}/raw/${repo.fullName}/${ref}/${itemPath}` : null,
        _links: { self: url, git: gitUrl, html },
      };
    };
    const entries = (treeish: string, prefix: string) => {
      let out: string;
      try {
        out = execFileSync("git", ["--git-dir", gitDir, "ls-tree", "-l", "-z", treeish], {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "ignore"],
        });
      } catch {
        return null;
      }
      return out
        .split("\0")
        .filter(Boolean)
        .map((line) => {
          const [meta, name] = line.split("\t");
          const [mode, kind, sha, size] = meta!.trim().split(/\s+/);
          return item(mode!, kind!, sha!, size!, prefix ? `${prefix}/${name}` : name!);
        });
    };
    if (filePath === "") return entries(`${ref}^{tree}`, "");
    const parent = path.posix.dirname(filePath);
    const siblings = entries(
      parent === "." ? `${ref}^{tree}` : `${ref}:${parent}`,
      parent === "." ? "" : parent,
    );
    const found = siblings?.find((e) => e.path === filePath);
    if (!found) return null;
    if (found.type === "dir") return entries(`${ref}:${filePath}`, filePath);
    if (found.type !== "file") return found;
    const bytes = execFileSync("git", ["--git-dir", gitDir, "cat-file", "blob", found.sha]);
    const inline = bytes.length <= 1024 * 1024;
    return {
      ...found,
      content: inline ? (bytes.toString("base64").match(/.{1,60}/g) ?? []).map((l) => `${l}\n`).join("") : "",
      encoding: inline ? "base64" : "none",
    };
  };

  /** GitHub's compare answer, computed by git from the bare repository (the three-dot diff a pull request shows). */
  const compareJson = (gitDir: string, base: string, head: string) => {
    const range = `${base}...${head}`;
    const STATUS: Record<string, string> = {
      A: "added",
      D: "removed",
      M: "modified",
      R: "renamed",
      C: "copied",
    };
    const nameStatus = git(gitDir, ["diff", "-M", "--name-status", range]).split("\n").filter(Boolean);
    const numstat = git(gitDir, ["diff", "-M", "--numstat", "-z", range]);
    // -z keeps renames parseable: "adds\tdels\t\0old\0new\0" or "adds\tdels\tpath\0".
    const counts: Array<{ additions: number; deletions: number }> = [];
    const fields = numstat.split("\0");
    for (let i = 0; i < fields.length; i++) {
      const m = /^(\d+|-)\t(\d+|-)\t(.*)$/.exec(fields[i]!);
      if (!m) continue;
      counts.push({ additions: Number(m[1]) || 0, deletions: Number(m[2]) || 0 });
      if (m[3] === "") i += 2;
    }
    const patches = git(gitDir, ["diff", "-M", range])
      .split(/^diff --git .*$/m)
      .slice(1)
      .map((chunk) => {
        const at = chunk.indexOf("\n@@");
        return at === -1 ? undefined : `${chunk.slice(at + 1).replace(/\n$/, "")}`;
      });
    const files = nameStatus.map((line, i) => {
      const [code, first, second] = line.split("\t");
      const renamed = second !== undefined;
      const patch = patches[i];
      return {
        sha: "",
        filename: renamed ? second : first,
        ...(renamed ? { previous_filename: first } : {}),
        status: STATUS[code![0]!] ?? "modified",
        additions: counts[i]?.additions ?? 0,
        deletions: counts[i]?.deletions ?? 0,
        changes: (counts[i]?.additions ?? 0) + (counts[i]?.deletions ?? 0),
        ...(patch !== undefined ? { patch } : {}),
      };
    });
    const aheadBy = Number(git(gitDir, ["rev-list", "--count", `${base}..${head}`]));
    const behindBy = Number(git(gitDir, ["rev-list", "--count", `${head}..${base}`]));
    return {
      status: aheadBy && behindBy ? "diverged" : aheadBy ? "ahead" : behindBy ? "behind" : "identical",
      ahead_by: aheadBy,
      behind_by: behindBy,
      total_commits: aheadBy,
      commits: [],
      files,
    };
  };

  const canRead = (repo: FakeRepo, principal: string | null) => !repo.private || canWrite(repo, principal);
  const canWrite = (repo: FakeRepo, principal: string | null) => {
    if (!principal) return false;
    if (principal.startsWith("installation:")) return repo.installationId === Number(principal.slice(13));
    return repo.owner === principal || repo.collaborators.has(principal);
  };

  /** Who the Authorization header names; `false` when it names a bad or revoked credential. */
  function authenticate(headers: Record<string, string>): string | null | false {
    const header = headers.authorization;
    if (!header) return null;
    const [, credential] = header.split(/\s+/, 2);
    if (!credential) return false;
    const token = tokens.get(credential);
    if (token) return token.revoked ? false : token.login;
    const installation = installationTokens.get(credential);
    if (installation !== undefined) return `installation:${installation}`;
    if (app && credential.startsWith("eyJ")) {
      const claims = verifyJwt(credential, app.publicKey);
      return claims && String(claims.iss) === app.appId ? `app:${app.appId}` : false;
    }
    return false;
  }

  const rateHeaders = (principal: string | null, counted: boolean) => {
    const key = principal ?? "anonymous";
    const limit = principal ? 5000 : 60;
    const left = Math.max(0, (remaining.get(key) ?? limit) - (counted ? 1 : 0));
    remaining.set(key, left);
    return {
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": String(left),
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      "x-ratelimit-used": String(limit - left),
      "x-ratelimit-resource": "core",
    };
  };

  type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
  const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
    status,
    body,
    headers,
  });
  const notFound = () => json(404, { message: "Not Found", documentation_url: DOCS, status: "404" });

  /** A paginated answer with GitHub's Link header. */
  function paged(request: FakeGitHubRequest, items: unknown[]): Reply {
    const perPage = Math.min(Number(request.query.get("per_page")) || options.perPageDefault || 30, 100);
    const page = Math.max(Number(request.query.get("page")) || 1, 1);
    const last = Math.max(Math.ceil(items.length / perPage), 1);
    const link = (p: number) => {
      const q = new URLSearchParams(request.query);
      q.set("page", String(p));
      q.set("per_page", String(perPage));
      return `${webUrl}${request.path}?${q}`;
    };
    const rels: string[] = [];
    if (page < last) rels.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
    if (page > 1) rels.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`);
    return json(
      200,
      items.slice((page - 1) * perPage, page * perPage),
      rels.length ? { link: rels.join(", ") } : {},
    );
  }

  function route(request: FakeGitHubRequest, apiPath: string): Reply {
    const { method, principal } = request;
    let match: RegExpExecArray | null = null;
    let rest = "";
    /** Matches `subject` (the path within the repository unless given), keeping the groups in `match`. */
    const at = (pattern: RegExp, subject = rest) => {
      match = pattern.exec(subject);
      return match !== null;
    };

    if (method === "GET" && apiPath === "/rate_limit") return json(200, { resources: {} });
    // --- the app ---
    if (at(/^\/repos\/([^/]+)\/([^/]+)\/installation$/, apiPath) && method === "GET") {
      if (!principal?.startsWith("app:"))
        return json(401, { message: "A JSON web token could not be decoded", documentation_url: DOCS });
      const repo = repos.get(`${match![1]}/${match![2]}`);
      if (!repo?.installationId) return notFound();
      return json(200, {
        id: repo.installationId,
        app_id: Number(app!.appId),
        account: userJson(repo.owner),
      });
    }
    if (at(/^\/app\/installations\/(\d+)\/access_tokens$/, apiPath) && method === "POST") {
      if (!principal?.startsWith("app:"))
        return json(401, { message: "A JSON web token could not be decoded", documentation_url: DOCS });
      const installationId = Number(match![1]);
      const token = `ghs_${randomBytes(18).toString("hex")}`;
      installationTokens.set(token, installationId);
      return json(201, {
        token,
        expires_at: new Date(Date.now() + 3600_000).toISOString(),
        permissions: { contents: "write", pull_requests: "write", issues: "write", checks: "read" },
        repository_selection: "selected",
      });
    }
    if (!principal) return json(401, { message: "Requires authentication", documentation_url: DOCS });
    if (principal.startsWith("app:"))
      return json(403, { message: "Apps cannot use this endpoint with a JWT", documentation_url: DOCS });

    if (method === "GET" && apiPath === "/user") {
      const user = users.get(principal);
      if (!user)
        return json(403, { message: "Resource not accessible by integration", documentation_url: DOCS });
      return json(200, { ...userJson(user.login), name: user.name, public_repos: 0 });
    }
    if (method === "GET" && apiPath === "/user/repos") {
      const mine = [...repos.values()]
        .filter((r) => r.owner === principal || r.collaborators.has(principal))
        .sort((a, b) => a.fullName.localeCompare(b.fullName))
        .map(repoJson);
      return paged(request, mine);
    }

    if (!at(/^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/, apiPath)) return notFound();
    const repo = repos.get(`${match![1]}/${match![2]}`);
    if (!repo || !canRead(repo, principal)) return notFound();
    rest = match![3] ?? "";
    const writing = method !== "GET";
    if (writing && !canWrite(repo, principal))
      return json(403, { message: "Must have admin rights to Repository.", documentation_url: DOCS });
    const list = issues.get(repo.fullName) ?? [];
    const find = (n: string) => list.find((i) => i.number === Number(n));

    if (rest === "" && method === "GET") return json(200, repoJson(repo));
    if (rest === "/branches" && method === "GET") {
      const all = [...branchesOf(repo)].map(([name, b]) => ({
        name,
        commit: { sha: b.sha, url: `${apiUrl}/repos/${repo.fullName}/commits/${b.sha}` },
        protected: b.protected,
      }));
      return paged(request, all);
    }
    if (rest === "/issues" && method === "GET") {
      const state = request.query.get("state") ?? "open";
      return paged(
        request,
        list.filter((i) => state === "all" || i.state === state).map((i) => issueJson(repo, i)),
      );
    }
    if (at(/^\/issues\/(\d+)$/) && method === "GET") {
      const issue = find(match![1]!);
      return issue ? json(200, issueJson(repo, issue)) : notFound();
    }
    if (at(/^\/issues\/(\d+)\/comments$/)) {
      const issue = find(match![1]!);
      if (!issue) return notFound();
      const commentJson = (c: FakeIssue["comments"][number]) => ({
        id: c.id,
        body: c.body,
        user: userJson(c.author),
        created_at: c.createdAt,
        html_url: `${htmlUrl(repo)}/issues/${issue.number}#issuecomment-${c.id}`,
      });
      if (method === "GET") return paged(request, issue.comments.map(commentJson));
      if (method === "POST") {
        if (!request.body?.body)
          return json(422, {
            message: "Validation Failed",
            errors: [{ field: "body", code: "missing_field" }],
          });
        const comment = {
          id: nextId++,
          body: String(request.body.body),
          author: actor(principal),
          createdAt: now(),
        };
        issue.comments.push(comment);
        issue.updatedAt = now();
        return json(201, commentJson(comment));
      }
    }
    if (rest === "/pulls" && method === "GET") {
      const state = request.query.get("state") ?? "open";
      const head = request.query.get("head");
      return paged(
        request,
        list
          .filter((i) => i.pull && (state === "all" || i.state === state))
          .filter((i) => !head || `${repo.owner}:${i.pull!.head}` === head)
          .map((i) => pullJson(repo, i)),
      );
    }
    if (rest === "/pulls" && method === "POST") {
      const { head, base, title, body, draft } = request.body ?? {};
      const branches = branchesOf(repo);
      if (!title || !head || !base)
        return json(422, {
          message: "Validation Failed",
          errors: [{ resource: "PullRequest", code: "missing_field" }],
        });
      if (!branches.has(head) || !branches.has(base)) {
        return json(422, {
          message: "Validation Failed",
          errors: [{ resource: "PullRequest", field: "head", code: "invalid" }],
        });
      }
      if (list.some((i) => i.pull && i.state === "open" && i.pull.head === head && i.pull.base === base)) {
        return json(422, {
          message: `Validation Failed: A pull request already exists for ${repo.owner}:${head}.`,
        });
      }
      const issue = newIssue(repo, { title, body, author: actor(principal) });
      issue.pull = {
        head,
        headSha: branches.get(head)!.sha,
        base,
        mergeable: true,
        merged: false,
        mergedAt: null,
        draft: Boolean(draft),
        reviews: [],
      };
      return json(201, pullJson(repo, issue));
    }
    if (at(/^\/pulls\/(\d+)$/)) {
      const issue = find(match![1]!);
      if (!issue?.pull) return notFound();
      if (method === "GET") return json(200, pullJson(repo, issue));
      if (method === "PATCH") {
        const { title, body, state } = request.body ?? {};
        if (title !== undefined) issue.title = title;
        if (body !== undefined) issue.body = body;
        if (state === "closed" || state === "open") {
          issue.state = state;
          issue.closedAt = state === "closed" ? now() : null;
        }
        issue.updatedAt = now();
        return json(200, pullJson(repo, issue));
      }
    }
    if (at(/^\/pulls\/(\d+)\/merge$/) && method === "PUT") {
      const issue = find(match![1]!);
      if (!issue?.pull) return notFound();
      const pull = followHead(repo, issue);
      if (pull.merged || issue.state !== "open" || !pull.mergeable) {
        return json(405, { message: "Pull Request is not mergeable", documentation_url: DOCS });
      }
      if (request.body?.sha && request.body.sha !== pull.headSha) {
        return json(409, {
          message: "Head branch was modified. Review and try the merge again.",
          documentation_url: DOCS,
        });
      }
      const sha = createHash("sha1").update(`merge ${repo.fullName} ${issue.number}`).digest("hex");
      pull.merged = true;
      pull.mergedAt = now();
      issue.state = "closed";
      issue.closedAt = pull.mergedAt;
      issue.updatedAt = pull.mergedAt;
      repo.branches.set(pull.base, { sha, protected: repo.branches.get(pull.base)?.protected ?? false });
      return json(200, { sha, merged: true, message: "Pull Request successfully merged" });
    }
    if (at(/^\/pulls\/(\d+)\/reviews$/)) {
      const issue = find(match![1]!);
      if (!issue?.pull) return notFound();
      const reviewJson = (r: FakePull["reviews"][number]) => ({
        id: r.id,
        state: r.state,
        body: r.body,
        user: userJson(r.author),
      });
      if (method === "GET") return paged(request, issue.pull.reviews.map(reviewJson));
      if (method === "POST") {
        const states: Record<string, string> = {
          APPROVE: "APPROVED",
          REQUEST_CHANGES: "CHANGES_REQUESTED",
          COMMENT: "COMMENTED",
        };
        const review = {
          id: nextId++,
          state: states[request.body?.event ?? "COMMENT"] ?? "PENDING",
          body: request.body?.body ?? "",
          author: actor(principal),
        };
        issue.pull.reviews.push(review);
        return json(200, reviewJson(review));
      }
    }
    if (at(/^\/compare\/(.+)$/) && method === "GET") {
      const [base, head] = decodeURIComponent(match![1]!).split("...");
      const branches = branchesOf(repo);
      if (!repo.gitDir || !base || !head || !branches.has(base) || !branches.has(head)) return notFound();
      return json(200, compareJson(repo.gitDir, base, head));
    }
    if (at(/^\/contents(?:\/(.*))?$/) && method === "GET") {
      if (!repo.gitDir) return notFound();
      const answer = contentsJson(repo, request.query.get("ref") || repo.defaultBranch, match![1] ?? "");
      return answer ? json(200, answer) : notFound();
    }
    if (at(/^\/commits\/([^/]+)\/check-runs$/) && method === "GET") {
      const sha = resolveRef(repo, decodeURIComponent(match![1]!));
      const runs = (checkRuns.get(`${repo.fullName}@${sha}`) ?? []).map((r, i) => ({
        id: i + 1,
        name: r.name,
        head_sha: sha,
        status: r.status,
        conclusion: r.status === "completed" ? (r.conclusion ?? "success") : null,
      }));
      const perPage = Math.min(Number(request.query.get("per_page")) || 30, 100);
      const page = Math.max(Number(request.query.get("page")) || 1, 1);
      return json(200, {
        total_count: runs.length,
        check_runs: runs.slice((page - 1) * perPage, page * perPage),
      });
    }
    if (at(/^\/commits\/([^/]+)\/status$/) && method === "GET") {
      const sha = resolveRef(repo, decodeURIComponent(match![1]!));
      const list = statuses.get(`${repo.fullName}@${sha}`) ?? [];
      const state = list.some((s) => s.state === "failure" || s.state === "error")
        ? "failure"
        : list.length === 0 || list.some((s) => s.state === "pending")
          ? "pending"
          : "success";
      return json(200, {
        state,
        sha,
        total_count: list.length,
        statuses: list.map((s, i) => ({ id: i + 1, ...s })),
      });
    }
    return notFound();
  }

  const actor = (principal: string) =>
    principal.startsWith("installation:") ? "crewdeck-fake[bot]" : principal;
  const resolveRef = (repo: FakeRepo, ref: string) => branchesOf(repo).get(ref)?.sha ?? ref;

  function newIssue(
    repo: FakeRepo,
    input: {
      title: string;
      body?: string | null;
      author: string;
      labels?: string[];
      state?: "open" | "closed";
    },
  ) {
    const list = issues.get(repo.fullName) ?? [];
    issues.set(repo.fullName, list);
    const at = now();
    const issue: FakeIssue = {
      id: nextId++,
      number: list.length + 1,
      title: input.title,
      body: input.body ?? null,
      state: input.state ?? "open",
      labels: input.labels ?? [],
      author: input.author,
      createdAt: at,
      updatedAt: at,
      closedAt: input.state === "closed" ? at : null,
      comments: [],
    };
    list.push(issue);
    return issue;
  }

  // --- the web side: OAuth pages and git ---
  function web(
    request: FakeGitHubRequest,
    raw: Buffer,
    req: IncomingMessage,
    res: ServerResponse,
  ): Reply | null {
    const { method, path: p, query } = request;
    if (method === "GET" && p === "/login/oauth/authorize") {
      if (query.get("client_id") !== oauthApp.clientId)
        return {
          status: 404,
          body: "<h1>Application not found</h1>",
          headers: { "content-type": "text/html" },
        };
      const approve = new URLSearchParams({
        redirect_uri: query.get("redirect_uri") ?? "",
        state: query.get("state") ?? "",
      });
      const who = authorizer ?? [...users.keys()][0] ?? "nobody";
      const html = `<!doctype html><title>Authorize application</title><h1>Authorize Crewdeck</h1><p>Signed in as <b>${who}</b>; scopes: ${query.get("scope") ?? ""}</p><a id="authorize" href="/login/oauth/authorize/approve?${approve}">Authorize</a>`;
      return { status: 200, body: html, headers: { "content-type": "text/html; charset=utf-8" } };
    }
    if (method === "GET" && p === "/login/oauth/authorize/approve") {
      const who = authorizer ?? [...users.keys()][0];
      if (!who) return { status: 400, body: "no user", headers: { "content-type": "text/plain" } };
      const target = new URL(query.get("redirect_uri") ?? "");
      target.searchParams.set("code", createCode(who));
      target.searchParams.set("state", query.get("state") ?? "");
      return { status: 302, body: "", headers: { location: target.toString() } };
    }
    if (method === "POST" && p === "/login/oauth/access_token") {
      const form =
        typeof request.body === "object" && request.body
          ? (request.body as Record<string, string>)
          : Object.fromEntries(new URLSearchParams(raw.toString("utf8")));
      // Like GitHub: 200 with `{ error }` for every refusal.
      if (form.client_id !== oauthApp.clientId || form.client_secret !== oauthApp.clientSecret) {
        return json(200, {
          error: "incorrect_client_credentials",
          error_description: "The client_id and/or client_secret passed are incorrect.",
          error_uri: DOCS,
        });
      }
      const login = form.code ? codes.get(form.code) : undefined;
      if (!login) {
        return json(200, {
          error: "bad_verification_code",
          error_description: "The code passed is incorrect or expired.",
          error_uri: DOCS,
        });
      }
      codes.delete(form.code!);
      const scopes = ["repo", "read:user", "user:email"];
      return json(200, {
        access_token: issueToken(login, scopes),
        token_type: "bearer",
        scope: scopes.join(","),
      });
    }
    const gitMatch = /^\/([^/]+)\/([^/]+?)\.git(\/.*)$/.exec(p);
    if (gitMatch) {
      serveGit(request, raw, req, res, `${gitMatch[1]}/${gitMatch[2]}`, gitMatch[3]!);
      return null;
    }
    return { status: 404, body: "Not Found", headers: { "content-type": "text/plain" } };
  }

  function serveGit(
    request: FakeGitHubRequest,
    raw: Buffer,
    _req: IncomingMessage,
    res: ServerResponse,
    fullName: string,
    rest: string,
  ) {
    const repo = repos.get(fullName);
    const basic = request.headers.authorization?.startsWith("Basic ")
      ? Buffer.from(request.headers.authorization.slice(6), "base64").toString("utf8")
      : null;
    // Git sends the token as the password of Basic auth, as with GitHub.
    const password = basic?.slice(basic.indexOf(":") + 1) ?? null;
    const principal = password ? authenticate({ authorization: `token ${password}` }) : null;
    const pushing = rest.endsWith("git-receive-pack") || request.query.get("service") === "git-receive-pack";
    const allowed =
      repo?.gitDir && (pushing ? canWrite(repo, principal || null) : canRead(repo, principal || null));
    if (!allowed) {
      if (!principal) {
        res.writeHead(401, { "www-authenticate": 'Basic realm="GitHub"' });
        res.end();
      } else {
        res.writeHead(404);
        res.end("Repository not found.");
      }
      return;
    }
    const child = spawn("git", ["http-backend"], {
      env: {
        ...process.env,
        GIT_PROJECT_ROOT: gitRoot!,
        GIT_HTTP_EXPORT_ALL: "1",
        PATH_INFO: `/${fullName}.git${rest}`,
        QUERY_STRING: request.query.toString(),
        REQUEST_METHOD: request.method,
        CONTENT_TYPE: request.headers["content-type"] ?? "",
        CONTENT_LENGTH: String(raw.length),
        REMOTE_USER: principal ? actor(principal) : "",
        REMOTE_ADDR: "127.0.0.1",
        ...(request.headers["content-encoding"]
          ? { HTTP_CONTENT_ENCODING: request.headers["content-encoding"] }
          : {}),
        ...(request.headers["git-protocol"] ? { GIT_PROTOCOL: request.headers["git-protocol"] } : {}),
      },
    });
    // The backend may answer and exit before reading the whole body (a GET's, or a refused push's); the
    // EPIPE that follows is not the test's failure, and its answer still comes back on stdout.
    child.stdin.on("error", () => {});
    child.stdin.end(raw);
    const out: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.on("close", () => {
      const all = Buffer.concat(out);
      const split = all.indexOf("\r\n\r\n");
      const head = all.subarray(0, split).toString("utf8");
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head.split("\r\n")) {
        const i = line.indexOf(":");
        const key = line.slice(0, i).trim().toLowerCase();
        const value = line.slice(i + 1).trim();
        if (key === "status") status = Number(value.split(" ")[0]);
        else if (key) headers[key] = value;
      }
      request.status = status;
      if (pushing && repo) repo.pushedAt = now();
      res.writeHead(status, headers);
      res.end(all.subarray(split + 4));
    });
  }

  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", "http://fake");
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [
        k.toLowerCase(),
        Array.isArray(v) ? v.join(", ") : (v ?? ""),
      ]),
    );
    let body: unknown;
    if (raw.length && (headers["content-type"] ?? "").includes("json")) {
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        body = undefined;
      }
    }
    const request: FakeGitHubRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers,
      body,
      principal: null,
    };
    requests.push(request);
    const send = (reply: Reply) => {
      request.status = reply.status;
      const isText = typeof reply.body === "string";
      res.writeHead(reply.status, {
        ...(isText ? {} : { "content-type": "application/json; charset=utf-8" }),
        ...reply.headers,
      });
      res.end(reply.status === 304 ? undefined : isText ? reply.body : JSON.stringify(reply.body));
    };
    try {
      if (!url.pathname.startsWith("/api/v3/") && url.pathname !== "/api/v3") {
        const reply = web(request, raw, req, res);
        if (reply) send(reply);
        return;
      }
      const apiPath = url.pathname.slice("/api/v3".length) || "/";
      const principal = authenticate(headers);
      if (principal === false) {
        send(
          json(
            401,
            { message: "Bad credentials", documentation_url: DOCS, status: "401" },
            rateHeaders(null, true),
          ),
        );
        return;
      }
      request.principal = principal;
      const stallIndex = stalls.findIndex((f) => !f.match || f.match({ ...request, path: apiPath }));
      if (stallIndex !== -1) {
        const { ms } = stalls.splice(stallIndex, 1)[0]!;
        await new Promise((resolve) => setTimeout(resolve, ms).unref());
      }
      const failureIndex = failures.findIndex((f) => !f.match || f.match({ ...request, path: apiPath }));
      if (failureIndex !== -1) {
        const failure = failures.splice(failureIndex, 1)[0]!;
        const extra =
          failure.resetInSeconds !== undefined
            ? {
                "x-ratelimit-remaining": "0",
                "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000 + failure.resetInSeconds)),
              }
            : {};
        send(
          json(failure.status, failure.body, {
            ...rateHeaders(principal, true),
            ...failure.headers,
            ...extra,
          }),
        );
        return;
      }
      const reply = route(request, apiPath);
      if (reply.status === 200 && request.method === "GET") {
        // Like GitHub: a weak ETag of the answer (as seen by this caller); a match is a free 304.
        const etag = `W/"${createHash("sha1")
          .update(`${principal}\n${JSON.stringify(reply.body)}\n${reply.headers?.link ?? ""}`)
          .digest("hex")}"`;
        if (headers["if-none-match"] === etag) {
          send({ status: 304, headers: { etag, ...rateHeaders(principal, false) } });
          return;
        }
        reply.headers = { ...reply.headers, etag };
      }
      reply.headers = { ...rateHeaders(principal, true), ...reply.headers };
      send(reply);
    } catch (error) {
      send(json(500, { message: `fake GitHub failed: ${String(error)}` }));
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  webUrl = `http://127.0.0.1:${port}`;
  apiUrl = `${webUrl}/api/v3`;

  function issueToken(login: string, scopes: string[] = ["repo"]) {
    const token = `gho_${randomBytes(18).toString("hex")}`;
    tokens.set(token, { login, scopes, revoked: false });
    return token;
  }
  function createCode(login: string) {
    const code = randomBytes(10).toString("hex");
    codes.set(code, login);
    return code;
  }
  const repoOf = (fullName: string) => {
    const repo = repos.get(fullName);
    if (!repo) throw new Error(`fake GitHub has no repository ${fullName}`);
    return repo;
  };
  const fakeSha = (seed: string) => createHash("sha1").update(`${seed}${nextId++}`).digest("hex");

  return {
    webUrl,
    apiUrl,
    oauthApp,
    requests,
    apiRequests: () =>
      requests.filter((r) => r.path.startsWith("/api/v3")).map((r) => ({ ...r, path: r.path.slice(7) })),
    addUser(login, opts = {}) {
      const user = { id: nextId++, login, name: opts.name ?? login };
      users.set(login, user);
      return user;
    },
    issueToken,
    revokeToken(token) {
      const t = tokens.get(token);
      if (t) t.revoked = true;
    },
    authorizeAs(login) {
      authorizer = login;
    },
    createCode,
    addRepo(fullName, opts = {}) {
      const [owner, name] = fullName.split("/") as [string, string];
      const defaultBranch = opts.defaultBranch ?? "main";
      const repo: FakeRepo = {
        id: nextId++,
        owner,
        name,
        fullName,
        private: opts.private ?? false,
        description: opts.description ?? null,
        defaultBranch,
        language: opts.language ?? null,
        stargazers: opts.stargazers ?? 0,
        forks: 0,
        pushedAt: now(),
        collaborators: new Set(opts.collaborators ?? []),
        branches: new Map([[defaultBranch, { sha: fakeSha(fullName), protected: false }]]),
        gitDir: null,
        installationId: null,
      };
      repos.set(fullName, repo);
      return repo;
    },
    repo: repoOf,
    updateRepo(fullName, change) {
      Object.assign(repoOf(fullName), change);
    },
    removeRepo(fullName) {
      repos.delete(fullName);
    },
    setBranch(fullName, branch, opts = {}) {
      const repo = repoOf(fullName);
      const sha = opts.sha ?? fakeSha(`${fullName}:${branch}`);
      repo.branches.set(branch, { sha, protected: opts.protected ?? false });
      return sha;
    },
    addIssue(fullName, input) {
      const repo = repoOf(fullName);
      return newIssue(repo, { ...input, author: input.author ?? repo.owner });
    },
    addPull(fullName, input) {
      const repo = repoOf(fullName);
      const branches = branchesOf(repo);
      let headSha = branches.get(input.head)?.sha;
      if (!headSha) {
        headSha = fakeSha(`${fullName}:${input.head}`);
        repo.branches.set(input.head, { sha: headSha, protected: false });
      }
      const issue = newIssue(repo, {
        title: input.title,
        body: input.body ?? null,
        author: input.author ?? repo.owner,
      });
      issue.pull = {
        head: input.head,
        headSha,
        base: input.base ?? repo.defaultBranch,
        mergeable: input.mergeable === undefined ? true : input.mergeable,
        merged: false,
        mergedAt: null,
        draft: false,
        reviews: [],
      };
      return issue;
    },
    issue(fullName, number) {
      const issue = issues.get(fullName)?.find((i) => i.number === number);
      if (!issue) throw new Error(`fake GitHub has no #${number} in ${fullName}`);
      return issue;
    },
    addCheckRun(fullName, sha, run) {
      const key = `${fullName}@${sha}`;
      checkRuns.set(key, [...(checkRuns.get(key) ?? []).filter((r) => r.name !== run.name), run]);
    },
    addStatus(fullName, sha, status) {
      const key = `${fullName}@${sha}`;
      statuses.set(key, [...(statuses.get(key) ?? []).filter((s) => s.context !== status.context), status]);
    },
    createApp() {
      const { privateKey, publicKey } = generateKeyPairSync("rsa", {
        modulusLength: 2048,
        privateKeyEncoding: { type: "pkcs1", format: "pem" },
        publicKeyEncoding: { type: "spki", format: "pem" },
      });
      app = { appId: String(nextId++), privateKey, publicKey };
      return { appId: app.appId, privateKey };
    },
    installApp(fullNames) {
      const installationId = nextId++;
      for (const fullName of fullNames) repoOf(fullName).installationId = installationId;
      return installationId;
    },
    rateLimitNext(opts = {}) {
      failures.push({
        match: opts.match,
        status: 403,
        body: { message: "API rate limit exceeded for user ID 1.", documentation_url: DOCS },
        headers: {},
        resetInSeconds: opts.resetInSeconds ?? 1,
      });
    },
    secondaryLimitNext(opts = {}) {
      failures.push({
        match: opts.match,
        status: 403,
        body: {
          message:
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
          documentation_url: DOCS,
        },
        headers: { "retry-after": String(opts.retryAfter ?? 1) },
      });
    },
    stallNext(ms, match) {
      stalls.push({ ms, match });
    },
    failNext(status, message, match) {
      failures.push({ match, status, body: { message, documentation_url: DOCS }, headers: {} });
    },
    createGitRepository(fullName, files = { "README.md": `# ${fullName}\n` }) {
      const repo = repoOf(fullName);
      gitRoot ??= mkdtempSync(path.join(tmpdir(), "fake-github-git-"));
      const gitDir = path.join(gitRoot, `${fullName}.git`);
      mkdirSync(path.dirname(gitDir), { recursive: true });
      execFileSync("git", ["init", "--bare", "--quiet", `--initial-branch=${repo.defaultBranch}`, gitDir]);
      execFileSync("git", ["--git-dir", gitDir, "config", "http.receivepack", "true"]);
      // GitHub serves partial clones (`--filter=blob:none`), which workspaces ask for; git only if told to.
      execFileSync("git", ["--git-dir", gitDir, "config", "uploadpack.allowFilter", "true"]);
      const work = mkdtempSync(path.join(tmpdir(), "fake-github-seed-"));
      for (const [file, content] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
        writeFileSync(path.join(work, file), content);
      }
      const env = {
        ...process.env,
        GIT_AUTHOR_NAME: repo.owner,
        GIT_AUTHOR_EMAIL: `${repo.owner}@users.noreply.test`,
        GIT_COMMITTER_NAME: repo.owner,
        GIT_COMMITTER_EMAIL: `${repo.owner}@users.noreply.test`,
      };
      const inWork = (args: string[]) => execFileSync("git", args, { cwd: work, env, stdio: "ignore" });
      inWork(["init", "--quiet", `--initial-branch=${repo.defaultBranch}`]);
      inWork(["add", "-A"]);
      inWork(["commit", "--quiet", "-m", "Initial commit"]);
      inWork(["push", "--quiet", gitDir, `HEAD:refs/heads/${repo.defaultBranch}`]);
      rmSync(work, { recursive: true, force: true });
      repo.gitDir = gitDir;
      return `${webUrl}/${fullName}.git`;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (gitRoot && existsSync(gitRoot)) rmSync(gitRoot, { recursive: true, force: true });
    },
  };
}
