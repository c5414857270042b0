// The files attached to the message being written, each with where its upload stands and a way to drop it.
import { AlertCircle, Check, X } from "lucide-react";
import { cn } from "../ui/cn";
import { formatBytes, type PendingAttachment } from "./attachments";

export function AttachmentChips({
  attachments,
  onRemove,
}: {
  attachments: readonly PendingAttachment[];
  onRemove: (key: string) => void;
}) {
  if (attachments.length === 0) return null;
  return (
    <ul aria-label="Files to send" className="flex flex-wrap gap-2">
      {attachments.map((a) => (
        <li
          key={a.key}
          className={cn(
            "flex max-w-full items-center gap-1.5 rounded-full border py-0.5 pr-1 pl-2.5 text-xs",
            a.status === "failed" ? "border-danger bg-danger-bg text-danger" : "border-border bg-subtle",
          )}
        >
          {a.status === "uploading" && (
            <span
              role="status"
              aria-label={`Uploading ${a.name}`}
              className="h-3 w-3 shrink-0 animate-spin rounded-full border-2 border-current border-t-transparent"
            />
          )}
          {a.status === "uploaded" && <Check size={12} aria-hidden className="shrink-0 text-ok" />}
          {a.status === "failed" && <AlertCircle size={12} aria-hidden className="shrink-0" />}
          <span className="max-w-48 truncate" title={a.name}>
            {a.name}
          </span>
          <span className="shrink-0 text-muted">{formatBytes(a.size)}</span>
          {a.error && <span className="truncate">— {a.error}</span>}
          <button
            type="button"
            aria-label={`Remove ${a.name}`}
            onClick={() => onRemove(a.key)}
            className="flex h-5 w-5 shrink-0 items-center justify-center rounded-full hover:bg-border"
          >
            <X size={12} aria-hidden />
          </button>
        </li>
      ))}
    </ul>
  );
}
