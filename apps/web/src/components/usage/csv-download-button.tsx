// Downloads a usage CSV (one row per model call) from the export route, with the session's token.
import { Download } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { useServices } from "../../lib/app-context";
import { downloadFile } from "../../lib/download";
import { describeError } from "../../lib/errors";
import { Button } from "../ui/button";

export function CsvDownloadButton({ path, label = "Download CSV" }: { path: string; label?: string }) {
  const { session, serverUrl } = useServices();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      await downloadFile(session, `${serverUrl}${path}`, "crewdeck-usage.csv");
    } catch (error) {
      toast.error(describeError(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button onClick={download} busy={busy}>
      <Download size={16} aria-hidden /> {label}
    </Button>
  );
}
