// Files a person attaches to the message they are writing: which ones may go, where each upload stands,
// and whether the message can be sent yet.
import type { RouterOutputs } from "../../lib/trpc";

export type UploadedFile = RouterOutputs["conversations"]["get"]["messages"][number]["attachments"][number];

/** The contract's limits (§1 sizes, §2.5): the server refuses more, the screen says so before uploading. */
export const MAX_ATTACHMENTS = 10;
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/** Image types the server serves inline and passes to vision models: shown as thumbnails. */
const PREVIEWABLE_IMAGES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);
export const isPreviewableImage = (mimeType: string) => PREVIEWABLE_IMAGES.has(mimeType);

export type PendingAttachment = {
  key: string;
  name: string;
  size: number;
  status: "uploading" | "uploaded" | "failed";
  file?: UploadedFile;
  error?: string;
};

const units = ["bytes", "KB", "MB", "GB"] as const;

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** Why a file cannot be uploaded, before trying; null when it can. */
export function fileProblem(file: { size: number }, maxBytes = MAX_UPLOAD_BYTES): string | null {
  if (file.size === 0) return "The file is empty";
  if (file.size > maxBytes) return `Larger than the ${formatBytes(maxBytes)} limit`;
  return null;
}

/**
 * Each new file with the reason it cannot go (or null). Files past the per-message limit are refused, so
 * the person sees which ones did not make it rather than a silently shortened list.
 */
export function admitFiles<F extends { size: number }>(
  files: readonly F[],
  heldCount: number,
  max = MAX_ATTACHMENTS,
): { file: F; problem: string | null }[] {
  let room = Math.max(0, max - heldCount);
  return files.map((file) => {
    const problem = fileProblem(file);
    if (problem) return { file, problem };
    if (room === 0) return { file, problem: `A message can carry at most ${max} files` };
    room -= 1;
    return { file, problem: null };
  });
}

/** Why the message cannot be sent yet because of its attachments; null when it can. */
export function attachmentBlocker(attachments: readonly PendingAttachment[]): string | null {
  if (attachments.some((a) => a.status === "uploading")) return "Wait for the files to finish uploading.";
  if (attachments.some((a) => a.status === "failed")) return "Remove the files that could not be uploaded.";
  return null;
}

export const uploadedIds = (attachments: readonly PendingAttachment[]): string[] =>
  attachments.flatMap((a) => (a.status === "uploaded" && a.file ? [a.file.id] : []));

/**
 * Files pasted into the message box. A paste that also carries text (a cell range, a rich-text selection
 * with a rendered picture of it) is a text paste: attaching its picture would surprise the person.
 */
export function filesFromPaste(data: { files: ArrayLike<File>; types: readonly string[] }): File[] {
  if (data.types.includes("text/plain")) return [];
  return Array.from(data.files);
}

/** A drag that carries files (not a text selection or a link dragged across the page). */
export const dragCarriesFiles = (types: readonly string[]) => types.includes("Files");

export type AttachmentAction =
  | { type: "added"; items: PendingAttachment[] }
  | { type: "uploaded"; key: string; file: UploadedFile }
  | { type: "failed"; key: string; error: string }
  | { type: "removed"; key: string }
  | { type: "cleared" };

export function attachmentsReducer(
  state: PendingAttachment[],
  action: AttachmentAction,
): PendingAttachment[] {
  switch (action.type) {
    case "added":
      return [...state, ...action.items];
    case "uploaded":
      return state.map((a) =>
        a.key === action.key
          ? { key: a.key, name: a.name, size: a.size, status: "uploaded", file: action.file }
          : a,
      );
    case "failed":
      return state.map((a) =>
        a.key === action.key
          ? { key: a.key, name: a.name, size: a.size, status: "failed", error: action.error }
          : a,
      );
    case "removed":
      return state.filter((a) => a.key !== action.key);
    case "cleared":
      return [];
  }
}
