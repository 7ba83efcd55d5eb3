# syntax=docker/dockerfile:1
# The one `traffic` binary for every container of docker-compose.yml (nodes, init job, generator).
# Build: docker build -t traffic-actors .   Try it alone: docker run --rm -p 5080:5080 traffic-actors

# ---- build: restore, npm ci for the dashboard's browser libraries, publish ----
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# The web project's build copies the dashboard's browser libraries out of node_modules (npm ci, lock file).
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src

# Project files first, so the restore layers are reused until a dependency changes.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY actors/TrafficActors.Actors.csproj actors/
COPY web/TrafficActors.Web.csproj web/package.json web/package-lock.json web/.npmrc web/
COPY host/TrafficActors.Host.csproj host/
RUN dotnet restore host/TrafficActors.Host.csproj
RUN cd web && npm ci --no-audit --no-fund --loglevel=error

COPY hocon/ hocon/
COPY data/reference/ data/reference/
COPY actors/ actors/
COPY web/ web/
COPY host/ host/
RUN dotnet publish host/TrafficActors.Host.csproj -c Release --no-restore -o /app

# ---- runtime: ASP.NET Core runtime only, non-root ----
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./

# Everything a node writes (SQLite journal when not on PostgreSQL, reference cache) goes to /data, owned by the
# image's unprivileged `app` user (APP_UID comes with the base image).
ENV TRAFFIC_DATA_DIR=/data
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME /data
USER $APP_UID

# HTTP API and dashboard (web role), management endpoint (health, metrics, inspection), Akka.Remote.
EXPOSE 5080 9110 4053

# No curl or wget in this image: the binary asks its own management endpoint (/ready). The generator and the
# init job are not servers; docker-compose.yml turns the check off for them.
HEALTHCHECK --interval=10s --timeout=8s --start-period=60s --retries=6 CMD ["dotnet", "traffic.dll", "health"]

ENTRYPOINT ["dotnet", "traffic.dll"]
# Without a command: the all-in-one (embedded broker, every role, generator), dashboard on the published 5080.
CMD ["run", "--urls", "http://0.0.0.0:5080"]
