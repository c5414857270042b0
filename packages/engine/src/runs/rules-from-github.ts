// An agent's rules file read from the project's repositories through GitHub's contents API (default branch,
// the first active repository holding it wins), for chats and steps that have no working tree. A round of
// six agents asks GitHub once: answers are kept per (repository, path) for a minute, then asked again with
// their ETag so an unchanged file costs a free 304. A missing file, no credentials, a refused token or GitHub
// down or slow leaves the agent without rules, said once at warn: a reply never fails or waits long for it.
import { schema } from "@crewdeck/db";
import { type ProjectRepository, readRepositoryFile } from "@crewdeck/github";
import { and, asc, eq } from "drizzle-orm";
import type { CodeDeps } from "../code/code-deps";
import type { Engine } from "../engine";
import { MAX_RULES_BYTES } from "../roles/prompt-rules";

/** How long an answer is used as it is before GitHub is asked again (conditionally), unless configured. */
export const RULES_CACHE_TTL_MS = 60_000;
/** (repository, path) pairs kept; the least recently used goes first. */
export const RULES_CACHE_MAX_ENTRIES = 500;
/** The longest a step or a reply waits for GitHub's answer. */
export const RULES_FETCH_TIMEOUT_MS = 2_000;

/** What one repository said of the path. `why` is set when it gave no rules. */
type Answer = { text: string | null; etag: string | null; why: string | null; at: number };
type Slot = { answer: Promise<Answer>; settled?: Answer };
type RulesCache = Map<string, Slot>;

// One cache per engine (a server or a worker), made on first use.
const caches = new WeakMap<Engine, RulesCache>();
const cacheOf = (engine: Engine) => {
  let cache = caches.get(engine);
  if (!cache) {
    cache = new Map();
    caches.set(engine, cache);
  }
  return cache;
};

export async function readRulesFromGitHub(
  engine: Engine,
  input: { projectId: string; userId: string | null; path: string },
): Promise<string | null> {
  const code = engine.code;
  if (!code) return null;
  const repositories = await engine.db
    .select()
    .from(schema.projectRepositories)
    .where(
      and(
        eq(schema.projectRepositories.projectId, input.projectId),
        eq(schema.projectRepositories.isActive, true),
      ),
    )
    .orderBy(asc(schema.projectRepositories.fullName));
  if (repositories.length === 0) return null;
  const reasons: string[] = [];
  let asked = false;
  for (const repository of repositories) {
    const { answer, fresh } = cachedAnswer(engine, code, repository, input.userId, input.path);
    const { text, why } = await answer;
    if (text !== null) return text;
    asked ||= fresh;
    reasons.push(`${repository.fullName}: ${why}`);
  }
  // Said by the call that asked GitHub, not by every agent the cached answer serves.
  if (asked) {
    const warn = engine.logger.warn ?? engine.logger.info;
    warn(
      `The rules file ${input.path} was not read from GitHub (${reasons.join("; ")}); agents answer without it`,
    );
  }
  return null;
}

function cachedAnswer(
  engine: Engine,
  code: CodeDeps,
  repository: ProjectRepository,
  userId: string | null,
  path: string,
): { answer: Promise<Answer>; fresh: boolean } {
  const cache = cacheOf(engine);
  const key = `${repository.id}\n${path}`;
  const slot = cache.get(key);
  // Most recently used last, so eviction takes the oldest first.
  if (slot) cache.delete(key);
  const now = engine.now().getTime();
  if (slot && (!slot.settled || now - slot.settled.at < (engine.rulesFileCacheMs ?? RULES_CACHE_TTL_MS))) {
    cache.set(key, slot);
    return { answer: slot.answer, fresh: false };
  }
  const next: Slot = {
    answer: askGitHub(engine, code, repository, userId, path, slot?.settled).then((answer) => {
      next.settled = answer;
      return answer;
    }),
  };
  cache.set(key, next);
  while (cache.size > RULES_CACHE_MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
  return { answer: next.answer, fresh: true };
}

/** GitHub's answer for one repository, conditional on the earlier one's ETag. Never throws. */
async function askGitHub(
  engine: Engine,
  code: CodeDeps,
  repository: ProjectRepository,
  userId: string | null,
  path: string,
  earlier: Answer | undefined,
): Promise<Answer> {
  const at = () => engine.now().getTime();
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`GitHub did not answer within ${RULES_FETCH_TIMEOUT_MS / 1000} s`));
    }, RULES_FETCH_TIMEOUT_MS);
  });
  try {
    const file = await Promise.race([
      // Fetching the credentials is not abortable; the race bounds it too.
      readRepositoryFile(code.github, repository, userId, path, {
        etag: earlier?.etag ?? null,
        maxBytes: MAX_RULES_BYTES,
        signal: controller.signal,
      }),
      timeout,
    ]);
    if (file.status === "not_modified" && earlier) return { ...earlier, at: at() };
    if (file.status === "file") return { text: file.text, etag: file.etag, why: null, at: at() };
    const why =
      file.status === "missing"
        ? {
            not_found: "no such file on the default branch",
            directory: "a directory, not a file",
            not_a_file: "not a regular file",
            too_large: "larger than GitHub serves inline (1 MB)",
          }[file.why]
        : "unexpected answer";
    return { text: null, etag: null, why, at: at() };
  } catch (error) {
    // GitHubError messages name the repository and GitHub's own words, never a credential.
    return { text: null, etag: null, why: error instanceof Error ? error.message : String(error), at: at() };
  } finally {
    clearTimeout(timer);
  }
}
