// The bubblewrap command line for one sandboxed command: the system read-only, the workspace read-write,
// a private /tmp, new namespaces (no network unless allowed), and the server's own data hidden.

export type BwrapMounts = {
  /** Mounted read-write at the same path, and the command's working directory. */
  workspaceRoot: string;
  /** Mounted read-only after the hidden paths, e.g. the repositories' git directories beside the workspace. */
  readOnlyPaths: readonly string[];
  /** Paths replaced by an empty directory, e.g. the server's data directory with its secrets and database. */
  hiddenPaths: readonly string[];
  network: boolean;
};

/** Arguments for `bwrap`, ending with the program and its arguments. */
export function bwrapArgs(mounts: BwrapMounts, program: readonly string[]): string[] {
  return [
    "--ro-bind",
    "/",
    "/",
    "--dev",
    "/dev",
    "--proc",
    "/proc",
    "--tmpfs",
    "/tmp",
    // Hidden before the workspace is bound, so a workspace inside a hidden directory stays visible.
    ...mounts.hiddenPaths.flatMap((p) => ["--tmpfs", p]),
    "--bind",
    mounts.workspaceRoot,
    mounts.workspaceRoot,
    ...mounts.readOnlyPaths.flatMap((p) => ["--ro-bind", p, p]),
    "--unshare-all",
    ...(mounts.network ? ["--share-net"] : []),
    "--die-with-parent",
    // A new session, so a command cannot push keystrokes into a terminal it inherited (TIOCSTI).
    "--new-session",
    "--chdir",
    mounts.workspaceRoot,
    "--",
    ...program,
  ];
}
