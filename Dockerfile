FROM node:20-bookworm-slim
WORKDIR /app
# Git sources are fetched with the git binary (docs/sources.md); the slim image has none.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends git ca-certificates && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# Dev dependencies are needed to build the web app; they are pruned after the build.
RUN npm ci --no-audit --no-fund --include=dev
COPY . .
RUN npm run build:web && npm prune --omit=dev
USER node
EXPOSE 3000
CMD ["node", "bin/tapeout.js", "start"]
