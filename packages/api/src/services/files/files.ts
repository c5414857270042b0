// Uploads and deletions: the bytes on disk and the row that describes them stay in step.
import { createHash } from "node:crypto";
import { type Executor, newId, schema } from "@crewdeck/db";
import { eq, sql } from "drizzle-orm";
import type { ApiDeps, ApiSettings } from "../../context";
import { ApiError, invalid } from "../../errors";
import { credentialProjectId } from "../projects/access";
import { type FileRow, loadOwnFile } from "./access";
import { safeFilename } from "./filename";
import { sniffMimeType } from "./sniff";
import { newStoredName, removeStoredFile, writeStoredFile } from "./storage";

export const fileUrl = (fileId: string): string => `/api/v1/files/${fileId}`;

export const toFileDto = (f: FileRow) => ({
  id: f.id,
  filename: f.filename,
  size: f.size,
  mimeType: f.mimeType,
  sha256: f.sha256,
  url: fileUrl(f.id),
});

export type FileDto = ReturnType<typeof toFileDto>;

/** Bytes of uploads `userId` keeps stored now. */
async function storedBytesOf(db: Executor, userId: string): Promise<number> {
  const [row] = await db
    .select({ bytes: sql<number>`coalesce(sum(${schema.files.size}), 0)` })
    .from(schema.files)
    .where(eq(schema.files.uploaderId, userId));
  return Number(row?.bytes ?? 0);
}

const quotaExceeded = (settings: Pick<ApiSettings, "maxUploadBytesPerUser">, used: number, size: number) =>
  new ApiError(
    "PAYLOAD_TOO_LARGE",
    `Upload quota exceeded: you keep ${used} bytes of uploads stored, of a quota of ${settings.maxUploadBytesPerUser}, and this file needs ${size} more. Delete files you no longer need to free space.`,
    { quotaBytes: settings.maxUploadBytesPerUser, usedBytes: used, fileBytes: size },
  );

/** The early refusal, before any byte is written to disk. */
async function assertWithinQuota(
  db: Executor,
  settings: Pick<ApiSettings, "maxUploadBytesPerUser">,
  userId: string,
  size: number,
) {
  const used = await storedBytesOf(db, userId);
  if (used + size > settings.maxUploadBytesPerUser) throw quotaExceeded(settings, used, size);
}

/** Stores an upload for `uploaderId`. The client's name is kept as metadata; its type is not trusted at all. */
export async function storeUpload(
  { db, settings }: Pick<ApiDeps, "db" | "settings">,
  uploaderId: string,
  upload: { filename: string | null | undefined; bytes: Uint8Array },
): Promise<FileDto> {
  const { bytes } = upload;
  if (bytes.byteLength === 0) {
    throw invalid("The file is empty", [{ field: "file", message: "must not be empty" }]);
  }
  // The body limit counts the whole multipart body; this catches a limit lowered without that middleware.
  if (bytes.byteLength > settings.maxUploadBytes) {
    throw new ApiError("PAYLOAD_TOO_LARGE", `Uploads are limited to ${settings.maxUploadBytes} bytes`);
  }
  await assertWithinQuota(db, settings, uploaderId, bytes.byteLength);
  const storedName = newStoredName();
  const values = {
    id: newId(),
    uploaderId,
    // A key limited to one project files its uploads there: outside it, the key could never use them again.
    projectId: credentialProjectId(),
    storedName,
    filename: safeFilename(upload.filename),
    mimeType: await sniffMimeType(bytes),
    size: bytes.byteLength,
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
  const row = await writeStoredFile(
    settings,
    storedName,
    bytes,
    async () => {
      const [inserted] = await db.insert(schema.files).values(values).returning();
      // Checked again with the row in: of concurrent uploads that together pass the quota, one at least
      // sees the others and takes its row back (before its bytes are moved into place).
      const used = await storedBytesOf(db, uploaderId);
      if (used > settings.maxUploadBytesPerUser) {
        await db.delete(schema.files).where(eq(schema.files.id, values.id));
        throw quotaExceeded(settings, used - values.size, values.size);
      }
      return inserted!;
    },
    async () => {
      await db.delete(schema.files).where(eq(schema.files.id, values.id));
    },
  );
  return toFileDto(row);
}

/** Deletes the caller's own file: the row (and with it every attachment of it), then the bytes. */
export async function deleteFile(
  { db, settings }: Pick<ApiDeps, "db" | "settings">,
  fileId: string,
  userId: string,
) {
  const file = await loadOwnFile(db, fileId, userId);
  // The bytes go inside the transaction: if they cannot be removed, the row stays and the delete can be retried.
  await db.transaction(async (tx) => {
    await tx.delete(schema.files).where(eq(schema.files.id, file.id));
    await removeStoredFile(settings, file.storedName);
  });
}
