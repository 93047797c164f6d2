# One image for the worker and the API (docker-compose.yml picks the command).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY test ./test
COPY bench ./bench
COPY chaos ./chaos
COPY deploy ./deploy
RUN npm run build && npm prune --omit=dev
# The workflow bundle, into DATA_DIR's cache (.data/workflow-bundles): workers start from it instead of running webpack
# (src/worker/workflow-bundle.ts). Its key hashes lib/src and package-lock.json, the same files in the image below.
RUN node lib/src/build-workflows.js

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/lib ./lib
COPY package.json package-lock.json ./
COPY --from=build --chown=node:node /app/.data ./.data
USER node
CMD ["node", "lib/src/worker.js"]
