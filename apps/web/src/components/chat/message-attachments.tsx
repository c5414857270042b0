// A message's files: images as thumbnails that open full size, anything else as a download button.
import { Download, FileText, ImageOff } from "lucide-react";
import { toast } from "sonner";
import { describeError } from "../../lib/errors";
import { formatBytes, isPreviewableImage, type UploadedFile } from "./attachments";
import { useFileDownload, useFileObjectUrl } from "./use-file-blob";

function ImageThumbnail({ file }: { file: UploadedFile }) {
  const { url, error } = useFileObjectUrl(file);
  if (error) {
    return (
      <span className="flex h-24 w-32 flex-col items-center justify-center gap-1 rounded-md border border-border bg-subtle p-2 text-center text-xs text-muted">
        <ImageOff size={16} aria-hidden />
        <span className="line-clamp-2 break-all">{file.filename} could not be loaded</span>
      </span>
    );
  }
  return (
    <button
      type="button"
      aria-label={`Open image ${file.filename}`}
      disabled={!url}
      onClick={() => url && window.open(url, "_blank", "noopener")}
      className="block h-24 w-32 overflow-hidden rounded-md border border-border bg-subtle"
    >
      {url ? (
        <img src={url} alt={file.filename} className="h-full w-full object-cover" />
      ) : (
        <span className="block h-full w-full animate-pulse" aria-hidden />
      )}
    </button>
  );
}

function DownloadButton({ file }: { file: UploadedFile }) {
  const { download, busy } = useFileDownload();
  const onClick = () => download(file).catch((error: unknown) => toast.error(describeError(error)));
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={busy === file.id}
      aria-label={`Download ${file.filename}`}
      className="flex max-w-64 items-center gap-2 rounded-md border border-border bg-surface px-2.5 py-1.5 text-left text-sm hover:bg-subtle disabled:opacity-60"
    >
      <FileText size={16} aria-hidden className="shrink-0 text-muted" />
      <span className="min-w-0 flex-1 truncate">{file.filename}</span>
      <span className="shrink-0 text-xs text-muted">{formatBytes(file.size)}</span>
      <Download size={14} aria-hidden className="shrink-0 text-muted" />
    </button>
  );
}

export function MessageAttachments({ files }: { files: readonly UploadedFile[] }) {
  if (files.length === 0) return null;
  return (
    <ul aria-label="Attachments" className="mt-2 flex flex-wrap gap-2">
      {files.map((file) => (
        <li key={file.id}>
          {isPreviewableImage(file.mimeType) ? (
            <ImageThumbnail file={file} />
          ) : (
            <DownloadButton file={file} />
          )}
        </li>
      ))}
    </ul>
  );
}
