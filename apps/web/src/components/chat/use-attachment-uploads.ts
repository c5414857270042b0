// The files attached to the message being written: each uploads as soon as it is added (picker, drop or
// paste), so sending needs only their ids. Removing a chip cancels its upload, or deletes the stored file.
import { useMutation } from "@tanstack/react-query";
import { useCallback, useEffect, useReducer, useRef } from "react";
import { useServices } from "../../lib/app-context";
import { authorisedFetch, useTRPC } from "../../lib/trpc";
import { admitFiles, attachmentsReducer, type PendingAttachment } from "./attachments";
import { uploadFile } from "./upload-file";

export type AttachmentUploads = ReturnType<typeof useAttachmentUploads>;

let nextKey = 0;

export function useAttachmentUploads() {
  const { session, serverUrl } = useServices();
  const trpc = useTRPC();
  const [attachments, dispatch] = useReducer(attachmentsReducer, []);
  const held = useRef<PendingAttachment[]>(attachments);
  held.current = attachments;
  const uploads = useRef(new Map<string, AbortController>());
  // Orphaned uploads are the server's to collect eventually; deleting one is a courtesy, not worth a toast.
  const { mutate: deleteFile } = useMutation(trpc.files.delete.mutationOptions({ onError: () => {} }));

  const add = useCallback(
    (files: readonly File[]) => {
      if (files.length === 0) return;
      const fetcher = authorisedFetch(session);
      const admitted = admitFiles(files, held.current.length).map(({ file, problem }) => ({
        file,
        problem,
        key: `attachment-${++nextKey}`,
      }));
      dispatch({
        type: "added",
        items: admitted.map(({ file, problem, key }) =>
          problem
            ? { key, name: file.name, size: file.size, status: "failed", error: problem }
            : { key, name: file.name, size: file.size, status: "uploading" },
        ),
      });
      for (const { file, problem, key } of admitted) {
        if (problem) continue;
        const controller = new AbortController();
        uploads.current.set(key, controller);
        uploadFile(fetcher, serverUrl, file, controller.signal)
          .then((stored) => dispatch({ type: "uploaded", key, file: stored }))
          .catch((error: unknown) => {
            if (!controller.signal.aborted) {
              dispatch({
                type: "failed",
                key,
                error: error instanceof Error ? error.message : "The upload failed.",
              });
            }
          })
          .finally(() => uploads.current.delete(key));
      }
    },
    [session, serverUrl],
  );

  const remove = useCallback(
    (key: string) => {
      uploads.current.get(key)?.abort();
      const attachment = held.current.find((a) => a.key === key);
      if (attachment?.file) deleteFile({ fileId: attachment.file.id });
      dispatch({ type: "removed", key });
    },
    [deleteFile],
  );

  /** After sending: the files now belong to the message, so nothing is deleted. */
  const clear = useCallback(() => dispatch({ type: "cleared" }), []);

  useEffect(() => {
    const pending = uploads.current;
    return () => {
      for (const controller of pending.values()) controller.abort();
    };
  }, []);

  return { attachments, add, remove, clear };
}
