# Image for the gateway and the worker (docker-compose.yml). Debian-based: Temporal's native
# worker addon has no musl/Alpine build (docs/reference-notes.md#temporal-native).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
USER node
# The compose file picks the process: gateway/main.ts or worker/main.ts.
CMD ["npx", "tsx", "worker/main.ts"]
