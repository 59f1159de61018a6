# MetalPro backend: one binary (cgo, SQLite with FTS5) in a small Debian image.
#   docker build -t metalpro .
#   docker run -p 3000:3000 -v metalpro-data:/data metalpro
# Data (database, local emails, Litestream state) lives on the /data volume.

FROM golang:1.26-bookworm AS build
WORKDIR /src
# Modules first: this layer is cached until go.mod/go.sum change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# cgo is required by mattn/go-sqlite3; -trimpath and -s -w keep the binary small.
RUN CGO_ENABLED=1 go build -tags sqlite_fts5 -trimpath \
      -ldflags "-s -w -X main.version=${VERSION}" -o /out/metalpro . \
 && mkdir -p /out/data

# glibc (cgo) + CA certificates (S3, SendGrid, Sentry over TLS) + tzdata; nothing else.
FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=build /out/metalpro /usr/local/bin/metalpro
COPY litestream.yml /etc/metalpro/litestream.yml
# An empty /data owned by the runtime user: Docker copies it onto a new named
# volume, and Fly mounts volumes for the image's (non-root) user.
COPY --from=build --chown=65532:65532 /out/data /data
ENV APP_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    LITESTREAM_CONFIG=/etc/metalpro/litestream.yml
# distroless "nonroot" is uid 65532; a bind mount must be writable by it.
USER nonroot:nonroot
WORKDIR /data
VOLUME /data
EXPOSE 3000
# The binary is PID 1: it receives SIGTERM, drains requests, closes the
# database and waits for its replicator child's final sync (see docs/RUNBOOK.md).
# No shell in the image: health checks are the platform's HTTP checks.
ENTRYPOINT ["/usr/local/bin/metalpro"]
CMD ["serve"]
