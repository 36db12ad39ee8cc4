# Production image for the API, the Celery worker and beat (see docker-compose.yml).
# The web app's front-end packages come from their lock file in a Node stage of their own.
FROM node:20-slim AS web-assets
WORKDIR /assets
COPY catalogue/web/assets/package.json catalogue/web/assets/package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY catalogue ./catalogue
COPY --from=web-assets /assets/node_modules ./catalogue/web/assets/node_modules
COPY workers ./workers
COPY seed ./seed
COPY graphql ./graphql
# Editable, so the package finds seed/ and graphql/operations/ beside it in /app.
RUN pip install --no-cache-dir -e . \
    && useradd --system --uid 10001 --home /app catalogue \
    && mkdir -p /app/var && chown catalogue /app/var

USER catalogue
EXPOSE 8000
CMD ["catalogue", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "4"]
