// The multipart twin of POST /tasks/{taskId}/start (§2.7): `instructions` and an `image` in one form, for
// clients that send a screenshot with the start. JSON starts go on to the procedure, which this calls too.
import {
  type ApiDeps,
  ApiError,
  actorOf,
  assertAcceptableInput,
  limitTaskStarts,
  loadTask,
  REST_BASE_PATH,
  startTaskRun,
  storeUpload,
} from "@crewdeck/api";
import type { Context, Hono } from "hono";
import { asApiRoute } from "./api-route";
import { withinUploadLimit } from "./files";
import type { AppEnv } from "./request-context";

const isMultipart = (c: Context<AppEnv>) =>
  /^multipart\/form-data\s*;/i.test(c.req.header("content-type") ?? "");

const invalidForm = (field: string, message: string) =>
  new ApiError("VALIDATION_ERROR", message, [{ field, message }]);

export function mountTaskStartRoute(app: Hono<AppEnv>, deps: ApiDeps) {
  app.post(`${REST_BASE_PATH}/tasks/:taskId/start`, async (c, next) => {
    if (!isMultipart(c)) return next();
    return asApiRoute(c, deps, (api) =>
      withinUploadLimit(c, deps.settings.maxUploadBytes, async () => {
        const { row } = await loadTask(api.db, c.req.param("taskId"), api.viewer.user.id, "maintainer");
        let form: FormData;
        try {
          form = await c.req.formData();
        } catch {
          throw invalidForm("(body)", "The multipart body could not be read");
        }
        const instructions = form.get("instructions");
        if (instructions !== null && typeof instructions !== "string") {
          throw invalidForm("instructions", "instructions must be a text field");
        }
        // What every procedure's input passes (no NUL characters), for the one text field of this form.
        assertAcceptableInput({ instructions });
        if (typeof instructions === "string" && instructions.length > 20_000) {
          throw invalidForm("instructions", "At most 20000 characters");
        }
        const image = form.get("image");
        if (image !== null && typeof image === "string") throw invalidForm("image", "image must be a file");
        const attachmentIds: string[] = [];
        if (image) {
          const stored = await storeUpload(api, api.viewer.user.id, {
            filename: image.name,
            bytes: new Uint8Array(await image.arrayBuffer()),
          });
          if (!stored.mimeType.startsWith("image/")) {
            throw invalidForm("image", `Not an image (${stored.mimeType})`);
          }
          attachmentIds.push(stored.id);
        }
        await limitTaskStarts(api);
        const result = await startTaskRun(api, actorOf(api.viewer), row, {
          instructions: instructions?.trim() || undefined,
          attachmentIds,
        });
        return c.json(result, 200);
      }),
    );
  });
}
