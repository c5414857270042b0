// Writing a message: the text (Enter sends, Shift+Enter starts a new line), files by picker or paste, and
// optionally which agents should answer. The text stays when sending fails, so nothing typed is lost.
import { Paperclip, Send, Square } from "lucide-react";
import {
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { inputClass } from "../ui/field";
import { AgentAddressing } from "./agent-addressing";
import { AttachmentChips } from "./attachment-chips";
import { attachmentBlocker, filesFromPaste, type PendingAttachment, uploadedIds } from "./attachments";

export type Draft = { content: string; attachmentIds: string[]; agentIds: string[] };

export function Composer({
  agents,
  attachments,
  onAddFiles,
  onRemoveFile,
  onSend,
  onTyped,
  sending,
  error,
  disabled = false,
  prefill,
  onStop,
  disabledReason,
}: {
  agents: readonly { id: string; name: string; role: string }[];
  attachments: readonly PendingAttachment[];
  onAddFiles: (files: File[]) => void;
  onRemoveFile: (key: string) => void;
  /** Resolves once the message is stored; rejects (the error shown by the caller) to keep the draft. */
  onSend: (draft: Draft) => Promise<unknown>;
  onTyped?: () => void;
  sending: boolean;
  /** Why the last send failed, shown under the box. */
  error?: ReactNode;
  disabled?: boolean;
  /** Text put in the box from outside ("Edit and resend"); a new `key` puts it there again. */
  prefill?: { text: string; key: number } | null;
  /** Why the box is disabled, said under it (a viewer may read but not write). */
  disabledReason?: string | null;
  /** Shown while agents are writing: stops them. */
  onStop?: (() => void) | null;
}) {
  const [text, setText] = useState("");
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (!prefill) return;
    setText(prefill.text);
    box.current?.focus();
  }, [prefill]);
  const [agentIds, setAgentIds] = useState<string[]>([]);
  const picker = useRef<HTMLInputElement>(null);
  const id = useId();
  const blocker = attachmentBlocker(attachments);
  const canSend = !disabled && !disabledReason && !sending && text.trim().length > 0 && !blocker;

  const send = async () => {
    if (!canSend) return;
    try {
      await onSend({ content: text, attachmentIds: uploadedIds(attachments), agentIds });
      setText("");
      setAgentIds([]);
    } catch {
      // The caller shows why; the draft stays for another try.
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // While an input method composes (Japanese, Chinese…), Enter confirms the characters, not the message.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  const lines = text.split("\n").length;
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-2 border-t border-border bg-surface p-3">
      {agents.length > 1 && <AgentAddressing agents={agents} selected={agentIds} onChange={setAgentIds} />}
      <AttachmentChips attachments={attachments} onRemove={onRemoveFile} />
      <div className="flex items-end gap-2">
        <label htmlFor={id} className="sr-only">
          Message
        </label>
        <textarea
          ref={box}
          id={id}
          value={text}
          rows={Math.min(8, Math.max(2, lines))}
          placeholder={disabledReason ? "You cannot write in this chat" : "Write a message…"}
          disabled={disabled || !!disabledReason}
          aria-describedby={`${id}-hint`}
          aria-invalid={error ? true : undefined}
          onChange={(event) => {
            setText(event.target.value);
            if (event.target.value) onTyped?.();
          }}
          onKeyDown={onKeyDown}
          onPaste={(event) => {
            const files = filesFromPaste({
              files: event.clipboardData.files,
              types: [...event.clipboardData.types],
            });
            if (files.length === 0) return;
            event.preventDefault();
            onAddFiles(files);
          }}
          className={cn(inputClass, "min-h-0 flex-1 resize-none")}
        />
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          tabIndex={-1}
          aria-hidden
          onChange={(event) => {
            onAddFiles(Array.from(event.target.files ?? []));
            // The same file can be picked again after it was removed.
            event.target.value = "";
          }}
        />
        <Button
          size="icon"
          variant="ghost"
          aria-label="Attach files"
          title="Attach files"
          disabled={disabled || !!disabledReason}
          onClick={() => picker.current?.click()}
          className="h-9 w-9"
        >
          <Paperclip size={16} aria-hidden />
        </Button>
        {onStop && (
          <Button onClick={onStop} title="Stop the replies being written; what they said so far is kept">
            <Square size={14} aria-hidden /> Stop
          </Button>
        )}
        <Button type="submit" variant="primary" busy={sending} disabled={!canSend}>
          <Send size={14} aria-hidden /> Send
        </Button>
      </div>
      <p id={`${id}-hint`} className="text-xs text-muted">
        {disabledReason ??
          blocker ??
          "Enter sends, Shift+Enter starts a new line. Paste or drop files to attach them."}
      </p>
      {error && (
        <div role="alert" className="rounded-md bg-danger-bg px-3 py-2 text-sm text-danger">
          {error}
        </div>
      )}
    </form>
  );
}
