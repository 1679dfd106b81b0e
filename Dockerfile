# One image per service: docker build --build-arg APP=auth|agent|mcp-edge -t mcp-langgraph/<app> .
FROM node:20-bookworm-slim AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY packages ./packages
COPY apps ./apps
# The documents the agent's knowledge_search indexes (AGENT_DOCS_DIR).
COPY docs ./docs
COPY tests/e2e/package.json ./tests/e2e/package.json
RUN npm ci --no-audit --no-fund
ARG APP
RUN npx turbo run build --filter=@mcp-langgraph/${APP}... && npm prune --omit=dev

FROM node:20-bookworm-slim
ARG APP
ENV NODE_ENV=production APP_ENV=production BIND_HOST=0.0.0.0
ENV AGENT_DOCS_DIR=/app/docs
WORKDIR /app
COPY --from=build /src /app
USER node
WORKDIR /app/apps/${APP}
CMD ["node", "dist/main.js"]
