// Tools for tests of the tool loop, registered on an engine as any tool is.
import { z } from "zod";
import type { Tool } from "../tools/registry";

/** `lookup_order` for every role: answers "Order <id>: 3 items, paid" and pushes each input it runs with onto `seen`. */
export const lookupOrderTool = (seen: unknown[]): Tool<{ id: string }> => ({
  name: "lookup_order",
  description: "Reads an order by id",
  input: z.object({ id: z.string() }),
  roles: "all",
  execute: async (input) => {
    seen.push(input);
    return { content: `Order ${input.id}: 3 items, paid` };
  },
});
