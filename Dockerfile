# The app image: API + web on one port. PostgreSQL runs as its own service (see docker-compose.yml).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY api/package.json api/
COPY web/package.json web/
COPY survey-templates/package.json survey-templates/
COPY packages/survey-definition/package.json packages/survey-definition/
COPY tests/package.json tests/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build -w web

FROM node:20-bookworm-slim
WORKDIR /app
# The code stays root-owned and read-only to the app; everything it writes (the embedded PostgreSQL
# without DATABASE_URL, the token secret kept beside it, uploaded imports) goes to /app/data, owned
# by the user the app runs as. Mount a volume there to keep it (survey links need the same secret).
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 PG_DATA_DIR=/app/data/pg IMPORT_DIR=/app/data/imports
COPY --from=build /app /app
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "--import", "tsx", "api/src/main.ts"]
