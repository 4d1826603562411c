# One image for every mlstream service; the service is chosen by the command
# (docker-compose.yml: `command: ["gateway"]`, or `["cli", "topics", "apply"]`).
# Multi-stage: the build stage installs every dependency and compiles the
# TypeScript to JavaScript (scripts/build-services.mjs, esbuild: one ESM file per
# entry point, the workspace's own packages bundled in); the runtime stage has
# production dependencies only and runs plain `node` — no tsx, no sources.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY services ./services
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund
RUN node scripts/build-services.mjs && node services/console/build.mjs

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY services ./services
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    MLSTREAM_CONSOLE_DIR=/app/services/console/dist
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
# Compiled entry points, four folders below the root like the sources (schemas/ and
# infra/clickhouse/ are found relative to them), with the data files they read.
COPY --from=build /app/dist/js/services/main ./dist/js/services/main
COPY schemas ./schemas
COPY infra/clickhouse ./infra/clickhouse
COPY --from=build /app/services/console/dist ./services/console/dist
# The gateway's artifact store (MLSTREAM_ARTIFACT_ROOT in docker-compose.yml): a volume owned by the service user.
RUN mkdir -p /var/lib/mlstream/artifacts && chown -R node:node /var/lib/mlstream
COPY --chmod=755 <<'SH' /usr/local/bin/mlstream-run
#!/bin/sh
# mlstream-run <entry> [args…]: cli, gateway, tracking, registry, materializer, drift-detector, validator, webhooks, orchestrator, features
entry="$1"; shift
exec node --enable-source-maps "/app/dist/js/services/main/${entry}.mjs" "$@"
SH
USER node
ENTRYPOINT ["mlstream-run"]
CMD ["cli", "--help"]
