# The agent image, for builders with registry access: docker build -f deploy/images/agent.Dockerfile -t kernelsmith-agent .
# scripts/build-images.sh builds the same image without pulling anything: the same packages (agent.packages), the
# same publish command, and the ENV, USER, WORKDIR, EXPOSE and ENTRYPOINT lines of the final stage read from here.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS publish
WORKDIR /src
COPY . .
RUN dotnet publish src/Agents.Node/Agents.Node.csproj -c Release -r linux-x64 --self-contained -o /app

FROM debian:bookworm-slim
COPY deploy/images/agent.packages /tmp/packages
RUN apt-get update \
 && grep -v '^#' /tmp/packages | xargs apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/* /tmp/packages \
 && useradd --uid 10001 --user-group --create-home --home-dir /var/lib/kernelsmith kernelsmith
COPY --from=publish /app /app
ENV DOTNET_gcServer=0
ENV ASPNETCORE_URLS=http://+:5080
ENV Health__Port=8081
ENV Agent__WorkRoot=/var/lib/kernelsmith/work
USER 10001
WORKDIR /var/lib/kernelsmith
EXPOSE 5080
EXPOSE 8081
ENTRYPOINT ["/app/Kernelsmith.Agents.Node"]
