// The kit's verdict on each attack of its table (test/cluster/attackDoc.ts writes the docs' table
// from the real API server's).
import { Cluster, Request, Verdict } from "./cluster";
import { Attack, attacks } from "./tables";

export interface AttackResult {
    readonly attack: Attack;
    readonly request: Request;
    readonly verdict: Verdict;
}

/** Each attack against the cluster as it would stand, with what the cluster made of it. */
export function tryAttacks(cluster: Cluster): AttackResult[] {
    return attacks.map((attack) => {
        const given = attack.given ? attack.given(cluster) : cluster;
        const request = attack.request(given);
        return { attack, request, verdict: given.decide(request) };
    });
}
