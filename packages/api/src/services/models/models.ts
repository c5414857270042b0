// The model catalog: what agents can run on and what each token costs.
import { type Database, microsToUsd, schema, usdToMicros } from "@crewdeck/db";
import { asc, eq } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import { conflict, notFound } from "../../errors";
import { changedFields } from "../../lib/changes";

type ModelRow = typeof schema.models.$inferSelect;

export const toModelDto = (m: ModelRow) => ({
  id: m.id,
  provider: m.provider,
  name: m.name,
  displayName: m.displayName,
  inputCostPerMTok: microsToUsd(m.inputCostPerMTok),
  outputCostPerMTok: microsToUsd(m.outputCostPerMTok),
  cacheReadCostPerMTok: m.cacheReadCostPerMTok === null ? null : microsToUsd(m.cacheReadCostPerMTok),
  contextWindow: m.contextWindow,
  maxOutputTokens: m.maxOutputTokens,
  capabilities: m.capabilities,
  isActive: m.isActive,
});

export async function listModels({ db }: ApiDeps, opts: { includeInactive: boolean }) {
  const rows = await db.query.models.findMany({
    where: opts.includeInactive ? undefined : eq(schema.models.isActive, true),
    orderBy: [asc(schema.models.provider), asc(schema.models.displayName)],
  });
  return { items: rows.map(toModelDto) };
}

export type ModelInput = {
  id: string;
  provider: string;
  name?: string | undefined;
  displayName: string;
  inputCostPerMTok: number;
  outputCostPerMTok: number;
  cacheReadCostPerMTok?: number | null | undefined;
  contextWindow: number;
  maxOutputTokens: number;
  capabilities?: string[] | undefined;
  isActive?: boolean | undefined;
};

const priceColumns = (input: Partial<ModelInput>) => ({
  ...(input.inputCostPerMTok !== undefined && { inputCostPerMTok: usdToMicros(input.inputCostPerMTok) }),
  ...(input.outputCostPerMTok !== undefined && { outputCostPerMTok: usdToMicros(input.outputCostPerMTok) }),
  ...(input.cacheReadCostPerMTok !== undefined && {
    cacheReadCostPerMTok:
      input.cacheReadCostPerMTok === null ? null : usdToMicros(input.cacheReadCostPerMTok),
  }),
});

export async function createModel({ db }: ApiDeps, input: ModelInput) {
  const [row] = await db
    .insert(schema.models)
    .values({
      id: input.id,
      provider: input.provider,
      name: input.name ?? input.id,
      displayName: input.displayName,
      inputCostPerMTok: usdToMicros(input.inputCostPerMTok),
      outputCostPerMTok: usdToMicros(input.outputCostPerMTok),
      ...priceColumns({ cacheReadCostPerMTok: input.cacheReadCostPerMTok }),
      contextWindow: input.contextWindow,
      maxOutputTokens: input.maxOutputTokens,
      capabilities: input.capabilities ?? [],
      isActive: input.isActive ?? true,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw conflict(`A model with id ${input.id} already exists`);
  return toModelDto(row);
}

export async function updateModel({ db }: ApiDeps, id: string, input: Partial<Omit<ModelInput, "id">>) {
  const { inputCostPerMTok, outputCostPerMTok, cacheReadCostPerMTok, ...rest } = input;
  const values = changedFields({
    ...rest,
    ...priceColumns({ inputCostPerMTok, outputCostPerMTok, cacheReadCostPerMTok }),
  });
  const [row] = values
    ? await db.update(schema.models).set(values).where(eq(schema.models.id, id)).returning()
    : await db.select().from(schema.models).where(eq(schema.models.id, id));
  if (!row) throw notFound("Model");
  return toModelDto(row);
}

/** An active catalog model, or null: agents may only be configured with those. */
export async function findActiveModel(db: Database, id: string) {
  const model = await db.query.models.findFirst({ where: eq(schema.models.id, id) });
  return model?.isActive ? model : null;
}
