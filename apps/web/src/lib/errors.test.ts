import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { describeError, errorCode, fieldErrorLookup, fieldErrors, humanField } from "./errors";

/** A client error as the server's error formatter sends it (the contract's error under data.error). */
const apiError = (code: string, message: string, details?: unknown) =>
  new TRPCClientError(message, {
    result: {
      error: { message, code: -32600, data: { code: "BAD_REQUEST", error: { code, message, details } } },
    },
  });

describe("describeError", () => {
  it("uses the server's words", () => {
    const error = apiError("BUDGET_EXCEEDED", "The project limit Website daily is exhausted");
    expect(describeError(error)).toBe("The project limit Website daily is exhausted");
    expect(errorCode(error)).toBe("BUDGET_EXCEEDED");
  });

  it("names each failing field of a validation error", () => {
    const error = apiError("VALIDATION_ERROR", "Invalid input", [
      { field: "modelConfig.maxTokens", message: "Too big" },
      { field: "agentIds.1", message: "Not an agent of this conversation" },
    ]);
    expect(describeError(error)).toBe("Max tokens: Too big · Agent ids: Not an agent of this conversation");
    expect(fieldErrors(error)).toHaveLength(2);
  });

  it("explains a network failure", () => {
    expect(describeError(new TypeError("Failed to fetch"))).toMatch(/Could not reach the server/);
  });

  it("has no field errors for anything else", () => {
    expect(fieldErrors(new Error("boom"))).toEqual([]);
    expect(errorCode(new Error("boom"))).toBeNull();
  });
});

describe("fieldErrorLookup", () => {
  it("finds the server's message for the field it names, and nothing for the others", () => {
    const error = apiError("VALIDATION_ERROR", "Invalid input", [
      { field: "email", message: "Not an email" },
    ]);
    const { errors, errorOf } = fieldErrorLookup(error);
    expect(errors).toHaveLength(1);
    expect(errorOf("email")).toBe("Not an email");
    expect(errorOf("username")).toBeUndefined();
    expect(fieldErrorLookup(new Error("boom")).errorOf("email")).toBeUndefined();
  });
});

describe("humanField", () => {
  it("reads a dotted path as words", () => {
    expect(humanField("alertThreshold")).toBe("Alert threshold");
    expect(humanField("repositories.0.full_name")).toBe("Full name");
  });
});
