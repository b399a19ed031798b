import { strict as assert } from "assert";
import { Cluster } from "../kit/cluster";
import { fieldAttacks, quotaAttacks } from "../kit/fieldRows";
import { platformCluster } from "../kit/platformCluster";

// Each rule of the ReachGuard and each count of the quota is needed: without the object that
// refuses its row, the cluster would carry the attack out.
describe("fields that reach outside a namespace, and counts: each rule needed (test/kit)", () => {
    let cluster: Cluster;
    before(async () => {
        cluster = await platformCluster();
    });

    for (const attack of quotaAttacks) {
        it(`${attack.attack}: refused by the kit's ${attack.deniedBy}`, () => {
            const given = attack.given ? attack.given(cluster) : cluster;
            const verdict = given.decide(attack.request(given));
            assert.equal(verdict.allowed, false, `allowed: ${verdict.reason}`);
            assert.equal(verdict.layer, attack.deniedBy, verdict.reason);
        });
    }

    for (const attack of [...fieldAttacks, ...quotaAttacks]) {
        it(`${attack.attack}: allowed without ${attack.needs.kind} ${attack.needs.name}`, () => {
            const { kind, name, namespace } = attack.needs;
            const given = attack.given ? attack.given(cluster) : cluster;
            const bare = given.without((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
            const verdict = bare.decide(attack.request(bare));
            assert.equal(verdict.allowed, true, `still refused by ${verdict.layer}: ${verdict.reason}`);
        });
    }
});
