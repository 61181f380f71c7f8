# The OptiSchema sidecar: web app, API and CLI. It needs a PostgreSQL URL (DATABASE_URL); the
# embedded cluster is for laptops, not containers. Build from the repository root:
#   docker build -f docker/optischema.Dockerfile -t optischema .
FROM node:22-bookworm-slim
WORKDIR /app
# pg_dump and psql for the schema snapshot and sandbox copies; no server in this image.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
ENV NODE_ENV=production
EXPOSE 3000
# Inside the container the server must listen on all interfaces for the published port to reach it,
# so sign-in is on; compose.yaml publishes the port on the host's loopback only.
CMD ["node", "bin/optischema.js", "start", "--auth", "--host", "0.0.0.0", "--port", "3000"]
