# One image for every mlstream service; the service is chosen by the command.
# Multi-stage: dependencies are installed once, the runtime stage carries only
# what the services need (tsx runs the TypeScript sources directly).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY services ./services
RUN npm ci --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY services ./services
COPY schemas ./schemas
COPY infra ./infra
# The gateway's artifact store (MLSTREAM_ARTIFACT_ROOT in docker-compose.yml): a volume owned by the service user.
RUN mkdir -p /var/lib/mlstream/artifacts && chown -R node:node /var/lib/mlstream
USER node
ENTRYPOINT ["npx", "tsx"]
CMD ["services/cli/src/main.ts", "--help"]
