// One file of a project repository read through GitHub's contents API (for the agents' rules files when no
// working tree holds them), conditional on an earlier answer's ETag so an unchanged file costs a free 304.
import type { GitHubDeps } from "./deps";
import { statusOf } from "./errors";
import { asRepository, type ProjectRepository } from "./repository-client";

export type RepositoryFile =
  /** `text` is the file's first `maxBytes` bytes as UTF-8. */
  | { status: "file"; text: string; etag: string | null }
  /** Unchanged since the answer whose ETag was sent. */
  | { status: "not_modified"; etag: string }
  /** Nothing to read at that path: no such file, a directory, or a file GitHub will not inline (over 1 MB). */
  | { status: "missing"; why: "not_found" | "directory" | "not_a_file" | "too_large" };

export type ReadRepositoryFileOptions = {
  /** The branch, tag or commit; the repository's default branch unless given. */
  ref?: string;
  /** The ETag of an earlier answer: an unchanged file then answers `not_modified`. */
  etag?: string | null;
  /** Bytes of the file kept (the rest is dropped before decoding). */
  maxBytes?: number;
  /** Gives up the request (and its retries) when aborted. */
  signal?: AbortSignal;
};

/** The contents API's answer for a path: an object for a file or link, an array for a directory. */
type ContentsAnswer =
  | { type: string; encoding?: string; content?: string; size?: number }
  | Array<{ type: string; name: string }>;

/**
 * `path` (inside the repository, `/`-separated) read as `userId` or the app's installation. Failures other
 * than a missing file become `GitHubError`s (no credentials reach the repository, a refused token, GitHub
 * down); a refused personal token is marked for reconnecting, as for every other call.
 */
export async function readRepositoryFile(
  deps: GitHubDeps,
  repository: ProjectRepository,
  userId: string | null,
  path: string,
  options: ReadRepositoryFileOptions = {},
): Promise<RepositoryFile> {
  return asRepository(deps, repository, userId, async ({ octokit, owner, repo }) => {
    try {
      // Octokit percent-encodes the whole path as one parameter (`/` as %2F), which GitHub reads as the path.
      const response = await octokit.rest.repos.getContent({
        owner,
        repo,
        path,
        ...(options.ref && { ref: options.ref }),
        headers: options.etag ? { "if-none-match": options.etag } : {},
        // One attempt: the caller would rather go without than wait on retries.
        request: { retries: 0, ...(options.signal && { signal: options.signal }) },
      });
      const data = response.data as ContentsAnswer;
      if (Array.isArray(data)) return { status: "missing", why: "directory" };
      if (data.type !== "file") return { status: "missing", why: "not_a_file" };
      // Files over 1 MB come without content (`encoding: "none"`).
      if (data.encoding !== "base64" || typeof data.content !== "string") {
        return { status: "missing", why: "too_large" };
      }
      const bytes = Buffer.from(data.content, "base64");
      const kept = options.maxBytes === undefined ? bytes : bytes.subarray(0, options.maxBytes);
      return { status: "file", text: kept.toString("utf8"), etag: response.headers.etag ?? null };
    } catch (error) {
      const status = statusOf(error);
      if (status === 304 && options.etag) return { status: "not_modified", etag: options.etag };
      if (status === 404) return { status: "missing", why: "not_found" };
      throw error;
    }
  });
}
