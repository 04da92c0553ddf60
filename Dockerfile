# Image for the gateway and the worker (docker-compose.yml). Debian-based: Temporal's native
# worker addon has no musl/Alpine build (docs/reference-notes.md#temporal-native).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
# Prebuilt workflow bundle: a worker polls within seconds of its start instead of bundling first.
RUN npx tsx worker/build-workflow-bundle.ts build/workflow-bundle.js
ENV WORKFLOW_BUNDLE=/app/build/workflow-bundle.js
USER node
# The compose file picks the process: gateway/main.ts or worker/main.ts.
CMD ["npx", "tsx", "worker/main.ts"]
