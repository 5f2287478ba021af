#!/usr/bin/env bash
# Builds the silo and agent OCI images without a container registry: the root filesystem comes from Debian's
# packages (mmdebstrap), the hosts from `dotnet publish` (self-contained), and podman turns the result into an image.
# The package lists (deploy/images/*.packages) and the image settings (the ENV, USER, WORKDIR, EXPOSE and ENTRYPOINT
# lines of the Dockerfiles' final stage) are read from the files the Dockerfiles use, so both ways give one image.
#
#   scripts/build-images.sh [--out DIR] [--tag TAG] [silo] [agent] [redis]
#       (default: silo and agent, into out/images, tag "dev"; redis: a Redis image for scripts/test-images.sh)
#
# Writes DIR/kernelsmith-silo.oci.tar and DIR/kernelsmith-agent.oci.tar (OCI archives: `podman load -i`, or
# `ctr -n k8s.io images import` on a node) and loads both into local podman as localhost/kernelsmith-NAME:TAG.
# Needs root (mmdebstrap's root mode, podman) and scripts/install-deps.sh --images. Takes minutes: not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."

out=out/images
tag=dev
images=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    silo|agent|redis) images+=("$1"); shift ;;
    *) echo "error: unknown argument '$1' (expected --out DIR, --tag TAG, silo, agent, redis)" >&2; exit 2 ;;
  esac
done
[ ${#images[@]} -gt 0 ] || images=(silo agent)
[ "$(id -u)" -eq 0 ] || { echo "error: build-images.sh needs root (mmdebstrap and podman in root mode)" >&2; exit 1; }
for tool in mmdebstrap podman dotnet; do
  command -v "$tool" >/dev/null || { echo "error: $tool is missing: run scripts/install-deps.sh --images" >&2; exit 1; }
done
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

declare -A project=([silo]=src/Silo/Silo.csproj [agent]=src/Agents.Node/Agents.Node.csproj)

# The settings of the Dockerfile's last stage, as podman import --change arguments: one instruction, one value
# (one variable, one port) per line there, as podman import takes them.
image_settings() {
  awk '/^FROM /{n=0; delete lines} /^(ENV|USER|WORKDIR|EXPOSE|ENTRYPOINT) /{lines[n++]=$0} END{for(i=0;i<n;i++) print lines[i]}' "$1"
}

for name in "${images[@]}"; do
  dockerfile=deploy/images/$name.Dockerfile
  started=$(date +%s)
  mkdir -p "$work/$name-app"
  if [ -n "${project[$name]:-}" ]; then
    echo "== $name: dotnet publish" >&2
    # Its own build folders: a publish for linux-x64 must not rewrite the restore of the working tree's builds.
    dotnet publish "${project[$name]}" -c Release -r linux-x64 --self-contained -o "$work/$name-app" --artifacts-path "$work/artifacts" -v quiet -nologo >&2
  fi

  echo "== $name: root filesystem (mmdebstrap, bookworm)" >&2
  packages=$(grep -v '^#' "deploy/images/$name.packages" | paste -sd, -)
  # The image's user (as the Dockerfile's useradd), the published host in /app, and no apt lists or docs to carry.
  mmdebstrap --variant=apt --format=tar --include="$packages" \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --customize-hook='chroot "$1" useradd --uid 10001 --user-group --create-home --home-dir /var/lib/kernelsmith kernelsmith' \
    --customize-hook="[ -z \"\$(ls -A '$work/$name-app')\" ] || { mkdir -p \"\$1/app\" && cp -a '$work/$name-app/.' \"\$1/app/\"; }" \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
    bookworm "$work/$name.tar" >"$work/$name.mmdebstrap.log" 2>&1 \
    || { tail -n 30 "$work/$name.mmdebstrap.log" >&2; exit 1; }

  echo "== $name: image" >&2
  changes=()
  while IFS= read -r line; do changes+=(--change "$line"); done < <(image_settings "$dockerfile")
  podman import "${changes[@]}" "$work/$name.tar" "localhost/kernelsmith-$name:$tag" >/dev/null
  rm -f "$out/kernelsmith-$name.oci.tar"
  podman save --format oci-archive -o "$out/kernelsmith-$name.oci.tar" "localhost/kernelsmith-$name:$tag"
  size=$(podman image inspect --format '{{.Size}}' "localhost/kernelsmith-$name:$tag")
  echo "$name: localhost/kernelsmith-$name:$tag, $((size / 1024 / 1024)) MiB, archive $(du -m "$out/kernelsmith-$name.oci.tar" | cut -f1) MiB, built in $(( $(date +%s) - started )) s" >&2
done
