# friend-add-queue: one image for the API, the workers and the simulators (pick with the command).
#   docker build -t friend-add-queue .
#   docker run --rm -e REDIS_URL=redis://redis:6379 -e API_TOKEN=... friend-add-queue     # API + one worker
#   docker run --rm -e REDIS_URL=... -e WORKER_METRICS_PORT=9464 friend-add-queue node dist/workers/worker.js
# Compiled JavaScript on Node 22 with production dependencies only: TypeScript, tsx and the test
# tools stay in the build stage. package.json's engines (>=20.20) still lets the build run on 20.

# ---- build: every dependency from the lock, then the sources compiled into dist/ (JS, .d.ts,
# the Lua scripts beside their modules). The dependency layer is cached until the lock changes.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied; the build is the next step.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs ./scripts/build.mjs
COPY src ./src
COPY workers ./workers
RUN npm run build

# ---- deps: the lock's production dependencies, nothing else. No install script is needed: the one
# native module (msgpackr-extract, optional) ships prebuilt N-API binaries. typescript stays in the
# lock as an optional peer of valibot (under @bull-board/api), so --omit=dev keeps it; nothing
# loads it at run time, so its 23 MB go.
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts \
 && rm -rf node_modules/typescript node_modules/.bin/tsc node_modules/.bin/tsserver \
 && npm cache clean --force

# ---- runtime: node_modules, dist/ and the launchers, owned by root and read-only to the app's user.
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production
# A young generation of at most 16 MB a semi-space (V8's own most on a 64-bit machine with memory,
# pinned): half the scavenges of 8 MB, 3-4 % less CPU a call. The memory it costs comes back from
# glibc's malloc: a fixed mmap threshold (128 KB; by default it climbs with every large block
# freed, and the blocks below it then fragment the heap) and two arenas. The soak's peak RSS
# 229-233 MB against 236-239 with 8 MB and the default malloc (docs/benchmarks.md, "The soak's
# RSS"). npm run worker / start set the same on their command line; here they reach every command.
ENV NODE_OPTIONS=--max-semi-space-size=16
ENV MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# package.json: "type": "module" for dist/, and the version the CLI reports.
COPY package.json ./
COPY bin ./bin
# The image's own non-root user (uid 1000).
USER node
EXPOSE 3000
# Liveness: GET /healthz on the worker's WORKER_METRICS_PORT when set, else on API_PORT (bin/healthcheck.js).
# A worker-only container needs WORKER_METRICS_PORT for it (docker-compose.yml sets 9464).
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 CMD ["node", "bin/healthcheck.js"]
# node directly, not npm: npm as PID 1 does not pass SIGTERM on reliably, and a worker needs the
# signal to drain its calls in flight. Run with `--init` (compose: `init: true`) to reap zombies.
CMD ["node", "dist/workers/start.js"]
