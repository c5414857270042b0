// One file's diff through @git-diff-view/react (GitHub-style, syntax highlighted). Loaded lazily by the
// Changes section, so the highlighter stays out of the app's first bundle.
import { DiffModeEnum, DiffView } from "@git-diff-view/react";
import "@git-diff-view/react/styles/diff-view-pure.css";
import { useSyncExternalStore } from "react";
import { type ChangedFile, unifiedDiff } from "./code-view";

const darkQuery = () => window.matchMedia?.("(prefers-color-scheme: dark)");
const subscribe = (onChange: () => void) => {
  const query = darkQuery();
  query?.addEventListener("change", onChange);
  return () => query?.removeEventListener("change", onChange);
};
const useDark = () => useSyncExternalStore(subscribe, () => darkQuery()?.matches ?? false);

export default function FileDiff({ file }: { file: ChangedFile }) {
  const dark = useDark();
  const diff = unifiedDiff(file);
  if (!diff) return null;
  return (
    <div className="overflow-x-auto text-xs" data-testid="file-diff">
      <DiffView
        data={{
          oldFile: { fileName: file.oldPath ?? file.path },
          newFile: { fileName: file.path },
          hunks: [diff],
        }}
        diffViewMode={DiffModeEnum.Unified}
        diffViewTheme={dark ? "dark" : "light"}
        diffViewHighlight
        diffViewWrap={false}
      />
    </div>
  );
}
