import { z } from "zod";
import { zId } from "../../lib/schemas";

export const zFileIdInput = z.object({ fileId: zId });

/** An uploaded file as every domain shows it (uploads, message attachments). */
export const zFile = z.object({
  id: z.string(),
  filename: z.string(),
  size: z.number().int(),
  mimeType: z.string(),
  sha256: z.string(),
  url: z.string(),
});
