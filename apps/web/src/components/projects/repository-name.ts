// What someone types to link a repository, read as GitHub's `owner/name`. People paste the page address
// as often as the full name, so both are accepted.

const FULL_NAME = /^[\w.-]+\/[\w.-]+$/;

export type ParsedRepository = { ok: true; name: string; fullName: string } | { ok: false; message: string };

export function parseRepositoryName(text: string): ParsedRepository {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, message: "Enter a repository as owner/name" };
  const path = trimmed
    .replace(/^(https?:\/\/)?(www\.)?github\.com\//i, "")
    .replace(/^git@github\.com:/i, "")
    .replace(/\/+$/, "")
    .replace(/\.git$/i, "");
  if (!FULL_NAME.test(path))
    return { ok: false, message: "Use the form owner/name, for example acme/website" };
  const [, name] = path.split("/") as [string, string];
  return { ok: true, name, fullName: path };
}
