import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "../ui/button";

/** Copies `text` to the clipboard; `label` names what is copied ("Copy API key"). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // Clipboard access needs a secure context and permission; the text is on screen to select instead.
      toast.error("Could not copy: select the text and copy it yourself.");
    }
  };
  return (
    <Button size="sm" onClick={copy} aria-label={label}>
      {copied ? <Check size={14} aria-hidden /> : <Copy size={14} aria-hidden />}
      {copied ? "Copied" : "Copy"}
    </Button>
  );
}
