# The silo image, for builders with registry access: docker build -f deploy/images/silo.Dockerfile -t kernelsmith-silo .
# scripts/build-images.sh builds the same image without pulling anything: the same packages (silo.packages), the
# same publish command, and the ENV, USER, WORKDIR, EXPOSE and ENTRYPOINT lines of the final stage read from here.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS publish
WORKDIR /src
COPY . .
RUN dotnet publish src/Silo/Silo.csproj -c Release -r linux-x64 --self-contained -o /app

FROM debian:bookworm-slim
COPY deploy/images/silo.packages /tmp/packages
RUN apt-get update \
 && grep -v '^#' /tmp/packages | xargs apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/* /tmp/packages \
 && useradd --uid 10001 --user-group --create-home --home-dir /var/lib/kernelsmith kernelsmith
COPY --from=publish /app /app
ENV DOTNET_gcServer=0
ENV ASPNETCORE_URLS=http://+:5070
ENV Health__Port=8080
ENV XDG_CACHE_HOME=/var/lib/kernelsmith/cache
USER 10001
WORKDIR /var/lib/kernelsmith
EXPOSE 5070
EXPOSE 8080
EXPOSE 11111
EXPOSE 30000
ENTRYPOINT ["/app/Kernelsmith.Silo"]
