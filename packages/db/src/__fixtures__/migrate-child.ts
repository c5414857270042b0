// One process starting on a database: migrates it and says how many migrations it applied itself.
import { createDatabase } from "../client";
import { migrateDatabase } from "../migrate";

const url = process.argv[2];
if (!url) throw new Error("usage: migrate-child.ts <database url>");
const db = await createDatabase({ url });
const { applied } = await migrateDatabase(db, { pollMs: 20 });
db.$client.close();
console.log(JSON.stringify({ applied }));
