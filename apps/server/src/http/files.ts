// Raw file routes (§2.6): a multipart upload and a streamed download do not fit a JSON procedure, so they
// are plain routes that pass the same guards and call the same services. Deletion is a procedure.

import { createHash } from "node:crypto";
import {
  type ApiDeps,
  ApiError,
  downloadHeaders,
  findAccessibleFile,
  idempotencyKeyFrom,
  openStoredFile,
  REST_BASE_PATH,
  storeUpload,
  withIdempotency,
} from "@crewdeck/api";
import type { Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { asApiRoute } from "./api-route";
import { errorResponse } from "./errors";
import type { AppEnv } from "./request-context";

const FILES_PATH = `${REST_BASE_PATH}/files`;

const invalidUpload = (message: string) =>
  new ApiError("VALIDATION_ERROR", message, [{ field: "file", message }]);
const fileNotFound = () => new ApiError("RESOURCE_NOT_FOUND", "File not found");

/** Hono's body limit checks Content-Length first and counts a chunked body as it arrives. */
export async function withinUploadLimit(
  c: Context<AppEnv>,
  maxBytes: number,
  then: () => Promise<Response>,
): Promise<Response> {
  let response: Response | undefined;
  const refused = await bodyLimit({
    maxSize: maxBytes,
    onError: () =>
      errorResponse(413, "PAYLOAD_TOO_LARGE", `Uploads are limited to ${maxBytes} bytes`, c.get("requestId")),
  })(c, async () => {
    response = await then();
  });
  return response ?? (refused as Response);
}

async function readUploadedFile(c: Context<AppEnv>): Promise<File> {
  if (!/^multipart\/form-data\s*;/i.test(c.req.header("content-type") ?? "")) {
    throw invalidUpload("Send the file as multipart/form-data, in the field `file`");
  }
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch {
    throw invalidUpload("The multipart body could not be read");
  }
  const file = form.get("file");
  if (!(file instanceof File)) throw invalidUpload("The field `file` must hold a file");
  if (file.size === 0) throw invalidUpload("The file is empty");
  return file;
}

const matchesEtag = (ifNoneMatch: string | undefined, etag: string): boolean =>
  !!ifNoneMatch && ifNoneMatch.split(",").some((tag) => [etag, `W/${etag}`, "*"].includes(tag.trim()));

export function mountFileRoutes(app: Hono<AppEnv>, deps: ApiDeps) {
  app.post(FILES_PATH, async (c) => {
    return asApiRoute(c, deps, (api) =>
      withinUploadLimit(c, deps.settings.maxUploadBytes, async () => {
        const key = idempotencyKeyFrom(api.headers);
        const file = await readUploadedFile(c);
        const bytes = new Uint8Array(await file.arrayBuffer());
        const result = await withIdempotency(
          api,
          {
            userId: api.viewer.user.id,
            key,
            method: "POST",
            path: FILES_PATH,
            input: { filename: file.name, sha256: createHash("sha256").update(bytes).digest("hex") },
          },
          async () => ({
            status: 201,
            body: await storeUpload(api, api.viewer.user.id, { filename: file.name, bytes }),
          }),
        );
        if (result.replayed) c.header("Idempotent-Replayed", "true");
        return c.json(result.body, result.status as 201);
      }),
    );
  });

  app.get(`${FILES_PATH}/:fileId`, (c) =>
    asApiRoute(c, deps, async (api) => {
      const file = await findAccessibleFile(api.db, c.req.param("fileId"), api.viewer.user.id);
      if (!file) throw fileNotFound();
      const headers = downloadHeaders(file);
      if (matchesEtag(c.req.header("if-none-match"), headers.get("etag")!)) {
        headers.delete("content-length");
        return new Response(null, { status: 304, headers });
      }
      if (c.req.method === "HEAD") return new Response(null, { headers });
      const body = await openStoredFile(api.settings, file);
      if (!body) throw fileNotFound();
      return new Response(body, { headers });
    }),
  );
}
