# friend-add-queue: one image for the API, the workers and the simulators (pick with the command).
#   docker build -t friend-add-queue .
#   docker run --rm -e REDIS_URL=redis://redis:6379 friend-add-queue            # npm start: API + one worker
#   docker run --rm ... friend-add-queue node --import tsx workers/worker.ts    # a worker only
# Node 22 here; package.json's engines (>=20.20) still lets the sources run on Node 20.

# ---- deps: the exact lock, nothing else, so that this layer is cached until the lock changes.
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Dev dependencies stay: tsx runs the TypeScript sources at run time (the project has no build step).
RUN npm ci --no-audit --no-fund && npm cache clean --force

# ---- runtime: node_modules and the sources, owned by root and read-only to the app's user.
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY workers ./workers
# The image's own non-root user (uid 1000). tsx keeps its transform cache under /tmp.
USER node
EXPOSE 3000
# node directly, not npm: npm as PID 1 does not pass SIGTERM on reliably, and a worker needs the
# signal to drain its calls in flight. Run with `--init` (compose: `init: true`) to reap zombies.
CMD ["node", "--import", "tsx", "workers/start.ts"]
