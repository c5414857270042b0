// A run's attachments as a step sees them: images as vision input, text inline, other files by name.
import { schema } from "@crewdeck/db";
import { inArray } from "drizzle-orm";
import type { Engine } from "../engine";
import type { StepPromptInput } from "../roles/step-prompt";

const VISION_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);
/** Anthropic refuses images over 5 MB. */
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const MAX_TEXT_BYTES = 200 * 1024;

const isText = (mimeType: string) =>
  mimeType.startsWith("text/") || /json|xml|yaml|javascript|typescript/.test(mimeType);

export async function loadStepAttachments(
  engine: Engine,
  fileIds: string[],
): Promise<StepPromptInput["attachments"]> {
  if (fileIds.length === 0) return [];
  const files = await engine.db.select().from(schema.files).where(inArray(schema.files.id, fileIds));
  const result: StepPromptInput["attachments"] = [];
  for (const file of files) {
    const entry: StepPromptInput["attachments"][number] = {
      filename: file.filename,
      mimeType: file.mimeType,
    };
    try {
      if (VISION_TYPES.has(file.mimeType) && file.size <= MAX_IMAGE_BYTES) {
        entry.imageBase64 = (await engine.readFile(file.storedName)).toString("base64");
      } else if (isText(file.mimeType) && file.size <= MAX_TEXT_BYTES) {
        entry.text = (await engine.readFile(file.storedName)).toString("utf8");
      }
    } catch (error) {
      engine.logger.error(`Attachment ${file.id} could not be read`, error);
    }
    result.push(entry);
  }
  return result;
}
