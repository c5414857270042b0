import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { type ClientRequest, request as httpRequest } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiResponse,
  addMember,
  registerUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from "./harness";

/** A real 1×1 PNG, so sniffing is tested on what a browser would send. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
/** Above the 1 MiB JSON body limit, below this server's upload limit. */
const UPLOAD_LIMIT = 2 * 1024 * 1024;

const json = (res: Response): Promise<ApiResponse["body"]> => res.json();
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

const drainedOrClosed = (req: ClientRequest) =>
  new Promise<void>((resolve) => {
    const done = () => {
      req.off("drain", done).off("close", done);
      resolve();
    };
    req.on("drain", done).on("close", done);
  });

describe("files", () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  const filesDir = () => path.join(server.dataDir, "files");
  const storedNames = async () => (await readdir(filesDir()).catch(() => [])).sort();
  const fileRow = (id: string) =>
    server.deps.db.query.files.findFirst({ where: (f, { eq }) => eq(f.id, id) });
  const fileCount = async () => (await server.deps.db.query.files.findMany()).length;

  const upload = async (
    token: string | undefined,
    bytes: Uint8Array | string,
    filename: string,
    type = "application/octet-stream",
  ): Promise<ApiResponse> => {
    const form = new FormData();
    form.append("file", new Blob([bytes], { type }), filename);
    const res = await fetch(`${server.url}/api/v1/files`, {
      method: "POST",
      headers: token ? { authorization: `Bearer ${token}` } : {},
      body: form,
    });
    return { status: res.status, headers: res.headers, body: await json(res) };
  };
  const download = (token: string | undefined, fileId: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/v1/files/${fileId}`, {
      headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
  /** Sends the path byte for byte: fetch would normalise `..` and `%2e%2e` before they reach the server. */
  const rawGet = (rawPath: string, token: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(server.url);
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: rawPath, headers: { authorization: `Bearer ${token}` } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
        },
      );
      req.on("error", reject);
      req.end();
    });

  beforeAll(async () => {
    server = await startTestServer({
      MAX_UPLOAD_BYTES: String(UPLOAD_LIMIT),
      RATE_LIMIT_REGISTER_MAX: "1000",
      RATE_LIMIT_LOGIN_MAX: "1000",
    });
    [alice, bob, carol] = [
      await registerUser(server),
      await registerUser(server),
      await registerUser(server),
    ];
  });
  afterAll(async () => {
    await server.stop();
  });

  describe("POST /files", () => {
    it("stores the bytes under a generated name and answers with their metadata", async () => {
      const bytes = new TextEncoder().encode("Meeting notes\n- ship the upload endpoint\n");
      const before = await storedNames();
      const res = await upload(alice.access_token, bytes, "notes.md", "application/x-made-up");
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        filename: "notes.md",
        size: bytes.byteLength,
        mimeType: "text/plain; charset=utf-8",
        sha256: sha256(bytes),
        url: `/api/v1/files/${res.body.id}`,
      });
      expect(res.headers.get("x-ratelimit-limit")).toBeTruthy();

      const row = await fileRow(res.body.id);
      expect(row).toMatchObject({ uploaderId: alice.user.id, conversationId: null, projectId: null });
      const added = (await storedNames()).filter((name) => !before.includes(name));
      expect(added).toEqual([row!.storedName]);
      expect(row!.storedName).not.toContain("notes");
      expect(await readFile(path.join(filesDir(), row!.storedName))).toEqual(Buffer.from(bytes));
    });

    it("sniffs the type from the content, whatever the client's name and type say", async () => {
      const png = await upload(alice.access_token, PNG, "notes.txt", "text/plain");
      expect(png.status).toBe(201);
      expect(png.body).toMatchObject({ filename: "notes.txt", mimeType: "image/png", sha256: sha256(PNG) });

      const html = await upload(alice.access_token, "<script>alert(1)</script>", "page.html", "text/html");
      expect(html.body.mimeType).toBe("text/plain; charset=utf-8");

      const binary = await upload(alice.access_token, new Uint8Array([0x00, 0xff, 0x10, 0x80]), "blob.bin");
      expect(binary.body.mimeType).toBe("application/octet-stream");
    });

    it("keeps only a clean basename of the client's filename", async () => {
      const cases: [string, string][] = [
        ["../../etc/passwd", "passwd"],
        ["..\\..\\evil.exe", "evil.exe"],
        ["C:\\Users\\me\\report.pdf", "report.pdf"],
        ["bell\u0007tab\tname.txt", "belltabname.txt"],
        ["invoice\u202etxt.exe", "invoicetxt.exe"],
        ["../", "file"],
        ["..", "file"],
      ];
      for (const [sent, kept] of cases) {
        const res = await upload(alice.access_token, "x", sent);
        expect(res.status, sent).toBe(201);
        expect(res.body.filename, sent).toBe(kept);
      }
      const long = await upload(alice.access_token, "x", `${"a".repeat(300)}.pdf`);
      expect(long.body.filename).toHaveLength(255);
      expect(long.body.filename.endsWith(".pdf")).toBe(true);
      // Nothing escaped the files directory: every name in it is a generated one.
      for (const name of await storedNames()) expect(name).toMatch(/^[0-9a-f-]{36}$/);
    });

    it("accepts uploads above the JSON body limit", async () => {
      const bytes = new Uint8Array(1024 * 1024 + 512 * 1024).fill(0x61);
      const res = await upload(alice.access_token, bytes, "big.txt");
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ size: bytes.byteLength, sha256: sha256(bytes) });
    });

    it("refuses an upload over the limit with 413, leaving no bytes and no row", async () => {
      const [namesBefore, rowsBefore] = [await storedNames(), await fileCount()];
      const res = await upload(alice.access_token, new Uint8Array(UPLOAD_LIMIT + 1), "huge.bin");
      expect(res.status).toBe(413);
      expect(res.body.error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", requestId: expect.any(String) });
      expect(await storedNames()).toEqual(namesBefore);
      expect(await fileCount()).toBe(rowsBefore);
    });

    it("counts the bytes of a streamed body that declares no length", async () => {
      const [namesBefore, rowsBefore] = [await storedNames(), await fileCount()];
      const boundary = "crewdeck-test-boundary";
      const head = new TextEncoder().encode(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="stream.bin"\r\n\r\n`,
      );
      const chunk = new Uint8Array(64 * 1024).fill(0x62);
      // node:http, because fetch reports a refusal that arrives mid-upload as a network error.
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const url = new URL(server.url);
        const req = httpRequest({
          host: url.hostname,
          port: url.port,
          method: "POST",
          path: "/api/v1/files",
          headers: {
            authorization: `Bearer ${alice.access_token}`,
            "content-type": `multipart/form-data; boundary=${boundary}`,
            "transfer-encoding": "chunked",
          },
        });
        let answered = false;
        req.on("response", (response) => {
          answered = true;
          const chunks: Buffer[] = [];
          response.on("data", (c: Buffer) => chunks.push(c));
          response.on("end", () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
        });
        // The server may close the socket while we are still writing; its answer is what counts.
        req.on("error", (error) => {
          if (!answered) reject(error);
        });
        const send = async () => {
          req.write(head);
          for (let sent = 0; sent <= UPLOAD_LIMIT * 2 && !answered && !req.destroyed; sent += chunk.length) {
            if (!req.write(chunk)) await drainedOrClosed(req);
          }
          if (!answered && !req.destroyed) req.end(`\r\n--${boundary}--\r\n`);
        };
        void send();
      });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body).error.code).toBe("PAYLOAD_TOO_LARGE");
      expect(await storedNames()).toEqual(namesBefore);
      expect(await fileCount()).toBe(rowsBefore);
    });

    it("answers 400 when the body is not multipart, or has no file in `file`", async () => {
      const notMultipart = await server.api("POST", "/files", {
        token: alice.access_token,
        body: { file: "x" },
      });
      expect(notMultipart.status).toBe(400);
      expect(notMultipart.body.error).toMatchObject({
        code: "VALIDATION_ERROR",
        details: [{ field: "file" }],
      });

      const wrongField = new FormData();
      wrongField.append("document", new Blob(["x"]), "x.txt");
      const text = new FormData();
      text.append("file", "just a string");
      for (const form of [wrongField, text]) {
        const res = await fetch(`${server.url}/api/v1/files`, {
          method: "POST",
          headers: { authorization: `Bearer ${alice.access_token}` },
          body: form,
        });
        expect(res.status).toBe(400);
        expect((await json(res)).error.code).toBe("VALIDATION_ERROR");
      }

      const empty = await upload(alice.access_token, new Uint8Array(0), "empty.txt");
      expect(empty.status).toBe(400);
      expect(empty.body.error.code).toBe("VALIDATION_ERROR");
    });

    it("stores a retried upload with the same Idempotency-Key once, and refuses the key for other bytes", async () => {
      const send = async (content: string) => {
        const form = new FormData();
        form.append("file", new Blob([content]), "retry.txt");
        const res = await fetch(`${server.url}/api/v1/files`, {
          method: "POST",
          headers: { authorization: `Bearer ${alice.access_token}`, "idempotency-key": "upload-retry-1" },
          body: form,
        });
        return {
          status: res.status,
          replayed: res.headers.get("idempotent-replayed"),
          body: await json(res),
        };
      };
      const rowsBefore = await fileCount();
      const first = await send("only once");
      const retry = await send("only once");
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.replayed).toBe("true");
      expect(retry.body).toEqual(first.body);
      expect(await fileCount()).toBe(rowsBefore + 1);

      const other = await send("different bytes");
      expect(other.status).toBe(409);
      expect(other.body.error.code).toBe("CONFLICT");
      expect(await fileCount()).toBe(rowsBefore + 1);
    });

    it("needs authentication", async () => {
      const rowsBefore = await fileCount();
      const res = await upload(undefined, "anonymous", "anon.txt");
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ code: "UNAUTHORIZED", requestId: expect.any(String) });
      expect(await fileCount()).toBe(rowsBefore);
    });
  });

  describe("GET /files/{fileId}", () => {
    it("streams the uploader's file back with safe download headers", async () => {
      const bytes = new TextEncoder().encode("résumé contents");
      const { body: file } = await upload(alice.access_token, bytes, "résumé (final).txt", "text/html");
      const res = await download(alice.access_token, file.id);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from(bytes));
      expect(Object.fromEntries(res.headers)).toMatchObject({
        "content-type": "text/plain; charset=utf-8",
        "content-length": String(bytes.byteLength),
        "content-disposition": "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9%20%28final%29.txt",
        "x-content-type-options": "nosniff",
        "cache-control": "private",
        etag: `"${sha256(bytes)}"`,
      });

      const again = await download(alice.access_token, file.id, { "if-none-match": `"${sha256(bytes)}"` });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe("");
    });

    it("shows images inline, as the type sniffed from their bytes", async () => {
      const { body: file } = await upload(alice.access_token, PNG, "pixel.txt", "text/plain");
      const res = await download(alice.access_token, file.id);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/png");
      expect(res.headers.get("content-disposition")).toBe("inline; filename*=UTF-8''pixel.txt");
      expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
    });

    it("is a 404 for another user, for unknown and malformed ids, and without a login a 401", async () => {
      const { body: file } = await upload(alice.access_token, "private", "private.txt");
      const row = await fileRow(file.id);
      for (const [token, id] of [
        [bob.access_token, file.id],
        [alice.access_token, "0190a5b2-0000-7000-8000-000000000000"],
        [alice.access_token, "not-an-id"],
        // The stored name is internal: it is not a second handle on the file.
        [alice.access_token, row!.storedName],
      ] as const) {
        const res = await download(token, id);
        expect(res.status, id).toBe(404);
        expect((await json(res)).error).toMatchObject({
          code: "RESOURCE_NOT_FOUND",
          requestId: expect.any(String),
        });
      }
      expect((await download(undefined, file.id)).status).toBe(401);
    });

    it("never serves anything outside the files directory", async () => {
      const secret = (await readFile(path.join(server.dataDir, "auth-secret"), "utf8")).trim();
      expect(secret.length).toBeGreaterThan(30);
      for (const attempt of [
        "/api/v1/files/..%2F..%2Fauth-secret",
        "/api/v1/files/..%2Fauth-secret",
        "/api/v1/files/%2e%2e%2fauth-secret",
        "/api/v1/files/..%5Cauth-secret",
        "/api/v1/files/%2Fetc%2Fpasswd",
      ]) {
        const res = await rawGet(attempt, alice.access_token);
        expect(res.status, attempt).toBe(404);
        expect(res.body, attempt).not.toContain(secret);
        expect(JSON.parse(res.body).error.code, attempt).toBe("RESOURCE_NOT_FOUND");
      }
      for (const attempt of ["/api/v1/files/../auth-secret", "/api/v1/files/../../auth-secret"]) {
        const res = await rawGet(attempt, alice.access_token);
        expect(res.body, attempt).not.toContain(secret);
      }

      // Even a tampered row cannot point the download outside the directory.
      const { body: file } = await upload(alice.access_token, "decoy", "decoy.txt");
      await server.deps.db.$client.execute({
        sql: "UPDATE files SET stored_name = ? WHERE id = ?",
        args: ["../auth-secret", file.id],
      });
      const tampered = await download(alice.access_token, file.id);
      expect(tampered.status).toBe(500);
      expect(await tampered.text()).not.toContain(secret);
    });

    it("lets members of a project download a file attached in one of its conversations", async () => {
      const { body: file } = await upload(alice.access_token, PNG, "diagram.png", "image/png");
      expect((await download(bob.access_token, file.id)).status).toBe(404);

      const project = await server.api("POST", "/projects", {
        token: alice.access_token,
        body: { name: "Shared files" },
      });
      expect(project.status).toBe(200);
      const added = await addMember(server, alice.access_token, project.body.id, bob, "viewer");
      expect(added.status).toBe(200);
      const conversation = await server.api("POST", "/conversations", {
        token: alice.access_token,
        body: { title: "Design review", projectId: project.body.id, agentIds: [] },
      });
      expect(conversation.status).toBe(200);
      const message = await server.api("POST", `/conversations/${conversation.body.id}/messages`, {
        token: alice.access_token,
        body: { content: "Here is the diagram", attachmentIds: [file.id], agentIds: [] },
      });
      expect(message.status).toBe(200);

      const res = await download(bob.access_token, file.id);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
      expect((await download(carol.access_token, file.id)).status).toBe(404);

      // Seeing a file is not owning it: only the uploader deletes.
      const del = await server.api("DELETE", `/files/${file.id}`, { token: bob.access_token });
      expect(del.status).toBe(404);
      expect(await fileRow(file.id)).toBeDefined();
    });
  });

  describe("bytes nobody refers to", () => {
    it("are removed with the conversation a file was attached in, and with the uploader's account", async () => {
      const { body: attached } = await upload(alice.access_token, PNG, "in-chat.png", "image/png");
      const attachedName = (await fileRow(attached.id))!.storedName;
      const conversation = await server.api("POST", "/conversations", {
        token: alice.access_token,
        body: { title: "Short-lived" },
      });
      await server.api("POST", `/conversations/${conversation.body.id}/messages`, {
        token: alice.access_token,
        body: { content: "see attached", attachmentIds: [attached.id] },
      });
      expect(await storedNames()).toContain(attachedName);
      const gone = await server.api("DELETE", `/conversations/${conversation.body.id}`, {
        token: alice.access_token,
      });
      expect(gone.status).toBe(200);
      expect(await fileRow(attached.id)).toBeUndefined();
      expect(await storedNames()).not.toContain(attachedName);

      const leaving = await registerUser(server);
      const { body: theirs } = await upload(leaving.access_token, "mine", "mine.txt");
      const theirName = (await fileRow(theirs.id))!.storedName;
      const deleted = await server.api("DELETE", "/users/me", {
        token: leaving.access_token,
        body: { password: leaving.password },
      });
      expect(deleted.status).toBe(200);
      expect(await storedNames()).not.toContain(theirName);
    });

    it("are swept at start-up, while every file with a row is kept", async () => {
      const s = await startTestServer();
      try {
        const u = await registerUser(s);
        const form = new FormData();
        form.append("file", new Blob(["keep me"]), "keep.txt");
        const res = await fetch(`${s.url}/api/v1/files`, {
          method: "POST",
          headers: { authorization: `Bearer ${u.access_token}` },
          body: form,
        });
        expect(res.status).toBe(201);
        const dir = path.join(s.dataDir, "files");
        const orphan = "0190aaaa-0000-7000-8000-000000000000";
        await writeFile(path.join(dir, orphan), "nobody's");
        const before = await readdir(dir);
        expect(before).toContain(orphan);

        await s.close();
        const restarted = await startTestServer({ DATA_DIR: s.dataDir });
        try {
          const after = await readdir(dir);
          expect(after).not.toContain(orphan);
          expect(after).toHaveLength(before.length - 1);
        } finally {
          await restarted.stop();
        }
      } catch (error) {
        await s.stop();
        throw error;
      }
    });
  });

  describe("DELETE /files/{fileId}", () => {
    it("is a 404 for anyone but the uploader, who removes the row and the bytes", async () => {
      const { body: file } = await upload(alice.access_token, "to be deleted", "bye.txt");
      const { storedName } = (await fileRow(file.id))!;

      const stranger = await server.api("DELETE", `/files/${file.id}`, { token: carol.access_token });
      expect(stranger.status).toBe(404);
      expect(stranger.body.error.code).toBe("RESOURCE_NOT_FOUND");
      expect(await storedNames()).toContain(storedName);

      const res = await server.api("DELETE", `/files/${file.id}`, { token: alice.access_token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true });
      expect(await fileRow(file.id)).toBeUndefined();
      expect(await storedNames()).not.toContain(storedName);
      expect((await download(alice.access_token, file.id)).status).toBe(404);

      const twice = await server.api("DELETE", `/files/${file.id}`, { token: alice.access_token });
      expect(twice.status).toBe(404);
    });

    it("needs authentication", async () => {
      const { body: file } = await upload(alice.access_token, "kept", "kept.txt");
      const res = await server.api("DELETE", `/files/${file.id}`);
      expect(res.status).toBe(401);
      expect(await fileRow(file.id)).toBeDefined();
    });
  });
});

