// Fills the caches test/cluster/upstream.ts reads offline: the pinned Go modules (through the Go
// module proxy) and the helm binary (from node_modules).
//   node -r ts-node/register/transpile-only test/cluster/prepare-upstream.ts
import { helmBinary, prepareUpstream } from "./upstream";

const started = Date.now();
for (const [name, dir] of Object.entries(prepareUpstream())) {
    console.log(`${name}: ${dir}`);
}
console.log(`helm: ${helmBinary()}`);
console.log(`ready in ${Date.now() - started} ms`);
