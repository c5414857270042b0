# One image for every Crewdeck process of the scaled topology (docker-compose.yml): the server
# (`node apps/server/dist/index.js`, the default) and the worker (`node apps/server/dist/worker.js`).
FROM node:20-bookworm-slim
# git for agents' workspaces, bubblewrap for their sandboxed commands.
RUN apt-get update \
  && apt-get install -y --no-install-recommends git bubblewrap ca-certificates \
  && rm -rf /var/lib/apt/lists/* \
  && npm i -g pnpm@10.34.9
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile \
  && pnpm --filter @crewdeck/web --filter @crewdeck/server build
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3001 DATA_DIR=/data
EXPOSE 3001
CMD ["node", "apps/server/dist/index.js"]