describe("the per-user upload quota", () => {
  const QUOTA = 10_000;
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      MAX_UPLOAD_BYTES_PER_USER: String(QUOTA),
      RATE_LIMIT_REGISTER_MAX: "1000",
    });
  });
  afterAll(() => server.stop());

  const upload = async (token: string, size: number, filename: string): Promise<ApiResponse> => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(size).fill(7)]), filename);
    const res = await fetch(`${server.url}/api/v1/files`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    return { status: res.status, headers: res.headers, body: await json(res) };
  };
  const storedNames = async () => (await readdir(path.join(server.dataDir, "files")).catch(() => [])).sort();
  const rowsOf = async (userId: string) =>
    (await server.deps.db.query.files.findMany({ where: (f, { eq }) => eq(f.uploaderId, userId) })).length;

  it("refuses an upload that would pass it with 413, naming the quota and the use, and keeps nothing", async () => {
    const dora = await registerUser(server);
    const first = await upload(dora.access_token, 6_000, "first.bin");
    expect(first.status).toBe(201);
    const namesBefore = await storedNames();

    const over = await upload(dora.access_token, 5_000, "second.bin");
    expect(over.status).toBe(413);
    expect(over.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(over.body.error.message).toContain(String(QUOTA));
    expect(over.body.error.message).toContain("6000");
    expect(over.body.error.details).toMatchObject({ quotaBytes: QUOTA, usedBytes: 6_000, fileBytes: 5_000 });
    expect(await storedNames()).toEqual(namesBefore);
    expect(await rowsOf(dora.user.id)).toBe(1);

    // Up to the quota exactly is fine; another user has a quota of their own.
    expect((await upload(dora.access_token, 4_000, "fits.bin")).status).toBe(201);
    const eve = await registerUser(server);
    expect((await upload(eve.access_token, 9_000, "eve.bin")).status).toBe(201);
  });

  it("is freed by deleting files", async () => {
    const finn = await registerUser(server);
    const big = await upload(finn.access_token, 9_000, "big.bin");
    expect((await upload(finn.access_token, 2_000, "more.bin")).status).toBe(413);
    expect((await server.api("DELETE", `/files/${big.body.id}`, { token: finn.access_token })).status).toBe(
      200,
    );
    expect((await upload(finn.access_token, 2_000, "more.bin")).status).toBe(201);
  });

  it("holds under concurrent uploads: together they never pass it", async () => {
    const gus = await registerUser(server);
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => upload(gus.access_token, 3_000, `race-${i}.bin`)),
    );
    const stored = results.filter((r) => r.status === 201).length;
    expect(results.every((r) => r.status === 201 || r.status === 413)).toBe(true);
    expect(stored).toBeLessThanOrEqual(3);
    const used = (
      await server.deps.db.query.files.findMany({ where: (f, { eq }) => eq(f.uploaderId, gus.user.id) })
    ).reduce((sum, f) => sum + f.size, 0);
    expect(used).toBeLessThanOrEqual(QUOTA);
  });
});
