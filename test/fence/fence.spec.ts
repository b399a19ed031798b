import { strict as assert } from "assert";
import { tryAttacks } from "../kit/attackDoc";
import { Cluster } from "../kit/cluster";
import { platformCluster } from "../kit/platformCluster";
import { leftToControllers } from "../kit/flux2Rows";
import { attacks, expected } from "../kit/tables";

describe("the team fence, decided as the cluster would (test/kit)", () => {
    let cluster: Cluster;
    before(async () => {
        cluster = await platformCluster();
    });

    describe("every attack of a team is refused, by the layer named", () => {
        for (const [i, attack] of attacks.entries()) {
            it(`${attack.attack} (${attack.deniedBy})`, () => {
                const verdict = tryAttacks(cluster)[i].verdict;
                assert.equal(verdict.allowed, false, `allowed: ${verdict.reason}`);
                assert.equal(verdict.layer, attack.deniedBy, verdict.reason);
            });
        }
    });

    describe("what the platform's components really send goes through", () => {
        for (const row of expected) {
            it(`${row.who}: ${row.does}`, () => {
                const given = row.given ? row.given(cluster) : cluster;
                const verdict = given.decide(row.request(given));
                assert.equal(verdict.allowed, true, `refused by ${verdict.layer}: ${verdict.reason}`);
            });
        }
    });

    // Said in the docs as admitted: if the API server came to refuse one, it belongs in the attacks.
    describe("what only a Flux controller refuses, the API server admits", () => {
        for (const row of leftToControllers) {
            it(row.attempt, () => {
                const verdict = cluster.decide(row.request(cluster));
                assert.equal(verdict.allowed, true, `refused by ${verdict.layer}: move it to the attacks`);
            });
        }
    });
});
