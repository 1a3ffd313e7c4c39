#!/usr/bin/env bash
# Installs helm into .tools/bin (git-ignored) from the Go module proxy, once: a later call finds it
# and only prints its path. CI calls this before the tests, which fail without helm.
set -euo pipefail
cd "$(dirname "$0")/.."

HELM_VERSION="${HELM_VERSION:-v3.16.4}"
BIN_DIR="$PWD/.tools/bin"
HELM="$BIN_DIR/helm"

# A cached binary of another version is replaced, so a version bump here takes effect.
if [ -x "$HELM" ] && "$HELM" version --template '{{.Version}}' 2>/dev/null | grep -qx "$HELM_VERSION"; then
  echo "$HELM"
  exit 0
fi

command -v go >/dev/null || { echo "install-helm: go is needed to build helm ($HELM_VERSION)" >&2; exit 1; }
mkdir -p "$BIN_DIR"
# What helm's own release build stamps in with ldflags: its version (else `helm version` says
# v3.x-dev) and the Kubernetes version `helm template` and `helm lint` assume (else 1.20, which
# fails charts that need a newer cluster). v3.16 builds against client-go 0.31, i.e. Kubernetes 1.31.
KUBE_MAJOR="${KUBE_MAJOR:-1}"
KUBE_MINOR="${KUBE_MINOR:-31}"
LDFLAGS="-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
  LDFLAGS="$LDFLAGS -X $pkg.k8sVersionMajor=$KUBE_MAJOR -X $pkg.k8sVersionMinor=$KUBE_MINOR"
done
GOBIN="$BIN_DIR" go install -ldflags "$LDFLAGS" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
"$HELM" version --short >&2
echo "$HELM"
