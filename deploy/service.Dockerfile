# Any one of the four services: one image recipe, the service chosen by build arguments.
# Build from the workspace root (the context needs the lock and the shared kernel), e.g.
#   docker build -f deploy/service.Dockerfile --build-arg SERVICE=intake --build-arg PORT=8001 \
#       -t carequartier-intake .
# docker-compose.yml passes the same arguments for each service.
FROM python:3.11-slim

# The service's name (intake, scheduling, volunteering, notifications) and the port it serves.
ARG SERVICE
ARG PORT

# The same uv the Makefile pins.
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /uvx /bin/

# Compile bytecode at install time (faster start); copy rather than hard-link from the cache
# mount; use the image's Python, never a downloaded one.
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv

WORKDIR /app

# Step 1: third-party dependencies only, from the lock. Reading the workspace needs every
# member's manifest (tests/test_compose_file.py checks that each is copied), not its sources,
# so this layer survives code changes; uv installs only what this service needs.
COPY pyproject.toml uv.lock ./
COPY libs/shared/pyproject.toml libs/shared/
COPY libs/testing/pyproject.toml libs/testing/
COPY deploy/devstack/pyproject.toml deploy/devstack/
COPY services/intake/pyproject.toml services/intake/
COPY services/scheduling/pyproject.toml services/scheduling/
COPY services/volunteering/pyproject.toml services/volunteering/
COPY services/notifications/pyproject.toml services/notifications/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package "carequartier-${SERVICE}" \
        --no-install-workspace

# Step 2: the shared kernel (with the site catalogue) and this service (with its migrations),
# never another service.
COPY libs/shared/src libs/shared/src
COPY services/${SERVICE}/src services/${SERVICE}/src
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package "carequartier-${SERVICE}"

ENV PATH="/app/.venv/bin:$PATH"
# Fail the build, not the first request, if the packaged site catalogue does not load (its
# time zones come from the tzdata package, a kernel dependency).
RUN python -c "from cq_shared.sites import load_site_catalogue; load_site_catalogue()"

RUN useradd --system --uid 10001 --no-create-home carequartier
USER carequartier

ENV CQ_SERVICE=${SERVICE} \
    CQ_SERVICE_PORT=${PORT}
EXPOSE ${PORT}
# The service reads CQ_<SERVICE>_HOST and CQ_<SERVICE>_PORT. In a container it listens on every
# interface of the container's own network namespace, at PORT, unless `docker run -e` sets them.
CMD prefix="CQ_$(echo "$CQ_SERVICE" | tr '[:lower:]' '[:upper:]')" && \
    export "${prefix}_HOST=$(printenv "${prefix}_HOST" || echo 0.0.0.0)" \
        "${prefix}_PORT=$(printenv "${prefix}_PORT" || echo "$CQ_SERVICE_PORT")" && \
    exec python -m "cq_${CQ_SERVICE}"
