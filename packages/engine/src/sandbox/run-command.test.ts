import { mkdtemp, readFile, realpath, rm, stat } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bwrapMissingMessage, type RunCommandInput, runCommand, type SandboxConfig } from "./run-command";

const bwrap: SandboxConfig = { mode: "bwrap" };
let workspace: string;
let outside: string;
let listener: Server;
let port: number;

const run = (config: SandboxConfig, command: string, over: Partial<RunCommandInput> = {}) =>
  runCommand(config, {
    command,
    workspaceRoot: workspace,
    network: false,
    signal: new AbortController().signal,
    ...over,
  });

beforeAll(async () => {
  listener = createServer((socket) => socket.end("hello from the host\n"));
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  port = (listener.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));
beforeEach(async () => {
  workspace = await realpath(await mkdtemp(path.join(tmpdir(), "crewdeck-sandbox-")));
  // Not under /tmp, which the sandbox replaces with a private one anyway.
  outside = await realpath(await mkdtemp("/var/tmp/crewdeck-outside-"));
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

const connect = `node -e "require('net').connect(${"$PORT"}, '127.0.0.1').on('data', d => process.stdout.write(String(d))).on('error', e => { console.log('blocked:', e.code); process.exit(3) })"`;

describe("runCommand under bwrap", () => {
  it("writes in the workspace but nowhere else, and does not see the server's environment", async () => {
    process.env.CREWDECK_TEST_SECRET = "s3cret";
    const result = await run(
      bwrap,
      // The refusal goes to stdout too (`2>&1` on the group), so it cannot arrive after "refused" down another pipe.
      `echo made > here.txt && ({ echo x > ${outside}/planted.txt; } 2>&1 || echo refused) && echo "secret=[$CREWDECK_TEST_SECRET]"`,
    );
    delete process.env.CREWDECK_TEST_SECRET;
    expect(result).toMatchObject({ status: "finished", exitCode: 0 });
    expect(result.status === "finished" && result.output).toMatch(
      /Read-only file system[\s\S]*refused\nsecret=\[\]/,
    );
    expect(await readFile(path.join(workspace, "here.txt"), "utf8")).toBe("made\n");
    await expect(stat(path.join(outside, "planted.txt"))).rejects.toThrow();
  });

  it("hides the given paths and keeps read-only paths unwritable", async () => {
    const result = await run(
      { ...bwrap, hiddenPaths: [outside] },
      `ls -A ${outside} | wc -l; touch ${outside}/x.txt; ls -A ${outside} | wc -l`,
    );
    expect(result.status === "finished" && result.output.trim().split("\n")[0]).toBe("0");
    await expect(stat(path.join(outside, "x.txt"))).rejects.toThrow();
  });

  it("cannot reach the network unless allowed", async () => {
    const command = connect.replace("$PORT", String(port));
    const blocked = await run(bwrap, command);
    expect(blocked.status === "finished" && blocked.output).toMatch(/blocked: E/);
    const allowed = await run(bwrap, command, { network: true });
    expect(allowed.status === "finished" && allowed.output).toContain("hello from the host");
  });

  it("is killed at its timeout and when the step is cancelled", async () => {
    const started = Date.now();
    const slow = await run(bwrap, "echo started; sleep 30", { limits: { timeoutMs: 300 } });
    expect(slow).toMatchObject({ status: "finished", timedOut: true, exitCode: null });
    expect(slow.status === "finished" && slow.output).toBe("started\n");
    const controller = new AbortController();
    const pending = run(bwrap, "sleep 30", { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    expect(await pending).toMatchObject({ status: "finished", aborted: true, exitCode: null });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("cuts long output in the middle, keeping its start and end", async () => {
    const result = await run(bwrap, "seq 1 100000", { limits: { maxOutputChars: 100 } });
    if (result.status !== "finished") throw new Error("refused");
    expect(result.truncated).toBe(true);
    expect(result.output).toMatch(/^1\n2\n[\s\S]*characters of output omitted[\s\S]*\n100000\n$/);
    expect(result.output.length).toBeLessThan(200);
  });

  it("refuses every command when bwrap is missing, saying how to install it", async () => {
    const result = await run({ mode: "bwrap", bwrapPath: "/nonexistent/bwrap" }, `touch ${workspace}/ran`);
    expect(result).toEqual({ status: "refused", message: bwrapMissingMessage("/nonexistent/bwrap") });
    expect(bwrapMissingMessage("/x")).toMatch(/apt-get install bubblewrap[\s\S]*AGENT_SANDBOX=none/);
    await expect(stat(path.join(workspace, "ran"))).rejects.toThrow();
  });
});

describe("runCommand with AGENT_SANDBOX=none", () => {
  it("runs unsandboxed only when chosen: it can then write outside and reach the network", async () => {
    const result = await run(
      { mode: "none", bwrapPath: "/nonexistent/bwrap" },
      `touch ${outside}/made && ${connect.replace("$PORT", String(port))}`,
    );
    expect(result).toMatchObject({ status: "finished", exitCode: 0 });
    expect(result.status === "finished" && result.output).toContain("hello from the host");
    expect((await stat(path.join(outside, "made"))).isFile()).toBe(true);
  });
});
