import { createModel, listModels, updateModel } from "../../services/models/models";
import { adminProcedure, authedProcedure, createTRPCRouter } from "../../trpc";
import { zListModelsInput, zModel, zModelInput, zModelList, zUpdateModelInput } from "./types";

const tags = ["models"];

export const modelsRouter = createTRPCRouter({
  list: authedProcedure
    .meta({
      projectKey: "allowed",
      openapi: {
        method: "GET",
        path: "/models",
        tags,
        summary: "The model catalog with prices per million tokens (USD)",
        description: "Inactive models are listed only with `includeInactive=true`.",
      },
    })
    .input(zListModelsInput)
    .output(zModelList)
    .query(({ ctx, input }) => listModels(ctx, { includeInactive: input.includeInactive ?? false })),

  create: adminProcedure
    .meta({
      openapi: { method: "POST", path: "/models", tags, summary: "Add a model to the catalog (admin)" },
    })
    .input(zModelInput)
    .output(zModel)
    .mutation(({ ctx, input }) => createModel(ctx, input)),

  update: adminProcedure
    .meta({
      openapi: { method: "PATCH", path: "/models/{id}", tags, summary: "Edit a catalog entry (admin)" },
    })
    .input(zUpdateModelInput)
    .output(zModel)
    .mutation(({ ctx, input: { id, ...changes } }) => updateModel(ctx, id, changes)),
});
