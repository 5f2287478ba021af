# The CUDA agent image (the GPU pool of deploy/k8s/overlays/pools), on NVIDIA's CUDA development base: nvcc and the
# CUDA libraries come from it, nvidia-smi and the driver from the node (NVIDIA container toolkit / device plugin).
#   docker build -f deploy/images/agent-cuda.Dockerfile -t kernelsmith-agent-cuda .
# NVIDIA publishes no Debian base, so this is the one image scripts/build-images.sh cannot build from Debian packages;
# it needs registry access. The agent is the same publish as agent.Dockerfile, with the same settings.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS publish
WORKDIR /src
COPY . .
RUN dotnet publish src/Agents.Node/Agents.Node.csproj -c Release -r linux-x64 --self-contained -o /app

FROM nvidia/cuda:12.6.3-devel-ubuntu24.04
COPY deploy/images/agent-cuda.packages /tmp/packages
RUN apt-get update \
 && grep -v '^#' /tmp/packages | DEBIAN_FRONTEND=noninteractive xargs apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/* /tmp/packages \
 && useradd --uid 10001 --user-group --create-home --home-dir /var/lib/kernelsmith kernelsmith
COPY --from=publish /app /app
ENV DOTNET_gcServer=0
ENV ASPNETCORE_URLS=http://+:5080
ENV Health__Port=8081
ENV Agent__WorkRoot=/var/lib/kernelsmith/work
ENV NVIDIA_VISIBLE_DEVICES=all
ENV NVIDIA_DRIVER_CAPABILITIES=compute,utility
USER 10001
WORKDIR /var/lib/kernelsmith
EXPOSE 5080
EXPOSE 8081
ENTRYPOINT ["/app/Kernelsmith.Agents.Node"]
