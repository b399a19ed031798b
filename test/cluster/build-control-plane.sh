#!/usr/bin/env bash
# Builds etcd, kube-apiserver and kube-controller-manager of one Kubernetes release from the Go
# module proxy into a cache outside git, once: a second call with the same version does nothing.
#
#   test/cluster/build-control-plane.sh 1.37.2      prints the folder holding the three binaries
#
# k8s.io/kubernetes cannot be `go install`ed at a version: its go.mod points its staging modules
# (k8s.io/api, k8s.io/apiserver, ...) at ./staging/src. A module of our own requires it and replaces
# each staging module with its published release (v0.<minor>.<patch>). etcd is built the same way at
# the version Kubernetes' own go.mod requires (go.etcd.io/etcd/server/v3), its sibling modules
# replaced by their published releases.
set -euo pipefail

version="${1:?usage: build-control-plane.sh <kubernetes version, e.g. 1.37.2>}"
cache="${GITOPS_PLATFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gitops-platform}"
out="$cache/control-plane/v$version"
if [[ -x "$out/kube-apiserver" && -x "$out/kube-controller-manager" && -x "$out/etcd" ]]; then
    echo "$out"
    exit 0
fi
command -v go >/dev/null || { echo "build-control-plane: Go is needed to build Kubernetes $version (https://go.dev/dl/)" >&2; exit 1; }

# One build of a version at a time, each in folders of its own (two test runs at once wiped each other's);
# whoever waited finds the binaries built.
mkdir -p "$cache/control-plane"
exec 9>"$cache/control-plane/v$version.lock"
flock 9
if [[ -x "$out/kube-apiserver" && -x "$out/kube-controller-manager" && -x "$out/etcd" ]]; then
    echo "$out"
    exit 0
fi

work="$(mktemp -d "$cache/control-plane/build-v$version.XXXXXX")"
partial="$(mktemp -d "$cache/control-plane/v$version.partial.XXXXXX")"
trap 'rm -rf "$work" "$partial"' EXIT
mkdir -p "$work/kubernetes" "$work/etcd"
export GOFLAGS="-mod=mod -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0

# The go.mod of a module at a version, from the module proxy.
gomod() { go mod download -json "$1@$2" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p'; }

# Writes a go.mod requiring $2@$3 whose relative replaces become requires of published releases;
# $4 maps a staging module's path to its published version.
ourModule() {
    local dir="$1" module="$2" modVersion="$3" published="$4" upstream
    upstream="$(gomod "$module" "$modVersion")"
    {
        echo "module gitops-platform.local/control-plane"
        echo
        grep -m1 '^go ' "$upstream"
        echo
        echo "require $module $modVersion"
        echo
        echo "replace ("
        # etcd 3.5 points modules it forbids at ./FORBIDDEN_DEPENDENCY: nothing needs them.
        grep -v FORBIDDEN_DEPENDENCY "$upstream" | sed -n 's#^[[:space:]]*\([^[:space:]]*\) => \./.*#\1#p' | while read -r staged; do
            echo "	$staged => $staged $("$published" "$staged")"
        done
        echo ")"
    } > "$dir/go.mod"
}

minor="${version#*.}"
kubePublished() { echo "v0.$minor"; }
etcdVersion="$(sed -n 's#^[[:space:]]*go.etcd.io/etcd/server/v3 \(v[^[:space:]]*\).*#\1#p' "$(gomod k8s.io/kubernetes "v$version")")"
etcdPublished() { echo "$etcdVersion"; }

ourModule "$work/kubernetes" k8s.io/kubernetes "v$version" kubePublished
ourModule "$work/etcd" go.etcd.io/etcd/server/v3 "$etcdVersion" etcdPublished

major="${version%%.*}"
ldflags="-s -w"
for v in gitVersion=v$version gitMajor=$major gitMinor=${minor%%.*} gitTreeState=clean; do
    ldflags="$ldflags -X k8s.io/component-base/version.$v -X k8s.io/client-go/pkg/version.$v"
done

echo "build-control-plane: building etcd $etcdVersion" >&2
(cd "$work/etcd" && go build -trimpath -ldflags "-s -w" -o "$partial/etcd" go.etcd.io/etcd/server/v3)
for cmd in kube-apiserver kube-controller-manager; do
    echo "build-control-plane: building $cmd v$version" >&2
    (cd "$work/kubernetes" && go build -trimpath -ldflags "$ldflags" -o "$partial/$cmd" "k8s.io/kubernetes/cmd/$cmd")
done
rm -rf "$out"
mv "$partial" "$out"
echo "$out"
