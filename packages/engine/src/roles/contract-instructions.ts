// The part of a step's system prompt that tells the model how to shape its answer. Generated from the
// role's zod schema (through JSON Schema), so the instructions cannot drift from what parseRoleOutput checks.
import { z } from "zod";
import type { AgentRole } from "./catalog";
import { ROLE_OUTPUT_SCHEMAS } from "./output-contracts";

type JsonSchema = {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  minItems?: number;
  default?: unknown;
};

/** The JSON Schema of what the model writes (`io: "input"`: fields with defaults may be left out). */
export function roleOutputJsonSchema(role: AgentRole): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(ROLE_OUTPUT_SCHEMAS[role], { io: "input" });
  return rest;
}

const instructionsByRole = new Map<AgentRole, string>();

/**
 * Text appended to a step's system prompt: the answer format, the fields, and an example of the shape. The
 * same for every step of a role (the schemas are fixed), so written once per role rather than at each step.
 */
export function contractInstructions(role: AgentRole): string {
  let text = instructionsByRole.get(role);
  if (text === undefined) {
    text = writeContractInstructions(role);
    instructionsByRole.set(role, text);
  }
  return text;
}

function writeContractInstructions(role: AgentRole): string {
  const root = roleOutputJsonSchema(role) as JsonSchema;
  const example = JSON.stringify(exampleOf(root), null, 2);
  return [
    "## Answer format",
    "Write your answer for the people on the task in Markdown, with short headings that fit your role.",
    "Then end the answer with exactly one fenced ```json block holding the structured part of the same answer; write nothing after it.",
    "Software reads that block and hands it to the next steps, so it must be valid JSON (double quotes, no comments, no trailing commas), use the field names below, and agree with your Markdown.",
    "",
    "Fields:",
    ...describeProperties(root, 0),
    "",
    'Shape of the block (replace each "…" with your content; lists may hold as many items as you need):',
    "```json",
    example,
    "```",
  ].join("\n");
}

function describeProperties(node: JsonSchema, depth: number): string[] {
  const required = new Set(node.required ?? []);
  const lines: string[] = [];
  for (const [name, prop] of Object.entries(node.properties ?? {})) {
    lines.push(...describeField(name, prop, required.has(name), depth));
  }
  return lines;
}

function describeField(name: string, prop: JsonSchema, required: boolean, depth: number): string[] {
  const indent = "  ".repeat(depth);
  const nested = objectPart(prop.items ?? prop) ?? objectPart(prop);
  const notes = [typeName(prop), required ? "required" : optionalNote(prop)];
  if (prop.minItems) notes.push(`at least ${prop.minItems}`);
  const description = prop.description ? `: ${prop.description}` : "";
  const line = `${indent}- \`${name}\` (${notes.join(", ")})${description}`;
  if (!nested) return [line];
  return [line, ...describeProperties(nested, depth + 1)];
}

function optionalNote(prop: JsonSchema): string {
  if (Array.isArray(prop.default) && prop.default.length === 0) return "optional, empty when left out";
  return "optional";
}

function objectPart(node: JsonSchema): JsonSchema | null {
  if (node.properties) return node;
  for (const option of node.anyOf ?? []) if (option.properties) return option;
  return null;
}

function typeName(node: JsonSchema): string {
  if (node.enum) return `one of ${node.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  if (node.anyOf) return node.anyOf.map(typeName).join(" or ");
  if (node.type === "array") return node.items ? `list of ${plural(typeName(node.items))}` : "list";
  if (node.type === "object") return "object";
  return String(node.type ?? "any");
}

function plural(name: string): string {
  if (name.startsWith("one of ")) return `values (${name})`;
  if (name === "object") return "objects";
  return `${name}s`;
}

/** A value of the schema's shape with placeholders: first enum value, one item per list, "…" for text. */
function exampleOf(node: JsonSchema): unknown {
  if (node.enum) return node.enum[0];
  if (node.anyOf) {
    const first = node.anyOf.find((o) => o.type !== "null") ?? node.anyOf[0];
    return first ? exampleOf(first) : null;
  }
  switch (node.type) {
    case "object":
      return Object.fromEntries(Object.entries(node.properties ?? {}).map(([k, v]) => [k, exampleOf(v)]));
    case "array":
      return node.items ? [exampleOf(node.items)] : [];
    case "number":
    case "integer":
      return 0;
    case "boolean":
      return false;
    case "null":
      return null;
    default:
      return "…";
  }
}
