// What the cluster tier needs before its specs run, the one step that may use the network (the Go
// module proxy): each tested Kubernetes release built from source (a few minutes each, once), the
// pinned upstream modules downloaded, the helm binary unpacked, kustomize as Flux builds built.
//   node -r ts-node/register/transpile-only test/cluster/prepare.ts
import { buildControlPlane, testedVersions } from "./controlPlane";
import { kustomizeBinary } from "./kustomize";
import { helmBinary, prepareUpstream } from "./upstream";

const started = Date.now();
for (const version of testedVersions()) {
    const begun = Date.now();
    console.log(`Kubernetes ${version}: ${buildControlPlane(version)} (${Math.round((Date.now() - begun) / 1000)} s)`);
}
for (const [name, dir] of Object.entries(prepareUpstream())) {
    console.log(`${name}: ${dir}`);
}
console.log(`helm: ${helmBinary()}`);
console.log(`kustomize: ${kustomizeBinary()}`);
console.log(`prepared in ${Math.round((Date.now() - started) / 1000)} s`);
