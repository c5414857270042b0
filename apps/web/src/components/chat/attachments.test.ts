import { describe, expect, it } from "vitest";
import {
  admitFiles,
  attachmentBlocker,
  attachmentsReducer,
  dragCarriesFiles,
  fileProblem,
  filesFromPaste,
  formatBytes,
  isPreviewableImage,
  MAX_UPLOAD_BYTES,
  type PendingAttachment,
  type UploadedFile,
  uploadedIds,
} from "./attachments";

const uploaded: UploadedFile = {
  id: "f1",
  filename: "plan.pdf",
  size: 10,
  mimeType: "application/pdf",
  sha256: "x",
  url: "/api/v1/files/f1",
};
const pending = (key: string, status: PendingAttachment["status"]): PendingAttachment => ({
  key,
  name: `${key}.txt`,
  size: 10,
  status,
  ...(status === "uploaded" ? { file: { ...uploaded, id: `id-${key}` } } : {}),
});

describe("formatBytes", () => {
  it("reads in the largest unit that keeps the number small", () => {
    expect(formatBytes(1)).toBe("1 byte");
    expect(formatBytes(900)).toBe("900 bytes");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(25 * 1024 * 1024)).toBe("25 MB");
  });
});

describe("fileProblem and admitFiles", () => {
  it("refuses empty files and files over the upload limit", () => {
    expect(fileProblem({ size: 0 })).toBe("The file is empty");
    expect(fileProblem({ size: MAX_UPLOAD_BYTES + 1 })).toBe("Larger than the 25 MB limit");
    expect(fileProblem({ size: MAX_UPLOAD_BYTES })).toBeNull();
  });

  it("admits files only while the message has room, naming the ones left out", () => {
    const files = [{ size: 1 }, { size: 0 }, { size: 2 }, { size: 3 }];
    const admitted = admitFiles(files, 8, 10);
    expect(admitted.map((a) => a.problem)).toEqual([
      null,
      "The file is empty",
      null,
      "A message can carry at most 10 files",
    ]);
  });
});

describe("attachmentBlocker", () => {
  it("holds the message back while files upload or after one failed", () => {
    expect(attachmentBlocker([])).toBeNull();
    expect(attachmentBlocker([pending("a", "uploaded")])).toBeNull();
    expect(attachmentBlocker([pending("a", "uploaded"), pending("b", "uploading")])).toMatch(
      /finish uploading/,
    );
    expect(attachmentBlocker([pending("a", "failed")])).toMatch(/could not be uploaded/);
  });

  it("sends the ids of the uploaded files only", () => {
    expect(uploadedIds([pending("a", "uploaded"), pending("b", "uploading")])).toEqual(["id-a"]);
  });
});

describe("paste and drop", () => {
  const file = new File(["x"], "shot.png", { type: "image/png" });
  it("attaches pasted files unless the paste carries text", () => {
    expect(filesFromPaste({ files: [file], types: ["Files"] })).toEqual([file]);
    expect(filesFromPaste({ files: [file], types: ["text/plain", "Files"] })).toEqual([]);
    expect(filesFromPaste({ files: [], types: ["text/plain"] })).toEqual([]);
  });

  it("takes drops of files, not of text", () => {
    expect(dragCarriesFiles(["Files"])).toBe(true);
    expect(dragCarriesFiles(["text/plain", "text/uri-list"])).toBe(false);
  });

  it("previews the image types the server serves inline", () => {
    expect(isPreviewableImage("image/png")).toBe(true);
    expect(isPreviewableImage("image/svg+xml")).toBe(false);
  });
});

describe("attachmentsReducer", () => {
  it("follows an upload from start to its outcome, and removes on request", () => {
    let state = attachmentsReducer([], {
      type: "added",
      items: [pending("a", "uploading"), pending("b", "uploading")],
    });
    state = attachmentsReducer(state, { type: "uploaded", key: "a", file: uploaded });
    state = attachmentsReducer(state, { type: "failed", key: "b", error: "Too large" });
    expect(state).toEqual([
      { key: "a", name: "a.txt", size: 10, status: "uploaded", file: uploaded },
      { key: "b", name: "b.txt", size: 10, status: "failed", error: "Too large" },
    ]);
    state = attachmentsReducer(state, { type: "removed", key: "b" });
    expect(state.map((a) => a.key)).toEqual(["a"]);
    expect(attachmentsReducer(state, { type: "cleared" })).toEqual([]);
  });

  it("ignores the outcome of an upload that was removed meanwhile", () => {
    const state = attachmentsReducer([pending("a", "uploaded")], { type: "failed", key: "gone", error: "x" });
    expect(state).toEqual([pending("a", "uploaded")]);
  });
});
