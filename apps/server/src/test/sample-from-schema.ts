// The smallest valid value for a JSON Schema (as the OpenAPI document publishes it), so a generated test
// can call any operation with a body that passes validation and reaches the authorisation it checks.

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  default?: unknown;
  $ref?: string;
};

type Overrides = (key: string, schema: Schema) => unknown;

function sampleString(schema: Schema): string {
  switch (schema.format) {
    case "email":
      return "someone@example.test";
    case "uri":
    case "url":
      return "https://example.test/x";
    case "date-time":
      return new Date(Date.now() + 86_400_000).toISOString();
    case "uuid":
      return "01900000-0000-7000-8000-000000000000";
  }
  if (schema.pattern?.includes("/")) return "owner/name";
  return "x".repeat(Math.max(1, schema.minLength ?? 1));
}

export function sampleFromSchema(schema: Schema, override: Overrides = () => undefined, key = ""): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const options = schema.anyOf ?? schema.oneOf;
  if (options) {
    const concrete = options.find((o) => o.type !== "null") ?? options[0];
    return concrete ? sampleFromSchema(concrete, override, key) : null;
  }
  if (schema.allOf?.[0]) return sampleFromSchema(schema.allOf[0], override, key);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "object": {
      const result: Record<string, unknown> = {};
      for (const name of schema.required ?? []) {
        const child = schema.properties?.[name];
        if (!child) continue;
        const given = override(name, child);
        result[name] = given !== undefined ? given : sampleFromSchema(child, override, name);
      }
      // Optional fields that reference other resources are filled too: they are where access leaks hide.
      for (const [name, child] of Object.entries(schema.properties ?? {})) {
        if (name in result) continue;
        const given = override(name, child);
        if (given !== undefined) result[name] = given;
      }
      return result;
    }
    case "array": {
      const n = Math.max(schema.minItems ?? 0, 0);
      return Array.from({ length: n }, () => sampleFromSchema(schema.items ?? {}, override, key));
    }
    case "string":
      return sampleString(schema);
    case "integer":
    case "number":
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
    case "boolean":
      return false;
    default:
      return schema.default ?? null;
  }
}
