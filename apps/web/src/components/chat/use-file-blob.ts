// Attachments are downloaded with the bearer token (an <img src> or a plain link could not send it), then
// shown or saved from a blob URL. The bytes stay in the query cache, so a thumbnail scrolled out of the
// virtual list and back is not fetched again.
import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { useServices } from "../../lib/app-context";
import { authorisedFetch } from "../../lib/trpc";
import type { UploadedFile } from "./attachments";
import { uploadFailure } from "./upload-file";

async function fetchBlob(fetcher: typeof fetch, url: string): Promise<Blob> {
  const response = await fetcher(url);
  if (!response.ok) throw new Error(uploadFailure(response.status, await response.json().catch(() => null)));
  return response.blob();
}

/** What fetching a stored file needs: its id (the cache key) and its route. */
type FileRef = Pick<UploadedFile, "id" | "url">;

function useBlobFetcher() {
  const { session, serverUrl } = useServices();
  return useCallback(
    (file: FileRef) => fetchBlob(authorisedFetch(session), `${serverUrl}${file.url}`),
    [session, serverUrl],
  );
}

/** A blob URL for showing the file inline; revoked when the component unmounts. */
export function useFileObjectUrl(file: FileRef) {
  const fetchFile = useBlobFetcher();
  const blob = useQuery({
    queryKey: ["file-bytes", file.id],
    queryFn: () => fetchFile(file),
    // Stored files never change (their id is their content's address in practice).
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 5 * 60_000,
  });
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob.data) return;
    const objectUrl = URL.createObjectURL(blob.data);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [blob.data]);
  return { url, error: blob.error, isPending: blob.isPending };
}

/** Saves the file under its own name (or opens it, for the types the browser shows itself). */
export function useFileDownload() {
  const fetchFile = useBlobFetcher();
  const [busy, setBusy] = useState<string | null>(null);
  const download = useCallback(
    async (file: UploadedFile) => {
      setBusy(file.id);
      try {
        const objectUrl = URL.createObjectURL(await fetchFile(file));
        const link = document.createElement("a");
        link.href = objectUrl;
        link.download = file.filename;
        link.rel = "noopener";
        document.body.append(link);
        link.click();
        link.remove();
        // The browser has started reading it by the time the click returns; give slow ones a moment.
        setTimeout(() => URL.revokeObjectURL(objectUrl), 60_000);
      } finally {
        setBusy(null);
      }
    },
    [fetchFile],
  );
  return { download, busy };
}
