// Attachments as prompt content: images as vision blocks, text files inline, anything else named only.
import { truncateEnd } from "../lib/truncate-text";
import type { ModelContentBlock } from "../providers/types";

export type PromptAttachment = {
  filename: string;
  mimeType: string;
  /** Base64 bytes, for images the model should see. */
  imageBase64?: string;
  /** The file's text, for text files. */
  text?: string;
};

/** The image types both Anthropic and OpenAI vision accept. */
export const VISION_MEDIA_TYPES: readonly string[] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/** Per text file; a long log or source file should not crowd out the task itself. */
export const MAX_ATTACHMENT_TEXT_CHARS = 20_000;

/**
 * Content blocks for the attachments, in the order given: a text block per text file (truncated with a note),
 * a label and an image block per image, and one line for each file the model cannot read.
 */
export function attachmentBlocks(attachments: readonly PromptAttachment[]): ModelContentBlock[] {
  const blocks: ModelContentBlock[] = [];
  for (const file of attachments) {
    const label = `${file.filename} (${file.mimeType})`;
    if (file.imageBase64 && VISION_MEDIA_TYPES.includes(file.mimeType)) {
      blocks.push({ type: "text", text: `Attached image: ${label}` });
      blocks.push({ type: "image", mediaType: file.mimeType, data: file.imageBase64 });
    } else if (file.text !== undefined) {
      const body = truncateEnd(file.text, MAX_ATTACHMENT_TEXT_CHARS, "attachment");
      blocks.push({
        type: "text",
        text: `Attached file: ${label}\n<file name="${file.filename}">\n${body}\n</file>`,
      });
    } else {
      blocks.push({ type: "text", text: `Attached file: ${label} (its content cannot be shown to you)` });
    }
  }
  return blocks;
}

/** Joins neighbouring text blocks so the message reads as one document between images. */
export function mergeTextBlocks(blocks: readonly ModelContentBlock[]): ModelContentBlock[] {
  const out: ModelContentBlock[] = [];
  for (const block of blocks) {
    const last = out.at(-1);
    if (block.type === "text" && last?.type === "text") {
      out[out.length - 1] = { type: "text", text: `${last.text}\n\n${block.text}` };
    } else {
      out.push(block);
    }
  }
  return out;
}
