import { loadEnv } from "./env";
import { startServer } from "./server";
import { runProcess } from "./shutdown";

runProcess(() => startServer(loadEnv()), "finishing open requests, then stopping");
