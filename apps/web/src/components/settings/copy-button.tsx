import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";

/**
 * Copying `text` to the clipboard, and whether it was just copied (for two seconds, to say "Copied").
 * `onFailure` runs when the clipboard refuses (it needs a secure context and permission).
 */
export function useCopyText(text: string, onFailure?: () => void) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied(false);
      onFailure?.();
    }
  };
  return { copied, copy };
}

// The text is on screen to select instead.
const couldNotCopy = () => toast.error("Could not copy: select the text and copy it yourself.");

/** Copies `text` to the clipboard; `label` names what is copied ("Copy API key"). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const { copied, copy } = useCopyText(text, couldNotCopy);
  return (
    <Button size="sm" onClick={copy} aria-label={label}>
      {copied ? <Check size={14} aria-hidden /> : <Copy size={14} aria-hidden />}
      {copied ? "Copied" : "Copy"}
    </Button>
  );
}

/**
 * A value shown once to be copied (a key, a link): a read-only input, selectable and read out with its label
 * by screen readers, beside its copy button.
 */
export function CopyableField({
  label,
  value,
  copyLabel,
}: {
  label: string;
  value: string;
  copyLabel: string;
}) {
  return (
    <div className="flex items-end gap-2">
      <TextField
        label={label}
        readOnly
        value={value}
        onFocus={(e) => e.currentTarget.select()}
        className="min-w-0 flex-1 font-mono"
      />
      <CopyButton text={value} label={copyLabel} />
    </div>
  );
}
