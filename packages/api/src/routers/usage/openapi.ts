// The usage CSV downloads in the OpenAPI document, described by hand: plain streamed routes, not procedures
// (`x-crewdeck-raw`), listed beside the usage reports they export.
import type { OpenAPIObject } from "trpc-to-openapi";
import { USAGE_CSV_COLUMNS } from "../../services/usage/export";

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

const query = (name: string, description: string, pattern?: string) => ({
  name,
  in: "query",
  required: false,
  description,
  schema: pattern ? { type: "string", pattern } : { type: "string" },
});

const RANGE = [
  query(
    "startDate",
    "First day, YYYY-MM-DD in tz (with endDate; default: the last 30 days)",
    "^\\d{4}-\\d{2}-\\d{2}$",
  ),
  query("endDate", "Last day, YYYY-MM-DD in tz, included", "^\\d{4}-\\d{2}-\\d{2}$"),
  query("tz", "IANA time zone the dates are read in (default UTC)"),
];

const csvDownload = (operationId: string, summary: string, pathParam?: string) => ({
  operationId,
  summary,
  description: `One row per model call, streamed, with the columns ${USAGE_CSV_COLUMNS.join(", ")}. Cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) are prefixed with '. The filename names the subject and the range.`,
  tags: ["usage"],
  security: [{ bearer: [] }, { apiKey: [] }],
  "x-crewdeck-raw": true,
  parameters: [
    ...(pathParam ? [{ name: pathParam, in: "path", required: true, schema: { type: "string" } }] : []),
    ...RANGE,
  ],
  responses: {
    "200": {
      description: "text/csv, as an attachment",
      content: { "text/csv": { schema: { type: "string" } } },
    },
    "400": errorResponse("A date or time zone that cannot be read, or a range over 366 days"),
    "401": errorResponse("Authentication required"),
    ...(pathParam ? { "404": errorResponse("Not found, or not yours to see") } : {}),
  },
});

export function describeUsageExports(document: OpenAPIObject): void {
  document.paths ??= {};
  const paths = document.paths as Record<string, Record<string, unknown>>;
  paths["/usage/projects/{projectId}/export"] = {
    get: csvDownload("usage-export-project", "A project's model calls as CSV", "projectId"),
  };
  paths["/usage/tasks/{taskId}/export"] = {
    get: csvDownload(
      "usage-export-task",
      "A task's model calls as CSV (all of them unless a range is given)",
      "taskId",
    ),
  };
  paths["/usage/export"] = {
    get: csvDownload(
      "usage-export-site",
      "Every model call you may see as CSV: your projects' and your own, or the site's for an administrator",
    ),
  };
}
