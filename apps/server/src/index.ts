import { loadEnv } from "./env";
import { runProcess } from "./run-process";
import { startServer } from "./server";

runProcess(() => startServer(loadEnv()), "finishing open requests, then stopping");
