# syntax=docker/dockerfile:1
# One image for both processes: `node dist/worker/main.js` (default) and `node dist/api/main.js`.
ARG NODE_IMAGE=node:22-bookworm-slim

# Compiles TypeScript to dist/ and prebuilds the workflow bundle, with the dev dependencies.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY contract contract
COPY ml ml
COPY storage storage
COPY activities activities
COPY workflows workflows
COPY worker worker
COPY client client
COPY connection connection
COPY mlflow mlflow
COPY api api
# The API's OpenAPI examples are the example run files, compiled in.
COPY examples examples
RUN npm run build

# Production dependencies only (no TypeScript, tsx or eslint); the SDK's own bundler comes along but idles.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
# The prebuilt bundle spares every worker start a webpack run; the example data is the default data root.
ENV NODE_ENV=production \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js \
    DATA_ROOT=/app/examples/data
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY examples examples
# The image's unprivileged user (uid 1000). /app stays root-owned and read-only to it; artifacts go to
# S3 (ARTIFACT_ROOT=s3://...) or to a mounted volume, scratch files to /tmp.
USER node
# API, worker metrics, Temporal SDK metrics.
EXPOSE 3000 9464 9465
CMD ["node", "dist/worker/main.js"]
