# Redis for scripts/test-images.sh, built without a registry by scripts/build-images.sh redis (deploy/k8s uses the
# official redis image). With registry access: docker build -f deploy/images/redis.Dockerfile -t kernelsmith-redis .
FROM debian:bookworm-slim
COPY deploy/images/redis.packages /tmp/packages
RUN apt-get update \
 && grep -v '^#' /tmp/packages | xargs apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/* /tmp/packages
USER redis
WORKDIR /var/lib/redis
EXPOSE 6379
ENTRYPOINT ["redis-server"]
